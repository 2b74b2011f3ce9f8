/**
 * A fake API for page tests: the typed client's GET (and writes) answered from handlers keyed by
 * the OpenAPI path, so pages run their real queries, actions and router. The query cache is global:
 * `resetFakeApi` clears it between tests.
 */
import { query } from '@solidjs/router';
import { type MockInstance, vi } from 'vitest';
import { api } from '../api/client';

type Params = { path?: Record<string, string>; query?: Record<string, unknown> };
/** A handler answers the body (or a FakeStatus), or throws a FakeFailure for the API's error shape. */
export type Handler = (params: Params, body?: unknown) => unknown;
export type Handlers = Partial<Record<string, Handler>>;

export class FakeFailure {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly details?: unknown,
  ) {}
}

/** A handler's answer with a status other than 200 (201 Created). */
export class FakeStatus {
  constructor(
    readonly status: number,
    readonly data: unknown,
  ) {}
}

function answer(handlers: Handlers, method: string) {
  return async (path: string, init?: { params?: Params; body?: unknown }) => {
    const handler = handlers[`${method} ${path}`];
    if (!handler) throw new Error(`no fake for ${method} ${path}`);
    try {
      const answer = handler(init?.params ?? {}, init?.body);
      if (answer instanceof FakeStatus)
        return { data: answer.data, response: new Response(null, { status: answer.status }) };
      return { data: answer, response: new Response(null, { status: answer === undefined ? 204 : 200 }) };
    } catch (err) {
      if (!(err instanceof FakeFailure)) throw err;
      return {
        error: {
          error: {
            code: err.code,
            message: err.message,
            ...(err.details === undefined ? {} : { details: err.details }),
          },
        },
        response: new Response(null, { status: err.status }),
      };
    }
  };
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Spy = MockInstance<(path: string, init?: { params?: Params; body?: unknown }) => Promise<unknown>>;

/**
 * Answers the client's calls from `handlers` (keyed `METHOD /api/path/{param}`); plain fetch
 * (/api/health) answers no health. Returns the spies, per method.
 */
export function fakeApi(handlers: Handlers): Record<(typeof METHODS)[number], Spy> {
  const spies = Object.fromEntries(
    METHODS.map((method) => [
      method,
      vi.spyOn(api, method).mockImplementation(answer(handlers, method) as never),
    ]),
  ) as unknown as Record<(typeof METHODS)[number], Spy>;
  vi.stubGlobal('fetch', async () => new Response('null', { status: 503 }));
  return spies;
}

export function resetFakeApi() {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  query.clear();
}
