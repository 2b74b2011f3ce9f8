import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../db/data-source.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/index.js';
import { ALL_MIGRATIONS } from './index.js';

const EXPECTED_TABLES = [
  'api_keys',
  'dataset_versions',
  'eval_datasets',
  'eval_results',
  'eval_runs',
  'eval_samples',
  'github_check_runs',
  'github_pull_requests',
  'github_repositories',
  'guardrail_configs',
  'human_reviews',
  'judge_scores',
  'llm_endpoints',
  'projects',
  'provider_secrets',
  'rate_limit_buckets',
  'rate_limit_leases',
  'response_cache',
  'webhook_deliveries',
];

const EXPECTED_UNIQUE = [
  'uq_eval_results_run_sample_repetition',
  'uq_judge_scores_result_judge',
  'uq_dataset_versions_dataset_version',
  'uq_guardrail_configs_project_judge',
  'uq_api_keys_key_hash',
  'idx_eval_samples_version_position',
  'uq_eval_samples_version_key',
  'idx_eval_runs_idempotency_key',
  'uq_github_repositories_full_name',
  'uq_github_pull_requests_repository_number',
  'uq_provider_secrets_project_name',
  'uq_webhook_deliveries_source_body',
  'uq_human_reviews_result_judge_reviewer',
  'uq_human_reviews_result_overall_reviewer',
];

// The seed plan's indexes (under our names) plus those the API's queries need.
const EXPECTED_INDEXES = [
  'idx_eval_runs_project_status',
  'idx_eval_runs_created',
  'idx_eval_runs_commit_sha',
  'idx_eval_runs_project_branch_created',
  'idx_eval_runs_baseline_lookup',
  'idx_eval_results_run_order',
  'idx_eval_samples_version_category',
  'idx_eval_results_run_status',
  'idx_eval_results_sample_id',
  'idx_judge_scores_run_judge',
  'idx_eval_samples_dataset_key',
  'idx_llm_endpoints_project_id',
  'idx_eval_datasets_project_id',
  'idx_api_keys_project_id',
  'idx_rate_limit_leases_bucket_expires',
  'idx_llm_endpoints_secret_id',
];

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await db?.drop();
});

async function tables() {
  const rows: { table_name: string }[] = await db.dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations' ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

async function indexNames() {
  const rows: { indexname: string; indexdef: string }[] = await db.dataSource.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
  );
  return new Map(rows.map((r) => [r.indexname, r.indexdef]));
}

describe('migrations', () => {
  it('start from an empty database', async () => {
    expect(await tables()).toEqual([]);
  });

  it('create every table, unique key and index', async () => {
    const applied = await runMigrations(db.dataSource);
    expect(applied.map((m) => m.name)).toEqual(ALL_MIGRATIONS.map((M) => new M().name));
    expect(await tables()).toEqual(EXPECTED_TABLES);
    const indexes = await indexNames();
    for (const name of EXPECTED_UNIQUE) {
      expect(indexes.get(name), name).toMatch(/CREATE UNIQUE INDEX/);
    }
    for (const name of EXPECTED_INDEXES) expect(indexes.has(name), name).toBe(true);
  });

  it('leave nothing for the entities to change (entities and migrations agree)', async () => {
    const pending = await db.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('keep the seed schema column names and types', async () => {
    const rows: { table_name: string; column_name: string; data_type: string }[] = await db.dataSource.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const type = (t: string, c: string) =>
      rows.find((r) => r.table_name === t && r.column_name === c)?.data_type;
    expect(type('eval_samples', 'input_text')).toBe('text');
    expect(type('eval_samples', 'metadata')).toBe('jsonb');
    expect(type('llm_endpoints', 'config')).toBe('jsonb');
    expect(type('eval_runs', 'git_commit_sha')).toBe('character varying');
    expect(type('eval_runs', 'cancelled_at')).toBe('timestamp with time zone');
    expect(type('eval_runs', 'error')).toBe('text');
    expect(type('eval_runs', 'cost_usd')).toBe('numeric');
    expect(type('eval_results', 'token_count_output')).toBe('integer');
    expect(type('judge_scores', 'score')).toBe('double precision');
    expect(type('guardrail_configs', 'is_blocking')).toBe('boolean');
    expect(type('api_keys', 'key_hash')).toBe('character');
    // No column anywhere may hold a plain API key.
    expect(rows.filter((r) => /^(api_key|secret|password|token)$/.test(r.column_name))).toEqual([]);
  });

  it('enforce idempotency keys and history protection', async () => {
    const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
    const [project] = await q(`INSERT INTO projects (name) VALUES ('p') RETURNING id`);
    const [endpoint] = await q(
      `INSERT INTO llm_endpoints (project_id, provider, model_name) VALUES ($1, 'openai', 'gpt-4o') RETURNING id`,
      [project.id],
    );
    const [dataset] = await q(`INSERT INTO eval_datasets (project_id, name) VALUES ($1, 'd') RETURNING id`, [
      project.id,
    ]);
    const [version] = await q(
      `INSERT INTO dataset_versions (dataset_id, version) VALUES ($1, 1) RETURNING id`,
      [dataset.id],
    );
    const [sample] = await q(
      `INSERT INTO eval_samples (dataset_id, dataset_version_id, sample_key, position, input_text)
       VALUES ($1, $2, 'k1', 0, 'hi') RETURNING id`,
      [dataset.id, version.id],
    );
    const [run] = await q(
      `INSERT INTO eval_runs (project_id, dataset_id, dataset_version_id, endpoint_id) VALUES ($1, $2, $3, $4) RETURNING id, status`,
      [project.id, dataset.id, version.id, endpoint.id],
    );
    expect(run.status).toBe('pending');
    const insertResult = () =>
      q(
        `INSERT INTO eval_results (run_id, sample_id, sample_position, llm_output) VALUES ($1, $2, 0, 'out') RETURNING id`,
        [run.id, sample.id],
      );
    const [result] = await insertResult();
    await expect(insertResult()).rejects.toThrow(/uq_eval_results_run_sample_repetition/);

    const insertScore = () =>
      q(
        `INSERT INTO judge_scores (result_id, run_id, judge_type, score, passed) VALUES ($1, $2, 'pii', 1, true)`,
        [result.id, run.id],
      );
    await insertScore();
    await expect(insertScore()).rejects.toThrow(/uq_judge_scores_result_judge/);

    // A dataset, version or endpoint that a run used cannot be destroyed on its own...
    await expect(q(`DELETE FROM eval_datasets WHERE id = $1`, [dataset.id])).rejects.toThrow(
      /fk_eval_runs_dataset/,
    );
    await expect(q(`DELETE FROM llm_endpoints WHERE id = $1`, [endpoint.id])).rejects.toThrow(
      /fk_eval_runs_endpoint/,
    );
    // ...while deleting the whole project removes everything it owns.
    await q(`DELETE FROM projects WHERE id = $1`, [project.id]);
    const [{ n }] = await q(`SELECT count(*)::int AS n FROM judge_scores`);
    expect(n).toBe(0);
  });

  it('migrate down to nothing and up again', async () => {
    for (let i = 0; i < ALL_MIGRATIONS.length; i++)
      await db.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    await runMigrations(db.dataSource);
    expect(await tables()).toEqual(EXPECTED_TABLES);
  });
});
