import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../test-support.js';

const MAX_BYTES = 256 * 1024;
const MAX_ROWS = 6_000;

let api: TestApi;
let projectId: string;

beforeAll(async () => {
  api = await createTestApi({ settings: { uploadMaxBytes: MAX_BYTES, uploadMaxRows: MAX_ROWS } });
  projectId = (await (await api.call('POST', '/api/projects', { name: 'uploads' })).json()).id;
});
afterAll(async () => {
  await api?.close();
});

async function newDataset(samples: unknown[] = []) {
  const res = await api.call('POST', `/api/projects/${projectId}/datasets`, {
    name: 'upload target',
    samples,
  });
  return (await res.json()).id as string;
}

function upload(datasetId: string, body: BodyInit, contentType: string | null, query = '') {
  return api.app.request(`/api/datasets/${datasetId}/upload${query}`, {
    method: 'POST',
    headers: contentType ? { 'content-type': contentType } : {},
    body,
  });
}

const allSamples = async (datasetId: string, version?: number) =>
  (
    await (
      await api.call(
        'GET',
        `/api/datasets/${datasetId}/samples?limit=500${version ? `&version=${version}` : ''}`,
      )
    ).json()
  ).items as Array<Record<string, unknown>>;

const datasetVersion = async (datasetId: string) =>
  (await (await api.call('GET', `/api/datasets/${datasetId}`)).json()).version as number;

describe('CSV', () => {
  it('reads BOM, CRLF, quoted commas/quotes/newlines, extra and missing columns verbatim', async () => {
    const id = await newDataset();
    const csv =
      '\uFEFFinput_text,reference_output,category,system_prompt\r\n' +
      '"Hello, ""world""","multi\r\nline answer",greeting,Be nice\r\n' +
      '\r\n' +
      "Robert'); DROP TABLE eval_samples;--,<b>bold</b> 🚀,sql\r\n" +
      'short row only\r\n';
    const res = await upload(id, csv, 'text/csv; charset=utf-8');
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      format: 'csv',
      mode: 'append',
      rows: 3,
      added: 3,
      version: { version: 2, sample_count: 3 },
    });
    const samples = await allSamples(id);
    expect(samples.map((s) => s.input_text)).toEqual([
      'Hello, "world"',
      "Robert'); DROP TABLE eval_samples;--",
      'short row only',
    ]);
    expect(samples[0]).toMatchObject({
      reference_output: 'multi\r\nline answer',
      system_prompt: 'Be nice',
      metadata: { category: 'greeting' },
    });
    expect(samples[1]).toMatchObject({
      reference_output: '<b>bold</b> 🚀',
      system_prompt: null,
      metadata: { category: 'sql' },
    });
    expect(samples[2]).toMatchObject({ reference_output: null, metadata: {} });
  });

  it('parses a metadata column as JSON and takes TSV by content type', async () => {
    const id = await newDataset();
    const tsv = 'input_text\tmetadata\tsample_key\nq1\t{"difficulty":"hard","tags":["a"]}\tkey-1\n';
    const res = await upload(id, tsv, 'text/tab-separated-values');
    expect(res.status).toBe(201);
    const [sample] = await allSamples(id);
    expect(sample).toMatchObject({
      input_text: 'q1',
      sample_key: 'key-1',
      metadata: { difficulty: 'hard', tags: ['a'] },
    });
  });

  it('rejects the whole file with per-row errors and stores nothing', async () => {
    const id = await newDataset([{ input_text: 'existing' }]);
    const csv = [
      'input_text,metadata,sample_key',
      'fine,,',
      ',,', // missing input_text
      'bad meta,{not json},',
      'fine too,,',
      'nul \u0000 inside,,',
      'too,many,fields,here',
      `long key,,${'k'.repeat(300)}`,
    ].join('\n');
    const res = await upload(id, csv, 'text/csv');
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe('invalid_rows');
    expect(error.details.error_count).toBe(5);
    const byRow = Object.fromEntries(error.details.errors.map((e: { row: number }) => [e.row, e]));
    expect(byRow[2]).toMatchObject({ field: 'input_text' });
    expect(byRow[3]).toMatchObject({ field: 'metadata' });
    expect(byRow[5]).toMatchObject({ field: 'input_text' });
    expect(byRow[5].reason).toMatch(/NUL/);
    expect(byRow[6]).toMatchObject({ field: null });
    expect(byRow[7]).toMatchObject({ field: 'sample_key' });
    expect(await datasetVersion(id)).toBe(1);
    expect((await allSamples(id)).map((s) => s.input_text)).toEqual(['existing']);
    const [{ n }] = await api.db.dataSource.query(
      'SELECT count(*)::int AS n FROM eval_samples WHERE dataset_id = $1',
      [id],
    );
    expect(n).toBe(1);
  });

  it('explains a bad header, a broken quote and an empty file', async () => {
    const id = await newDataset();
    const noInput = await upload(id, 'prompt,answer\nq,a\n', 'text/csv');
    expect(noInput.status).toBe(422);
    expect((await noInput.json()).error).toMatchObject({ code: 'invalid_file' });
    const dupHeader = await upload(id, 'input_text,input_text\nq,a\n', 'text/csv');
    expect((await dupHeader.json()).error.message).toMatch(/more than once/);
    const unclosed = await upload(id, 'input_text\n"never closed\n', 'text/csv');
    expect(unclosed.status).toBe(422);
    expect((await unclosed.json()).error.message).toMatch(/CSV could not be parsed/);
    const badClose = await upload(id, 'input_text\n"abc"def\n', 'text/csv');
    expect(badClose.status).toBe(422);
    expect((await badClose.json()).error.code).toBe('invalid_file');
    expect((await upload(id, '', 'text/csv')).status).toBe(422);
    expect((await upload(id, 'input_text\n', 'text/csv')).status).toBe(422);
    expect(await datasetVersion(id)).toBe(1);
  });
});

describe('JSON and JSONL', () => {
  it('accepts a JSON array and the seed document with BOM', async () => {
    const id = await newDataset();
    const arr = await upload(
      id,
      JSON.stringify([{ input_text: 'a' }, { input_text: 'b', metadata: { x: 1 } }]),
      'application/json',
    );
    expect(arr.status).toBe(201);
    const seed = {
      name: 'Customer Support QA v1',
      samples: [
        {
          input_text: 'What is your refund policy?',
          reference_output: '30 days',
          metadata: { category: 'policy' },
        },
      ],
    };
    const doc = await upload(id, `\uFEFF${JSON.stringify(seed)}`, 'application/json');
    expect(doc.status).toBe(201);
    expect((await doc.json()).version).toMatchObject({ version: 3, sample_count: 3 });
    expect((await allSamples(id)).map((s) => s.input_text)).toEqual([
      'a',
      'b',
      'What is your refund policy?',
    ]);
  });

  it('reports bad JSON rows by index and field', async () => {
    const id = await newDataset();
    const res = await upload(
      id,
      JSON.stringify([{ input_text: 'ok' }, { input_text: 5 }, 'text', { input_text: 'x', answer: 'y' }]),
      'application/json',
    );
    expect(res.status).toBe(422);
    const { errors } = (await res.json()).error.details;
    expect(errors).toEqual([
      expect.objectContaining({ row: 2, field: 'input_text' }),
      expect.objectContaining({ row: 3, field: null }),
      expect.objectContaining({ row: 4, field: 'answer' }),
    ]);
    const malformed = await upload(id, '[{"input_text": "a"},', 'application/json');
    expect(malformed.status).toBe(422);
    expect((await malformed.json()).error.code).toBe('invalid_file');
    const wrongShape = await upload(id, '{"rows": []}', 'application/json');
    expect(wrongShape.status).toBe(422);
  });

  it('reads JSONL with BOM, CRLF and blank lines; reports bad lines with their line number', async () => {
    const id = await newDataset();
    const good = '\uFEFF{"input_text":"l1"}\r\n\r\n{"input_text":"l2","system_prompt":"s"}\r\n';
    const res = await upload(id, good, 'application/x-ndjson');
    expect(res.status).toBe(201);
    expect((await allSamples(id)).map((s) => s.input_text)).toEqual(['l1', 'l2']);

    const bad = '{"input_text":"ok"}\n\n{"input_text": oops}\n[1,2]\n{"input_text":"\\u0000"}\n';
    const rejected = await upload(id, bad, 'text/plain', '?format=jsonl');
    expect(rejected.status).toBe(422);
    const { errors } = (await rejected.json()).error.details;
    expect(errors.map((e: { row: number; line: number }) => [e.row, e.line])).toEqual([
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
  });
});

describe('transport', () => {
  it('takes the file part of multipart/form-data, format from the file name', async () => {
    const id = await newDataset();
    const form = new FormData();
    form.append(
      'file',
      new Blob(['{"input_text":"from form"}\n'], { type: 'application/octet-stream' }),
      'samples.jsonl',
    );
    const res = await api.app.request(`/api/datasets/${id}/upload`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    expect((await res.json()).format).toBe('jsonl');
    expect((await allSamples(id))[0].input_text).toBe('from form');

    const wrongField = new FormData();
    wrongField.append('data', new Blob(['x']), 'x.csv');
    expect(
      (await api.app.request(`/api/datasets/${id}/upload`, { method: 'POST', body: wrongField })).status,
    ).toBe(400);
    const noFile = new FormData();
    noFile.append('mode', 'replace');
    expect(
      (await api.app.request(`/api/datasets/${id}/upload`, { method: 'POST', body: noFile })).status,
    ).toBe(400);
  });

  it('answers 415 for unknown or undecidable formats', async () => {
    const id = await newDataset();
    const png = await upload(id, 'x', 'image/png');
    expect(png.status).toBe(415);
    expect((await png.json()).error.code).toBe('unsupported_media_type');
    expect((await upload(id, 'x', 'text/plain')).status).toBe(415);
    expect((await upload(id, 'input_text\nq\n', 'text/plain', '?format=csv')).status).toBe(201);
    expect((await upload(id, 'x', 'text/csv', '?format=xml')).status).toBe(400);
  });

  it('stops at the size limit with 413, with or without Content-Length, and stores nothing', async () => {
    const id = await newDataset();
    const row = `${'x'.repeat(100)}\n`;
    const big = `input_text\n${row.repeat(Math.ceil(MAX_BYTES / row.length) + 10)}`;
    const res = await upload(id, big, 'text/csv');
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({
      code: 'payload_too_large',
      details: { limit_bytes: MAX_BYTES },
    });

    const encoder = new TextEncoder();
    const streamed = new ReadableStream({
      start(controller) {
        controller.enqueue(encoder.encode('input_text\n'));
        for (let i = 0; i < 3_000; i++) controller.enqueue(encoder.encode(row));
        controller.close();
      },
    });
    const chunked = await api.app.request(`/api/datasets/${id}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: streamed,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await datasetVersion(id)).toBe(1);
  });

  it('delivers the 413 over real HTTP instead of resetting the connection', async () => {
    const id = await newDataset();
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: api.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/datasets/${id}/upload`;
      const body = `input_text\n${'z'.repeat(99).concat('\n').repeat(20_000)}`;
      const raw = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
      expect(raw.status).toBe(413);
      const form = new FormData();
      form.append('file', new Blob([body]), 'big.csv');
      const multipart = await fetch(url, { method: 'POST', body: form });
      expect(multipart.status).toBe(413);
      expect((await multipart.json()).error.code).toBe('payload_too_large');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('stops at the row limit with 413 too_many_rows', async () => {
    const id = await newDataset();
    const lines = Array.from({ length: MAX_ROWS + 1 }, (_, i) => `{"input_text":"r${i}"}`).join('\n');
    const res = await upload(id, lines, 'application/x-ndjson');
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('too_many_rows');
  });

  it('answers 404 for an unknown dataset and 409 for a stale base_version', async () => {
    expect((await upload(crypto.randomUUID(), 'input_text\nq\n', 'text/csv')).status).toBe(404);
    const id = await newDataset();
    const stale = await upload(id, 'input_text\nq\n', 'text/csv', '?base_version=7');
    expect(stale.status).toBe(409);
  });
});

describe('versions from uploads', () => {
  it('append keeps the latest samples; replace keeps only the file, pairing unchanged prompts by key', async () => {
    const id = await newDataset([{ input_text: 'keep me' }, { input_text: 'drop me' }]);
    const before = await allSamples(id);

    const appended = await upload(id, 'input_text\nnew one\n', 'text/csv');
    expect(await appended.json()).toMatchObject({
      added: 1,
      removed: 0,
      version: { version: 2, sample_count: 3 },
    });

    const replaced = await upload(
      id,
      JSON.stringify([{ input_text: 'keep me' }, { input_text: 'brand new' }]),
      'application/json',
      '?mode=replace',
    );
    expect(await replaced.json()).toMatchObject({
      mode: 'replace',
      added: 2,
      removed: 3,
      version: { version: 3, sample_count: 2 },
    });
    const after = await allSamples(id);
    expect(after.map((s) => s.input_text)).toEqual(['keep me', 'brand new']);
    expect(after[0].sample_key).toBe(before[0].sample_key);
    expect((await allSamples(id, 1)).map((s) => s.input_text)).toEqual(['keep me', 'drop me']);
  });

  it('refuses sample_keys repeated in the file or already in the version', async () => {
    const id = await newDataset([{ input_text: 'x', sample_key: 'taken' }]);
    const res = await upload(id, 'input_text,sample_key\na,k\nb,k\nc,taken\n', 'text/csv');
    expect(res.status).toBe(422);
    const { errors } = (await res.json()).error.details;
    expect(errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [2, 'sample_key'],
      [3, 'sample_key'],
    ]);
  });

  it('stores a few thousand rows in one version', async () => {
    const id = await newDataset();
    const rows = Array.from({ length: 5_000 }, (_, i) => `q${i},"a, ${i}"`).join('\n');
    const res = await upload(id, `input_text,reference_output\n${rows}\n`, 'text/csv');
    expect(res.status).toBe(201);
    expect((await res.json()).version.sample_count).toBe(5_000);
    const [{ n, positions }] = await api.db.dataSource.query(
      `SELECT count(*)::int AS n, count(DISTINCT position)::int AS positions FROM eval_samples s
         JOIN dataset_versions v ON v.id = s.dataset_version_id WHERE v.dataset_id = $1 AND v.version = 2`,
      [id],
    );
    expect([n, positions]).toEqual([5_000, 5_000]);
  });
});
