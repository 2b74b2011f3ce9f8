import type { MigrationInterface, QueryRunner } from 'typeorm';

/** GitHub integration: repository → project links, per-PR comment ids, per-run check run ids.
 * `up` was generated from the entities (`npm run db:diff`); `down` drops the tables children-first. */
export class GitHub1764400000000 implements MigrationInterface {
  name = 'GitHub1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "github_repositories" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "full_name" character varying(255) NOT NULL, "dataset_id" uuid NOT NULL, "endpoint_id" uuid NOT NULL, "path_filters" jsonb NOT NULL DEFAULT '[]', "fail_on_regression" boolean NOT NULL DEFAULT true, "installation_id" bigint, "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b79a368b43cd2b79b14ca6fb2e2" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "idx_github_repositories_project_id" ON "github_repositories"  ("project_id") `,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_github_repositories_full_name" ON "github_repositories"  ("full_name") `,
    );
    await q.query(
      `CREATE TABLE "github_check_runs" ("run_id" uuid NOT NULL, "repository_id" uuid NOT NULL, "pr_number" integer, "head_sha" character varying(40) NOT NULL, "check_run_id" bigint, "conclusion" character varying(20), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ff18361636b4b850ab7cb4009ff" PRIMARY KEY ("run_id"))`,
    );
    await q.query(
      `CREATE INDEX "idx_github_check_runs_check_run_id" ON "github_check_runs"  ("check_run_id") `,
    );
    await q.query(
      `CREATE TABLE "github_pull_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "repository_id" uuid NOT NULL, "pr_number" integer NOT NULL, "head_sha" character varying(40) NOT NULL, "comment_id" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_github_pull_requests_repository_number" UNIQUE ("repository_id", "pr_number"), CONSTRAINT "PK_cdbb22e2ee279ee7ae180b27994" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `ALTER TABLE "github_repositories" ADD CONSTRAINT "fk_github_repositories_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "github_repositories" ADD CONSTRAINT "fk_github_repositories_dataset" FOREIGN KEY ("dataset_id") REFERENCES "eval_datasets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "github_repositories" ADD CONSTRAINT "fk_github_repositories_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "llm_endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "github_check_runs" ADD CONSTRAINT "fk_github_check_runs_run" FOREIGN KEY ("run_id") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "github_check_runs" ADD CONSTRAINT "fk_github_check_runs_repository" FOREIGN KEY ("repository_id") REFERENCES "github_repositories"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "github_pull_requests" ADD CONSTRAINT "fk_github_pull_requests_repository" FOREIGN KEY ("repository_id") REFERENCES "github_repositories"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "github_check_runs"`);
    await q.query(`DROP TABLE "github_pull_requests"`);
    await q.query(`DROP TABLE "github_repositories"`);
  }
}
