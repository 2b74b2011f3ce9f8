/**
 * A worker's HTTP side door, on EVALFORGE_METRICS_PORT: one Prometheus scrape target per worker
 * (EvalForge's own metrics plus the Temporal SDK's, which its exporter serves on a loopback port)
 * and a health check for Kubernetes probes.
 *   GET /metrics  Prometheus text: workerRegistry, then the Temporal SDK exporter's output
 *   GET /healthz  200 while every Temporal worker in this process is RUNNING, else 503
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../lib/logger.js';
import { enableProcessMetrics, workerRegistry } from '../lib/metrics.js';
import type { WorkerSet } from './worker.js';

export const WORKER_METRICS_PATH = '/metrics';
export const WORKER_HEALTH_PATH = '/healthz';
/** A scrape must not hang on a stuck exporter; Prometheus' own default timeout is 10 s. */
const SDK_METRICS_TIMEOUT_MS = 3_000;

export interface WorkerMetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function startWorkerMetricsServer(opts: {
  port: number;
  host?: string;
  workerSet: WorkerSet;
  /** The Temporal SDK exporter's /metrics URL; null when the runtime exports no metrics. */
  sdkMetricsUrl: string | null;
  logger: Logger;
}): Promise<WorkerMetricsServer> {
  enableProcessMetrics(workerRegistry);

  async function sdkMetrics(): Promise<string> {
    if (!opts.sdkMetricsUrl) return '';
    try {
      const res = await fetch(opts.sdkMetricsUrl, { signal: AbortSignal.timeout(SDK_METRICS_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return await res.text();
    } catch (err) {
      opts.logger.warn({ err, url: opts.sdkMetricsUrl }, 'Temporal SDK metrics unavailable');
      // A comment keeps the scrape valid while saying why the temporal_* series are missing.
      return `# Temporal SDK metrics unavailable: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405).end();
    } else if (path === WORKER_METRICS_PATH) {
      Promise.all([workerRegistry.metrics(), sdkMetrics()])
        .then(([own, sdk]) => {
          res.writeHead(200, { 'content-type': workerRegistry.contentType }).end(`${own}\n${sdk}`);
        })
        .catch((err) => {
          opts.logger.error({ err }, 'metrics scrape failed');
          res.writeHead(500).end();
        });
    } else if (path === WORKER_HEALTH_PATH) {
      const workers = opts.workerSet.workers.map((w) => ({
        taskQueue: w.options.taskQueue,
        state: w.getState(),
      }));
      const healthy = workers.length > 0 && workers.every((w) => w.state === 'RUNNING');
      res
        .writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: healthy ? 'ok' : 'unhealthy', workers }));
    } else {
      res.writeHead(404).end();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
