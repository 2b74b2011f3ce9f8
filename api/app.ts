import { swaggerUI } from '@hono/swagger-ui';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from './deps.js';
import { errorBody, handleError, zodIssues } from './errors.js';
import { healthRoutes } from './routes/health.js';
import { APP_VERSION } from './version.js';

/** The Hono app, built from explicit dependencies so tests can run it on a test database. */
export function createApp(deps: ApiDeps) {
  const app = new OpenAPIHono({
    // zod failures at the boundary become 400s in the shared error shape.
    defaultHook: (result, c) => {
      if (!result.success) {
        return c.json(errorBody('validation_error', 'invalid request', zodIssues(result.error)), 400);
      }
    },
  });

  app.onError((err, c) =>
    handleError(err, c, (e) => deps.logger.error({ err: e, path: c.req.path }, 'unhandled error')),
  );
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));

  app.route('/', healthRoutes(deps));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'EvalForge API', version: APP_VERSION },
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json' }));
  return app;
}

export type App = ReturnType<typeof createApp>;
