import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Human review of results (one current review per reviewer per result and judge; judge_type NULL =
 * the result as a whole), and an optional name and labels on runs.
 */
export class ReviewsAndRunLabels1765200000000 implements MigrationInterface {
  name = 'ReviewsAndRunLabels1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "eval_runs" ADD "name" character varying(200)`);
    await q.query(`ALTER TABLE "eval_runs" ADD "labels" jsonb NOT NULL DEFAULT '[]'`);
    await q.query(
      `CREATE TABLE "human_reviews" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "result_id" uuid NOT NULL, "run_id" uuid NOT NULL, "judge_type" character varying(50), "passed" boolean NOT NULL, "score" double precision, "comment" character varying(2000), "reviewer" character varying(255) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_human_reviews" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_human_reviews_run" ON "human_reviews" ("run_id", "created_at") `);
    await q.query(
      `CREATE UNIQUE INDEX "uq_human_reviews_result_overall_reviewer" ON "human_reviews" ("result_id", "reviewer") WHERE judge_type IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_human_reviews_result_judge_reviewer" ON "human_reviews" ("result_id", "judge_type", "reviewer") WHERE judge_type IS NOT NULL`,
    );
    await q.query(
      `ALTER TABLE "human_reviews" ADD CONSTRAINT "fk_human_reviews_result" FOREIGN KEY ("result_id") REFERENCES "eval_results"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "human_reviews" ADD CONSTRAINT "fk_human_reviews_run" FOREIGN KEY ("run_id") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "human_reviews"`);
    await q.query(`ALTER TABLE "eval_runs" DROP COLUMN "labels"`);
    await q.query(`ALTER TABLE "eval_runs" DROP COLUMN "name"`);
  }
}
