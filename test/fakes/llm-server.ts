/**
 * A local stand-in for paid LLM APIs, speaking their wire protocols over real HTTP on 127.0.0.1:
 * OpenAI chat completions (POST /v1/chat/completions) and Anthropic messages (POST /v1/messages).
 *
 * - Answers are derived from the prompt (deterministic): "what is A + B" gets the sum, anything else
 *   `Fake answer <hash> to: <input>`; usage counts ~4 characters per token; max_tokens truncates.
 * - Faults, scripted per request (queueFaults), per model name (setModelBehaviour), or at random rates
 *   decided from (seed, model, prompt, how often this prompt was asked) — the same run gets the same
 *   faults whatever the concurrency: 429 with Retry-After (seconds, HTTP date or ms), 5xx, a hang until
 *   the client gives up, malformed JSON, a body cut short, a 200 in the wrong schema, empty content,
 *   any 4xx (optionally echoing the presented key, as real 401s do).
 * - A model can also enforce a concurrency limit of its own (`maxConcurrent`), answering 429 beyond it,
 *   as a provider does when a client's configured limits are too optimistic.
 * - Counts requests (per model, per fault, concurrency high-water mark); `fast: true` keeps only the
 *   counters (benchmarks).
 * - A scripted responder (`respond` / `setResponder`) can answer instead of the derived answer: a test's
 *   own model (an LLM judge's verdicts), any status or body, a delay that ends when the client gives up.
 *
 * In tests: `const llm = await startFakeLlmServer()`, point an endpoint at `llm.openaiBaseUrl` or
 * `llm.anthropicBaseUrl`. Standalone: `npm run fake-llm -- --port 8787 --latency-ms 100 --rate-limit 0.2`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Fault, type FaultRates, type FaultType, faultFromRates, unitHash } from './llm-faults.js';
import {
  answerOf,
  completionBody,
  errorBody,
  type ParsedPrompt,
  type Protocol,
  parseAnthropic,
  parseOpenAi,
  successBody,
} from './llm-wire-formats.js';

export type { Fault, FaultRates, FaultType } from './llm-faults.js';
export { fakeAnswer, type Protocol } from './llm-wire-formats.js';

export interface LatencySpec {
  baseMs: number;
  /** Uniform extra delay in [0, jitterMs), deterministic per prompt. */
  jitterMs?: number;
}

export interface ModelBehaviour {
  /** Faults for this model's next requests, one per request, then normal answers. */
  faults?: Fault[];
  /** A fault for every request to this model (after `faults` are used up). */
  always?: Fault;
  rates?: FaultRates;
  latency?: LatencySpec;
  /** Behave like a provider at its limit: a request beyond this many in flight for the model gets a 429. */
  maxConcurrent?: number;
  /** Retry-After (seconds) on those 429s; none when unset. */
  overloadRetryAfterSeconds?: number;
}

/** A scripted answer to one request (see `FakeLlmServerOptions.respond`). */
export interface FakeReply {
  /** The completion's text; usage is counted from it and the prompt unless `usage` says otherwise. */
  content?: string;
  /** 200 unless set; ≥ 400 without `body` sends the protocol's error body. */
  status?: number;
  /** The whole response body instead of a completion: a string as it is (garbage too), else as JSON. */
  body?: unknown;
  /** finish_reason (OpenAI) or stop_reason (Anthropic), in that protocol's words. */
  finishReason?: string;
  usage?: { inputTokens: number; outputTokens: number };
  /** Answer after this long (instead of the configured latency); ends early when the client closes. */
  delayMs?: number;
}

/** `index`: the request's arrival number (from 0) since start or `reset()`, faulted requests included. */
export type FakeResponder = (
  request: RecordedRequest,
  index: number,
) => FakeReply | undefined | Promise<FakeReply | undefined>;

export interface FakeLlmServerOptions {
  port?: number;
  host?: string;
  seed?: number;
  latency?: LatencySpec | number;
  rates?: FaultRates;
  /** Counters only: no per-request log (benchmarks, long demos). */
  fast?: boolean;
  /** Asked for every request that draws no fault; a reply it returns is sent instead of the derived answer. */
  respond?: FakeResponder;
  /** Told when each model request arrives and when its connection closes (benchmarks time idle gaps). */
  onRequestEvent?: (event: { phase: 'start' | 'end'; fault: FaultType | null }) => void;
}

export interface RecordedRequest {
  /** Date.now() when the request arrived. */
  at: number;
  protocol: Protocol;
  model: string;
  system: string | null;
  input: string;
  /** As presented (Bearer token or x-api-key): tests check which key reached the server. */
  apiKey: string | null;
  body: Record<string, unknown>;
  fault: FaultType | null;
  /** Date.now() when the whole response had been handed to the OS; unset while the request is in flight and
   * for requests the client abandoned (its timeout, its process killed) before they were answered. */
  answeredAt?: number;
}

export interface FakeLlmStats {
  total: number;
  byModel: Record<string, number>;
  byFault: Record<string, number>;
  inFlight: number;
  maxInFlight: number;
  maxInFlightByModel: Record<string, number>;
}

export interface FakeLlmServer {
  url: string;
  port: number;
  /** For the openai SDK / an `openai` endpoint's endpoint_url. */
  openaiBaseUrl: string;
  /** For the anthropic SDK / an `anthropic` endpoint's endpoint_url. */
  anthropicBaseUrl: string;
  /** Faults for the next matching requests, one per request (`inputIncludes`: a substring of the user input). */
  queueFaults(faults: Fault[], opts?: { model?: string; inputIncludes?: string }): void;
  setModelBehaviour(model: string, behaviour: ModelBehaviour): void;
  /** Replaces the scripted responder (undefined: derived answers only). */
  setResponder(respond: FakeResponder | undefined): void;
  /** Every request in arrival order (empty in fast mode). */
  readonly requests: RecordedRequest[];
  requestsFor(model: string): RecordedRequest[];
  stats(): FakeLlmStats;
  /** Forget requests, counters, queued faults and model behaviours; the responder goes back to `respond`. */
  reset(): void;
  close(): Promise<void>;
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  sendText(res, status, JSON.stringify(body), headers);
}

/** As JSON, whatever the text (malformed bodies too). */
function sendText(
  res: http.ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Waits `ms`, or less when the client goes away first (its timeout); false when it has gone. */
function waitForClient(res: http.ServerResponse, ms: number): Promise<boolean> {
  if (ms <= 0 || res.destroyed) return Promise.resolve(!res.destroyed);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve(!res.destroyed);
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

function sendScripted(res: http.ServerResponse, protocol: Protocol, prompt: ParsedPrompt, reply: FakeReply) {
  const status = reply.status ?? 200;
  if (typeof reply.body === 'string') return sendText(res, status, reply.body);
  if (reply.body !== undefined) return sendJson(res, status, reply.body);
  if (status >= 400) {
    return sendJson(res, status, errorBody(protocol, status, reply.content ?? `fake ${status}`));
  }
  const answer = {
    ...answerOf(prompt, reply.content ?? ''),
    ...reply.usage,
    finishReason: reply.finishReason,
  };
  sendJson(res, status, completionBody(protocol, prompt, answer));
}

function presentedKey(req: http.IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length);
  const key = req.headers['x-api-key'];
  return typeof key === 'string' ? key : null;
}

export async function startFakeLlmServer(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const seed = options.seed ?? 1;
  const defaultLatency: LatencySpec =
    typeof options.latency === 'number' ? { baseMs: options.latency } : (options.latency ?? { baseMs: 0 });
  let queued: Array<{ fault: Fault; model?: string; inputIncludes?: string }> = [];
  let behaviours = new Map<string, ModelBehaviour & { faults: Fault[] }>();
  let askedCount = new Map<string, number>();
  let requests: RecordedRequest[] = [];
  let stats: FakeLlmStats = freshStats();
  let responder = options.respond;

  function freshStats(): FakeLlmStats {
    return { total: 0, byModel: {}, byFault: {}, inFlight: 0, maxInFlight: 0, maxInFlightByModel: {} };
  }
  const inFlightByModel = new Map<string, number>();

  function pickFault(prompt: ParsedPrompt): Fault | null {
    const index = queued.findIndex(
      (q) =>
        (q.model === undefined || q.model === prompt.model) &&
        (q.inputIncludes === undefined || prompt.input.includes(q.inputIncludes)),
    );
    if (index >= 0) return queued.splice(index, 1)[0].fault;
    const behaviour = behaviours.get(prompt.model);
    if (behaviour?.faults.length) return behaviour.faults.shift()!;
    if (behaviour?.always) return behaviour.always;
    const rates = behaviour?.rates ?? options.rates;
    if (!rates) return null;
    const promptKey = `${prompt.model}\n${prompt.system ?? ''}\n${prompt.input}`;
    const nth = askedCount.get(promptKey) ?? 0;
    askedCount.set(promptKey, nth + 1);
    return faultFromRates(
      rates,
      unitHash(`${seed}:fault:${nth}:${promptKey}`),
      unitHash(`${seed}:5xx:${nth}:${promptKey}`),
    );
  }

  function latencyFor(prompt: ParsedPrompt) {
    const spec = behaviours.get(prompt.model)?.latency ?? defaultLatency;
    const jitter = spec.jitterMs
      ? unitHash(`${seed}:latency:${prompt.model}:${prompt.input}`) * spec.jitterMs
      : 0;
    return spec.baseMs + jitter;
  }

  async function respondWithFault(
    res: http.ServerResponse,
    protocol: Protocol,
    prompt: ParsedPrompt,
    fault: Fault,
    apiKey: string | null,
  ) {
    switch (fault.type) {
      case 'rate_limit': {
        const headers: Record<string, string> = {};
        if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
        if (fault.retryAfterSeconds !== undefined) {
          headers['retry-after'] = fault.retryAfterDate
            ? new Date(Date.now() + fault.retryAfterSeconds * 1_000).toUTCString()
            : String(fault.retryAfterSeconds);
        }
        return sendJson(res, 429, errorBody(protocol, 429, 'Rate limit reached (fake)'), headers);
      }
      case 'server_error': {
        const status = fault.status ?? 500;
        return sendJson(res, status, errorBody(protocol, status, `The server had an error (fake ${status})`));
      }
      case 'http_error': {
        const message = fault.echoApiKey
          ? `Incorrect API key provided: ${apiKey ?? '(none)'}`
          : (fault.message ?? `fake ${fault.status}`);
        return sendJson(res, fault.status, errorBody(protocol, fault.status, message));
      }
      case 'hang':
        if (fault.ms !== undefined) {
          if (await waitForClient(res, fault.ms)) sendJson(res, 200, successBody(protocol, prompt, false));
          return;
        }
        // Never answer; the client's timeout ends it (res 'close' fires then).
        return new Promise<void>((resolve) => res.once('close', resolve));
      case 'malformed_json': {
        await delay(latencyFor(prompt));
        return sendText(res, 200, '{"id": "broken", "choices": [{"message": {"content": "unterminated');
      }
      case 'truncated_body': {
        await delay(latencyFor(prompt));
        const text = JSON.stringify(successBody(protocol, prompt, false));
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(text)),
        });
        res.write(text.slice(0, Math.floor(text.length / 2)), () => res.socket?.destroy());
        return;
      }
      case 'wrong_schema':
        await delay(latencyFor(prompt));
        return sendJson(res, 200, { object: 'unexpected', data: [{ text: 'not a completion' }] });
      case 'empty_content':
        await delay(latencyFor(prompt));
        return sendJson(res, 200, successBody(protocol, prompt, true));
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/health' || path === '/v1/models')) {
      return sendJson(res, 200, path === '/health' ? { ok: true } : { object: 'list', data: [] });
    }
    const protocol: Protocol | null =
      req.method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')
        ? 'openai'
        : req.method === 'POST' && path === '/v1/messages'
          ? 'anthropic'
          : null;
    if (!protocol) return sendJson(res, 404, { error: { message: `no route ${req.method} ${path}` } });

    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendJson(res, 400, errorBody(protocol, 400, 'request body is not JSON'));
    }
    const prompt = protocol === 'openai' ? parseOpenAi(body) : parseAnthropic(body);
    const apiKey = presentedKey(req);
    const behaviour = behaviours.get(prompt.model);
    const overloaded =
      behaviour?.maxConcurrent !== undefined &&
      (inFlightByModel.get(prompt.model) ?? 0) >= behaviour.maxConcurrent;
    const fault: Fault | null = overloaded
      ? { type: 'rate_limit', retryAfterSeconds: behaviour?.overloadRetryAfterSeconds }
      : pickFault(prompt);

    stats.total++;
    stats.byModel[prompt.model] = (stats.byModel[prompt.model] ?? 0) + 1;
    if (fault) stats.byFault[fault.type] = (stats.byFault[fault.type] ?? 0) + 1;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const modelInFlight = (inFlightByModel.get(prompt.model) ?? 0) + 1;
    inFlightByModel.set(prompt.model, modelInFlight);
    stats.maxInFlightByModel[prompt.model] = Math.max(
      stats.maxInFlightByModel[prompt.model] ?? 0,
      modelInFlight,
    );
    const statsAtStart = stats;
    options.onRequestEvent?.({ phase: 'start', fault: fault?.type ?? null });
    res.once('close', () => {
      options.onRequestEvent?.({ phase: 'end', fault: fault?.type ?? null });
      statsAtStart.inFlight--;
      inFlightByModel.set(prompt.model, (inFlightByModel.get(prompt.model) ?? 1) - 1);
    });
    const index = stats.total - 1;
    const recorded: RecordedRequest = {
      at: Date.now(),
      protocol,
      model: prompt.model,
      system: prompt.system,
      input: prompt.input,
      apiKey,
      body,
      fault: fault?.type ?? null,
    };
    if (!options.fast) {
      requests.push(recorded);
      res.once('finish', () => {
        recorded.answeredAt = Date.now();
      });
    }

    if (fault) return respondWithFault(res, protocol, prompt, fault, apiKey);
    const reply = await responder?.(recorded, index);
    if (!(await waitForClient(res, reply?.delayMs ?? latencyFor(prompt)))) return;
    if (reply) sendScripted(res, protocol, prompt, reply);
    else sendJson(res, 200, successBody(protocol, prompt, false));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err) } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port, address } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;

  return {
    url,
    port,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    queueFaults(faults, opts = {}) {
      queued.push(...faults.map((fault) => ({ fault, ...opts })));
    },
    setModelBehaviour(model, behaviour) {
      behaviours.set(model, { ...behaviour, faults: [...(behaviour.faults ?? [])] });
    },
    setResponder(respond) {
      responder = respond;
    },
    get requests() {
      return requests;
    },
    requestsFor: (model) => requests.filter((r) => r.model === model),
    stats: () => ({
      ...stats,
      byModel: { ...stats.byModel },
      byFault: { ...stats.byFault },
      maxInFlightByModel: { ...stats.maxInFlightByModel },
    }),
    reset() {
      queued = [];
      behaviours = new Map();
      askedCount = new Map();
      requests = [];
      stats = { ...freshStats(), inFlight: stats.inFlight };
      responder = options.respond;
      inFlightByModel.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string', default: '1' },
      'latency-ms': { type: 'string', default: '0' },
      'jitter-ms': { type: 'string', default: '0' },
      'rate-limit': { type: 'string' },
      'retry-after': { type: 'string' },
      'server-error': { type: 'string' },
      hang: { type: 'string' },
      malformed: { type: 'string' },
      truncated: { type: 'string' },
      fast: { type: 'boolean', default: false },
    },
  });
  const rate = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const server = await startFakeLlmServer({
    port: Number(values.port),
    host: values.host,
    seed: Number(values.seed),
    fast: values.fast,
    latency: { baseMs: Number(values['latency-ms']), jitterMs: Number(values['jitter-ms']) },
    rates: {
      rate_limit: rate(values['rate-limit']),
      retryAfterSeconds: rate(values['retry-after']),
      server_error: rate(values['server-error']),
      hang: rate(values.hang),
      malformed_json: rate(values.malformed),
      truncated_body: rate(values.truncated),
    },
  });
  console.log(
    JSON.stringify({
      fakeLlm: 'listening',
      openai_endpoint_url: server.openaiBaseUrl,
      anthropic_endpoint_url: server.anthropicBaseUrl,
    }),
  );
  const stop = async () => {
    console.log(JSON.stringify({ fakeLlm: 'stopped', ...server.stats() }));
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
