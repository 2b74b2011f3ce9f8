/**
 * Limits that must hold across worker processes: two DataSources on one database stand in for two
 * workers (each has its own pool and its own in-process limiter registry).
 */
import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundPolicy } from '../../../core/outbound-policy.js';
import { createDataSource } from '../../../db/data-source.js';
import type { LlmEndpoint } from '../../../db/entities/index.js';
import { createLogger } from '../../../lib/logger.js';
import { type FakeLlmServer, startFakeLlmServer } from '../../../test/fakes/llm-server.js';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/index.js';
import { createModelRunner } from '../model-runner.js';
import {
  ADAPTIVE_INCREASE_AFTER_SUCCESSES,
  RATE_LIMIT_BURST_CALLS,
  RATE_LIMIT_BURST_MIN_429S,
} from './constants.js';
import { EndpointLimiter } from './endpoint-limiter.js';
import { SharedLimiterStore } from './shared-limiter-store.js';
import { bucketCapacity } from './token-bucket.js';

let db: TestDatabase;
let secondWorkerPool: DataSource;
let llm: FakeLlmServer;
const logger = createLogger('limiter-test', 'silent');

beforeAll(async () => {
  [db, llm] = await Promise.all([createTestDatabase(), startFakeLlmServer()]);
  secondWorkerPool = createDataSource({
    url: db.url,
    poolSize: 5,
    applicationName: 'evalforge-test-worker-2',
  });
  await secondWorkerPool.initialize();
});
afterAll(async () => {
  await secondWorkerPool?.destroy();
  await llm?.close();
  await db?.drop();
});

function endpoint(config: Record<string, unknown>): LlmEndpoint {
  const id = crypto.randomUUID();
  return {
    id,
    provider: 'openai',
    model_name: `fake-${id.slice(0, 8)}`,
    endpoint_url: llm.openaiBaseUrl,
    api_key_env: null,
    config: { timeout_ms: 5_000, ...config },
  } as unknown as LlmEndpoint;
}

/** The same endpoint as seen by two workers. */
function twoWorkers(ep: LlmEndpoint) {
  const outboundPolicy = createOutboundPolicy({ mode: 'dev' }); // the fake server listens on loopback
  return [db.dataSource, secondWorkerPool].map((dataSource) =>
    createModelRunner({ dataSource, logger, outboundPolicy }, ep),
  );
}

const promptNo = (i: number) => ({ system: null, input: `prompt ${i}` });

describe('shared limits across workers', () => {
  it('concurrency: never more calls in flight than configured, summed over workers', async () => {
    const ep = endpoint({ concurrency: 2 });
    llm.setModelBehaviour(ep.model_name, { latency: { baseMs: 150 } });
    const [a, b] = twoWorkers(ep);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).call(promptNo(i))));
    expect(results.every((r) => r.status === 'succeeded')).toBe(true);
    expect(llm.stats().maxInFlightByModel[ep.model_name]).toBe(2);
    const [{ n }] = await db.dataSource.query('SELECT count(*)::int AS n FROM rate_limit_leases');
    expect(n).toBe(0);
  });

  it('rpm: the token bucket paces requests from both workers together', async () => {
    const rpm = 600; // 10 per second, burst of 10
    const ep = endpoint({ rpm, concurrency: 64 });
    const [a, b] = twoWorkers(ep);
    const count = 25;
    // The bucket is created (full) after this instant, and a request reaches the server after its grant,
    // so this is a safe origin: client-side jitter can only make requests later, never earlier.
    const origin = Date.now();
    await Promise.all(Array.from({ length: count }, (_, i) => (i % 2 ? a : b).call(promptNo(i))));
    const times = llm
      .requestsFor(ep.model_name)
      .map((r) => r.at - origin)
      .sort((x, y) => x - y);
    expect(times).toHaveLength(count);
    const burst = bucketCapacity(rpm);
    const perMs = rpm / 60_000;
    // Request k needs k+1 tokens: at most `burst` at the start plus what refilled since. (Two separate
    // buckets would let request 24 through at ~250 ms instead of ~1.5 s.)
    for (let k = burst; k < count; k++) {
      expect(times[k], `request ${k}`).toBeGreaterThanOrEqual((k + 1 - burst) / perMs - 5);
    }
  });

  it("a single 429's Retry-After delays its own request only, on neither worker", async () => {
    const ep = endpoint({ concurrency: 4 });
    llm.setModelBehaviour(ep.model_name, { faults: [{ type: 'rate_limit', retryAfterSeconds: 1 }] });
    const [a, b] = twoWorkers(ep);
    const first = a.call(promptNo(1));
    // Let worker A get its 429, then worker B starts a call of its own.
    while (llm.requestsFor(ep.model_name).length < 1) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 150));
    const second = await b.call(promptNo(2));
    expect(second.status).toBe('succeeded');
    expect((await first).status).toBe('succeeded');
    const requests = llm.requestsFor(ep.model_name);
    const [rateLimited] = requests;
    const fromB = requests.find((r) => r.input === 'prompt 2')!;
    const retryOfA = requests.filter((r) => r.input === 'prompt 1')[1];
    expect(rateLimited.fault).toBe('rate_limit');
    expect(fromB.at - rateLimited.at).toBeLessThan(800);
    expect(retryOfA.at - rateLimited.at).toBeGreaterThanOrEqual(1_000);
    const [{ paused }] = await db.dataSource.query(
      'SELECT paused_until IS NOT NULL AS paused FROM rate_limit_buckets WHERE key = $1',
      [`endpoint:${ep.id}`],
    );
    expect(paused).toBe(false);
  });

  it('a 429 burst pauses the endpoint for the other worker too', async () => {
    const key = `endpoint:${crypto.randomUUID()}`;
    const limits = { concurrency: RATE_LIMIT_BURST_CALLS, leaseTtlMs: 5_000 };
    const workerA = new EndpointLimiter(key, limits, new SharedLimiterStore(db.dataSource));
    const workerB = new EndpointLimiter(key, limits, new SharedLimiterStore(secondWorkerPool));
    const permits = await Promise.all(
      Array.from({ length: RATE_LIMIT_BURST_MIN_429S }, () => workerA.acquire(0)),
    );
    // One 429 short of a burst: nothing pauses.
    for (const permit of permits.slice(1)) {
      await permit.release({ tokensUsed: 0, rateLimited: true, retryAfterMs: 400 });
    }
    let started = Date.now();
    await (await workerB.acquire(0)).release({ tokensUsed: 0 });
    expect(Date.now() - started).toBeLessThan(300);
    // The burst's last 429: worker B waits out the pause.
    await permits[0].release({ tokensUsed: 0, rateLimited: true, retryAfterMs: 400 });
    started = Date.now();
    await (await workerB.acquire(0)).release({ tokensUsed: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it('concurrency shrinks when the calls draw 429s and climbs back one slot per run of successes', async () => {
    const key = `endpoint:${crypto.randomUUID()}`;
    const limiter = new EndpointLimiter(
      key,
      { concurrency: 8, leaseTtlMs: 5_000 },
      new SharedLimiterStore(db.dataSource),
    );
    // Four calls at once, all refused (the endpoint's real limit is lower): overload, not a stray 429.
    const wave = await Promise.all(Array.from({ length: 4 }, () => limiter.acquire(0)));
    await wave[0].release({ tokensUsed: 0, rateLimited: true, retryAfterMs: 1_000 });
    expect(limiter.local.limit).toBe(8);
    for (const permit of wave.slice(1)) {
      await permit.release({ tokensUsed: 0, rateLimited: true, retryAfterMs: 1_000 });
    }
    expect(limiter.local.limit).toBe(4);
    const trace: number[] = [];
    for (let i = 0; i < 4 * ADAPTIVE_INCREASE_AFTER_SUCCESSES; i++) {
      await (await limiter.acquire(0)).release({ tokensUsed: 0 });
      trace.push(limiter.local.limit);
    }
    expect(trace.at(-1)).toBe(8);
    for (let i = 1; i < trace.length; i++) expect(trace[i] - trace[i - 1]).toBeLessThanOrEqual(1);
  });

  it("a dead worker's slot comes back when its lease expires", async () => {
    const key = `endpoint:${crypto.randomUUID()}`;
    const limits = { concurrency: 1 };
    const crashed = new SharedLimiterStore(db.dataSource, 'crashed-worker');
    const alive = new SharedLimiterStore(secondWorkerPool, 'alive-worker');
    expect((await crashed.tryAcquire(key, limits, [0], 300)).leaseIds).toHaveLength(1);
    // The crashed worker never releases.
    expect(await alive.tryAcquire(key, limits, [0], 300)).toEqual({
      leaseIds: [],
      refusal: { waitMs: 0, reason: 'concurrency' },
    });
    await new Promise((r) => setTimeout(r, 350));
    expect((await alive.tryAcquire(key, limits, [0], 300)).leaseIds).toHaveLength(1);
  });

  it('a live call keeps its slot past the lease TTL by renewing it', async () => {
    const key = `endpoint:${crypto.randomUUID()}`;
    const limits = { concurrency: 1, leaseTtlMs: 300 };
    const limiter = new EndpointLimiter(key, limits, new SharedLimiterStore(db.dataSource));
    const other = new SharedLimiterStore(secondWorkerPool);
    const permit = await limiter.acquire(0);
    await new Promise((r) => setTimeout(r, 700));
    expect((await other.tryAcquire(key, limits, [0], 300)).refusal?.reason).toBe('concurrency');
    await permit.release({ tokensUsed: 0 });
    expect((await other.tryAcquire(key, limits, [0], 300)).leaseIds).toHaveLength(1);
  });

  it('grants a batch up to the limits in one go, in request order', async () => {
    const key = `endpoint:${crypto.randomUUID()}`;
    const store = new SharedLimiterStore(db.dataSource);
    const batch = await store.tryAcquire(key, { concurrency: 3, tpm: 600 }, [4, 4, 4, 4], 5_000);
    expect(batch.leaseIds).toHaveLength(2);
    // tpm 600 holds 10 tokens: two calls of 4 fit, the third waits for 2 more (200 ms at 10/s).
    expect(batch.refusal?.reason).toBe('tpm');
    expect(batch.refusal?.waitMs).toBeGreaterThan(150);
    expect(batch.refusal?.waitMs).toBeLessThanOrEqual(200);
  });

  describe('lease hand-off inside one worker', () => {
    /** The real store, counting its round trips. */
    class CountingStore extends SharedLimiterStore {
      acquires = 0;
      releases = 0;
      override async tryAcquire(...args: Parameters<SharedLimiterStore['tryAcquire']>) {
        this.acquires++;
        return super.tryAcquire(...args);
      }
      override async release(...args: Parameters<SharedLimiterStore['release']>) {
        this.releases++;
        return super.release(...args);
      }
    }
    const leaseRows = async (key: string) =>
      (
        await db.dataSource.query('SELECT count(*)::int AS n FROM rate_limit_leases WHERE bucket_key = $1', [
          key,
        ])
      )[0].n as number;

    /** `calls` calls through one limiter, each holding its slot for a moment; the most seen in flight. */
    async function saturate(limiter: EndpointLimiter, calls: number) {
      let inFlight = 0;
      let maxInFlight = 0;
      await Promise.all(
        Array.from({ length: calls }, async () => {
          const permit = await limiter.acquire(0);
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
          await permit.release({ tokensUsed: 0 });
        }),
      );
      return maxInFlight;
    }

    it("passes a finished call's lease to the next waiting call without store round trips", async () => {
      const key = `endpoint:${crypto.randomUUID()}`;
      const store = new CountingStore(db.dataSource);
      const limiter = new EndpointLimiter(key, { concurrency: 2, leaseTtlMs: 5_000 }, store);
      expect(await saturate(limiter, 40)).toBe(2);
      // 40 calls on 2 slots: the slots are taken once and released once, not 40 times each. A loaded
      // machine may let a hand-off window lapse (the slot goes back to the store and is taken again), so
      // allow one more round per slot — but every slot taken is given back exactly once.
      expect(store.acquires).toBeLessThanOrEqual(4);
      expect(store.releases).toBe(store.acquires);
      expect(await leaseRows(key)).toBe(0);
    });

    it('goes through the store for every call when a request rate is limited', async () => {
      const key = `endpoint:${crypto.randomUUID()}`;
      const store = new CountingStore(db.dataSource);
      const limiter = new EndpointLimiter(key, { concurrency: 2, rpm: 60_000, leaseTtlMs: 5_000 }, store);
      expect(await saturate(limiter, 20)).toBe(2);
      expect(store.releases).toBe(20);
      expect(await leaseRows(key)).toBe(0);
    });

    it("hands a single 429's slot on at once: its Retry-After binds its own request only", async () => {
      const key = `endpoint:${crypto.randomUUID()}`;
      const store = new CountingStore(db.dataSource);
      const limiter = new EndpointLimiter(key, { concurrency: 1, leaseTtlMs: 5_000 }, store);
      const first = await limiter.acquire(0);
      const waiting = limiter.acquire(0);
      const started = Date.now();
      await first.release({ tokensUsed: 0, rateLimited: true, retryAfterMs: 300 });
      await (await waiting).release({ tokensUsed: 0 });
      expect(Date.now() - started).toBeLessThan(200);
      expect(store.acquires).toBe(1);
    });

    it('a call ending well during a burst pause does not hand its slot past the pause', async () => {
      const key = `endpoint:${crypto.randomUUID()}`;
      const store = new SharedLimiterStore(db.dataSource);
      const limiter = new EndpointLimiter(key, { concurrency: 4, leaseTtlMs: 5_000 }, store);
      const held = await limiter.acquire(0);
      for (let i = 0; i < RATE_LIMIT_BURST_MIN_429S; i++) {
        await (await limiter.acquire(0)).release({ tokensUsed: 0, rateLimited: true, retryAfterMs: 300 });
      }
      // Queued for a shared slot behind the pause; then the held call ends well.
      const started = Date.now();
      const waiting = limiter.acquire(0);
      await new Promise((r) => setTimeout(r, 20));
      await held.release({ tokensUsed: 0 });
      await (await waiting).release({ tokensUsed: 0 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });

    it("gives a 429 burst's slot back to the store and hands nothing on while paused", async () => {
      const key = `endpoint:${crypto.randomUUID()}`;
      const store = new CountingStore(db.dataSource);
      const limiter = new EndpointLimiter(key, { concurrency: 1, leaseTtlMs: 5_000 }, store);
      for (let i = 0; i < RATE_LIMIT_BURST_MIN_429S - 1; i++) {
        await (await limiter.acquire(0)).release({ tokensUsed: 0, rateLimited: true, retryAfterMs: 300 });
      }
      const releasesBefore = store.releases;
      const last = await limiter.acquire(0);
      const waiting = limiter.acquire(0);
      await last.release({ tokensUsed: 0, rateLimited: true, retryAfterMs: 300 });
      expect(store.releases).toBe(releasesBefore + 1);
      const started = Date.now();
      const next = await waiting;
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      // Once the pause is over, hand-offs resume.
      const after = limiter.acquire(0);
      await next.release({ tokensUsed: 0 });
      const releases = store.releases;
      await (await after).release({ tokensUsed: 0 });
      expect(store.releases).toBe(releases + 1);
    });
  });
});
