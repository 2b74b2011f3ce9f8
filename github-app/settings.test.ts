import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitHubConfigError, gitHubAppSettingsFromEnv } from './settings.js';

const pem = crypto
  .generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

describe('gitHubAppSettingsFromEnv', () => {
  it('is null when the App is not configured', () => {
    expect(gitHubAppSettingsFromEnv({})).toBeNull();
  });

  it('reads a one-line PEM with literal \\n, GHES URL and defaults', () => {
    const settings = gitHubAppSettingsFromEnv({
      GITHUB_APP_ID: '123',
      GITHUB_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
      GITHUB_WEBHOOK_SECRET: 's3cret',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
    });
    expect(settings).toMatchObject({
      appId: 123,
      privateKey: pem,
      apiUrl: 'https://ghe.example.com/api/v3',
      publicUrl: null,
      checkName: 'EvalForge',
      throttle: true,
    });
  });

  it('reads the key from GITHUB_PRIVATE_KEY_PATH', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gh-key-')), 'app.pem');
    fs.writeFileSync(file, pem);
    const settings = gitHubAppSettingsFromEnv({
      GITHUB_APP_ID: '1',
      GITHUB_PRIVATE_KEY_PATH: file,
      GITHUB_WEBHOOK_SECRET: 'x',
    });
    expect(settings?.privateKey).toBe(pem);
  });

  it('refuses a half-configured App with a message naming what is missing', () => {
    expect(() => gitHubAppSettingsFromEnv({ GITHUB_APP_ID: '1', GITHUB_WEBHOOK_SECRET: 'x' })).toThrow(
      /GITHUB_PRIVATE_KEY/,
    );
    expect(() => gitHubAppSettingsFromEnv({ GITHUB_APP_ID: '1', GITHUB_PRIVATE_KEY: pem })).toThrow(
      /GITHUB_WEBHOOK_SECRET/,
    );
    expect(() =>
      gitHubAppSettingsFromEnv({
        GITHUB_APP_ID: '1',
        GITHUB_PRIVATE_KEY: 'not a key',
        GITHUB_WEBHOOK_SECRET: 'x',
      }),
    ).toThrow(GitHubConfigError);
    expect(() => gitHubAppSettingsFromEnv({ GITHUB_APP_ID: 'abc' })).toThrow(/GITHUB_APP_ID/);
  });
});
