/** CSV export: cells a spreadsheet would run as formulas are escaped; booleans are written out. */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalResult, EvalRun, EvalSample } from '../../db/entities/index.js';
import { createProjectFixture } from '../../test/fixtures/projects.js';
import { createTestApi, type TestApi } from '../test-support.js';

const OUTPUTS = [
  '=HYPERLINK("http://x")',
  '+1',
  '-2',
  '@SUM(A1)',
  '\tfoo',
  '\rbar',
  'plain answer',
  'a = b - c',
];

let api: TestApi;
let runId: string;

beforeAll(async () => {
  api = await createTestApi();
  const ds = api.db.dataSource;
  const fx = await createProjectFixture(ds, {
    samples: OUTPUTS.length,
    sample: (i) => ({ input_text: i === 0 ? '=1+1' : `question ${i}` }),
  });
  const run = await ds.getRepository(EvalRun).save({
    project_id: fx.project.id,
    dataset_id: fx.dataset.id,
    dataset_version_id: fx.version.id,
    endpoint_id: fx.endpoint.id,
    status: 'completed',
  });
  runId = run.id;
  const samples = await ds.getRepository(EvalSample).find({
    where: { dataset_version_id: fx.version.id },
    order: { position: 'ASC' },
  });
  await ds.getRepository(EvalResult).insert(
    samples.map((s, i) => ({
      run_id: run.id,
      sample_id: s.id,
      sample_position: s.position,
      repetition: 0,
      status: 'succeeded' as const,
      llm_output: OUTPUTS[i],
      latency_ms: 100 + i,
      cost_usd: 0.001,
      cached: i % 2 === 1,
    })),
  );
});
afterAll(async () => {
  await api?.close();
});

describe('GET /api/eval/runs/{id}/export?format=csv', () => {
  it('prefixes cells starting with = + - @ tab or CR with a quote and writes booleans as true/false', async () => {
    const res = await api.call('GET', `/api/eval/runs/${runId}/export?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows: Record<string, string>[] = parse(await res.text(), { columns: true });
    expect(rows).toHaveLength(OUTPUTS.length);
    const byOutput = rows.map((r) => r.llm_output);
    expect(byOutput).toEqual([
      `'=HYPERLINK("http://x")`,
      "'+1",
      "'-2",
      "'@SUM(A1)",
      "'\tfoo",
      "'\rbar",
      'plain answer',
      'a = b - c',
    ]);
    // User text in any column, not only outputs.
    expect(rows[0].input_text).toBe("'=1+1");
    expect(rows.map((r) => r.cached)).toEqual(OUTPUTS.map((_, i) => (i % 2 === 1 ? 'true' : 'false')));
    // Numbers stay numbers.
    expect(rows[0].latency_ms).toBe('100');
    expect(rows[0].cost_usd).toBe('0.001');
  });

  it('leaves the JSON export as it was: raw values and real booleans', async () => {
    const res = await api.call('GET', `/api/eval/runs/${runId}/export?format=json`);
    const rows = (await res.json()) as { llm_output: string; cached: boolean }[];
    expect(rows.map((r) => r.llm_output)).toEqual(OUTPUTS);
    expect(rows[0].cached).toBe(false);
  });
});
