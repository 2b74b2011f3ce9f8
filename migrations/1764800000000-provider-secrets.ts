import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provider secrets per project, encrypted at rest (AES-256-GCM; only a hint is readable), and the
 * endpoint's reference to one. A secret an endpoint uses cannot be deleted (NO ACTION), while deleting
 * the project removes both.
 */
export class ProviderSecrets1764800000000 implements MigrationInterface {
  name = 'ProviderSecrets1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "provider_secrets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "ciphertext" text NOT NULL, "hint" character varying(16) NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_provider_secrets_project_name" UNIQUE ("project_id", "name"), CONSTRAINT "PK_d20dd983853ca18929e1c57b1fe" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `ALTER TABLE "provider_secrets" ADD CONSTRAINT "fk_provider_secrets_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(`ALTER TABLE "llm_endpoints" ADD "secret_id" uuid`);
    await q.query(`CREATE INDEX "idx_llm_endpoints_secret_id" ON "llm_endpoints"  ("secret_id") `);
    await q.query(
      `ALTER TABLE "llm_endpoints" ADD CONSTRAINT "fk_llm_endpoints_secret" FOREIGN KEY ("secret_id") REFERENCES "provider_secrets"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "llm_endpoints" DROP CONSTRAINT "fk_llm_endpoints_secret"`);
    await q.query(`DROP INDEX "public"."idx_llm_endpoints_secret_id"`);
    await q.query(`ALTER TABLE "llm_endpoints" DROP COLUMN "secret_id"`);
    await q.query(`ALTER TABLE "provider_secrets" DROP CONSTRAINT "fk_provider_secrets_project"`);
    await q.query(`DROP TABLE "provider_secrets"`);
  }
}
