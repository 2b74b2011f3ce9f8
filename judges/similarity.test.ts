import { beforeAll, describe, expect, it } from 'vitest';
import { createSimilarityJudge } from './similarity.js';
import { runJudgeConformance } from './testing/conformance.case.js';
import { requireModels, TEST_MODELS } from './testing/test-models.js';

beforeAll(() => requireModels(TEST_MODELS.embedding, TEST_MODELS.minilm));

runJudgeConformance({
  name: 'similarity',
  create: () => createSimilarityJudge({ config: { model: TEST_MODELS.embedding } }),
  needsReference: true,
  reportsTruncation: true,
});

describe('similarity judge (all-MiniLM-L6-v2)', () => {
  const judge = createSimilarityJudge({ threshold: 0.6 });

  it('ranks a paraphrase above an unrelated answer, and identical text at 1', async () => {
    const reference = 'You can reset your password from the account settings page.';
    const [same, paraphrase, unrelated] = await judge.evaluateBatch([
      { id: 'same', output: reference, reference },
      { id: 'para', output: 'Go to account settings to change your password.', reference },
      { id: 'off', output: 'The football match ended two to one.', reference },
    ]);
    expect(same.score).toBeCloseTo(1, 5);
    expect(paraphrase.score!).toBeGreaterThan(unrelated.score!);
    expect(paraphrase.passed).toBe(true);
    expect(unrelated.passed).toBe(false);
    expect(paraphrase.details.cosine).toBeCloseTo(paraphrase.score!, 6);
  });

  it('uses fp32 by default and records model, revision and dtype', async () => {
    await judge.evaluateBatch([{ id: 'a', output: 'x', reference: 'y' }]);
    expect(judge.modelInfo()).toMatchObject({
      modelId: 'sentence-transformers/all-MiniLM-L6-v2',
      dtype: 'fp32',
      device: 'cpu',
      revision: expect.stringMatching(/^sha256:/),
    });
  });

  it('loads the int8 weights when configured and records that dtype and its own revision', async () => {
    const int8 = createSimilarityJudge({ config: { dtype: 'int8' } });
    const items = [{ id: 'a', output: 'A man is playing a guitar.', reference: 'Someone plays the guitar.' }];
    const [q] = await int8.evaluateBatch(items);
    const [f] = await judge.evaluateBatch(items);
    expect(int8.modelInfo()?.dtype).toBe('int8');
    expect(int8.modelInfo()?.revision).not.toBe(judge.modelInfo()?.revision);
    // Quantisation moves the cosine a little, not a lot (why fp32 is the default).
    expect(Math.abs(q.score! - f.score!)).toBeLessThan(0.05);
  });
});
