/**
 * The encryption key of provider secrets in the processes: validated at start (exit 2), generated once
 * into the data folder in dev mode, required when secrets are stored, and rotated (previous key for
 * reading, the re-encrypt script moving every secret to the new key).
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerKeySettingsFromEnv, providerSecretContext } from '../core/provider-keys.js';
import { readProviderSecret, upsertProviderSecret } from '../core/provider-secrets.js';
import { ProviderSecret } from '../db/entities/index.js';
import { createLogger } from '../lib/logger.js';
import { envelopeKeyId, generateEncryptionKey, SecretKeyring } from '../lib/secret-box.js';
import { createProjectFixture } from '../test/fixtures/projects.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/index.js';
import { PROJECT_ROOT } from './child-process.js';
import { ConfigError, loadConfig } from './config.js';
import {
  checkProviderSecretKeys,
  DEV_ENCRYPTION_KEY_FILE,
  EncryptionKeyRequiredError,
  encryptionKeyEnv,
  loadOrCreateDevEncryptionKey,
} from './encryption-key.js';

const logger = createLogger('encryption-key-test', 'silent');
const envOf = (values: Record<string, string | undefined>) => (name: string) => values[name];
let db: TestDatabase;
let tmp: string;

beforeAll(async () => {
  [db, tmp] = await Promise.all([createTestDatabase(), fs.mkdtemp(path.join(os.tmpdir(), 'evalforge-key-'))]);
});
afterAll(async () => {
  await db?.drop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('configuration', () => {
  it('accepts a 32-byte key (base64 or hex), previous keys and an allowlist', () => {
    const config = loadConfig({
      EVALFORGE_ENCRYPTION_KEY: generateEncryptionKey(),
      // Two previous keys: one in base64, one in hex.
      EVALFORGE_ENCRYPTION_KEY_PREVIOUS: `${generateEncryptionKey()},${crypto.randomBytes(32).toString('hex')}`,
      EVALFORGE_ALLOWED_KEY_ENVS: 'TOGETHER_API_KEY,GROQ_API_KEY',
    });
    expect(config.EVALFORGE_ALLOWED_KEY_ENVS).toBe('TOGETHER_API_KEY,GROQ_API_KEY');
  });

  it('names each bad variable without echoing its value', () => {
    const badKey = 'not-a-real-key-value';
    const attempts: [Record<string, string>, RegExp][] = [
      [{ EVALFORGE_ENCRYPTION_KEY: badKey }, /EVALFORGE_ENCRYPTION_KEY: must be 32 random bytes/],
      [
        { EVALFORGE_ENCRYPTION_KEY: generateEncryptionKey(), EVALFORGE_ENCRYPTION_KEY_PREVIOUS: badKey },
        /EVALFORGE_ENCRYPTION_KEY_PREVIOUS: must be 32 random bytes/,
      ],
      [
        { EVALFORGE_ENCRYPTION_KEY_PREVIOUS: generateEncryptionKey() },
        /EVALFORGE_ENCRYPTION_KEY_PREVIOUS: needs EVALFORGE_ENCRYPTION_KEY/,
      ],
      [
        { EVALFORGE_ALLOWED_KEY_ENVS: 'OPENAI_API_KEY,EVALFORGE_ADMIN_KEY' },
        /EVALFORGE_ALLOWED_KEY_ENVS: .*EVALFORGE_ADMIN_KEY/,
      ],
      [{ EVALFORGE_ALLOWED_KEY_ENVS: 'DATABASE_URL' }, /EVALFORGE_ALLOWED_KEY_ENVS: .*never provider keys/],
    ];
    for (const [env, message] of attempts) {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (err) {
        error = err;
      }
      expect(error, JSON.stringify(env)).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/^Invalid configuration:/);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(badKey);
    }
  });

  it('a worker with a bad key exits 2 with "Invalid configuration", no stack trace, no key', () => {
    const badKey = 'c2hvcnQta2V5';
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, EVALFORGE_ENCRYPTION_KEY: badKey },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status).toBe(2);
    expect(child.stderr).toContain('Invalid configuration:');
    expect(child.stderr).toContain('EVALFORGE_ENCRYPTION_KEY: must be 32 random bytes');
    expect(child.stderr).not.toContain(badKey);
    expect(child.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('dev mode key file', () => {
  it('is generated once (mode 0600) and reused across restarts', async () => {
    const dataDir = path.join(tmp, 'dev');
    const first = await loadOrCreateDevEncryptionKey(dataDir);
    expect(first.created).toBe(true);
    expect(first.file).toBe(path.join(dataDir, DEV_ENCRYPTION_KEY_FILE));
    expect((await fs.stat(first.file)).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateDevEncryptionKey(dataDir);
    expect(second).toEqual({ ...first, created: false });
    // Loosened permissions are tightened again.
    await fs.chmod(first.file, 0o644);
    await loadOrCreateDevEncryptionKey(dataDir);
    expect((await fs.stat(first.file)).mode & 0o777).toBe(0o600);

    const env = await encryptionKeyEnv({ EVALFORGE_MODE: 'dev', dataDir }, logger);
    expect(env).toEqual({ EVALFORGE_ENCRYPTION_KEY: first.key });
    // The environment's key wins; production never writes a file.
    const given = generateEncryptionKey();
    expect(
      await encryptionKeyEnv({ EVALFORGE_MODE: 'dev', dataDir, EVALFORGE_ENCRYPTION_KEY: given }, logger),
    ).toEqual({ EVALFORGE_ENCRYPTION_KEY: given });
    const prodDir = path.join(tmp, 'prod');
    expect(await encryptionKeyEnv({ EVALFORGE_MODE: 'production', dataDir: prodDir }, logger)).toEqual({});
    await expect(fs.stat(path.join(prodDir, DEV_ENCRYPTION_KEY_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a file that holds no valid key', async () => {
    const dataDir = path.join(tmp, 'broken');
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, DEV_ENCRYPTION_KEY_FILE), 'garbage\n', { mode: 0o600 });
    await expect(loadOrCreateDevEncryptionKey(dataDir)).rejects.toThrow(
      /does not hold a valid encryption key/,
    );
  });
});

describe('start-up checks and rotation', () => {
  it('refuses to start without a key once secrets are stored; starts when there are none', async () => {
    await expect(checkProviderSecretKeys(db.dataSource, logger, { env: envOf({}) })).resolves.toMatchObject({
      keyring: null,
    });
    const fx = await createProjectFixture(db.dataSource, { samples: 1 });
    const keyring = SecretKeyring.fromText(generateEncryptionKey());
    await upsertProviderSecret(db.dataSource, keyring, {
      projectId: fx.project.id,
      name: 'a',
      value: 'sk-a-0123456789',
    });
    await expect(checkProviderSecretKeys(db.dataSource, logger, { env: envOf({}) })).rejects.toThrow(
      EncryptionKeyRequiredError,
    );
    await expect(checkProviderSecretKeys(db.dataSource, logger, { env: envOf({}) })).rejects.toThrow(
      /EVALFORGE_ENCRYPTION_KEY is required: 1 provider secret/,
    );
    await db.dataSource.query('DELETE FROM provider_secrets');
  });

  it('rotates: new key + previous key read everything, re-encryption moves every secret to the new key', async () => {
    const oldKey = generateEncryptionKey();
    const newKey = generateEncryptionKey();
    const oldRing = SecretKeyring.fromText(oldKey);
    const fx = await createProjectFixture(db.dataSource, { samples: 1 });
    const values = { openai: 'sk-openai-0123456789abcdef', anthropic: 'sk-ant-0123456789abcdef' };
    for (const [name, value] of Object.entries(values))
      await upsertProviderSecret(db.dataSource, oldRing, { projectId: fx.project.id, name, value });

    // During the rotation both keys are configured: old secrets still decrypt.
    const rotatingEnv = { EVALFORGE_ENCRYPTION_KEY: newKey, EVALFORGE_ENCRYPTION_KEY_PREVIOUS: oldKey };
    const rotating = providerKeySettingsFromEnv(envOf(rotatingEnv)).keyring!;
    const rows = await db.dataSource.getRepository(ProviderSecret).findBy({ project_id: fx.project.id });
    for (const row of rows) {
      const read = await readProviderSecret(db.dataSource, rotating, {
        projectId: fx.project.id,
        secretId: row.id,
      });
      expect(read).toEqual({ ok: true, name: row.name, value: values[row.name as keyof typeof values] });
    }

    // The script, as an operator runs it.
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/reencrypt-secrets.ts'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, DATABASE_URL: db.url, LOG_LEVEL: 'silent', ...rotatingEnv },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toContain(
      'provider secrets: 2; re-encrypted: 2; already under the current key: 0; failed: 0',
    );
    expect(child.stdout + child.stderr).not.toMatch(/sk-(openai|ant)-/);

    const after = await db.dataSource.getRepository(ProviderSecret).findBy({ project_id: fx.project.id });
    const newOnly = SecretKeyring.fromText(newKey);
    for (const row of after) {
      expect(envelopeKeyId(row.ciphertext)).toBe(newOnly.currentKeyId);
      expect(newOnly.decrypt(row.ciphertext, providerSecretContext(fx.project.id, row.name))).toBe(
        values[row.name as keyof typeof values],
      );
    }
    // Run again: nothing left to do. The old key can now go.
    const again = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/reencrypt-secrets.ts'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, DATABASE_URL: db.url, EVALFORGE_ENCRYPTION_KEY: newKey },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('re-encrypted: 0; already under the current key: 2; failed: 0');
    await expect(
      checkProviderSecretKeys(db.dataSource, logger, { env: envOf({ EVALFORGE_ENCRYPTION_KEY: newKey }) }),
    ).resolves.toMatchObject({ keyring: expect.anything() });
  });

  it('the re-encrypt script exits 1 naming secrets it cannot decrypt (never their values)', async () => {
    const fx = await createProjectFixture(db.dataSource, { samples: 1 });
    await upsertProviderSecret(db.dataSource, SecretKeyring.fromText(generateEncryptionKey()), {
      projectId: fx.project.id,
      name: 'orphan',
      value: 'sk-orphan-0123456789abcdef',
    });
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/reencrypt-secrets.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: db.url,
        EVALFORGE_ENCRYPTION_KEY: generateEncryptionKey(),
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain('"orphan"');
    expect(child.stderr).toContain('neither the current encryption key nor a previous one');
    expect(child.stdout + child.stderr).not.toContain('sk-orphan');
  });
});
