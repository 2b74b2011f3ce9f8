import crypto from 'node:crypto';

const PREFIX = 'sha256=';

/** GitHub's X-Hub-Signature-256 over the raw body, compared in constant time. */
export function signatureMatches(secret: string, rawBody: Uint8Array, header: string | undefined): boolean {
  if (!header?.startsWith(PREFIX)) return false;
  const given = Buffer.from(header.slice(PREFIX.length), 'hex');
  const expected = crypto.createHmac('sha256', secret).update(rawBody).digest();
  // Lengths are public (a SHA-256 is 32 bytes); only the content comparison must be constant-time.
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

export const signBody = (secret: string, rawBody: string | Uint8Array) =>
  `${PREFIX}${crypto.createHmac('sha256', secret).update(rawBody).digest('hex')}`;
