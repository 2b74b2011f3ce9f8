import pino from 'pino';
import { currentLogContext } from './log-context.js';

/**
 * Values that never reach a log line, whatever logs them: credentials (an API key, a bearer header, a
 * password or secret) and user text (prompts, outputs, references, SQL parameters). Top-level keys plus
 * the nested places they travel in; explicit paths, since pino's leading `*.` wildcards cost ~10x per line.
 */
const REDACTED_KEYS = [
  'authorization',
  'cookie',
  'api_key',
  'apiKey',
  'password',
  'secret',
  'private_key',
  'privateKey',
  'token',
  'input_text',
  'system_prompt',
  'reference_output',
  'llm_output',
  'prompt',
  'messages',
  'parameters',
];
const CREDENTIAL_KEYS = ['api_key', 'apiKey', 'password', 'secret', 'token', 'private_key', 'privateKey'];
export const LOG_REDACT_PATHS = [
  ...REDACTED_KEYS,
  ...['headers', 'req.headers', 'request.headers'].flatMap((h) =>
    ['authorization', 'cookie', '["x-api-key"]', '["x-hub-signature-256"]'].map((k) =>
      k.startsWith('[') ? `${h}${k}` : `${h}.${k}`,
    ),
  ),
  ...['config', 'endpoint', 'settings', 'options'].flatMap((c) => CREDENTIAL_KEYS.map((k) => `${c}.${k}`)),
  ...['err', 'error'].flatMap((e) => [`${e}.parameters`, `${e}.detail`]),
];
export const REDACTED = '[redacted]';

/** Fields of a PostgreSQL error that name what failed without quoting any value. */
const DB_ERROR_FIELDS = [
  'code',
  'severity',
  'constraint',
  'table',
  'column',
  'schema',
  'dataType',
  'routine',
];
/** Never logged from any error: SQL parameters, the driver error (its `detail` quotes values), query text. */
const UNSAFE_ERROR_KEYS = ['parameters', 'query', 'driverError', 'detail', 'where', 'internalQuery', 'hint'];
const MAX_SQL_LENGTH = 500;

/**
 * A SQL statement with every literal replaced by `?` (strings, dollar-quoted bodies, numbers) and
 * comments dropped, so a log line shows which statement failed but never the data in it.
 */
export function sanitizeSql(sql: string): string {
  let out = sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\$([A-Za-z_][A-Za-z_0-9]*)?\$[\s\S]*?\$\1\$/g, '?')
    .replace(/[eE]'(?:[^'\\]|\\.|'')*'/g, '?')
    .replace(/(?:[bBxXnN]|[uU]&)?'(?:[^']|'')*'/g, '?');
  // An unterminated quote (a literal with backslash escapes): drop everything after it.
  const open = out.indexOf("'");
  if (open >= 0) out = `${out.slice(0, open)}?…`;
  out = out
    .replace(/(?<![\w$.])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  return out.length > MAX_SQL_LENGTH ? `${out.slice(0, MAX_SQL_LENGTH)}…` : out;
}

const isErrorLike = (v: unknown): v is Error =>
  v instanceof Error || (!!v && typeof v === 'object' && 'message' in v && 'stack' in v);

/** A PostgreSQL error (pg's DatabaseError) or TypeORM's QueryFailedError wrapping one. */
function isDatabaseError(err: Error): boolean {
  const e = err as Error & { code?: unknown; severity?: unknown; driverError?: unknown };
  return (
    err.name === 'QueryFailedError' ||
    e.driverError !== undefined ||
    (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string')
  );
}

/**
 * PostgreSQL's message with anything that may quote a value cut off: `invalid input syntax for type
 * uuid: "…"` keeps what is before the colon, `syntax error at or near "…"` what is before "at or near".
 */
export function safeDatabaseMessage(message: string): string {
  return message
    .split('\n')[0]
    .replace(/ at or near .*$/, '')
    .replace(/:.*$/, '')
    .trim();
}

function stackFrames(err: Error): string {
  const stack = err.stack ?? '';
  const at = stack.indexOf('\n    at ');
  return at >= 0 ? stack.slice(at) : '';
}

function describeDatabaseError(err: Error): Record<string, unknown> {
  const type = err.constructor?.name || err.name;
  const message = safeDatabaseMessage(err.message);
  const out: Record<string, unknown> = { type, message, stack: `${type}: ${message}${stackFrames(err)}` };
  const source = err as unknown as Record<string, unknown>;
  for (const field of DB_ERROR_FIELDS) if (source[field] !== undefined) out[field] = source[field];
  if (typeof source.query === 'string') out.query = sanitizeSql(source.query);
  return out;
}

/**
 * pino's error serializer, made safe for logs: a database error keeps its SQLSTATE, constraint,
 * table and column and a literal-free statement, never its parameters, values or `detail`; an error
 * caused by one carries the safe form of that cause.
 */
export function serializeError(err: unknown): unknown {
  if (!isErrorLike(err)) return err;
  if (isDatabaseError(err)) return describeDatabaseError(err);
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const key of UNSAFE_ERROR_KEYS) delete out[key];
  const causes: unknown[] = [];
  for (let c: unknown = err.cause, depth = 0; isErrorLike(c) && depth < 10; c = c.cause, depth++) {
    causes.push(c);
  }
  if (causes.some((c) => isDatabaseError(c as Error))) {
    // pino folds cause messages into message and stack: rebuild both from the safe forms.
    const safe = causes.map((c) =>
      isDatabaseError(c as Error) ? describeDatabaseError(c as Error) : { message: (c as Error).message },
    );
    out.message = [err.message, ...safe.map((s) => s.message)].join(': ');
    out.stack = err.stack;
    out.cause = safe.find((s) => 'code' in s) ?? safe[0];
  }
  return out;
}

/** Structured JSON logs; every process names itself so interleaved supervisor output stays readable.
 * Lines written inside an activity also carry its workflow and eval run ids (lib/log-context.ts).
 * Secrets and user text are redacted (LOG_REDACT_PATHS) and errors serialized safely (serializeError). */
export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL || 'info',
  destination?: pino.DestinationStream,
) {
  return pino(
    {
      name,
      level,
      base: { pid: process.pid, name },
      mixin: currentLogContext,
      redact: { paths: LOG_REDACT_PATHS, censor: REDACTED },
      serializers: { err: serializeError, error: serializeError },
    },
    destination,
  );
}

export type Logger = ReturnType<typeof createLogger>;
