import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Shared per-endpoint rate limits for all worker processes (activities/generation/scheduler).
 * `up` is `npm run db:diff` output with UNLOGGED added: the state is ephemeral (buckets refill, leases
 * expire), so it skips the WAL; after a crash PostgreSQL empties these tables, which only resets limits. */
export class RateLimits1764300000000 implements MigrationInterface {
  name = 'RateLimits1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNLOGGED TABLE "rate_limit_buckets" ("key" character varying(255) NOT NULL, "requests_available" double precision NOT NULL, "tokens_available" double precision NOT NULL, "refilled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" bigint NOT NULL DEFAULT '0', "paused_until" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9eb2f8a2ae370667b4ca83dd313" PRIMARY KEY ("key"))`,
    );
    await q.query(
      `CREATE UNLOGGED TABLE "rate_limit_leases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "bucket_key" character varying(255) NOT NULL, "holder" character varying(255) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ac892fa14362418322c1b859305" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "idx_rate_limit_leases_bucket_expires" ON "rate_limit_leases"  ("bucket_key", "expires_at") `,
    );
    await q.query(
      `ALTER TABLE "rate_limit_leases" ADD CONSTRAINT "fk_rate_limit_leases_bucket" FOREIGN KEY ("bucket_key") REFERENCES "rate_limit_buckets"("key") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "rate_limit_leases"`);
    await q.query(`DROP TABLE "rate_limit_buckets"`);
  }
}
