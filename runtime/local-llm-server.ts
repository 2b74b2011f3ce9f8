/**
 * A small OpenAI-compatible server for a local GGUF chat model (SmolLM2-135M-Instruct by default),
 * run on llama.cpp through node-llama-cpp's prebuilt binaries: POST /v1/chat/completions
 * (non-streaming, with `usage`; `logprobs` / `top_logprobs` as OpenAI returns them) and GET /v1/models.
 * `response_format` json_object and json_schema are
 * enforced with a grammar (the JSON Schema subset in local-llm-json-schema.ts; other schemas get a 400). The `openai` provider talks to it with
 * endpoint_url http://127.0.0.1:<port>/v1 and no key, so evals run without any paid API.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  type ChatHistoryItem,
  type ControlledEvaluateInputItem,
  type GbnfJsonSchema,
  getLlama,
  LlamaChat,
  type LlamaContextSequence,
  type LlamaGrammar,
  LlamaLogLevel,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { z } from 'zod';
import { toGrammarSchema } from './local-llm-json-schema.js';
import { LOCAL_LLM_HOST, LOCAL_LLM_MODEL_NAME } from './local-llm-model.js';

/** Tokens per sequence: enough for a support question, a system prompt and an answer. */
export const LOCAL_LLM_CONTEXT_SIZE = 2048;
/** Requests generated at once; more wait for a free sequence. */
export const LOCAL_LLM_PARALLEL = 2;
/**
 * llama.cpp's threads spin while waiting; on a small busy machine more threads than free cores make
 * generation many times slower (seconds became minutes on 2 shared cores), and a 135M model gains
 * little past a few threads. So: one core left for Node and the rest of the stack, at most 4.
 */
export const LOCAL_LLM_THREADS = Math.min(4, Math.max(1, os.availableParallelism() - 1));
/** Used when a request sets no max_tokens, so a rambling small model cannot run to the context end. */
export const LOCAL_LLM_DEFAULT_MAX_TOKENS = 256;
/** JSON-schema grammars kept (per schema text); the oldest goes first when more arrive. */
export const LOCAL_LLM_GRAMMAR_CACHE_SIZE = 64;

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const message = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.union([z.string(), z.array(textPart)]).nullable(),
});
const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'name: letters, digits, _ and -, at most 64'),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()),
      strict: z.boolean().nullish(),
    }),
  }),
]);
const chatRequest = z.looseObject({
  model: z.string().optional(),
  messages: z.array(message).min(1),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  seed: z.number().int().nullish(),
  n: z.literal(1).nullish(),
  stream: z.literal(false, { message: 'streaming is not supported by the local server' }).nullish(),
  response_format: responseFormat.nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
});
type ChatRequest = z.infer<typeof chatRequest>;

export interface LocalLlmServerOptions {
  modelPath: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  modelName?: string;
  parallel?: number;
  threads?: number;
}

export interface LocalLlmServer {
  /** Base URL for an OpenAI client, ending in /v1. */
  url: string;
  port: number;
  close(): Promise<void>;
}

function openAiError(status: ContentfulStatusCode, type: string, text: string) {
  return [{ error: { message: text, type, param: null, code: null } }, status] as const;
}

function toHistory(messages: ChatRequest['messages']): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) => {
    const text = typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text).join('');
    if (m.role === 'assistant') return { type: 'model', response: [text] };
    return m.role === 'user' ? { type: 'user', text } : { type: 'system', text };
  });
  // LlamaChat continues the last model turn; an empty one asks for a fresh answer.
  history.push({ type: 'model', response: [] });
  return history;
}

/**
 * A JSON grammar only lets newlines follow the finished value, and node-llama-cpp stops on the fourth; a
 * value that ends right at max_tokens is complete all the same, so it is a `stop`, not a `length`.
 */
function completeJson(text: string, grammar: LlamaGrammar | undefined): boolean {
  if (!grammar) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

interface TokenLogprobEntry {
  token: string;
  logprob: number;
  bytes: number[];
}

/**
 * OpenAI `logprobs.content` for the tokens just generated on `sequence`: after generation the generated
 * tokens are evaluated once more in one batch, with each position's top logits and the softmax's total
 * weight, so each logprob is `logit − max logit − ln Σ exp(logit − max logit)`: the model's own
 * distribution, before any grammar or sampling setting. Null when the generated tokens cannot be matched
 * with the sequence (nothing is reported rather than something wrong).
 */
async function generatedLogprobs(
  model: LlamaModel,
  sequence: LlamaContextSequence,
  generated: readonly Token[],
  top: number,
): Promise<Array<TokenLogprobEntry & { top_logprobs: TokenLogprobEntry[] }> | null> {
  if (generated.length === 0) return [];
  const context = sequence.contextTokens;
  // Where the reply starts in the sequence: the last sampled token may not have been fed back, and tokens of a
  // stop trigger (a grammar's trailing newlines) may follow it without being part of the reply.
  const matchesAt = (at: number) => {
    const evaluated = Math.min(generated.length, context.length - at);
    if (evaluated < generated.length - 1) return false;
    for (let j = 0; j < evaluated; j++) if (context[at + j] !== generated[j]) return false;
    return true;
  };
  let first = -1;
  for (
    let at = context.length - generated.length + 1;
    at >= Math.max(1, context.length - generated.length - 8);
    at--
  ) {
    if (matchesAt(at)) {
      first = at;
      break;
    }
  }
  if (first < 0) return null;
  const start = first - 1; // the last prompt token predicts the first generated one
  await sequence.eraseContextTokenRanges([{ start, end: context.length }]);
  const input: ControlledEvaluateInputItem[] = [context[start], ...generated.slice(0, -1)].map((token, i) => [
    token,
    {
      generateNext: {
        logits: { filter: { tokens: [generated[i]], includeTop: top, includeMax: true } },
        totalLogitWeight: true,
      },
    },
  ]);
  const out = await sequence.controlledEvaluate(input);
  const entry = (token: Token, logprob: number): TokenLogprobEntry => {
    const text = model.detokenize([token], true);
    return { token: text, logprob, bytes: [...Buffer.from(text, 'utf8')] };
  };
  const rows = [];
  for (let i = 0; i < generated.length; i++) {
    const next = out[i]?.next;
    if (!next?.logits || next.totalLogitWeight === undefined) return null;
    const logits = next.logits;
    const max = Math.max(...logits.values());
    const logprob = (logit: number) => logit - max - Math.log(next.totalLogitWeight!);
    rows.push({
      ...entry(generated[i], logprob(logits.get(generated[i]) ?? Number.NEGATIVE_INFINITY)),
      top_logprobs: [...logits.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([token, logit]) => entry(token, logprob(logit))),
    });
  }
  return rows;
}

/** A fixed set of context sequences handed out one request at a time. */
function sequencePool(sequences: LlamaContextSequence[]) {
  const free = [...sequences];
  const waiting: Array<(s: LlamaContextSequence) => void> = [];
  return {
    async acquire(): Promise<LlamaContextSequence> {
      const seq = free.pop();
      return seq ?? new Promise((resolve) => waiting.push(resolve));
    },
    release(seq: LlamaContextSequence) {
      const next = waiting.shift();
      if (next) next(seq);
      else free.push(seq);
    },
  };
}

/** Loads the model and listens; resolves once requests can be served. */
export async function startLocalLlmServer(opts: LocalLlmServerOptions): Promise<LocalLlmServer> {
  const modelName = opts.modelName ?? LOCAL_LLM_MODEL_NAME;
  const parallel = opts.parallel ?? LOCAL_LLM_PARALLEL;
  // build 'never': only the prebuilt binaries from npm, never a download or a compile at run time.
  const threads = opts.threads ?? LOCAL_LLM_THREADS;
  const llama = await getLlama({ build: 'never', logLevel: LlamaLogLevel.error, maxThreads: threads });
  const model = await llama.loadModel({ modelPath: opts.modelPath });
  const context = await model.createContext({
    contextSize: LOCAL_LLM_CONTEXT_SIZE,
    sequences: parallel,
    threads,
  });
  const pool = sequencePool(Array.from({ length: parallel }, () => context.getSequence()));
  const created = Math.floor(Date.now() / 1000);

  // Grammars are built once per schema (building one parses GBNF in llama.cpp) and shared by requests.
  const grammars = new Map<string, Promise<LlamaGrammar>>();
  function grammarFor(key: string, build: () => Promise<LlamaGrammar>): Promise<LlamaGrammar> {
    let grammar = grammars.get(key);
    if (!grammar) {
      grammar = build();
      grammars.set(key, grammar);
      grammar.catch(() => grammars.delete(key));
      if (grammars.size > LOCAL_LLM_GRAMMAR_CACHE_SIZE) grammars.delete(grammars.keys().next().value!);
    }
    return grammar;
  }

  /** The grammar a response_format asks for, or the reason it cannot be enforced (a 400). */
  async function grammarOf(
    format: ChatRequest['response_format'],
  ): Promise<{ grammar?: LlamaGrammar; error?: string }> {
    if (!format || format.type === 'text') return {};
    if (format.type === 'json_object')
      return { grammar: await grammarFor('json', () => llama.getGrammarFor('json')) };
    const converted = toGrammarSchema(format.json_schema.schema);
    if (!converted.ok) return { error: converted.error };
    const key = JSON.stringify(converted.schema);
    try {
      const grammar = await grammarFor(`schema:${key}`, () =>
        llama.createGrammarForJsonSchema<GbnfJsonSchema>(converted.schema as GbnfJsonSchema),
      );
      return { grammar };
    } catch (err) {
      return {
        error: `response_format.json_schema.schema: cannot make a grammar of it: ${(err as Error).message}`,
      };
    }
  }

  async function complete(req: ChatRequest, grammar: LlamaGrammar | undefined, signal: AbortSignal) {
    const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? LOCAL_LLM_DEFAULT_MAX_TOKENS;
    const sequence = await pool.acquire();
    try {
      // A clean sequence per request, so usage counts this request's whole prompt.
      await sequence.clearHistory();
      const before = sequence.tokenMeter.getState();
      const chat = new LlamaChat({ contextSequence: sequence, autoDisposeSequence: false });
      const generated: Token[] = [];
      try {
        const result = await chat.generateResponse(toHistory(req.messages), {
          maxTokens,
          temperature: req.temperature ?? undefined,
          topP: req.top_p ?? undefined,
          seed: req.seed ?? undefined,
          signal,
          grammar,
          ...(req.logprobs && { onToken: (tokens: Token[]) => generated.push(...tokens) }),
        });
        const used = sequence.tokenMeter.diff(before);
        return {
          text: result.response,
          finishReason:
            result.metadata.stopReason === 'maxTokens' && !completeJson(result.response, grammar)
              ? 'length'
              : 'stop',
          promptTokens: used.usedInputTokens,
          completionTokens: used.usedOutputTokens,
          logprobs: req.logprobs
            ? await generatedLogprobs(model, sequence, generated, req.top_logprobs ?? 0)
            : null,
        };
      } finally {
        chat.dispose({ disposeSequence: false });
      }
    } finally {
      pool.release(sequence);
    }
  }

  const app = new Hono();
  app.get('/v1/models', (c) =>
    c.json({ object: 'list', data: [{ id: modelName, object: 'model', created, owned_by: 'evalforge' }] }),
  );
  app.post('/v1/chat/completions', async (c) => {
    const body = await c.req.json().catch(() => undefined);
    if (body === undefined) return c.json(...openAiError(400, 'invalid_request_error', 'body is not JSON'));
    const parsed = chatRequest.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'body';
      return c.json(...openAiError(400, 'invalid_request_error', `${where}: ${issue?.message}`));
    }
    const format = await grammarOf(parsed.data.response_format);
    if (format.error) return c.json(...openAiError(400, 'invalid_request_error', format.error));
    const out = await complete(parsed.data, format.grammar, c.req.raw.signal);
    return c.json({
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: modelName,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: out.text },
          finish_reason: out.finishReason,
          logprobs: out.logprobs ? { content: out.logprobs, refusal: null } : null,
        },
      ],
      usage: {
        prompt_tokens: out.promptTokens,
        completion_tokens: out.completionTokens,
        total_tokens: out.promptTokens + out.completionTokens,
      },
    });
  });
  app.notFound((c) =>
    c.json(...openAiError(404, 'not_found_error', `no route ${c.req.method} ${c.req.path}`)),
  );
  app.onError((err, c) => c.json(...openAiError(500, 'server_error', `generation failed: ${err.message}`)));

  const host = opts.host ?? LOCAL_LLM_HOST;
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: opts.port, hostname: host }, (info: AddressInfo) =>
        resolve({ server: s, port: info.port }),
      );
      s.once('error', reject);
    },
  );

  return {
    url: `http://${host}:${port}/v1`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
