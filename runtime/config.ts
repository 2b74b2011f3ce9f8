/**
 * Process configuration from the environment, validated once at start so a typo in a port or
 * URL fails with a message naming the variable instead of a stack trace later.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { type AllowedHosts, parseAllowedHosts } from '../core/outbound-policy.js';
import {
  ENCRYPTION_KEY_VARIABLE,
  PREVIOUS_ENCRYPTION_KEY_VARIABLE,
  parseKeyEnvAllowlist,
} from '../core/provider-keys.js';
import { parseEncryptionKey } from '../lib/secret-box.js';
import {
  ALL_TASK_QUEUES,
  DEFAULT_TEMPORAL_PORT,
  DEFAULT_TEMPORAL_UI_PORT,
  isTaskQueueName,
  type TaskQueueName,
} from '../temporal.config.js';
import { DEFAULT_LOCAL_LLM_PORT } from './local-llm-model.js';

export const DEFAULT_API_PORT = 3000;
/** Not 5432: that is where a system PostgreSQL usually listens. */
export const DEFAULT_EMBEDDED_PG_PORT = 54329;
export const DEFAULT_DATA_DIR = '.evalforge';
/** Where a worker's Temporal SDK exporter listens (127.0.0.1 only) for its metrics server to merge. */
export const DEFAULT_TEMPORAL_METRICS_PORT = 9465;

const PORT_MESSAGE = 'must be a port number from 1 to 65535';
const port = z.coerce
  .number({ error: PORT_MESSAGE })
  .int({ error: PORT_MESSAGE })
  .min(1, { error: PORT_MESSAGE })
  .max(65535, { error: PORT_MESSAGE });
const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

const queueList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((q) => q.trim())
      .filter(Boolean),
  )
  .refine((qs) => qs.length > 0 && qs.every(isTaskQueueName), {
    message: `must be a comma-separated list of: ${ALL_TASK_QUEUES.join(', ')}`,
  })
  .transform((qs) => qs as TaskQueueName[]);

/** A check that runs a parser on the value and reports its message (never the value) as the issue. */
const validatedBy = (parse: (value: string) => unknown) =>
  z.string().check((ctx) => {
    try {
      parse(ctx.value);
    } catch (err) {
      ctx.issues.push({ code: 'custom', message: (err as Error).message, input: '' });
    }
  });
const encryptionKeys = (value: string) =>
  value
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .forEach(parseEncryptionKey);

const envSchema = z.object({
  EVALFORGE_MODE: z.enum(['dev', 'production']).default('production'),
  EVALFORGE_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(DEFAULT_DATA_DIR)),
  DATABASE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  EVALFORGE_PG_PORT: z.preprocess(emptyToUndefined, port.default(DEFAULT_EMBEDDED_PG_PORT)),
  TEMPORAL_ADDRESS: z.preprocess(emptyToUndefined, z.string().optional()),
  TEMPORAL_NAMESPACE: z.preprocess(emptyToUndefined, z.string().default('default')),
  TEMPORAL_PORT: z.preprocess(emptyToUndefined, port.default(DEFAULT_TEMPORAL_PORT)),
  TEMPORAL_UI_PORT: z.preprocess(emptyToUndefined, port.default(DEFAULT_TEMPORAL_UI_PORT)),
  TEMPORAL_CLI_PATH: z.preprocess(emptyToUndefined, z.string().optional()),
  PORT: z.preprocess(emptyToUndefined, port.default(DEFAULT_API_PORT)),
  HOST: z.preprocess(emptyToUndefined, z.string().optional()),
  EVALFORGE_WORKER_QUEUES: z.preprocess(emptyToUndefined, queueList.optional()),
  EVALFORGE_METRICS_PORT: z.preprocess(emptyToUndefined, port.optional()),
  EVALFORGE_TEMPORAL_METRICS_PORT: z.preprocess(
    emptyToUndefined,
    port.default(DEFAULT_TEMPORAL_METRICS_PORT),
  ),
  /** '0' turns the local chat model server off in `npm start`. */
  EVALFORGE_LOCAL_LLM: z.preprocess(emptyToUndefined, z.enum(['0', '1']).default('1')),
  /** How long a stopping worker lets in-flight activities finish before cancelling them (they resume
   * elsewhere either way); keep it below the orchestrator's kill deadline. */
  EVALFORGE_SHUTDOWN_GRACE_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(0).max(600_000).optional(),
  ),
  /** PostgreSQL session limits in ms, 0 = off (db/data-source.ts reads them; checked here at start). */
  EVALFORGE_PG_STATEMENT_TIMEOUT_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(0).optional(),
  ),
  EVALFORGE_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(0).optional(),
  ),
  /** '0': a fresh `npm start` seeds the demo but does not start its first eval run. */
  EVALFORGE_DEMO_RUN: z.preprocess(emptyToUndefined, z.enum(['0', '1']).default('1')),
  EVALFORGE_LOCAL_LLM_PORT: z.preprocess(emptyToUndefined, port.default(DEFAULT_LOCAL_LLM_PORT)),
  /** Worker: hostnames, *.domains, IPs and CIDRs model endpoints may reach besides public addresses
   * (core/outbound-policy.ts); link-local and metadata addresses stay refused. */
  EVALFORGE_ALLOWED_ENDPOINT_HOSTS: z
    .string()
    .default('')
    .transform((value, ctx): AllowedHosts => {
      try {
        return parseAllowedHosts(value);
      } catch (err) {
        ctx.issues.push({ code: 'custom', message: (err as Error).message, input: value });
        return z.NEVER;
      }
    }),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** Provider secrets (core/provider-keys.ts, README "Provider secrets"): the AES-256-GCM key, previous keys
   * still accepted for reading during a rotation, and the api_key_env allowlist. */
  EVALFORGE_ENCRYPTION_KEY: z.preprocess(emptyToUndefined, validatedBy(parseEncryptionKey).optional()),
  EVALFORGE_ENCRYPTION_KEY_PREVIOUS: z.preprocess(emptyToUndefined, validatedBy(encryptionKeys).optional()),
  EVALFORGE_ALLOWED_KEY_ENVS: z.preprocess(emptyToUndefined, validatedBy(parseKeyEnvAllowlist).optional()),
});

export type RawEnvConfig = z.infer<typeof envSchema>;

export interface AppConfig extends RawEnvConfig {
  dataDir: string;
  /** Where the API binds: localhost in dev mode (no auth), all interfaces otherwise. */
  host: string;
  workerQueues: TaskQueueName[];
  temporalAddress: string;
  /** Worker draining time: none in dev (Ctrl-C stops at once), DEFAULT_SHUTDOWN_GRACE_MS in production. */
  shutdownGraceMs: number;
}

/** Below the 60–120 s termination grace of the worker pods and compose's stop_grace_period (infra/). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 45_000;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Dev mode makes API keys optional, so it may only listen where nobody else can reach it:
 * 127.0.0.0/8, ::1 (also as ::ffff:127.x.x.x) or localhost.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) {
    const v4 = /^(?:0{0,4}:){0,5}(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1];
    if (v4) return v4.startsWith('127.');
    return /^(?:0{0,4}:){1,7}0{0,3}1$/.test(h) || h === '::1';
  }
  return false;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const raw = parsed.data;
  if (raw.EVALFORGE_ENCRYPTION_KEY_PREVIOUS && !raw.EVALFORGE_ENCRYPTION_KEY) {
    throw new ConfigError(
      `Invalid configuration:\n  ${PREVIOUS_ENCRYPTION_KEY_VARIABLE}: needs ${ENCRYPTION_KEY_VARIABLE} (the new key) set as well`,
    );
  }
  if (raw.EVALFORGE_MODE === 'dev' && raw.HOST !== undefined && !isLoopbackHost(raw.HOST)) {
    throw new ConfigError(
      `Invalid configuration:\n  HOST: dev mode (API keys optional) only binds to a loopback address ` +
        `(127.0.0.1, ::1, localhost), not ${raw.HOST}; use EVALFORGE_MODE=production with API keys`,
    );
  }
  return {
    ...raw,
    dataDir: path.resolve(raw.EVALFORGE_DATA_DIR),
    host: raw.HOST ?? (raw.EVALFORGE_MODE === 'dev' ? '127.0.0.1' : '0.0.0.0'),
    workerQueues: raw.EVALFORGE_WORKER_QUEUES ?? [...ALL_TASK_QUEUES],
    temporalAddress: raw.TEMPORAL_ADDRESS ?? `127.0.0.1:${raw.TEMPORAL_PORT}`,
    shutdownGraceMs:
      raw.EVALFORGE_SHUTDOWN_GRACE_MS ?? (raw.EVALFORGE_MODE === 'dev' ? 0 : DEFAULT_SHUTDOWN_GRACE_MS),
  };
}

/**
 * For entry points: the configuration, or the reasons it is invalid on stderr and exit status 2 (a
 * configuration mistake is the operator's to fix: no stack trace).
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
