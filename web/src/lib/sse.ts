/**
 * Server-sent events over fetch: unlike EventSource it can send the Authorization header, which
 * servers outside dev mode require.
 */

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Complete events in `buffer` (text/event-stream framing) and the unfinished tail. */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const normalized = buffer.replace(/\r\n?/g, '\n');
  const blocks = normalized.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events: SseEvent[] = [];
  for (const block of blocks) {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (data.length) events.push({ event, data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
  }
  return { events, rest };
}

/** Reads the stream at `url` until it ends; throws when it cannot be opened. */
export async function readSse(
  url: string,
  opts: {
    headers: Record<string, string>;
    signal: AbortSignal;
    onOpen: () => void;
    onEvent: (e: SseEvent) => void;
  },
) {
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...opts.headers },
    signal: opts.signal,
  });
  if (!res.ok || !res.body) throw new Error(`event stream answered ${res.status}`);
  opts.onOpen();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const parsed = parseSse(buffer + value);
    buffer = parsed.rest;
    for (const e of parsed.events) opts.onEvent(e);
  }
}
