import { beforeAll, describe, expect, it } from 'vitest';
import { JudgeConfigError } from './settings.js';
import { runJudgeConformance } from './testing/conformance.case.js';
import { requireModels, TEST_MODELS } from './testing/test-models.js';
import { createZeroShotJudge } from './zero-shot.js';

const base = { model: TEST_MODELS.nli, labels: ['polite', 'rude', 'off-topic'] };

beforeAll(() => requireModels(TEST_MODELS.nli, TEST_MODELS.toxicity));

runJudgeConformance({
  name: 'zero_shot',
  create: () => createZeroShotJudge({ config: base }),
  reportsTruncation: true,
});

describe('zero-shot judge', () => {
  it('scores each label on its own (entailment vs contradiction) in multi-label mode', async () => {
    const judge = createZeroShotJudge({ config: base });
    const [r] = await judge.evaluateBatch([{ id: 'a', output: 'Thank you for your patience!' }]);
    const labels = r.details.labels as Record<string, number>;
    expect(Object.keys(labels)).toEqual(base.labels);
    expect(r.score).toBeCloseTo(labels.polite, 6);
    expect(r.details.positive_labels).toEqual(['polite']);
  });

  it('makes labels compete (sum to 1) in single-label mode and sums the positive ones', async () => {
    const judge = createZeroShotJudge({
      config: { ...base, multi_label: false, positive_labels: ['polite', 'off-topic'] },
    });
    const [r] = await judge.evaluateBatch([{ id: 'a', output: 'Thank you for your patience!' }]);
    const labels = r.details.labels as Record<string, number>;
    expect(Object.values(labels).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(r.score).toBeCloseTo(labels.polite + labels['off-topic'], 5);
  });

  it('uses the hypothesis template: a different template gives different probabilities', async () => {
    const item = [{ id: 'a', output: 'Your refund is on its way.' }];
    const [a] = await createZeroShotJudge({ config: base }).evaluateBatch(item);
    const [b] = await createZeroShotJudge({
      config: { ...base, hypothesis_template: 'The reply sounds {} to me.' },
    }).evaluateBatch(item);
    expect(a.score).not.toBeCloseTo(b.score!, 6);
  });

  it('rejects configs without labels, with unknown positive labels, or with a non-NLI model', async () => {
    expect(() => createZeroShotJudge({ config: { model: TEST_MODELS.nli } })).toThrow(JudgeConfigError);
    expect(() => createZeroShotJudge({ config: { ...base, positive_labels: ['kind'] } })).toThrow(/kind/);
    expect(() => createZeroShotJudge({ config: { ...base, hypothesis_template: 'no slot' } })).toThrow(
      /\{\}/,
    );
    const notNli = createZeroShotJudge({ config: { ...base, model: TEST_MODELS.toxicity } });
    await expect(notNli.evaluateBatch([{ id: 'a', output: 'x' }])).rejects.toThrow(/not an NLI model/);
  });
});
