/**
 * End-to-end parity with Python sentence-transformers on the same weights: tokenizer, truncation, mean pooling
 * and normalisation must all match, or thresholds tuned in Python would misfire here. Reference figures come
 * from scripts/reference/sts_similarity_reference.py (judges/testing/fixtures/sts-reference.json).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dot } from './inference/inference.js';
import { createSimilarityJudge, embedWithSimilarityModel } from './similarity.js';
import { readStsPairs, readStsReference, referenceEmbeddings, spearman } from './testing/sts-benchmark.js';
import { requireModels, TEST_MODELS } from './testing/test-models.js';

/** The tolerance the project set for the STS Spearman check. */
const SPEARMAN_TOLERANCE = 0.005;
const MIN_EMBEDDING_COSINE = 0.999;

beforeAll(() => requireModels(TEST_MODELS.minilm));

describe('similarity parity with sentence-transformers (STS Benchmark test, 864 pairs)', () => {
  const reference = readStsReference();

  it('reproduces Python embeddings for 100 sentences (cosine >= 0.999 each)', async () => {
    const ours = await embedWithSimilarityModel(reference.embedding_sentences);
    const theirs = referenceEmbeddings(reference);
    const cosines = ours.map((v, i) => dot(v, theirs[i]));
    expect(Math.min(...cosines)).toBeGreaterThanOrEqual(MIN_EMBEDDING_COSINE);
  });

  it('gets the same Spearman correlation with human scores (±0.005) and the same per-pair cosines', {
    timeout: 120_000,
  }, async () => {
    const pairs = readStsPairs();
    expect(pairs).toHaveLength(reference.pairs);
    const results = await createSimilarityJudge().evaluateBatch(
      pairs.map((p, i) => ({ id: String(i), output: p.first, reference: p.second })),
    );
    const cosines = results.map((r) => r.details.cosine as number);
    const rho = spearman(
      cosines,
      pairs.map((p) => p.score),
    );
    console.info(
      `STS Spearman: transformers.js ${rho.toFixed(6)}, sentence-transformers ${reference.spearman.toFixed(6)}`,
    );
    expect(Math.abs(rho - reference.spearman)).toBeLessThanOrEqual(SPEARMAN_TOLERANCE);
    const worst = Math.max(...cosines.map((c, i) => Math.abs(c - reference.cosines[i])));
    expect(worst).toBeLessThan(1e-4);
  });
});
