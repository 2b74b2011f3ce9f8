/**
 * Prometheus metrics of the API process: request count and latency by route pattern, method and
 * status, plus Node's process metrics, served at GET /metrics. Labels use the matched route pattern
 * (`/api/runs/:id`), never the raw path, so the number of series stays bounded.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Histogram, Registry } from 'prom-client';
import { enableProcessMetrics } from '../../lib/metrics.js';

export const METRICS_PATH = '/metrics';
/** The label of requests that matched no route (404s), instead of their raw paths. */
export const UNMATCHED_ROUTE = 'unmatched';
/** prom-client's default buckets: 5 ms … 10 s, with 50 ms (the page-latency target) as a bound. */
const HTTP_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One registry per process: the metric objects are module singletons, however many apps are built. */
export const apiRegistry = new Registry();

export const httpRequests = new Counter({
  name: 'evalforge_http_requests_total',
  help: 'HTTP requests answered by the API, by route pattern, method and status code',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [apiRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'evalforge_http_request_duration_seconds',
  help: 'Time from request to response headers, by route pattern, method and status code',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: HTTP_BUCKETS_S,
  registers: [apiRegistry],
});

/** Wildcard patterns belong to middleware; a request whose last match is one reached no handler. */
function routeLabel(pattern: string, status: number): string {
  return status === 404 && pattern.endsWith('*') ? UNMATCHED_ROUTE : pattern;
}

/**
 * Registers the timing middleware and GET /metrics; call before the routes so it wraps them all.
 * `access` guards the scrape (the API passes adminMetricsAccess: admin key outside dev mode).
 */
// biome-ignore lint/suspicious/noExplicitAny: works for any Hono app (OpenAPIHono included)
export function mountMetrics(app: Hono<any, any, any>, access?: MiddlewareHandler): void {
  enableProcessMetrics(apiRegistry);
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    // After next() the current route index is the handler that answered, not a later catch-all.
    const labels = {
      route: routeLabel(routePath(c), status),
      method: c.req.method,
      status: String(status),
    };
    httpRequests.inc(labels);
    httpRequestDuration.observe(labels, (performance.now() - started) / 1000);
  });
  const scrape: MiddlewareHandler = async (c) =>
    c.body(await apiRegistry.metrics(), 200, { 'content-type': apiRegistry.contentType });
  if (access) app.get(METRICS_PATH, access, scrape);
  else app.get(METRICS_PATH, scrape);
}
