/** Bodies that are not UTF-8 are refused with 400 invalid_utf8, never stored with U+FFFD. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../test-support.js';

let api: TestApi;
let projectId: string;
let datasetId: string;

const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
/** A lone continuation byte, an overlong "/" and a truncated 3-byte sequence: each invalid UTF-8. */
const BAD_SEQUENCES = [
  Uint8Array.of(0x80),
  Uint8Array.of(0xc0, 0xaf),
  Uint8Array.of(0xe2, 0x82),
  Uint8Array.of(0xff),
];

beforeAll(async () => {
  api = await createTestApi();
  projectId = (await (await api.call('POST', '/api/projects', { name: 'utf8' })).json()).id;
  datasetId = (
    await (
      await api.call('POST', `/api/projects/${projectId}/datasets`, { name: 'target', samples: [] })
    ).json()
  ).id;
});
afterAll(async () => {
  await api?.close();
});

const post = (path: string, body: Uint8Array | FormData, contentType?: string) =>
  api.app.request(path, {
    method: 'POST',
    headers: contentType ? { 'content-type': contentType } : {},
    body: body as BodyInit,
  });

async function expectInvalidUtf8(res: Response) {
  expect(res.status).toBe(400);
  expect((await res.json()).error.code).toBe('invalid_utf8');
}

const projectNames = async () =>
  ((await (await api.call('GET', '/api/projects')).json()).items as { name: string }[]).map((p) => p.name);

describe('JSON request bodies', () => {
  it('answers 400 invalid_utf8 and stores nothing', async () => {
    for (const bad of BAD_SEQUENCES) {
      const body = concat(utf8('{"name": "broken '), bad, utf8('"}'));
      await expectInvalidUtf8(await post('/api/projects', body, 'application/json'));
    }
    expect((await projectNames()).some((n) => n.includes('broken') || n.includes('\uFFFD'))).toBe(false);
  });

  it('still takes valid multi-byte text, with or without a BOM', async () => {
    const res = await post('/api/projects', utf8('\uFEFF{"name": "ünïcødé 🚀 名前"}'), 'application/json');
    expect(res.status).toBe(201);
    expect((await res.json()).name).toBe('ünïcødé 🚀 名前');
  });
});

describe('uploads', () => {
  const samples = async () =>
    (await (await api.call('GET', `/api/datasets/${datasetId}/samples?limit=100`)).json()).items as {
      input_text: string;
    }[];
  const upload = (body: Uint8Array | FormData, contentType?: string) =>
    post(`/api/datasets/${datasetId}/upload`, body, contentType);

  it('refuses CSV, JSON and JSONL files that are not UTF-8, raw or multipart, storing nothing', async () => {
    for (const bad of BAD_SEQUENCES) {
      await expectInvalidUtf8(
        await upload(concat(utf8('input_text\nfine\nbad '), bad, utf8('\n')), 'text/csv'),
      );
      await expectInvalidUtf8(
        await upload(concat(utf8('[{"input_text": "bad '), bad, utf8('"}]')), 'application/json'),
      );
      await expectInvalidUtf8(
        await upload(
          concat(utf8('{"input_text": "fine"}\n{"input_text": "bad '), bad, utf8('"}\n')),
          'application/x-ndjson',
        ),
      );
    }
    // A bad byte at the very end (a truncated character) is caught when the stream ends.
    await expectInvalidUtf8(
      await upload(concat(utf8('input_text\nfine\n'), Uint8Array.of(0xe2)), 'text/csv'),
    );
    const form = new FormData();
    form.append(
      'file',
      new Blob([concat(utf8('input_text\nbad '), Uint8Array.of(0xff), utf8('\n'))]),
      'x.csv',
    );
    await expectInvalidUtf8(await upload(form));
    expect(await samples()).toEqual([]);
  });

  it('keeps a character split across body chunks whole', async () => {
    // 4-byte emoji written as its own chunk halves: a streaming decoder must carry the partial bytes.
    const emoji = utf8('🚀');
    const parts = [utf8('input_text\nrocket '), emoji.slice(0, 2), emoji.slice(2), utf8('\n')];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(p);
        controller.close();
      },
    });
    const res = await api.app.request(`/api/datasets/${datasetId}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(201);
    expect((await samples()).map((s) => s.input_text)).toEqual(['rocket 🚀']);
  });
});
