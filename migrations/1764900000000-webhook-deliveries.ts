import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accepted webhook deliveries, unique per signed body: a replayed body (any X-GitHub-Delivery) is a
 * duplicate, and what an accepted event asks for is recorded before the webhook answers 202.
 */
export class WebhookDeliveries1764900000000 implements MigrationInterface {
  name = 'WebhookDeliveries1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source" character varying(20) NOT NULL, "body_sha256" character(64) NOT NULL, "delivery_id" character varying(100) NOT NULL, "event" character varying(100) NOT NULL, "identity" character varying(255) NOT NULL, "task" jsonb NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'accepted', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_webhook_deliveries" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_webhook_deliveries_source_body" ON "webhook_deliveries" ("source", "body_sha256") `,
    );
    await q.query(
      `CREATE INDEX "idx_webhook_deliveries_received_at" ON "webhook_deliveries" ("received_at") `,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "webhook_deliveries"`);
  }
}
