/** GET /api/eval/compare's query: the run pair, and the per-sample view (order, judge, change) over all of it. */
import { z } from '@hono/zod-openapi';
import { PaginationQuery, Uuid } from './common.js';
import { JudgeTypeName } from './judges.js';

/**
 * `changed`: changed outcomes first (the default); `regression`: the largest score drop first (the most
 * negative per-judge score change, then the smallest net change); `sample`: by sample key.
 */
export const COMPARE_SORTS = ['changed', 'regression', 'sample'] as const;
/**
 * `changed`: the model call's status or a judge's pass/fail differs (or one side lacks it); `unchanged`:
 * neither; `regressed`: succeeded → failed, or a judge pass → fail; `improved`: the reverse.
 */
export const COMPARE_CHANGES = ['changed', 'unchanged', 'regressed', 'improved'] as const;

export const CompareQuery = PaginationQuery.extend({
  run_ids: z
    .string()
    .describe('`<baseline>,<candidate>` run ids')
    .transform((v) => v.split(',').map((x) => x.trim()))
    .pipe(z.tuple([Uuid, Uuid])),
  sort: z
    .enum(COMPARE_SORTS)
    .default('changed')
    .describe(
      'order of the samples over the whole pair: `changed` outcomes first, `regression` = largest score drop first (per-judge candidate − baseline score; with `judge`, that judge only), `sample` key',
    ),
  judge: JudgeTypeName.optional().describe(
    'only samples either run scored with this judge; `change` and `regression` then look at this judge alone',
  ),
  change: z
    .enum(COMPARE_CHANGES)
    .optional()
    .describe(
      '`changed`: status or pass/fail differs; `unchanged`; `regressed`: succeeded → failed or pass → fail; `improved`: the reverse',
    ),
});

/** What of the samples is shown and in which order; paging comes on top. */
export type CompareView = Pick<z.infer<typeof CompareQuery>, 'sort' | 'judge' | 'change'>;
