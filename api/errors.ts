/**
 * One error shape for every failure: { error: { code, message, details } }. User mistakes get
 * a 4xx that says what to fix; unexpected failures get a 500 with no stack trace in the body.
 */

import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type DomainErrorKind } from '../core/errors.js';

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export { conflict, notFound, unprocessable } from '../core/errors.js';

/** The HTTP status of each kind of domain error. */
const DOMAIN_ERROR_STATUS: Record<DomainErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** zod issues as a list a client can show next to the field. */
export function zodIssues(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));
}

/** Marks a zod issue as "well-formed input PostgreSQL cannot store" (NUL, lone surrogates): a 422, not a 400. */
export const UNSTORABLE_TEXT = 'unstorable_text';

const isUnstorable = (i: z.core.$ZodIssue) =>
  i.code === 'custom' && (i as { params?: { reason?: string } }).params?.reason === UNSTORABLE_TEXT;

/** The defaultHook of every OpenAPIHono: zod failures at the boundary in the shared error shape. */
export function validationHook(result: { success: boolean; error?: z.ZodError }, c: Context) {
  if (result.success || !result.error) return;
  if (result.error.issues.every(isUnstorable)) {
    return c.json(errorBody(UNSTORABLE_TEXT, 'text cannot be stored as given', zodIssues(result.error)), 422);
  }
  return c.json(errorBody('validation_error', 'invalid request', zodIssues(result.error)), 400);
}

const HTTP_ERROR_CODES: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** PostgreSQL errors caused by the input rather than the server (safety net behind zod). */
const PG_INPUT_ERRORS: Record<string, { status: ContentfulStatusCode; code: string; message: string }> = {
  // invalid byte sequence (NUL in text) / unsupported Unicode escape in jsonb
  '22021': {
    status: 422,
    code: UNSTORABLE_TEXT,
    message: 'text contains a character PostgreSQL cannot store (NUL)',
  },
  '22P05': {
    status: 422,
    code: UNSTORABLE_TEXT,
    message: 'JSON contains a character PostgreSQL cannot store (\\u0000)',
  },
  '22P02': { status: 400, code: 'bad_request', message: 'a value has the wrong format' },
  '22001': { status: 422, code: 'value_too_long', message: 'a value is longer than its column allows' },
  // numeric_value_out_of_range: the schemas bound every number (db/column-bounds.ts); this is the last resort.
  '22003': {
    status: 400,
    code: 'value_out_of_range',
    message: 'a number is outside the range its column can hold',
  },
  '23505': { status: 409, code: 'conflict', message: 'a record with the same unique key already exists' },
  '23503': {
    status: 409,
    code: 'conflict',
    message: 'the record is referenced by, or references, another record',
  },
};

function pgInputError(err: Error) {
  const code =
    (err as { driverError?: { code?: string }; code?: string }).driverError?.code ??
    (err as { code?: string }).code;
  return typeof code === 'string' ? PG_INPUT_ERRORS[code] : undefined;
}

export function handleError(err: Error, c: Context, log: (err: Error) => void) {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status);
  if (err instanceof DomainError)
    return c.json(errorBody(err.code, err.message, err.details), DOMAIN_ERROR_STATUS[err.kind]);
  if (err instanceof z.ZodError)
    return c.json(errorBody('validation_error', 'invalid request', zodIssues(err)), 400);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const malformedJson = status === 400 && /malformed json/i.test(err.message);
    const code = malformedJson ? 'malformed_json' : (HTTP_ERROR_CODES[status] ?? 'http_error');
    return c.json(errorBody(code, err.message || 'request failed'), status);
  }
  const pg = pgInputError(err);
  if (pg) return c.json(errorBody(pg.code, pg.message), pg.status);
  log(err);
  return c.json(errorBody('internal_error', 'internal server error'), 500);
}
