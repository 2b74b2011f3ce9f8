import type { MigrationInterface, QueryRunner } from 'typeorm';

/** sample_key is unique within a dataset version: it names "the same sample" across versions, so runs
 * on two versions can be paired by it. `up` was generated from the entities (`npm run db:diff`). */
export class SampleKeys1764200000000 implements MigrationInterface {
  name = 'SampleKeys1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNIQUE INDEX "uq_eval_samples_version_key" ON "eval_samples"  ("dataset_version_id", "sample_key") `,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "uq_eval_samples_version_key"`);
  }
}
