/**
 * The targets of the PII benchmark (judges/benchmarks/): precision >= 0.9 at recall >= 0.95, for whole lines
 * and for findings, on the labelled set and the held-out set. `npm run bench:judges` prints the per-kind table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PII_BENCHMARK_FILE,
  PII_HOLDOUT_FILE,
  prf,
  readPiiBenchmark,
  scorePiiBenchmark,
} from '../benchmarks/pii-benchmark.js';
import { requireModels, TEST_MODELS } from '../testing/test-models.js';
import { scanPatterns } from './patterns.js';
import { createPiiJudge } from './pii-judge.js';

/** Kinds only the model finds; every other kind has a validated pattern. */
const MODEL_KINDS = new Set(['person_name', 'location', 'address']);

const sets = [
  ['labelled set', readPiiBenchmark(PII_BENCHMARK_FILE)],
  ['held-out set', readPiiBenchmark(PII_HOLDOUT_FILE)],
] as const;

describe('PII benchmark', () => {
  beforeAll(() => requireModels(TEST_MODELS.piiNer));

  it('has at least 200 lines, 15 kinds, four languages and the tricky non-PII classes', () => {
    const lines = sets.flatMap(([, l]) => l);
    expect(lines.length).toBeGreaterThanOrEqual(200);
    expect(new Set(lines.flatMap((l) => l.pii.map((p) => p.kind))).size).toBeGreaterThanOrEqual(15);
    for (const lang of ['en', 'fr', 'de', 'es']) expect(lines.some((l) => l.lang === lang)).toBe(true);
    const classes = new Set(lines.map((l) => l.class));
    for (const c of ['version', 'isbn', 'tracking', 'order', 'json', 'measurement', 'count', 'code']) {
      expect(classes).toContain(c);
    }
    expect(classes).toContain('foreign_word');
    expect(classes).toContain('luhn_invalid');
  });

  it.each(sets)('patterns alone: every finding right, and the pattern kinds found (%s)', (_name, lines) => {
    const found = lines.map((l) => scanPatterns(l.text).spans);
    const patternLines = lines.map((l) => ({ ...l, pii: l.pii.filter((p) => !MODEL_KINDS.has(p.kind)) }));
    const score = scorePiiBenchmark(patternLines, found);
    expect(score.errors.filter((e) => / false /.test(e))).toEqual([]);
    expect(prf(score.overall).recall).toBeGreaterThanOrEqual(0.95);
  });

  it.each(sets)(
    'with the NER model: precision >= 0.9 at recall >= 0.95 (%s)',
    async (_name, lines) => {
      const judge = createPiiJudge();
      const results = await judge.evaluateBatch(lines.map((l) => ({ id: l.id, output: l.text })));
      const score = scorePiiBenchmark(
        lines,
        results.map((r) => r.details.findings as { type: string; start: number; end: number }[]),
      );
      for (const counts of [score.lines, score.overall]) {
        const { precision, recall } = prf(counts);
        expect(precision, score.errors.join('\n')).toBeGreaterThanOrEqual(0.9);
        expect(recall, score.errors.join('\n')).toBeGreaterThanOrEqual(0.95);
      }
    },
    120_000,
  );
});
