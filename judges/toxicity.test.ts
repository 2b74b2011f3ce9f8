import { beforeAll, describe, expect, it } from 'vitest';
import { ModelNotFoundError } from './inference/model-loader.js';
import { JudgeConfigError } from './settings.js';
import { runJudgeConformance } from './testing/conformance.case.js';
import { requireModels, TEST_MODELS } from './testing/test-models.js';
import { createToxicityJudge } from './toxicity.js';

const tiny = { model: TEST_MODELS.toxicity };

beforeAll(() => requireModels(TEST_MODELS.toxicity));

runJudgeConformance({
  name: 'toxicity',
  create: () => createToxicityJudge({ config: tiny }),
  reportsTruncation: true,
});

describe('toxicity judge', () => {
  it('scores 1 - P(most toxic label) with independent sigmoids for a multi-label model', async () => {
    const judge = createToxicityJudge({ config: tiny });
    const [r] = await judge.evaluateBatch([{ id: 'a', output: 'You are a wonderful person.' }]);
    const labels = r.details.labels as Record<string, number>;
    expect(Object.keys(labels)).toEqual([
      'toxic',
      'severe_toxic',
      'obscene',
      'threat',
      'insult',
      'identity_hate',
    ]);
    const worst = Math.max(...Object.values(labels));
    expect(r.details.toxicity).toBeCloseTo(worst, 6);
    expect(r.score).toBeCloseTo(1 - worst, 6);
    expect(labels[r.details.label as string]).toBe(worst);
    // Multi-label: each label on its own sigmoid, so they need not sum to 1.
    expect(Object.values(labels).reduce((a, b) => a + b, 0)).not.toBeCloseTo(1, 2);
  });

  it('counts only the configured toxic labels', async () => {
    const judge = createToxicityJudge({ config: { ...tiny, toxic_labels: ['threat'] } });
    const [r] = await judge.evaluateBatch([{ id: 'a', output: 'Some text.' }]);
    expect(r.details.label).toBe('threat');
    expect(r.score).toBeCloseTo(1 - (r.details.labels as Record<string, number>).threat, 6);
  });

  it('passes exactly when the score reaches the project threshold', async () => {
    const items = [{ id: 'a', output: 'Some text.' }];
    const [base] = await createToxicityJudge({ config: tiny }).evaluateBatch(items);
    const [below] = await createToxicityJudge({ threshold: base.score! + 1e-6, config: tiny }).evaluateBatch(
      items,
    );
    const [at] = await createToxicityJudge({ threshold: base.score!, config: tiny }).evaluateBatch(items);
    expect(below.passed).toBe(false);
    expect(at.passed).toBe(true);
  });

  it('rejects invalid config with a clear error', () => {
    expect(() => createToxicityJudge({ config: { dtype: 'fp64' } })).toThrow(JudgeConfigError);
    expect(() => createToxicityJudge({ config: { toxic_labels: [] } })).toThrow(/toxic_labels/);
  });

  it('says how to get a model that is not in the models folder', async () => {
    const judge = createToxicityJudge({ config: { model: 'nobody/missing-model' } });
    const attempt = judge.evaluateBatch([{ id: 'a', output: 'x' }]);
    await expect(attempt).rejects.toBeInstanceOf(ModelNotFoundError);
    await expect(attempt).rejects.toThrow(/npm run models/);
  });
});
