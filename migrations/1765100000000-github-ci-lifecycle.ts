import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the GitHub App needs to follow a pull request's life: where the repository's eval config lives,
 * installations GitHub suspended or removed, closed pull requests (no more comments) and why a check
 * was cancelled (superseded by a newer push, or the pull request closed).
 */
export class GitHubCiLifecycle1765100000000 implements MigrationInterface {
  name = 'GitHubCiLifecycle1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "github_repositories" ADD "config_path" character varying(1024) NOT NULL DEFAULT 'evalforge.yaml'`,
    );
    await q.query(
      `ALTER TABLE "github_repositories" ADD "installation_suspended_at" TIMESTAMP WITH TIME ZONE`,
    );
    await q.query(`ALTER TABLE "github_pull_requests" ADD "closed_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "github_check_runs" ADD "cancel_reason" character varying(255)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "github_check_runs" DROP COLUMN "cancel_reason"`);
    await q.query(`ALTER TABLE "github_pull_requests" DROP COLUMN "closed_at"`);
    await q.query(`ALTER TABLE "github_repositories" DROP COLUMN "installation_suspended_at"`);
    await q.query(`ALTER TABLE "github_repositories" DROP COLUMN "config_path"`);
  }
}
