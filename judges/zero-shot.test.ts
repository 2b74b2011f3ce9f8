import { beforeAll, describe, expect, it } from 'vitest';
import { modelSourceFromEnv } from './inference/models-dir.js';
import { JudgeConfigError } from './settings.js';
import { runJudgeConformance } from './testing/conformance.case.js';
import { requireModels, TEST_MODELS } from './testing/test-models.js';
import { createZeroShotJudge, ZERO_SHOT_FALLBACK_MODEL, zeroShotMethod } from './zero-shot.js';

const base = { model: TEST_MODELS.nli, labels: ['polite', 'rude', 'off-topic'] };
const offline = { ...modelSourceFromEnv(), allowRemote: false };
/** The fallback runs where the default NLI model is absent (always here; not after `npm run models -- --hub`). */
const fallbackHere = zeroShotMethod({ offline_fallback: true }, offline) === 'similarity_fallback';

beforeAll(() => requireModels(TEST_MODELS.nli, TEST_MODELS.toxicity, TEST_MODELS.minilm));

runJudgeConformance({
  name: 'zero_shot',
  create: () => createZeroShotJudge({ config: base }),
  reportsTruncation: true,
});

describe.runIf(fallbackHere)('zero-shot offline fallback (MiniLM similarity)', () => {
  runJudgeConformance({
    name: 'zero_shot (similarity fallback)',
    create: () => createZeroShotJudge({ config: { labels: ['polite', 'rude'] } }, { models: offline }),
    reportsTruncation: true,
  });

  it('is used only when no model is configured, and says so in every score', async () => {
    expect(zeroShotMethod({ offline_fallback: true, model: TEST_MODELS.nli }, offline)).toBe('nli');
    expect(zeroShotMethod({ offline_fallback: false }, offline)).toBe('nli');
    expect(zeroShotMethod({ offline_fallback: true }, { ...offline, allowRemote: true })).toBe('nli');
    const judge = createZeroShotJudge({ config: { labels: ['an apology'] } }, { models: offline });
    const [sorry, facts] = await judge.evaluateBatch([
      { id: 'a', output: 'Please accept our apologies for the damaged item.' },
      { id: 'b', output: 'Your order shipped yesterday and will arrive Friday.' },
    ]);
    for (const r of [sorry, facts]) {
      expect(r.details).toMatchObject({ method: 'similarity_fallback', mode: 'independent' });
      expect(r.details.fallback).toMatchObject({ model: ZERO_SHOT_FALLBACK_MODEL });
    }
    expect(judge.modelInfo()?.modelId).toBe(ZERO_SHOT_FALLBACK_MODEL);
    // Entailment vs contradiction on MiniLM's training scale: the hypothesis against its negation.
    const fallback = sorry.details.fallback as Record<string, Record<string, number>>;
    const logit = 20 * (fallback.cosine['an apology'] - fallback.negation_cosine['an apology']);
    expect(sorry.score).toBeCloseTo(1 / (1 + Math.exp(-logit)), 4);
    // Related text is closer to the hypothesis than unrelated text.
    const cosine = (r: typeof sorry) => (r.details.fallback as typeof fallback).cosine['an apology'];
    expect(cosine(sorry)).toBeGreaterThan(cosine(facts));
  });

  it('scores one label against its negation, never 1.0 for everything', async () => {
    const judge = createZeroShotJudge(
      { config: { labels: ['polite'], multi_label: false } },
      { models: offline },
    );
    const results = await judge.evaluateBatch([
      { id: 'a', output: 'Thank you so much, I am glad to help!' },
      { id: 'b', output: 'Whatever. Figure it out yourself.' },
    ]);
    for (const r of results) expect(r.score!).toBeLessThan(1);
    expect(results[0].details.mode).toBe('independent');
  });

  it('makes competing labels share one softmax over similarities', async () => {
    const labels = ['about billing or payments', 'about shipping or delivery'];
    const judge = createZeroShotJudge({ config: { labels, multi_label: false } }, { models: offline });
    const [r] = await judge.evaluateBatch([
      { id: 'a', output: 'Your invoice for March is available under Account > Billing.' },
    ]);
    const probs = r.details.labels as Record<string, number>;
    expect(probs[labels[0]] + probs[labels[1]]).toBeCloseTo(1, 5);
    expect(r.score).toBeCloseTo(probs[labels[0]], 5);
    expect(r.details.mode).toBe('competing');
    expect(r.passed).toBe(true);
  });

  it('with offline_fallback: false asks for the NLI model instead', async () => {
    const judge = createZeroShotJudge(
      { config: { labels: ['polite'], offline_fallback: false } },
      { models: offline },
    );
    await expect(judge.evaluateBatch([{ id: 'a', output: 'x' }])).rejects.toThrow(/npm run models/);
  });
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

  it('scores one label as entailment vs contradiction even with multi_label false (no softmax over one value)', async () => {
    const single = { model: TEST_MODELS.nli, labels: ['polite'] };
    const items = [
      { id: 'a', output: 'Thank you for your patience!' },
      { id: 'b', output: 'Go away.' },
    ];
    const competing = await createZeroShotJudge({ config: { ...single, multi_label: false } }).evaluateBatch(
      items,
    );
    const independent = await createZeroShotJudge({ config: single }).evaluateBatch(items);
    expect(competing.map((r) => r.score)).toEqual(independent.map((r) => r.score));
    for (const r of competing) {
      expect(r.score!).toBeLessThan(1);
      expect(r.details).toMatchObject({ mode: 'independent', method: 'nli' });
    }
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
