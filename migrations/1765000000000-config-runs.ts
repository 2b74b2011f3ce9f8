import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs started from a repository's evalforge.yaml: a dataset version made from a file remembers the
 * file's sha256 (the same content maps to the same version), and a run records the hash of what decides its
 * answers and verdict, so runs of one config can be found (a baseline, or a result to reuse).
 */
export class ConfigRuns1765000000000 implements MigrationInterface {
  name = 'ConfigRuns1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "dataset_versions" ADD "content_sha256" character(64)`);
    await q.query(`ALTER TABLE "eval_runs" ADD "config_sha256" character(64)`);
    await q.query(
      `CREATE INDEX "idx_dataset_versions_dataset_content" ON "dataset_versions" ("dataset_id", "content_sha256") `,
    );
    await q.query(
      `CREATE INDEX "idx_eval_runs_project_config_sha" ON "eval_runs" ("project_id", "config_sha256") `,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."idx_eval_runs_project_config_sha"`);
    await q.query(`DROP INDEX "public"."idx_dataset_versions_dataset_content"`);
    await q.query(`ALTER TABLE "eval_runs" DROP COLUMN "config_sha256"`);
    await q.query(`ALTER TABLE "dataset_versions" DROP COLUMN "content_sha256"`);
  }
}
