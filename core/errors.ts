/**
 * Domain errors: what went wrong in domain terms, with a stable code and details a client can show.
 * The API maps each kind to its HTTP status (api/errors.ts); activities and scripts read the message.
 */
export const DOMAIN_ERROR_KINDS = ['invalid', 'not_found', 'conflict', 'unprocessable'] as const;
export type DomainErrorKind = (typeof DOMAIN_ERROR_KINDS)[number];

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id?: string) =>
  new DomainError('not_found', 'not_found', id ? `${what} ${id} not found` : `${what} not found`);

export const conflict = (code: string, message: string, details?: unknown) =>
  new DomainError('conflict', code, message, details);

/** Well-formed input the domain cannot accept (rows that break a rule, a reused idempotency key…). */
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new DomainError('unprocessable', code, message, details);
