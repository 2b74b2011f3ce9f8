/** CSV export: cells a spreadsheet would run as formulas are escaped; booleans are written out. */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalResult, EvalRun, EvalSample } from '../../db/entities/index.js';
import { createProjectFixture } from '../../test/fixtures/projects.js';
import { completeRun, createRunRow, insertResults } from '../../test/fixtures/runs.js';
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

describe('CSV export columns: per judge, metadata, human review', () => {
  let wideRunId: string;

  beforeAll(async () => {
    const ds = api.db.dataSource;
    const METADATA: Record<string, unknown>[] = [
      { category: 'math', tags: ['a', 'b'], nested: { x: 1 } },
      { category: '=cmd()', difficulty: -3 },
      {},
    ];
    const fx = await createProjectFixture(ds, { samples: 3, sample: (i) => ({ metadata: METADATA[i] }) });
    const run = await createRunRow(ds, fx);
    await insertResults(ds, run, [0, 1, 2], (i) => ({
      llm_output: `answer ${i}`,
      // Result 2 has no toxicity score; result 1's pii judge errored.
      scores: {
        pii:
          i === 1 ? { score: null, passed: false, error: 'timeout' } : { score: 0.5 + i / 10, passed: true },
        ...(i === 2 ? {} : { toxicity: { score: 0.1, passed: i === 0 } }),
      },
    }));
    wideRunId = (await completeRun(ds, run)).id;
    const [first] = await ds
      .getRepository(EvalResult)
      .find({ where: { run_id: wideRunId, sample_position: 0 } });
    const review = await api.call('PUT', `/api/eval/runs/${wideRunId}/results/${first.id}/review`, {
      passed: false,
      score: 0.3,
      comment: '@mention and =formula',
    });
    expect(review.status).toBe(201);
  });

  it('has score_<judge> and passed_<judge>, the review and metadata.<key> (union, one level) columns', async () => {
    const res = await api.call('GET', `/api/eval/runs/${wideRunId}/export?format=csv`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const [header] = parse(text, { to_line: 1 }) as string[][];
    expect(header.slice(header.indexOf('scores') + 1)).toEqual([
      'score_pii',
      'passed_pii',
      'score_toxicity',
      'passed_toxicity',
      'review_passed',
      'review_score',
      'review_comment',
      'review_reviewer',
      'metadata.category',
      'metadata.difficulty',
      'metadata.nested',
      'metadata.tags',
    ]);
    const rows: Record<string, string>[] = parse(text, { columns: true });
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => [r.score_pii, r.passed_pii, r.score_toxicity, r.passed_toxicity])).toEqual([
      ['0.5', 'true', '0.1', 'true'],
      ['', 'false', '0.1', 'false'],
      ['0.7', 'true', '', ''],
    ]);
    expect(rows[0]).toMatchObject({
      review_passed: 'false',
      review_score: '0.3',
      review_comment: "'@mention and =formula",
      review_reviewer: 'dev',
      'metadata.category': 'math',
      'metadata.tags': '["a","b"]',
      'metadata.nested': '{"x":1}',
      'metadata.difficulty': '',
    });
    expect(rows[1]).toMatchObject({
      review_passed: '',
      review_comment: '',
      // Injection escaping covers metadata too; negative numbers stay numbers.
      'metadata.category': "'=cmd()",
      'metadata.difficulty': '-3',
    });
    expect(rows[2]['metadata.category']).toBe('');
    // The one-cell summary of every judge is still there.
    expect(rows[1].scores).toBe('pii=error(fail); toxicity=0.1(fail)');
  });

  it('streams runs larger than one page in sample order', async () => {
    const ds = api.db.dataSource;
    const fx = await createProjectFixture(ds, { samples: 1_205 });
    const run = await createRunRow(ds, fx);
    const positions = Array.from({ length: 1_002 }, (_, i) => i);
    await insertResults(ds, run, positions, (i) => ({
      llm_output: `o${i}`,
      scores: { pii: { score: 1, passed: true } },
    }));
    const res = await api.call('GET', `/api/eval/runs/${run.id}/export?format=csv`);
    const rows: Record<string, string>[] = parse(await res.text(), { columns: true });
    expect(rows).toHaveLength(1_002);
    expect(rows[1_001].llm_output).toBe('o1001');
    expect(rows[1_001].passed_pii).toBe('true');
  }, 60_000);
});
