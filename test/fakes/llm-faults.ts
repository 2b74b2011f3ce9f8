/** Faults the fake LLM server can inject, and how random ones are decided (deterministically). */
import { digest } from './llm-wire-formats.js';

export type Fault =
  /** 429; Retry-After as delta-seconds, as an HTTP date (`retryAfterDate`), or `retry-after-ms`. */
  | { type: 'rate_limit'; retryAfterSeconds?: number; retryAfterDate?: boolean; retryAfterMs?: number }
  | { type: 'server_error'; status?: number }
  /** No answer until the client gives up; with `ms`, a straggler that answers normally after that long. */
  | { type: 'hang'; ms?: number }
  | { type: 'malformed_json' }
  | { type: 'truncated_body' }
  | { type: 'wrong_schema' }
  | { type: 'empty_content' }
  | { type: 'http_error'; status: number; message?: string; echoApiKey?: boolean };

export type FaultType = Fault['type'];

/** Probabilities per request (summing to ≤ 1), decided deterministically from the seed. */
export interface FaultRates {
  rate_limit?: number;
  server_error?: number;
  hang?: number;
  malformed_json?: number;
  truncated_body?: number;
  wrong_schema?: number;
  empty_content?: number;
  /** Retry-After (seconds) sent with random 429s; none when unset. */
  retryAfterSeconds?: number;
  /** Random hangs answer after this long (a straggler); unset: never (until the client gives up). */
  hangMs?: number;
}

/** A number in [0, 1) from a string, stable across runs. */
export function unitHash(text: string) {
  return Number.parseInt(digest(text).slice(0, 8), 16) / 0x1_0000_0000;
}

const RATE_ORDER: Array<Exclude<keyof FaultRates, 'retryAfterSeconds' | 'hangMs'>> = [
  'rate_limit',
  'server_error',
  'hang',
  'malformed_json',
  'truncated_body',
  'wrong_schema',
  'empty_content',
];

export function faultFromRates(rates: FaultRates, roll: number, serverErrorRoll: number): Fault | null {
  let edge = 0;
  for (const type of RATE_ORDER) {
    edge += rates[type] ?? 0;
    if (roll >= edge) continue;
    if (type === 'rate_limit') return { type, retryAfterSeconds: rates.retryAfterSeconds };
    if (type === 'server_error') return { type, status: serverErrorRoll < 0.5 ? 500 : 503 };
    if (type === 'hang') return rates.hangMs === undefined ? { type } : { type, ms: rates.hangMs };
    return { type } as Fault;
  }
  return null;
}
