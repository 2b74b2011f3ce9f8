import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake endpoint answers to one chat-completions request. */
export interface FakeChatReply {
  content?: string;
  status?: number;
  /** Raw body instead of a completion (error bodies, garbage). */
  body?: string;
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Wait this long before answering (timeouts); the request's close cancels the wait. */
  delayMs?: number;
}

export interface FakeChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
  /** Structured output, when the client asked for it. */
  response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
}

export type FakeChatHandler = (
  request: FakeChatRequest,
  callIndex: number,
) => FakeChatReply | Promise<FakeChatReply>;

export interface FakeChatServer {
  /** baseURL for the openai SDK (ends in /v1). */
  baseURL: string;
  requests: FakeChatRequest[];
  setHandler(handler: FakeChatHandler): void;
  close(): Promise<void>;
}

/** A local HTTP server speaking OpenAI's chat-completions wire protocol, for LLM-as-judge tests
 * (paid APIs are never called from tests). Listens on 127.0.0.1 on a free port. */
export async function startFakeChatServer(handler: FakeChatHandler): Promise<FakeChatServer> {
  let current = handler;
  const requests: FakeChatRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeChatRequest;
    const index = requests.push(request) - 1;
    const reply = await current(request, index);
    if (reply.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, reply.delayMs);
        res.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (res.destroyed) return;
    }
    const status = reply.status ?? 200;
    const body =
      reply.body ??
      JSON.stringify({
        id: `chatcmpl-${index}`,
        object: 'chat.completion',
        created: 0,
        model: request.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: reply.content ?? '' },
            finish_reason: reply.finishReason ?? 'stop',
          },
        ],
        usage: {
          ...(reply.usage ?? { prompt_tokens: 100, completion_tokens: 20 }),
          total_tokens: (reply.usage?.prompt_tokens ?? 100) + (reply.usage?.completion_tokens ?? 20),
        },
      });
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    setHandler: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
