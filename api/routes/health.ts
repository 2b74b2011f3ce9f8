import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import protos from '@temporalio/proto';
import { ALL_TASK_QUEUES, TASK_QUEUES } from '../../temporal.config.js';
import type { ApiDeps } from '../deps.js';
import { APP_VERSION } from '../version.js';

const ComponentSchema = z.object({
  status: z.enum(['up', 'down']),
  version: z.string().nullable(),
  error: z.string().nullable(),
});

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    mode: z.enum(['dev', 'production']),
    database: ComponentSchema,
    temporal: ComponentSchema.extend({ namespace: z.string(), ui_url: z.string().nullable() }),
    workers: z
      .record(z.string(), z.object({ pollers: z.number().int() }))
      .describe('live pollers per task queue'),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['system'],
  // Public: load balancers and probes ask it without a key.
  security: [],
  summary: 'Database, Temporal and worker status with versions',
  responses: {
    200: { description: 'everything reachable', content: { 'application/json': { schema: HealthSchema } } },
    503: { description: 'a dependency is down', content: { 'application/json': { schema: HealthSchema } } },
  },
});

/** Liveness: the process answers. No dependency is asked, so an outage of PostgreSQL or Temporal never
 * restarts API processes (readiness, /api/health, takes them out of rotation instead). */
export const API_LIVENESS_PATH = '/api/health/live';

const livenessRoute = createRoute({
  method: 'get',
  path: API_LIVENESS_PATH,
  tags: ['system'],
  security: [],
  summary: 'Liveness: the process answers (asks no dependency)',
  responses: {
    200: {
      description: 'alive',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok'), version: z.string() }) } },
    },
  },
});

const HEALTH_CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(p: Promise<T>, ms = HEALTH_CHECK_TIMEOUT_MS): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function healthRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono();
  // A gRPC deadline (not a race) so an unanswered call ends by itself instead of lingering.
  const temporalCall = <T>(fn: () => Promise<T>) =>
    deps.temporal.connection.withDeadline(Date.now() + HEALTH_CHECK_TIMEOUT_MS, fn);

  app.openapi(livenessRoute, (c) => c.json({ status: 'ok' as const, version: APP_VERSION }, 200));

  app.openapi(route, async (c) => {
    const [database, temporal, workers] = await Promise.all([
      withTimeout(deps.dataSource.query('SHOW server_version'))
        .then((rows: { server_version: string }[]) => ({
          status: 'up' as const,
          version: rows[0]?.server_version ?? null,
          error: null,
        }))
        .catch((err) => ({ status: 'down' as const, version: null, error: message(err) })),
      temporalCall(() => deps.temporal.workflowService.getSystemInfo({}))
        .then((info) => ({ status: 'up' as const, version: info.serverVersion ?? null, error: null }))
        .catch((err) => ({ status: 'down' as const, version: null, error: message(err) })),
      Promise.all(
        ALL_TASK_QUEUES.map(async (queue) => {
          const { TaskQueueType, TaskQueueKind } = protos.temporal.api.enums.v1;
          // The orchestration queue is polled for workflow tasks, the others for activity tasks.
          const taskQueueType =
            queue === TASK_QUEUES.orchestration
              ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
              : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY;
          const pollers = await temporalCall(() =>
            deps.temporal.workflowService.describeTaskQueue({
              namespace: deps.temporal.options.namespace,
              taskQueue: { name: queue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
              taskQueueType,
            }),
          )
            .then((r) => r.pollers?.length ?? 0)
            .catch(() => 0);
          return [queue, { pollers }] as const;
        }),
      ),
    ]);
    const ok = database.status === 'up' && temporal.status === 'up';
    const body = {
      status: ok ? ('ok' as const) : ('degraded' as const),
      version: APP_VERSION,
      mode: deps.mode,
      database,
      temporal: { ...temporal, namespace: deps.temporal.options.namespace, ui_url: deps.temporalUiUrl },
      workers: Object.fromEntries(workers),
    };
    return ok ? c.json(body, 200) : c.json(body, 503);
  });
  return app;
}
