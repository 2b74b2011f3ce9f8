/**
 * GitHub App settings from the environment. The App is optional: with no GITHUB_APP_ID the API
 * answers its webhook with 503 and reports are skipped; a half-configured App is a start-up error.
 */
import fs from 'node:fs';
import { z } from 'zod';

export const DEFAULT_CHECK_NAME = 'EvalForge';

export interface GitHubAppSettings {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  /** REST API root: https://api.github.com, `https://HOST/api/v3` on GitHub Enterprise Server. */
  apiUrl: string | undefined;
  /** Where people open EvalForge (links in checks and comments); none when unset. */
  publicUrl: string | null;
  checkName: string;
  /** Octokit's client-side throttling (writes spaced ≥1 s, comments ≥3 s, as GitHub asks).
   * GITHUB_CLIENT_THROTTLE=false turns it off: GHES without rate limits, and tests. */
  throttle: boolean;
}

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());

const envSchema = z.object({
  GITHUB_APP_ID: optional(z.coerce.number().int().positive()),
  GITHUB_PRIVATE_KEY: optional(z.string()),
  GITHUB_PRIVATE_KEY_PATH: optional(z.string()),
  GITHUB_WEBHOOK_SECRET: optional(z.string().min(1)),
  GITHUB_API_URL: optional(z.url()),
  GITHUB_CHECK_NAME: optional(z.string().min(1).max(100)),
  GITHUB_CLIENT_THROTTLE: optional(z.enum(['true', 'false'])),
  EVALFORGE_PUBLIC_URL: optional(z.url()),
});

export class GitHubConfigError extends Error {
  override name = 'GitHubConfigError';
}

/** Null when the App is not configured (no GITHUB_APP_ID). */
export function gitHubAppSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): GitHubAppSettings | null {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new GitHubConfigError(`Invalid GitHub App configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.GITHUB_APP_ID === undefined) return null;
  const privateKey = readPrivateKey(e.GITHUB_PRIVATE_KEY, e.GITHUB_PRIVATE_KEY_PATH);
  if (!e.GITHUB_WEBHOOK_SECRET) {
    throw new GitHubConfigError('GITHUB_APP_ID is set but GITHUB_WEBHOOK_SECRET is not');
  }
  return {
    appId: e.GITHUB_APP_ID,
    privateKey,
    webhookSecret: e.GITHUB_WEBHOOK_SECRET,
    apiUrl: e.GITHUB_API_URL?.replace(/\/+$/, ''),
    publicUrl: e.EVALFORGE_PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    checkName: e.GITHUB_CHECK_NAME ?? DEFAULT_CHECK_NAME,
    throttle: e.GITHUB_CLIENT_THROTTLE !== 'false',
  };
}

function readPrivateKey(inline: string | undefined, path: string | undefined): string {
  let key: string;
  if (inline) {
    // .env files and CI secrets often carry the PEM on one line with literal \n.
    key = inline.replace(/\\n/g, '\n');
  } else if (path) {
    try {
      key = fs.readFileSync(path, 'utf8');
    } catch (err) {
      throw new GitHubConfigError(`GITHUB_PRIVATE_KEY_PATH: cannot read ${path}: ${(err as Error).message}`);
    }
  } else {
    throw new GitHubConfigError(
      'GITHUB_APP_ID is set but neither GITHUB_PRIVATE_KEY nor GITHUB_PRIVATE_KEY_PATH is',
    );
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) {
    throw new GitHubConfigError('the GitHub App private key is not a PEM private key');
  }
  return key;
}
