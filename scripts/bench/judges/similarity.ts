/**
 * Similarity judge on the STS benchmark's test pairs (../shared/data, each with a human similarity
 * 0–5): Spearman's rho between the judge's score and the human one, for the default fp32 model and the
 * int8 one. The parity test (judges/similarity-parity.test.ts) holds fp32 to sentence-transformers' figure.
 */
import { createJudge } from '../../../judges/registry.js';
import { readStsPairs, spearman } from '../../../judges/testing/sts-benchmark.js';
import type { QualityRow, QualitySection } from './table.js';

const quiet = { info() {}, warn() {} };
const WARM_UP_PAIRS = 32;

async function rowFor(dtype: 'fp32' | 'int8'): Promise<QualityRow> {
  const pairs = readStsPairs();
  const items = pairs.map((p, i) => ({ id: String(i), output: p.first, reference: p.second }));
  const judge = createJudge('similarity', { config: { dtype } }, { logger: quiet });
  await judge.evaluateBatch(items.slice(0, WARM_UP_PAIRS));
  const started = performance.now();
  const results = await judge.evaluateBatch(items);
  const seconds = (performance.now() - started) / 1000;
  return {
    judge: `similarity (all-MiniLM-L6-v2 ${dtype})`,
    subset: 'STS benchmark test pairs',
    n: pairs.length,
    metrics: {
      Spearman: spearman(
        results.map((r) => r.score ?? 0),
        pairs.map((p) => p.score),
      ),
    },
    itemsPerSecond: pairs.length / seconds,
  };
}

export const similaritySection: QualitySection = {
  name: 'similarity',
  run: async () => [await rowFor('fp32'), await rowFor('int8')],
};
