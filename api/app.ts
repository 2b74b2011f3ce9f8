import { OpenAPIHono } from '@hono/zod-openapi';
import { gitHubRoutes } from '../github-app/http/routes.js';
import type { ApiDeps } from './deps.js';
import { errorBody, handleError, validationHook } from './errors.js';
import { adminMetricsAccess, authenticate, warnWithoutAdminKey } from './middleware/auth.js';
import { jsonBodyLimit, utf8Body } from './middleware/body-limit.js';
import type { ApiEnv } from './middleware/context.js';
import { mountMetrics } from './middleware/metrics.js';
import { FailedAuthLimiter, rateLimit } from './middleware/rate-limit.js';
import { requestIds, requestLog } from './middleware/request-log.js';
import { analyticsRoutes } from './routes/analytics.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { ciRoutes } from './routes/ci.js';
import { configRunRoutes } from './routes/config-runs.js';
import { datasetRoutes } from './routes/datasets.js';
import { docsRoutes } from './routes/docs.js';
import { endpointRoutes } from './routes/endpoints.js';
import { guardrailRoutes } from './routes/guardrails.js';
import { healthRoutes } from './routes/health.js';
import { judgeRoutes } from './routes/judges.js';
import { projectRoutes } from './routes/projects.js';
import { reviewRoutes } from './routes/reviews.js';
import { runRoutes } from './routes/runs.js';
import { sampleRoutes } from './routes/samples.js';
import { secretRoutes } from './routes/secrets.js';
import { uploadRoutes } from './routes/uploads.js';
import { webhookRoutes } from './routes/webhooks.js';
import { staticDashboard } from './static-dashboard.js';
import { APP_VERSION } from './version.js';

/** The Hono app, built from explicit dependencies so tests can run it on a test database. */
export function createApp(deps: ApiDeps) {
  // zod failures at the boundary become 400s (422 for unstorable text) in the shared error shape.
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });

  app.onError((err, c) =>
    handleError(err, c, (e) =>
      deps.logger.error({ err: e, path: c.req.path, request_id: c.get('requestId') }, 'unhandled error'),
    ),
  );
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));

  warnWithoutAdminKey(deps);
  // One count of failed keys per client address, for the API routes and /metrics alike.
  const failedAuth = new FailedAuthLimiter();
  mountMetrics(app, adminMetricsAccess(deps, failedAuth));
  app.use('*', requestIds(), requestLog(deps));
  // Who is calling before anything reads a body: unauthenticated clients cannot make us buffer.
  // Then the body: bounded, and refused unless it is UTF-8.
  app.use('/api/*', authenticate(deps, failedAuth), rateLimit(deps), jsonBodyLimit(deps), utf8Body());

  app.route('/', healthRoutes(deps));
  app.route('/', projectRoutes(deps));
  app.route('/', endpointRoutes(deps));
  app.route('/', secretRoutes(deps));
  app.route('/', datasetRoutes(deps));
  app.route('/', sampleRoutes(deps));
  app.route('/', uploadRoutes(deps));
  app.route('/', guardrailRoutes(deps));
  app.route('/', judgeRoutes());
  app.route('/', apiKeyRoutes(deps));
  app.route('/', runRoutes(deps));
  app.route('/', configRunRoutes(deps));
  app.route('/', reviewRoutes(deps));
  app.route('/', analyticsRoutes(deps));
  app.route('/', webhookRoutes(deps));
  app.route('/', ciRoutes(deps));
  app.route('/', gitHubRoutes(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A project API key (POST /api/projects/{id}/api-keys) or the admin key. Optional in dev mode.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'EvalForge API', version: APP_VERSION, description: OPENAPI_DESCRIPTION },
    security: [{ bearerAuth: [] }],
  });
  app.route('/', docsRoutes({ specUrl: '/openapi.json' }));
  app.route('/', staticDashboard()); // last: a catch-all for the dashboard's own routes
  return app;
}

export type App = ReturnType<typeof createApp>;

const OPENAPI_DESCRIPTION = [
  'Self-hostable LLM evaluation: projects, model endpoints, versioned datasets, runs, guardrails.',
  'Errors are always `{"error": {"code", "message", "details"}}`. Every response carries an X-Request-Id.',
  'Outside dev mode send `Authorization: Bearer <key>`; keys are rate limited (429 with Retry-After).',
].join('\n\n');
