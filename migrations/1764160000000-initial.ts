import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The seed plan's eight tables plus dataset versions, API keys and the response cache.
 * `up` was generated from the entities (`npm run db:diff`) and is kept as written;
 * `down` drops the tables children-first (their indexes and constraints go with them). */
export class Initial1764160000000 implements MigrationInterface {
  name = 'Initial1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "projects" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(255) NOT NULL, "description" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6271df0a7aed1d6c0691ce6ac50" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "name" character varying(255) NOT NULL, "key_prefix" character varying(16) NOT NULL, "key_hash" character(64) NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_api_keys_project_id" ON "api_keys"  ("project_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_api_keys_key_hash" ON "api_keys"  ("key_hash") `);
    await q.query(
      `CREATE TABLE "eval_datasets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "name" character varying(255) NOT NULL, "description" text, "version" integer NOT NULL DEFAULT '1', "tags" text array NOT NULL DEFAULT '{}', "archived_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7b287375a2c4d88836955d1b7b8" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_eval_datasets_project_id" ON "eval_datasets"  ("project_id") `);
    await q.query(
      `CREATE TABLE "dataset_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "dataset_id" uuid NOT NULL, "version" integer NOT NULL, "sample_count" integer NOT NULL DEFAULT '0', "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_dataset_versions_dataset_version" UNIQUE ("dataset_id", "version"), CONSTRAINT "PK_2335c164f3df47dabfe7d0fc6e5" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "llm_endpoints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "name" character varying(255), "provider" character varying(50) NOT NULL, "model_name" character varying(255) NOT NULL, "endpoint_url" text, "config" jsonb NOT NULL DEFAULT '{}', "api_key_env" character varying(255), "archived_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_17a10f0472630636ca1f8918a60" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_llm_endpoints_project_id" ON "llm_endpoints"  ("project_id") `);
    await q.query(
      `CREATE TABLE "eval_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "dataset_id" uuid NOT NULL, "dataset_version_id" uuid NOT NULL, "endpoint_id" uuid NOT NULL, "baseline_run_id" uuid, "status" character varying(20) NOT NULL DEFAULT 'pending', "trigger_type" character varying(20), "git_commit_sha" character varying(40), "git_branch" character varying(255), "git_base_branch" character varying(255), "pr_number" integer, "workflow_id" character varying(255), "idempotency_key" character varying(255), "config" jsonb NOT NULL DEFAULT '{}', "repetitions" integer NOT NULL DEFAULT '1', "use_cache" boolean NOT NULL DEFAULT false, "budget_usd" numeric(14,6), "total_samples" integer NOT NULL DEFAULT '0', "input_tokens" bigint NOT NULL DEFAULT '0', "output_tokens" bigint NOT NULL DEFAULT '0', "cost_usd" numeric(14,6) NOT NULL DEFAULT '0', "judge_cost_usd" numeric(14,6) NOT NULL DEFAULT '0', "started_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "error" text, "summary" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_101cbfa3f6228653c22118190b6" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "idx_eval_runs_idempotency_key" ON "eval_runs"  ("project_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "idx_eval_runs_baseline_lookup" ON "eval_runs"  ("project_id", "dataset_version_id", "endpoint_id", "status", "completed_at") `,
    );
    await q.query(
      `CREATE INDEX "idx_eval_runs_project_branch_created" ON "eval_runs"  ("project_id", "git_branch", "created_at") `,
    );
    await q.query(`CREATE INDEX "idx_eval_runs_commit_sha" ON "eval_runs"  ("git_commit_sha") `);
    await q.query(`CREATE INDEX "idx_eval_runs_created" ON "eval_runs"  ("created_at") `);
    await q.query(`CREATE INDEX "idx_eval_runs_project_status" ON "eval_runs"  ("project_id", "status") `);
    await q.query(
      `CREATE TABLE "eval_samples" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "dataset_id" uuid NOT NULL, "dataset_version_id" uuid NOT NULL, "sample_key" character varying(255) NOT NULL, "position" integer NOT NULL, "input_text" text NOT NULL, "system_prompt" text, "reference_output" text, "metadata" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0bfead12648c62d04b2def28d15" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "idx_eval_samples_dataset_key" ON "eval_samples"  ("dataset_id", "sample_key") `,
    );
    await q.query(
      `CREATE UNIQUE INDEX "idx_eval_samples_version_position" ON "eval_samples"  ("dataset_version_id", "position") `,
    );
    await q.query(
      `CREATE TABLE "eval_results" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "run_id" uuid NOT NULL, "sample_id" uuid NOT NULL, "repetition" integer NOT NULL DEFAULT '0', "status" character varying(20) NOT NULL DEFAULT 'succeeded', "llm_output" text NOT NULL, "error" text, "finish_reason" character varying(50), "latency_ms" integer, "token_count_input" integer, "token_count_output" integer, "cost_usd" numeric(14,6), "cached" boolean NOT NULL DEFAULT false, "attempts" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_eval_results_run_sample_repetition" UNIQUE ("run_id", "sample_id", "repetition"), CONSTRAINT "PK_36ac6f7b3237bf9555d6aea6ccb" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_eval_results_run_status" ON "eval_results"  ("run_id", "status") `);
    await q.query(`CREATE INDEX "idx_eval_results_sample_id" ON "eval_results"  ("sample_id") `);
    await q.query(
      `CREATE TABLE "guardrail_configs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "judge_type" character varying(50) NOT NULL, "threshold" double precision NOT NULL, "is_blocking" boolean NOT NULL DEFAULT false, "config" jsonb NOT NULL DEFAULT '{}', "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_guardrail_configs_project_judge" UNIQUE ("project_id", "judge_type"), CONSTRAINT "PK_3ff1529c27c15af0620a1b42c84" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "judge_scores" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "result_id" uuid NOT NULL, "run_id" uuid NOT NULL, "judge_type" character varying(50) NOT NULL, "score" double precision, "passed" boolean NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', "error" text, "model_id" character varying(255), "model_revision" character varying(255), "dtype" character varying(20), "latency_ms" integer, "token_count_input" integer, "token_count_output" integer, "cost_usd" numeric(14,6), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_judge_scores_result_judge" UNIQUE ("result_id", "judge_type"), CONSTRAINT "PK_7885e7a58e61066d9d75c429e75" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_judge_scores_run_judge" ON "judge_scores"  ("run_id", "judge_type") `);
    await q.query(
      `CREATE TABLE "response_cache" ("cache_key" character(64) NOT NULL, "provider" character varying(50) NOT NULL, "model_name" character varying(255) NOT NULL, "llm_output" text NOT NULL, "finish_reason" character varying(50), "token_count_input" integer, "token_count_output" integer, "hit_count" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2517e262cb9a12734272f1d2b25" PRIMARY KEY ("cache_key"))`,
    );
    await q.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "fk_api_keys_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "eval_datasets" ADD CONSTRAINT "fk_eval_datasets_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "dataset_versions" ADD CONSTRAINT "fk_dataset_versions_dataset" FOREIGN KEY ("dataset_id") REFERENCES "eval_datasets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "llm_endpoints" ADD CONSTRAINT "fk_llm_endpoints_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "eval_runs" ADD CONSTRAINT "fk_eval_runs_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "eval_runs" ADD CONSTRAINT "fk_eval_runs_dataset" FOREIGN KEY ("dataset_id") REFERENCES "eval_datasets"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "eval_runs" ADD CONSTRAINT "fk_eval_runs_dataset_version" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_versions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "eval_runs" ADD CONSTRAINT "fk_eval_runs_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "llm_endpoints"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "eval_runs" ADD CONSTRAINT "fk_eval_runs_baseline" FOREIGN KEY ("baseline_run_id") REFERENCES "eval_runs"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "eval_samples" ADD CONSTRAINT "fk_eval_samples_dataset" FOREIGN KEY ("dataset_id") REFERENCES "eval_datasets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "eval_samples" ADD CONSTRAINT "fk_eval_samples_dataset_version" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_versions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "eval_results" ADD CONSTRAINT "fk_eval_results_run" FOREIGN KEY ("run_id") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "eval_results" ADD CONSTRAINT "fk_eval_results_sample" FOREIGN KEY ("sample_id") REFERENCES "eval_samples"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "guardrail_configs" ADD CONSTRAINT "fk_guardrail_configs_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "judge_scores" ADD CONSTRAINT "fk_judge_scores_result" FOREIGN KEY ("result_id") REFERENCES "eval_results"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "judge_scores" ADD CONSTRAINT "fk_judge_scores_run" FOREIGN KEY ("run_id") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "judge_scores"`);
    await q.query(`DROP TABLE "eval_results"`);
    await q.query(`DROP TABLE "eval_runs"`);
    await q.query(`DROP TABLE "eval_samples"`);
    await q.query(`DROP TABLE "dataset_versions"`);
    await q.query(`DROP TABLE "guardrail_configs"`);
    await q.query(`DROP TABLE "api_keys"`);
    await q.query(`DROP TABLE "response_cache"`);
    await q.query(`DROP TABLE "llm_endpoints"`);
    await q.query(`DROP TABLE "eval_datasets"`);
    await q.query(`DROP TABLE "projects"`);
  }
}
