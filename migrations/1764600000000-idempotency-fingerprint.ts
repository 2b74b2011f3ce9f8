import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key reuse detection: each run stores a fingerprint of the request that created it, so the
 * same key with a different request is refused instead of silently answering with the old run.
 * Existing rows stay NULL (their requests are gone): their keys keep matching any request.
 */
export class IdempotencyFingerprint1764600000000 implements MigrationInterface {
  name = 'IdempotencyFingerprint1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "eval_runs" ADD "request_fingerprint" character(64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "eval_runs" DROP COLUMN "request_fingerprint"`);
  }
}
