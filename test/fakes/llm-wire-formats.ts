/** The OpenAI chat-completions and Anthropic messages wire formats, as the fake LLM server speaks them. */
import crypto from 'node:crypto';

export type Protocol = 'openai' | 'anthropic';

/** Usage is counted at about this many characters per token. */
const CHARS_PER_TOKEN = 4;

export function digest(text: string) {
  return crypto.createHash('sha256').update(text).digest('hex');
}

const tokens = (text: string) => Math.max(1, Math.ceil(text.length / CHARS_PER_TOKEN));

/** The answer the fake gives (before max_tokens truncation); tests compute expectations with it. */
export function fakeAnswer(model: string, system: string | null, input: string): string {
  const sum = /what is\s+(-?\d+)\s*\+\s*(-?\d+)/i.exec(input);
  if (sum) return String(Number(sum[1]) + Number(sum[2]));
  return `Fake answer ${digest(`${model}\n${system ?? ''}\n${input}`).slice(0, 8)} to: ${input.slice(0, 200)}`;
}

type Content = string | Array<{ type?: string; text?: string }> | null | undefined;

const textOf = (content: Content) =>
  typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('');

export interface ParsedPrompt {
  model: string;
  system: string | null;
  input: string;
  maxTokens: number | null;
}

export function parseOpenAi(body: Record<string, unknown>): ParsedPrompt {
  const messages = (body.messages ?? []) as Array<{ role: string; content: Content }>;
  const system = messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => textOf(m.content));
  const user = messages.filter((m) => m.role === 'user').map((m) => textOf(m.content));
  const maxTokens = (body.max_completion_tokens ?? body.max_tokens ?? null) as number | null;
  return {
    model: String(body.model ?? ''),
    system: system.length ? system.join('\n') : null,
    input: user.join('\n'),
    maxTokens,
  };
}

export function parseAnthropic(body: Record<string, unknown>): ParsedPrompt {
  const messages = (body.messages ?? []) as Array<{ role: string; content: Content }>;
  const system = body.system === undefined ? null : textOf(body.system as Content);
  const input = messages
    .filter((m) => m.role === 'user')
    .map((m) => textOf(m.content))
    .join('\n');
  return {
    model: String(body.model ?? ''),
    system,
    input,
    maxTokens: (body.max_tokens ?? null) as number | null,
  };
}

/** What a completion says: the derived answer, or a scripted reply's content. */
export interface Answer {
  text: string;
  truncated: boolean;
  inputTokens: number;
  outputTokens: number;
  /** In the protocol's own words (finish_reason / stop_reason); from `truncated` when unset. */
  finishReason?: string;
}

/** An answer with this text, its usage counted from the prompt and the text. */
export function answerOf(prompt: ParsedPrompt, text: string, truncated = false): Answer {
  const inputTokens = tokens(`${prompt.system ?? ''}${prompt.input}`);
  return { text, truncated, inputTokens, outputTokens: text ? tokens(text) : 0 };
}

function answerFor(prompt: ParsedPrompt) {
  const text = fakeAnswer(prompt.model, prompt.system, prompt.input);
  if (prompt.maxTokens !== null && tokens(text) > prompt.maxTokens) {
    return answerOf(prompt, text.slice(0, prompt.maxTokens * CHARS_PER_TOKEN), true);
  }
  return answerOf(prompt, text);
}

export function successBody(protocol: Protocol, prompt: ParsedPrompt, empty: boolean) {
  const answer = empty
    ? { text: '', truncated: false, inputTokens: tokens(prompt.input), outputTokens: 0 }
    : answerFor(prompt);
  return completionBody(protocol, prompt, answer);
}

export function completionBody(protocol: Protocol, prompt: ParsedPrompt, answer: Answer) {
  const id = digest(`${prompt.model}${prompt.input}`).slice(0, 24);
  if (protocol === 'openai') {
    return {
      id: `chatcmpl-${id}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1_000),
      model: prompt.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: answer.text, refusal: null },
          finish_reason: answer.finishReason ?? (answer.truncated ? 'length' : 'stop'),
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: answer.inputTokens,
        completion_tokens: answer.outputTokens,
        total_tokens: answer.inputTokens + answer.outputTokens,
      },
    };
  }
  return {
    id: `msg_${id}`,
    type: 'message',
    role: 'assistant',
    model: prompt.model,
    content: answer.text ? [{ type: 'text', text: answer.text }] : [],
    stop_reason: answer.finishReason ?? (answer.truncated ? 'max_tokens' : 'end_turn'),
    stop_sequence: null,
    usage: { input_tokens: answer.inputTokens, output_tokens: answer.outputTokens },
  };
}

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function errorBody(protocol: Protocol, status: number, message: string) {
  if (protocol === 'anthropic') {
    return { type: 'error', error: { type: ANTHROPIC_ERROR_TYPES[status] ?? 'api_error', message } };
  }
  const code = status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_api_key' : null;
  return {
    error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code },
  };
}
