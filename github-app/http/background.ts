/**
 * Runs an accepted webhook event's work after the 202, with bounded retries, recording each attempt on
 * its delivery row (status accepted → done | failed, attempts, last error). In-process: a delivery whose
 * process stops mid-way stays `accepted`, and once stale, a redelivery of it from GitHub is taken over
 * (store.claimDelivery). A durable workflow can replace this runner: it only calls handleAcceptedEvent.
 */
import type { ApiDeps } from '../../api/deps.js';
import type { GitHubApp } from '../client.js';
import { pruneDeliveries, recordDeliveryAttempt } from '../store.js';
import { type AcceptedEvent, handleAcceptedEvent } from './handlers.js';

/** Waits between attempts: 6 attempts over about two minutes (each GitHub request has its own retries). */
export const WEBHOOK_RETRY_DELAYS_MS = [1_000, 5_000, 15_000, 30_000, 60_000];
/** Old deliveries are pruned at most this often per process. */
const PRUNE_EVERY_MS = 60 * 60_000;

export interface AcceptedDelivery {
  /** webhook_deliveries.id */
  id: string;
  /** X-GitHub-Delivery (logs only). */
  deliveryId: string;
  name: string;
  event: AcceptedEvent;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    // Does not keep a stopping process alive: an unfinished delivery is picked up by a redelivery.
    setTimeout(resolve, ms).unref();
  });

const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

let lastPrune = 0;

/** Starts the work on the next turn of the event loop (after the response is on its way); never rejects. */
export function runAfterResponse(
  deps: ApiDeps,
  github: GitHubApp,
  delivery: AcceptedDelivery,
  delaysMs: readonly number[] = WEBHOOK_RETRY_DELAYS_MS,
): Promise<void> {
  const log = deps.logger.child({ delivery: delivery.deliveryId, event: delivery.name });
  return new Promise<void>((resolve) => setImmediate(resolve))
    .then(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await handleAcceptedEvent(deps, github, delivery.event, log);
          await recordDeliveryAttempt(deps.dataSource, delivery.id, { status: 'done', attempts: attempt });
          break;
        } catch (err) {
          const delay = delaysMs[attempt - 1];
          const final = delay === undefined;
          if (final)
            log.error({ err, attempt }, 'GitHub webhook work failed for good; redeliver it to retry');
          else log.warn({ err, attempt, retry_in_ms: delay }, 'GitHub webhook work failed; will retry');
          await recordDeliveryAttempt(deps.dataSource, delivery.id, {
            status: final ? 'failed' : 'accepted',
            attempts: attempt,
            error: errorText(err),
          }).catch((e) => log.warn({ err: e }, 'could not record the webhook attempt'));
          if (final) break;
          await sleep(delay);
        }
      }
      if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = Date.now();
        await pruneDeliveries(deps.dataSource).catch((err) =>
          log.warn({ err }, 'could not prune old webhook deliveries'),
        );
      }
    })
    .catch((err) => log.error({ err }, 'GitHub webhook background work crashed'));
}
