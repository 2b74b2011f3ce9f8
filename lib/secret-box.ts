/**
 * Secrets encrypted at rest: AES-256-GCM (node:crypto) with a random 12-byte IV per value and its
 * 16-byte authentication tag. A value is stored as one string,
 *
 *   efs1:<key id>:<iv>:<tag>:<ciphertext>          (base64url parts)
 *
 * where the key id is a fingerprint of the key that encrypted it, so a keyring holding the current key
 * and previous ones decrypts values written under any of them (key rotation) and re-encrypts them under
 * the current one. A context string (who owns the value) is bound as additional authenticated data: a
 * ciphertext copied into another row does not decrypt there. Nothing here logs or echoes a key or value.
 */
import crypto from 'node:crypto';

export const ENVELOPE_VERSION = 'efs1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class EncryptionKeyError extends Error {
  override name = 'EncryptionKeyError';
}

export type SecretDecryptionReason = 'malformed' | 'unknown_key' | 'authentication_failed';

/** A value that cannot be decrypted; the message never contains the value or a key. */
export class SecretDecryptionError extends Error {
  override name = 'SecretDecryptionError';
  constructor(
    readonly reason: SecretDecryptionReason,
    message: string,
    readonly keyId: string | null = null,
  ) {
    super(message);
  }
}

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * A 32-byte key written as 64 hex digits or as base64 / base64url (`openssl rand -base64 32`).
 * Throws EncryptionKeyError (naming the expected format, never echoing the value).
 */
export function parseEncryptionKey(text: string): Buffer {
  const value = text.trim();
  let key: Buffer | null = null;
  if (HEX_KEY.test(value)) key = Buffer.from(value, 'hex');
  else if (BASE64_KEY.test(value)) key = Buffer.from(value.replace(/=$/, ''), 'base64url');
  if (!key || key.length !== KEY_BYTES) {
    throw new EncryptionKeyError(
      'must be 32 random bytes, as 64 hex digits or base64 (generate one with `openssl rand -base64 32`)',
    );
  }
  // A placeholder ("000…", "aaaa…") parses but protects nothing.
  if (new Set(key).size < 8) {
    throw new EncryptionKeyError('looks like a placeholder, not random bytes (`openssl rand -base64 32`)');
  }
  return key;
}

/** A fresh key in the base64 form parseEncryptionKey reads. */
export function generateEncryptionKey(): string {
  return crypto.randomBytes(KEY_BYTES).toString('base64');
}

/** Short fingerprint naming a key inside envelopes; reveals nothing usable about the key. */
export function encryptionKeyId(key: Buffer): string {
  return crypto
    .createHash('sha256')
    .update('evalforge-encryption-key-id\0')
    .update(key)
    .digest('hex')
    .slice(0, 12);
}

const b64 = (b: Buffer) => b.toString('base64url');

interface Envelope {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function parseEnvelope(envelope: string): Envelope {
  const parts = envelope.split(':');
  if (parts.length !== 5 || parts[0] !== ENVELOPE_VERSION) {
    throw new SecretDecryptionError('malformed', `not an ${ENVELOPE_VERSION} encrypted value`);
  }
  const [, keyId, iv, tag, ciphertext] = parts;
  const parsed = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
  if (!/^[0-9a-f]{12}$/.test(keyId) || parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) {
    throw new SecretDecryptionError('malformed', `not an ${ENVELOPE_VERSION} encrypted value`);
  }
  return parsed;
}

/** The key id an envelope names, or null when it is not one. */
export function envelopeKeyId(envelope: string): string | null {
  try {
    return parseEnvelope(envelope).keyId;
  } catch {
    return null;
  }
}

/** The current key (encrypts) and previous ones (still decrypt, during a rotation). */
export class SecretKeyring {
  readonly #keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    if (current.length !== KEY_BYTES) throw new EncryptionKeyError('the key must be 32 bytes');
    this.currentKeyId = encryptionKeyId(current);
    this.#keys.set(this.currentKeyId, Buffer.from(current));
    for (const key of previous) {
      if (key.length !== KEY_BYTES) throw new EncryptionKeyError('a previous key must be 32 bytes');
      const id = encryptionKeyId(key);
      if (!this.#keys.has(id)) this.#keys.set(id, Buffer.from(key));
    }
  }

  /** From the text of the current key and of previous ones (comma-separated); throws EncryptionKeyError. */
  static fromText(current: string, previous?: string): SecretKeyring {
    const older = (previous ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(parseEncryptionKey);
    return new SecretKeyring(parseEncryptionKey(current), older);
  }

  /** Ids of every key held, the current one first. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  hasKey(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  encrypt(plaintext: string, context: string): string {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv(ALGORITHM, this.#keys.get(this.currentKeyId)!, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [ENVELOPE_VERSION, this.currentKeyId, b64(iv), b64(cipher.getAuthTag()), b64(ciphertext)].join(
      ':',
    );
  }

  /** Throws SecretDecryptionError: malformed, a key this keyring does not hold, or tampered / wrong context. */
  decrypt(envelope: string, context: string): string {
    const { keyId, iv, tag, ciphertext } = parseEnvelope(envelope);
    const key = this.#keys.get(keyId);
    if (!key) {
      throw new SecretDecryptionError(
        'unknown_key',
        `encrypted under key ${keyId}, which is neither the current encryption key nor a previous one`,
        keyId,
      );
    }
    try {
      const decipher = crypto.createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(
        'authentication_failed',
        'the encrypted value does not authenticate (altered, or stored for another owner)',
        keyId,
      );
    }
  }

  /** True when the envelope is already under the current key. */
  isCurrent(envelope: string): boolean {
    return envelopeKeyId(envelope) === this.currentKeyId;
  }

  /** The same value under the current key (a fresh IV); throws like decrypt. */
  reencrypt(envelope: string, context: string): string {
    return this.encrypt(this.decrypt(envelope, context), context);
  }

  /** Logged or serialized by mistake, a keyring shows only key ids. */
  toJSON() {
    return { currentKeyId: this.currentKeyId, keyIds: this.keyIds };
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `SecretKeyring(${this.keyIds.join(', ')})`;
  }
}
