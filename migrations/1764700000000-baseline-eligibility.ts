import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A project's limit on the share of failed samples a run may have and still serve as a baseline:
 * comparing against a run whose model calls mostly failed would make any candidate look fine.
 */
export class BaselineEligibility1764700000000 implements MigrationInterface {
  name = 'BaselineEligibility1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "projects" ADD "baseline_max_failed_share" double precision NOT NULL DEFAULT '0.05'`,
    );
    await q.query(
      `ALTER TABLE "projects" ADD CONSTRAINT "chk_projects_baseline_max_failed_share" CHECK ("baseline_max_failed_share" >= 0 AND "baseline_max_failed_share" <= 1)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "projects" DROP CONSTRAINT "chk_projects_baseline_max_failed_share"`);
    await q.query(`ALTER TABLE "projects" DROP COLUMN "baseline_max_failed_share"`);
  }
}
