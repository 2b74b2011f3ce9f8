import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Results page in dataset order from one index: each result carries its sample's position
 * (copied from eval_samples, which never changes for a stored sample), indexed with the run id and
 * covering id and status, so finding a page's rows reads the index only.
 * Existing rows are back-filled before the column becomes NOT NULL. Also an expression index on the
 * samples' metadata category, the filter the dashboard offers first.
 */
export class ResultOrder1764500000000 implements MigrationInterface {
  name = 'ResultOrder1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "eval_results" ADD "sample_position" integer`);
    await q.query(
      `UPDATE "eval_results" r SET "sample_position" = s."position" FROM "eval_samples" s WHERE s."id" = r."sample_id"`,
    );
    await q.query(`ALTER TABLE "eval_results" ALTER COLUMN "sample_position" SET NOT NULL`);
    // Statistics on the category expression too: without them the planner guesses 0.5% of samples match a
    // category filter and hashes the whole dataset instead of walking the page's index.
    await q.query(
      `CREATE INDEX "idx_eval_samples_version_category" ON "eval_samples" ("dataset_version_id", ((metadata->>'category')))`,
    );
    await q.query(
      `CREATE INDEX "idx_eval_results_run_order" ON "eval_results" ("run_id", "sample_position", "repetition") INCLUDE ("id", "status")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."idx_eval_results_run_order"`);
    await q.query(`DROP INDEX "public"."idx_eval_samples_version_category"`);
    await q.query(`ALTER TABLE "eval_results" DROP COLUMN "sample_position"`);
  }
}
