/**
 * Human review of a run's results (PUT/DELETE …/results/{result_id}/review, GET …/reviews) and how
 * often people agree with each judge (GET …/reviews/summary). Authorized per project like every run route.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { REVIEW_COMMENT_MAX } from '../../db/entities/index.js';
import type { ApiDeps } from '../deps.js';
import { authOf, authorizeProject } from '../middleware/auth.js';
import type { ApiEnv } from '../middleware/context.js';
import { IdParams, PaginationQuery, paginated, Timestamp, Uuid } from '../schemas/common.js';
import { errorResponses, jsonContent } from '../schemas/responses.js';
import { storableString } from '../schemas/text.js';
import { deleteReview, listReviews, reviewerOf, reviewSummary, saveReview } from '../services/reviews.js';
import { getRun } from '../services/runs.js';

const JudgeTypeField = z.string().min(1).max(50);

export const ReviewBody = z
  .strictObject({
    judge_type: JudgeTypeField.nullable()
      .optional()
      .describe(
        'the judge whose verdict is reviewed (one that scored the result); omitted or null: the result as a whole',
      ),
    passed: z.boolean().describe("the reviewer's verdict"),
    score: z.number().min(0).max(1).nullable().optional().describe('optional score, 0..1'),
    comment: storableString()
      .max(REVIEW_COMMENT_MAX)
      .nullable()
      .optional()
      .describe(`optional comment (≤ ${REVIEW_COMMENT_MAX} characters)`),
  })
  .openapi('HumanReviewInput', {
    example: { passed: false, score: 0.2, comment: 'Leaks the e-mail address.' },
  });

export const ReviewSchema = z
  .object({
    id: Uuid,
    result_id: Uuid,
    run_id: Uuid,
    judge_type: z.string().nullable().describe('null: a review of the result as a whole'),
    passed: z.boolean(),
    score: z.number().nullable(),
    comment: z.string().nullable(),
    reviewer: z
      .string()
      .describe('the API key\'s name; "admin" for the admin key; "dev" in dev mode without a key'),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('HumanReview');

export const JudgeAgreementSchema = z
  .object({
    judge_type: z.string(),
    n: z.number().int().describe('results with both a verdict of this judge (no error) and a human verdict'),
    both_passed: z.number().int(),
    human_only_passed: z.number().int(),
    judge_only_passed: z.number().int(),
    both_failed: z.number().int(),
    agreement: z.number().nullable().describe('share of those results where human and judge agree'),
    kappa: z.number().nullable().describe("Cohen's kappa; null unless both pass and fail occur"),
  })
  .openapi('JudgeAgreement');

export const ReviewSummarySchema = z
  .object({
    run_id: Uuid,
    reviews: z.number().int(),
    reviewed_results: z.number().int(),
    judges: z.array(JudgeAgreementSchema),
  })
  .openapi('ReviewSummary');

const ResultParams = IdParams.extend({
  result_id: Uuid.openapi({ param: { name: 'result_id', in: 'path' } }),
});

const putRoute = createRoute({
  method: 'put',
  path: '/api/eval/runs/{id}/results/{result_id}/review',
  tags: ['reviews'],
  summary:
    "Record the caller's review of a result (overall, or of one judge's verdict); saving again updates it",
  request: {
    params: ResultParams,
    body: { required: true, content: { 'application/json': { schema: ReviewBody } } },
  },
  responses: {
    200: jsonContent(ReviewSchema, 'the review, updated'),
    201: jsonContent(ReviewSchema, 'the review, recorded'),
    ...errorResponses(404, 422),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/eval/runs/{id}/results/{result_id}/review',
  tags: ['reviews'],
  summary: "Delete the caller's review of a result (overall, or of `judge_type`)",
  request: {
    params: ResultParams,
    query: z.object({ judge_type: JudgeTypeField.optional().describe('omitted: the overall review') }),
  },
  responses: { 204: { description: 'deleted' }, ...errorResponses(404) },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/eval/runs/{id}/reviews',
  tags: ['reviews'],
  summary: "A run's human reviews, newest first (paginated)",
  request: {
    params: IdParams,
    query: PaginationQuery.extend({
      result_id: Uuid.optional().describe("only this result's reviews"),
      reviewer: z.string().max(255).optional(),
    }),
  },
  responses: { 200: jsonContent(paginated(ReviewSchema), 'a page of reviews'), ...errorResponses(404) },
});

const summaryRoute = createRoute({
  method: 'get',
  path: '/api/eval/runs/{id}/reviews/summary',
  tags: ['reviews'],
  summary:
    "Per judge, how often people agree with it: on each reviewed result the person's verdict is the newest review of that judge, else the newest overall review",
  request: { params: IdParams },
  responses: { 200: jsonContent(ReviewSummarySchema, 'agreement per judge'), ...errorResponses(404) },
});

export function reviewRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const ownedRun = async (c: Context, id: string) => {
    const run = await getRun(deps, id);
    authorizeProject(c, run.project_id);
    return run;
  };

  app.openapi(putRoute, async (c) => {
    const { id, result_id } = c.req.valid('param');
    await ownedRun(c, id);
    const reviewer = await reviewerOf(deps.dataSource, authOf(c));
    const { review, created } = await saveReview(
      deps.dataSource,
      id,
      result_id,
      reviewer,
      c.req.valid('json'),
    );
    return c.json(review, created ? 201 : 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id, result_id } = c.req.valid('param');
    await ownedRun(c, id);
    const reviewer = await reviewerOf(deps.dataSource, authOf(c));
    await deleteReview(deps.dataSource, id, result_id, reviewer, c.req.valid('query').judge_type ?? null);
    return c.body(null, 204);
  });

  app.openapi(listRoute, async (c) => {
    const { id } = c.req.valid('param');
    await ownedRun(c, id);
    const { offset, limit, ...filter } = c.req.valid('query');
    return c.json(await listReviews(deps.dataSource, id, filter, { offset, limit }), 200);
  });

  app.openapi(summaryRoute, async (c) => {
    const { id } = c.req.valid('param');
    await ownedRun(c, id);
    return c.json(await reviewSummary(deps.dataSource, id), 200);
  });

  return app;
}
