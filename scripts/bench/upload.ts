/**
 * Upload benchmark: `npm run bench:upload [-- --rows 50000 --format all]`.
 * The real API over real HTTP (@hono/node-server on 127.0.0.1) and a real PostgreSQL: a throwaway
 * database on TEST_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), or
 * DATABASE_URL's server. For each format it times one upload of N realistic rows into a fresh
 * dataset, then an append of N more rows onto it (the N existing rows are copied into the new version).
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { createApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';
import { createLogger } from '../../lib/logger.js';
import { createThrowawayDatabase, DEFAULT_PG_ADMIN_URL } from '../../test/helpers/throwaway-database.js';

const DEFAULT_ROWS = 50_000;
const FORMATS = ['csv', 'jsonl', 'json'] as const;
type Format = (typeof FORMATS)[number];
const CONTENT_TYPES: Record<Format, string> = {
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
  json: 'application/json',
};

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: String(DEFAULT_ROWS) },
    format: { type: 'string', default: 'all' },
  },
});
const rows = Number(args.rows);
const formats: Format[] = args.format === 'all' ? [...FORMATS] : [args.format as Format];
if (!Number.isInteger(rows) || rows < 1 || !formats.every((f) => FORMATS.includes(f))) {
  console.error('usage: npm run bench:upload -- [--rows N] [--format csv|jsonl|json|all]');
  process.exit(2);
}

const TOPICS = [
  'refund',
  'shipping delay',
  'password reset',
  'double charge',
  'warranty claim',
  'address change',
];
function sample(i: number, offset: number) {
  const topic = TOPICS[i % TOPICS.length];
  return {
    input_text: `Customer #${offset + i} asks about a ${topic}: "I ordered on the ${(i % 28) + 1}th, order ${10_000 + i}, and I'm still waiting. What can you do?"`,
    system_prompt: 'You are a helpful customer support agent for ShopCo.',
    reference_output: `Apologise, look up order ${10_000 + i}, explain the ${topic} policy and offer the next step.`,
    metadata: { category: topic, difficulty: ['easy', 'medium', 'hard'][i % 3], batch: offset },
  };
}

const csvCell = (v: string) => `"${v.replaceAll('"', '""')}"`;
function file(format: Format, n: number, offset: number): string {
  const items = Array.from({ length: n }, (_, i) => sample(i, offset));
  if (format === 'json') return JSON.stringify(items);
  if (format === 'jsonl') return `${items.map((s) => JSON.stringify(s)).join('\n')}\n`;
  const header = 'input_text,system_prompt,reference_output,metadata\n';
  return (
    header +
    items
      .map((s) =>
        [s.input_text, s.system_prompt, s.reference_output, JSON.stringify(s.metadata)]
          .map(csvCell)
          .join(','),
      )
      .join('\n') +
    '\n'
  );
}

const db = await createThrowawayDatabase({
  adminUrl: process.env.TEST_PG_ADMIN_URL || process.env.DATABASE_URL || DEFAULT_PG_ADMIN_URL,
  prefix: 'evalforge_bench',
  applicationName: 'evalforge-bench',
});
const { dataSource } = db;
const server = await (async () => {
  const deps: ApiDeps = {
    dataSource,
    temporal: undefined as never, // upload routes never start runs
    logger: createLogger('bench', process.env.BENCH_LOG_LEVEL === 'info' ? 'info' : 'warn'),
    mode: 'dev',
    temporalUiUrl: null,
    settings: { uploadMaxRows: Math.max(rows, 200_000), uploadMaxBytes: 512 * 1024 * 1024 },
  };
  const app = createApp(deps);
  return new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
})();
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function post(path: string, body: string, contentType: string) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

try {
  const project = await post('/api/projects', JSON.stringify({ name: 'bench' }), 'application/json');
  const results: Record<string, unknown>[] = [];
  for (const format of formats) {
    const dataset = await post(
      `/api/projects/${project.id}/datasets`,
      JSON.stringify({ name: `bench ${format}` }),
      'application/json',
    );
    for (const [step, offset] of [
      ['upload', 0],
      ['append', rows],
    ] as const) {
      const body = file(format, rows, offset);
      const started = performance.now();
      const result = await post(`/api/datasets/${dataset.id}/upload`, body, CONTENT_TYPES[format]);
      const seconds = (performance.now() - started) / 1000;
      results.push({
        format,
        step,
        rows,
        mb: +(Buffer.byteLength(body) / 1e6).toFixed(1),
        seconds: +seconds.toFixed(2),
        rows_per_s: Math.round(rows / seconds),
        version_samples: result.version.sample_count,
      });
    }
  }
  console.table(results);
  console.log(JSON.stringify({ benchmark: 'upload', node: process.version, results }));
} finally {
  await new Promise((resolve) => server.close(resolve));
  await db.drop();
}
