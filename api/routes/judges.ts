import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { JUDGE_TYPES } from '../../judges/judge-types.js';
import type { ApiEnv } from '../middleware/context.js';
import {
  JUDGE_CONFIG_JSON_SCHEMAS,
  JUDGE_LIST,
  JudgeInfoSchema,
  judgeConfigComponentName,
} from '../schemas/judges.js';
import { errorResponses, jsonContent } from '../schemas/responses.js';

const listJudges = createRoute({
  method: 'get',
  path: '/api/judges',
  tags: ['guardrails'],
  summary: 'The judge types a guardrail can use, with the JSON Schema of each config',
  description:
    "Any API key may read it (it is the same for every project). A guardrail config is the judge's options plus " +
    'the gate settings (min_pass_rate, on_error, min_effect, higher_is_better, queue); unknown keys are refused.',
  responses: { 200: jsonContent(z.array(JudgeInfoSchema), 'every judge type'), ...errorResponses() },
});

// No dependencies: the list is fixed by the code that serves it.
export function judgeRoutes() {
  const app = new OpenAPIHono<ApiEnv>();
  for (const type of JUDGE_TYPES) {
    app.openAPIRegistry.registerComponent(
      'schemas',
      judgeConfigComponentName(type),
      JUDGE_CONFIG_JSON_SCHEMAS[type],
    );
  }
  app.openapi(listJudges, (c) => c.json(JUDGE_LIST, 200));
  return app;
}
