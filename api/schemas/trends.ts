import { z } from '@hono/zod-openapi';
import { Timestamp, Uuid } from './common.js';

/** One run's figures for one judge in a trend series. */
export const TrendPoint = z.object({
  run_id: Uuid,
  created_at: Timestamp,
  git_branch: z.string().nullable(),
  git_commit_sha: z.string().nullable(),
  n: z.number().int(),
  mean_score: z.number().nullable(),
  pass_rate: z.number().nullable(),
  regression: z.boolean().describe('this run regressed on this judge against its baseline'),
});
export type TrendPoint = z.infer<typeof TrendPoint>;
