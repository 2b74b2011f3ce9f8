import { describe, expect, it } from 'vitest';
import { generateEncryptionKey } from '../lib/secret-box.js';
import {
  DEFAULT_KEY_ENV_ALLOWLIST,
  describeKeyEnvAllowlist,
  isAllowedKeyEnv,
  parseKeyEnvAllowlist,
  providerKeySettingsFromEnv,
  providerSecretHint,
} from './provider-keys.js';

describe('api_key_env allowlist', () => {
  it('allows the provider defaults and the EVALFORGE_PROVIDER_ prefix, nothing else', () => {
    const allowed = [
      'OPENAI_API_KEY',
      'ANTHROPIC_API_KEY',
      'EVALFORGE_PROVIDER_VLLM',
      'EVALFORGE_PROVIDER_A_KEY',
    ];
    for (const name of allowed) expect(isAllowedKeyEnv(name, DEFAULT_KEY_ENV_ALLOWLIST), name).toBe(true);
    const refused = [
      'EVALFORGE_ADMIN_KEY',
      'EVALFORGE_ENCRYPTION_KEY',
      'EVALFORGE_ENCRYPTION_KEY_PREVIOUS',
      'DATABASE_URL',
      'PGPASSWORD',
      'GITHUB_PRIVATE_KEY',
      'GITHUB_WEBHOOK_SECRET',
      'HOME',
      'AWS_SECRET_ACCESS_KEY',
      'EVALFORGE_PROVIDER_',
      'openai_api_key',
      'OPENAI-API-KEY',
      '',
    ];
    for (const name of refused) expect(isAllowedKeyEnv(name, DEFAULT_KEY_ENV_ALLOWLIST), name).toBe(false);
    expect(describeKeyEnvAllowlist(DEFAULT_KEY_ENV_ALLOWLIST)).toBe(
      'OPENAI_API_KEY, ANTHROPIC_API_KEY or a name starting with EVALFORGE_PROVIDER_',
    );
  });

  it('EVALFORGE_ALLOWED_KEY_ENVS replaces the exact names, never allows the platform own secrets', () => {
    const custom = parseKeyEnvAllowlist(' TOGETHER_API_KEY, GROQ_API_KEY ,');
    expect(custom.names).toEqual(['TOGETHER_API_KEY', 'GROQ_API_KEY']);
    expect(isAllowedKeyEnv('GROQ_API_KEY', custom)).toBe(true);
    expect(isAllowedKeyEnv('OPENAI_API_KEY', custom)).toBe(false);
    expect(isAllowedKeyEnv('EVALFORGE_PROVIDER_X', custom)).toBe(true);
    const prefixOnly = parseKeyEnvAllowlist('none');
    expect(prefixOnly.names).toEqual([]);
    expect(describeKeyEnvAllowlist(prefixOnly)).toBe('a name starting with EVALFORGE_PROVIDER_');
    expect(parseKeyEnvAllowlist('')).toBe(DEFAULT_KEY_ENV_ALLOWLIST);
    expect(() => parseKeyEnvAllowlist('OPENAI_API_KEY,EVALFORGE_ADMIN_KEY')).toThrow(/EVALFORGE_ADMIN_KEY/);
    expect(() => parseKeyEnvAllowlist('DATABASE_URL')).toThrow(/DATABASE_URL/);
    expect(() => parseKeyEnvAllowlist('GITHUB_WEBHOOK_SECRET')).toThrow(/never provider keys/);
    expect(() => parseKeyEnvAllowlist('NOT-A-NAME')).toThrow(/not names: NOT-A-NAME/);
  });

  it('reads the keyring and allowlist from the environment; no key, no keyring', () => {
    const env = (values: Record<string, string>) => (name: string) => values[name];
    expect(providerKeySettingsFromEnv(env({})).keyring).toBeNull();
    const key = generateEncryptionKey();
    const settings = providerKeySettingsFromEnv(env({ EVALFORGE_ENCRYPTION_KEY: key }));
    expect(settings.keyring?.keyIds).toHaveLength(1);
    expect(settings.allowlist).toBe(DEFAULT_KEY_ENV_ALLOWLIST);
    const rotating = providerKeySettingsFromEnv(
      env({ EVALFORGE_ENCRYPTION_KEY: key, EVALFORGE_ENCRYPTION_KEY_PREVIOUS: generateEncryptionKey() }),
    );
    expect(rotating.keyring?.keyIds).toHaveLength(2);
    expect(() => providerKeySettingsFromEnv(env({ EVALFORGE_ENCRYPTION_KEY: 'short' }))).toThrow(
      /32 random bytes/,
    );
    expect(() =>
      providerKeySettingsFromEnv(env({ EVALFORGE_ENCRYPTION_KEY_PREVIOUS: generateEncryptionKey() })),
    ).toThrow(/without EVALFORGE_ENCRYPTION_KEY/);
  });

  it('hints show at most the last 4 characters, none of short values', () => {
    expect(providerSecretHint('sk-proj-0123456789abcdWXYZ')).toBe('…WXYZ');
    expect(providerSecretHint('short-key')).toBe('…');
  });
});
