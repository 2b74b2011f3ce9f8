import { describe, expect, it } from 'vitest';
import { parseSse } from './sse';

describe('parseSse', () => {
  it('splits complete events and keeps the unfinished tail for the next chunk', () => {
    const first = parseSse(
      'event: progress\ndata: {"done":1}\n\nevent: result\nid: r1\ndata: {"id":"r1"}\n\nevent: do',
    );
    expect(first.events).toEqual([
      { event: 'progress', data: '{"done":1}' },
      { event: 'result', id: 'r1', data: '{"id":"r1"}' },
    ]);
    const second = parseSse(`${first.rest}ne\ndata: {}\n\n`);
    expect(second).toEqual({ events: [{ event: 'done', data: '{}' }], rest: '' });
  });

  it('handles CRLF framing, comments, multi-line data and the default event name', () => {
    const { events } = parseSse(': keep-alive\r\n\r\ndata: line one\r\ndata: line two\r\n\r\ndata:x\n\n');
    expect(events).toEqual([
      { event: 'message', data: 'line one\nline two' },
      { event: 'message', data: 'x' },
    ]);
  });
});
