/**
 * How every model call reaches the network: undici on an Agent whose connector applies the outbound policy
 * (core/outbound-policy.ts) to every connection it opens. Two doors share that agent and its checks:
 * `request` (a plain HTTP request: the OpenAI-protocol client, where per-call CPU matters) and `fetch` (the
 * @anthropic-ai/sdk client takes it as its `fetch` option).
 *
 * - Before a request: the URL (scheme, credentials, literal address, metadata names, localhost).
 * - When connecting: an address literal is checked as is; a name is resolved here and every address it
 *   resolves to is checked before the socket connects to one of them (a name that answers with a private
 *   address next to a public one is refused), so DNS rebinding cannot reach what the URL check allowed.
 * - Redirects are not followed: a 3xx fails the call with the target's origin in the message.
 *
 * A refusal throws OutboundRefusedError before any byte is sent; model-errors.ts turns it into a
 * non-retryable failure whose message is the reason.
 */
import dns, { type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, buildConnector, type Dispatcher, fetch as undiciFetch } from 'undici';
import {
  type OutboundPolicy,
  OutboundRefusedError,
  type OutboundVerdict,
} from '../../core/outbound-policy.js';
import { MAX_TIMEOUT_MS } from './constants.js';
import type { HeaderLookup } from './scheduler/retry-after.js';

/** Statuses that carry a redirect; none is followed. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Longest redirect target (its origin) quoted in the error. */
export const MAX_REDIRECT_TARGET_CHARS = 200;
/** undici's own header and body timeouts stay above the longest per-attempt deadline an endpoint may set:
 * the caller's deadline is the one that counts. */
export const GUARDED_AGENT_TIMEOUT_MS = MAX_TIMEOUT_MS;

/** URL verdicts a guarded fetch remembers (oldest forgotten first). */
export const URL_VERDICTS_KEPT = 256;

export type FetchFn = typeof globalThis.fetch;

/** How a hostname becomes addresses (tests pass their own to simulate DNS rebinding). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** A request as `request` sends it: the body is already serialised. */
export interface GuardedRequestInit {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Until the response headers (undici's headersTimeout); the caller's signal bounds the whole call. */
  headersTimeoutMs?: number;
}

/** A response whose body has not been read yet: read it once with `text` (it holds its connection until then). */
export interface GuardedResponse {
  status: number;
  headers: HeaderLookup;
  /** The body as UTF-8; over `maxBytes` it rejects with ResponseTooLargeError and the rest is not read. */
  text(maxBytes: number): Promise<string>;
}

export type RequestFn = (url: string, init: GuardedRequestInit) => Promise<GuardedResponse>;

/** A body larger than a caller will hold in memory (a hostile or broken server streaming without end). */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the response body exceeds ${maxBytes} bytes`);
  }
}

/** The body of a response could not be read to its end (the connection closed or failed mid-body). */
export class ResponseBodyError extends Error {
  override name = 'ResponseBodyError';
}

export interface GuardedFetch {
  /** A plain request (undici's `request`): no WHATWG Request/Headers/stream objects per call. */
  request: RequestFn;
  fetch: FetchFn;
  /** The guarded agent itself (its connector checks every connection, whatever sends through it). */
  dispatcher: Agent;
  /** Closes the agent's pooled connections. */
  close(): Promise<void>;
}

const refused = (verdict: OutboundVerdict) => {
  if (verdict.allowed) return null;
  return OutboundRefusedError.from(verdict);
};

function redirectTarget(location: string | null, base: string): string {
  if (!location) return 'no location';
  try {
    return new URL(location, base).origin.slice(0, MAX_REDIRECT_TARGET_CHARS);
  } catch {
    return 'an invalid location';
  }
}

export function createGuardedFetch(policy: OutboundPolicy, opts: { resolve?: Resolver } = {}): GuardedFetch {
  const resolve = opts.resolve ?? systemResolver;

  /** net.connect's lookup: resolves, refuses when any address is refused, then answers as asked. */
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        for (const { address } of found) {
          const refusal = refused(policy.checkAddress(address, hostname));
          if (refusal) return callback(refusal, '', 0);
        }
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable = family === 4 || family === 6 ? found.filter((a) => a.family === family) : found;
        if (usable.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`${hostname} has no address`);
          err.code = 'ENOTFOUND';
          return callback(err, '', 0);
        }
        if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, usable);
        return callback(null, usable[0].address, usable[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };

  const baseConnect = buildConnector({ lookup });
  const agent = new Agent({
    headersTimeout: GUARDED_AGENT_TIMEOUT_MS,
    bodyTimeout: GUARDED_AGENT_TIMEOUT_MS,
    // Literal addresses never reach `lookup` (net.connect skips it), so the host is checked here first.
    connect: (options, callback) => {
      const refusal = refused(policy.checkHost(options.hostname));
      if (refusal) {
        queueMicrotask(() => callback(refusal, null));
        return;
      }
      baseConnect(options, callback);
    },
  });

  // A worker sends every call of an endpoint to the same URL, and the policy's verdict on a URL string never
  // changes (addresses are checked again on connect): remember the last few.
  const urlVerdicts = new Map<string, OutboundVerdict>();
  const checkUrl = (url: string) => {
    let verdict = urlVerdicts.get(url);
    if (!verdict) {
      verdict = policy.checkUrl(url);
      if (urlVerdicts.size >= URL_VERDICTS_KEPT) urlVerdicts.delete(urlVerdicts.keys().next().value!);
      urlVerdicts.set(url, verdict);
    }
    return verdict;
  };

  const guardedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const refusal = refused(checkUrl(url));
    if (refusal) throw refusal;
    const response = (await undiciFetch(
      input as Parameters<typeof undiciFetch>[0],
      { ...init, redirect: 'manual', dispatcher: agent } as Parameters<typeof undiciFetch>[1],
    )) as unknown as Response;
    if (REDIRECT_STATUSES.has(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      throw new OutboundRefusedError(
        'redirect',
        `the endpoint answered HTTP ${response.status}, a redirect to ${redirectTarget(
          response.headers.get('location'),
          url,
        )}: redirects are not followed (set endpoint_url to the final URL)`,
      );
    }
    return response;
  };

  const guardedRequest: RequestFn = async (url, init) => {
    const refusal = refused(checkUrl(url));
    if (refusal) throw refusal;
    const target = new URL(url);
    const response = await agent.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      ...(init.headersTimeoutMs !== undefined && { headersTimeout: init.headersTimeoutMs }),
    });
    const headers = headerLookup(response.headers);
    if (REDIRECT_STATUSES.has(response.statusCode)) {
      response.body.dump().catch(() => undefined);
      throw new OutboundRefusedError(
        'redirect',
        `the endpoint answered HTTP ${response.statusCode}, a redirect to ${redirectTarget(
          headers.get('location'),
          url,
        )}: redirects are not followed (set endpoint_url to the final URL)`,
      );
    }
    return {
      status: response.statusCode,
      headers,
      text: (maxBytes) => readText(response.body, maxBytes, headers),
    };
  };

  return {
    request: guardedRequest,
    fetch: guardedFetch as FetchFn,
    dispatcher: agent,
    close: () => agent.close(),
  };
}

/** undici's header record (lower-case names; repeated ones as arrays) as a `get` lookup. */
function headerLookup(headers: Dispatcher.ResponseData['headers']): HeaderLookup {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

async function readText(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
  headers: HeaderLookup,
): Promise<string> {
  const declared = Number(headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    body.destroy();
    throw new ResponseTooLargeError(maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        body.destroy();
        throw new ResponseTooLargeError(maxBytes);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof ResponseTooLargeError) throw err;
    throw new ResponseBodyError(`the connection closed before the whole response body arrived`, {
      cause: err,
    });
  }
  return (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString('utf8');
}

const shared = new WeakMap<OutboundPolicy, GuardedFetch>();

/** One guarded fetch (one connection pool) per policy: a worker builds its policy once, so all its model
 * calls share kept-alive connections. */
export function guardedFetchFor(policy: OutboundPolicy): GuardedFetch {
  let guarded = shared.get(policy);
  if (!guarded) {
    guarded = createGuardedFetch(policy);
    shared.set(policy, guarded);
  }
  return guarded;
}
