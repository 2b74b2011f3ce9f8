/**
 * API limits and auth settings. Tests pass their own (small limits); production reads them from
 * the environment once at start, validated so a typo fails with the variable's name.
 */
import { z } from 'zod';

export interface ApiSettings {
  /** Largest accepted upload body (bytes); larger answers 413. */
  uploadMaxBytes: number;
  /** Most data rows one upload may hold; more answers 413. */
  uploadMaxRows: number;
  /** Largest JSON request body (bytes) outside uploads. */
  jsonBodyMaxBytes: number;
  /** Requests per minute per API key (token bucket, burst = the same number); 0 turns it off. */
  rateLimitPerMinute: number;
  /** Bearer token with access to every project (creating projects, first keys). Null: none. */
  adminKey: string | null;
  /**
   * Reverse proxies in front of the API that append to X-Forwarded-For (0: none, the socket's address
   * is the client's). Failed-authentication limits key on the client address this yields.
   */
  trustedProxyHops: number;
}

export const DEFAULT_UPLOAD_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_UPLOAD_MAX_ROWS = 200_000;
export const DEFAULT_JSON_BODY_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
/** An admin key shorter than this is refused: it would be guessable. */
export const MIN_ADMIN_KEY_LENGTH = 24;

export const DEFAULT_API_SETTINGS: ApiSettings = {
  uploadMaxBytes: DEFAULT_UPLOAD_MAX_BYTES,
  uploadMaxRows: DEFAULT_UPLOAD_MAX_ROWS,
  jsonBodyMaxBytes: DEFAULT_JSON_BODY_MAX_BYTES,
  rateLimitPerMinute: DEFAULT_RATE_LIMIT_PER_MINUTE,
  adminKey: null,
  trustedProxyHops: 0,
};

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const positiveInt = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(fallback));

const envSchema = z.object({
  EVALFORGE_UPLOAD_MAX_BYTES: positiveInt(DEFAULT_UPLOAD_MAX_BYTES),
  EVALFORGE_UPLOAD_MAX_ROWS: positiveInt(DEFAULT_UPLOAD_MAX_ROWS),
  EVALFORGE_JSON_BODY_MAX_BYTES: positiveInt(DEFAULT_JSON_BODY_MAX_BYTES),
  EVALFORGE_RATE_LIMIT_PER_MINUTE: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMIT_PER_MINUTE),
  ),
  EVALFORGE_ADMIN_KEY: z.preprocess(emptyToUndefined, z.string().min(MIN_ADMIN_KEY_LENGTH).optional()),
  EVALFORGE_TRUSTED_PROXY_HOPS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(0).max(10).default(0),
  ),
});

export function apiSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid API configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    uploadMaxBytes: e.EVALFORGE_UPLOAD_MAX_BYTES,
    uploadMaxRows: e.EVALFORGE_UPLOAD_MAX_ROWS,
    jsonBodyMaxBytes: e.EVALFORGE_JSON_BODY_MAX_BYTES,
    rateLimitPerMinute: e.EVALFORGE_RATE_LIMIT_PER_MINUTE,
    adminKey: e.EVALFORGE_ADMIN_KEY ?? null,
    trustedProxyHops: e.EVALFORGE_TRUSTED_PROXY_HOPS,
  };
}

export function resolveSettings(partial: Partial<ApiSettings> | undefined): ApiSettings {
  return { ...DEFAULT_API_SETTINGS, ...partial };
}
