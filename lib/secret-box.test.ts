import crypto from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  EncryptionKeyError,
  encryptionKeyId,
  envelopeKeyId,
  generateEncryptionKey,
  parseEncryptionKey,
  SecretDecryptionError,
  SecretKeyring,
} from './secret-box.js';

const VALUE = 'sk-proj-0123456789abcdefghijklmnopqrstuvwxyz';
const CONTEXT = 'evalforge/provider-secret\0project-a\0openai';
const keyring = (key = generateEncryptionKey(), previous?: string) => SecretKeyring.fromText(key, previous);

/** The error a call throws (fails the test when it does not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('secret box (AES-256-GCM)', () => {
  it('round-trips a value, with a fresh IV each time and no plaintext in the envelope', () => {
    const ring = keyring();
    const a = ring.encrypt(VALUE, CONTEXT);
    const b = ring.encrypt(VALUE, CONTEXT);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^efs1:[0-9a-f]{12}:[\w-]{16}:[\w-]{22}:[\w-]+$/);
    expect(a).not.toContain(VALUE);
    expect(a).not.toContain(Buffer.from(VALUE).toString('base64url').slice(0, 12));
    expect(envelopeKeyId(a)).toBe(ring.currentKeyId);
    expect(ring.decrypt(a, CONTEXT)).toBe(VALUE);
    expect(ring.decrypt(b, CONTEXT)).toBe(VALUE);
    expect(ring.decrypt(ring.encrypt('ü€ key', CONTEXT), CONTEXT)).toBe('ü€ key');
  });

  it('refuses a tampered ciphertext, tag or IV, and a value moved to another owner', () => {
    const ring = keyring();
    const envelope = ring.encrypt(VALUE, CONTEXT);
    const parts = envelope.split(':');
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] ^= 0x01;
      return bytes.toString('base64url');
    };
    for (const index of [2, 3, 4]) {
      const tampered = parts.map((p, i) => (i === index ? flip(p) : p)).join(':');
      const err = thrown(() => ring.decrypt(tampered, CONTEXT));
      expect(err).toBeInstanceOf(SecretDecryptionError);
      expect((err as SecretDecryptionError).reason).toBe('authentication_failed');
    }
    const moved = thrown(() => ring.decrypt(envelope, 'evalforge/provider-secret\0project-b\0openai'));
    expect((moved as SecretDecryptionError).reason).toBe('authentication_failed');
    for (const bad of ['', 'plain text', 'efs1:abc', envelope.replace('efs1', 'efs9')]) {
      expect((thrown(() => ring.decrypt(bad, CONTEXT)) as SecretDecryptionError).reason).toBe('malformed');
    }
  });

  it('refuses to decrypt under a wrong key, naming the key id only', () => {
    const envelope = keyring().encrypt(VALUE, CONTEXT);
    const err = thrown(() => keyring().decrypt(envelope, CONTEXT)) as SecretDecryptionError;
    expect(err).toBeInstanceOf(SecretDecryptionError);
    expect(err.reason).toBe('unknown_key');
    expect(err.keyId).toBe(envelopeKeyId(envelope));
    expect(err.message).not.toContain(VALUE);

    // Same key id forged in front of another key's ciphertext: the tag still refuses it.
    const wrong = keyring();
    const forged = envelope.replace(/^efs1:[0-9a-f]{12}:/, `efs1:${wrong.currentKeyId}:`);
    expect((thrown(() => wrong.decrypt(forged, CONTEXT)) as SecretDecryptionError).reason).toBe(
      'authentication_failed',
    );
  });

  it('rotates: the previous key still decrypts, re-encryption moves values to the new key', () => {
    const oldKey = generateEncryptionKey();
    const newKey = generateEncryptionKey();
    const before = keyring(oldKey).encrypt(VALUE, CONTEXT);

    const rotating = keyring(newKey, oldKey);
    expect(rotating.keyIds).toEqual([rotating.currentKeyId, envelopeKeyId(before)]);
    expect(rotating.isCurrent(before)).toBe(false);
    expect(rotating.decrypt(before, CONTEXT)).toBe(VALUE);

    const after = rotating.reencrypt(before, CONTEXT);
    expect(rotating.isCurrent(after)).toBe(true);
    expect(envelopeKeyId(after)).toBe(encryptionKeyId(parseEncryptionKey(newKey)));
    // Once the old key is dropped, only re-encrypted values still decrypt.
    const newOnly = keyring(newKey);
    expect(newOnly.decrypt(after, CONTEXT)).toBe(VALUE);
    expect((thrown(() => newOnly.decrypt(before, CONTEXT)) as SecretDecryptionError).reason).toBe(
      'unknown_key',
    );
  });

  it('reads 32-byte keys as hex or base64 and refuses anything else without echoing it', () => {
    const raw = crypto.randomBytes(32);
    const id = encryptionKeyId(raw);
    expect(encryptionKeyId(parseEncryptionKey(raw.toString('hex')))).toBe(id);
    expect(encryptionKeyId(parseEncryptionKey(raw.toString('base64')))).toBe(id);
    expect(encryptionKeyId(parseEncryptionKey(raw.toString('base64url')))).toBe(id);
    expect(encryptionKeyId(parseEncryptionKey(` ${raw.toString('base64')}\n`))).toBe(id);
    const bad = [
      'secret',
      crypto.randomBytes(16).toString('base64'),
      crypto.randomBytes(33).toString('base64'),
      crypto.randomBytes(31).toString('hex'),
      '0'.repeat(64),
      'A'.repeat(43),
    ];
    for (const value of bad) {
      const err = thrown(() => parseEncryptionKey(value));
      expect(err, value).toBeInstanceOf(EncryptionKeyError);
      expect((err as Error).message).not.toContain(value);
    }
  });

  it('never shows key material when logged or inspected', () => {
    const key = generateEncryptionKey();
    const ring = keyring(key);
    const hex = parseEncryptionKey(key).toString('hex');
    for (const text of [JSON.stringify(ring), String(ring), inspect(ring, { depth: 5 })]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(hex);
    }
  });
});
