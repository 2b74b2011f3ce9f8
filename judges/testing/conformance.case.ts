/**
 * The behaviour every judge shares (as hono's shared router suite): each judge's test file calls
 * runJudgeConformance with a factory, and the same cases run against it.
 */
import { describe, expect, it } from 'vitest';
import type { Judge, JudgeItem, JudgeResult } from '../types.js';

export const LARGE_BATCH = 512;
const LONG_INPUT_CHARS = 200_000;
const UNICODE_TEXT = 'Café ☕ naïve façade — 你好世界 👩‍👩‍👧‍👦🏳️‍🌈 مرحبا بالعالم Ωμέγα \u0000 \u200b end';

export interface ConformanceOptions {
  name: string;
  /** A judge as a project would configure it. */
  create: () => Judge | Promise<Judge>;
  /** The judge scores against the sample's reference output and must say so clearly when it is missing. */
  needsReference?: boolean;
  /** Model judges truncate long inputs to their window and report `details.truncated`. */
  reportsTruncation?: boolean;
  /** A judge whose dependency never answers: it must give error results, not hang (LLM-as-judge). */
  createHanging?: () => Judge | Promise<Judge>;
  /** Per-case test timeout (ms). */
  timeout?: number;
}

/** 512 different, deterministic items: several lengths, topics and references. */
export function conformanceItems(count: number): JudgeItem[] {
  const topics = ['billing', 'shipping', 'refunds', 'passwords', 'weather', 'recipes', 'football', 'taxes'];
  return Array.from({ length: count }, (_, i) => {
    const topic = topics[i % topics.length];
    const words = Array.from({ length: 1 + (i % 17) }, (_, k) => `${topic}${k % 5}`).join(' ');
    return {
      id: `item-${i}`,
      input: `Question ${i} about ${topic}?`,
      output: `Answer ${i}: ${words}.`,
      reference: `Reference answer about ${topics[(i * 3) % topics.length]} number ${i % 11}.`,
    };
  });
}

export function expectValidResult(result: JudgeResult): void {
  expect(typeof result.passed).toBe('boolean');
  expect(result.details).toBeTypeOf('object');
  if (result.error !== undefined) {
    expect(result.score).toBeNull();
    expect(result.passed).toBe(false);
    return;
  }
  expect(result.score).not.toBeNull();
  expect(Number.isFinite(result.score)).toBe(true);
  expect(result.score!).toBeGreaterThanOrEqual(0);
  expect(result.score!).toBeLessThanOrEqual(1);
}

function expectScored(result: JudgeResult): void {
  expect(result.error).toBeUndefined();
  expectValidResult(result);
}

export function runJudgeConformance(opts: ConformanceOptions): void {
  const timeout = opts.timeout ?? 60_000;
  const item = (overrides: Partial<JudgeItem>): JudgeItem => ({ ...conformanceItems(1)[0], ...overrides });

  describe(`${opts.name} conformance`, () => {
    it('scores an empty output', { timeout }, async () => {
      const judge = await opts.create();
      const [result] = await judge.evaluateBatch([item({ output: '' })]);
      expectScored(result);
    });

    it('scores unicode, emoji, RTL and control characters', { timeout }, async () => {
      const judge = await opts.create();
      const results = await judge.evaluateBatch([
        item({ output: UNICODE_TEXT }),
        item({ output: '👍'.repeat(300) }),
      ]);
      expect(results).toHaveLength(2);
      results.forEach(expectScored);
    });

    it('truncates a very long output instead of failing', { timeout }, async () => {
      const judge = await opts.create();
      const long = 'The quick brown fox jumps over the lazy dog. '.repeat(LONG_INPUT_CHARS / 45);
      const [result] = await judge.evaluateBatch([
        item({ output: long, reference: opts.needsReference ? long : null }),
      ]);
      expectScored(result);
      if (opts.reportsTruncation) expect(result.details.truncated).toBe(true);
    });

    it(`returns one result per item, in order, for batches of 1 and ${LARGE_BATCH}`, {
      timeout,
    }, async () => {
      const judge = await opts.create();
      const items = conformanceItems(LARGE_BATCH);
      const all = await judge.evaluateBatch(items);
      expect(all).toHaveLength(LARGE_BATCH);
      all.forEach(expectScored);
      // Order: each item scored alone gets the score it got inside the big batch.
      for (const k of [0, 1, 7, 200, LARGE_BATCH - 1]) {
        const [alone] = await judge.evaluateBatch([items[k]]);
        expect(alone.passed).toBe(all[k].passed);
        expect(alone.score!).toBeCloseTo(all[k].score!, 5);
      }
      expect(await judge.evaluateBatch([])).toEqual([]);
    });

    it('is deterministic: the same batch scores the same twice', { timeout }, async () => {
      const judge = await opts.create();
      const items = conformanceItems(24);
      const first = await judge.evaluateBatch(items);
      const second = await judge.evaluateBatch(items);
      expect(second.map((r) => [r.score, r.passed])).toEqual(first.map((r) => [r.score, r.passed]));
    });

    it('records which model produced its scores', { timeout }, async () => {
      const judge = await opts.create();
      await judge.evaluateBatch(conformanceItems(1));
      const info = judge.modelInfo();
      if (judge.kind === 'rule') {
        expect(info).toBeNull();
        return;
      }
      expect(info?.modelId).toMatch(/\S/);
      if (judge.kind === 'model') {
        expect(info?.revision).toMatch(/^sha256:[0-9a-f]{16}$/);
        expect(info?.dtype).toMatch(/^(fp64|fp32|fp16|q8|int8|uint8|q4|q4f16|bnb4)$/);
        expect(['cpu', 'cuda']).toContain(info?.device);
      }
    });

    if (opts.needsReference) {
      it('gives a clear per-item error for a missing reference while the batch goes on', {
        timeout,
      }, async () => {
        const judge = await opts.create();
        const [missing, blank, present] = await judge.evaluateBatch([
          item({ reference: null }),
          item({ reference: undefined }),
          item({ reference: 'A reference answer.' }),
        ]);
        for (const r of [missing, blank]) {
          expect(r.error).toMatch(/reference/i);
          expect(r.score).toBeNull();
          expect(r.passed).toBe(false);
        }
        expectScored(present);
      });
    }

    if (opts.createHanging) {
      const createHanging = opts.createHanging;
      it('gives error results, not a hang, when its dependency times out', { timeout }, async () => {
        const judge = await createHanging();
        const results = await judge.evaluateBatch(conformanceItems(3));
        expect(results).toHaveLength(3);
        for (const r of results) {
          expect(r.error).toMatch(/timed out/);
          expectValidResult(r);
        }
      });
    }
  });
}
