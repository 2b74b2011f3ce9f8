import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelNotFoundError } from './inference/model-loader.js';
import { type ModelSource, modelDir, modelSourceFromEnv } from './inference/models-dir.js';
import { JudgeConfigError } from './settings.js';
import { runJudgeConformance } from './testing/conformance.case.js';
import { requireModels, TEST_MODELS } from './testing/test-models.js';
import {
  createToxicityJudge,
  DEFAULT_TOXICITY_MODEL,
  defaultToxicityModel,
  OFFLINE_TOXICITY_MODEL,
  toxicLabels,
} from './toxicity.js';

const tiny = { model: TEST_MODELS.toxicity };
const offline: ModelSource = { ...modelSourceFromEnv(), allowRemote: false };

beforeAll(() => requireModels(TEST_MODELS.toxicity, TEST_MODELS.nli, OFFLINE_TOXICITY_MODEL));

runJudgeConformance({
  name: 'toxicity',
  create: () => createToxicityJudge({ config: tiny }),
  reportsTruncation: true,
});

runJudgeConformance({
  name: 'toxicity (offline linear model)',
  create: () => createToxicityJudge({}, { models: offline }),
});

describe('toxicity judge, offline default (alt-profanity-check)', () => {
  it('is the default without hub access, and the hub transformer is the default with it', () => {
    expect(defaultToxicityModel(offline)).toBe(OFFLINE_TOXICITY_MODEL);
    expect(defaultToxicityModel({ ...offline, allowRemote: true })).toBe(DEFAULT_TOXICITY_MODEL);
  });

  it('fails offensive wording, passes polite and hard-benign text, and names the words that counted', async () => {
    const judge = createToxicityJudge({}, { models: offline });
    const [rude, polite, process] = await judge.evaluateBatch([
      { id: 'a', output: 'You are a fucking idiot.' },
      { id: 'b', output: 'Thank you for your patience, your refund is on its way.' },
      { id: 'c', output: 'Kill the process and restart the worker.' },
    ]);
    expect(rude.passed).toBe(false);
    expect(rude.details).toMatchObject({ label: 'offensive', terms: ['fucking', 'idiot'] });
    expect(rude.score).toBeCloseTo(1 - (rude.details.toxicity as number), 6);
    expect(polite.passed).toBe(true);
    expect(process.passed).toBe(true);
    const labels = polite.details.labels as Record<string, number>;
    expect(labels.offensive + labels.not_offensive).toBeCloseTo(1, 6);
  });

  it('says how to prepare the offline model when it is missing', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'evalforge-no-models-'));
    const judge = createToxicityJudge({}, { models: { modelsDir: empty, allowRemote: false } });
    await expect(judge.evaluateBatch([{ id: 'a', output: 'x' }])).rejects.toThrow(/npm run models/);
  });
});

describe('toxic labels from the model config (id2label)', () => {
  it('reads binary generic labels as LABEL_1 = toxic, and asks for toxic_labels when it cannot tell', () => {
    expect(toxicLabels('m', ['LABEL_0', 'LABEL_1'])).toEqual(['LABEL_1']);
    expect(() => toxicLabels('m', ['LABEL_0', 'LABEL_1', 'LABEL_2'])).toThrow(/set toxic_labels/);
    expect(() => toxicLabels('m', ['positive', 'negative'])).toThrow(/set toxic_labels/);
    expect(toxicLabels('m', ['LABEL_0', 'LABEL_1', 'LABEL_2'], ['LABEL_2'])).toEqual(['LABEL_2']);
  });

  it('knows benign and toxic names', () => {
    expect(toxicLabels('m', ['non-toxic', 'toxic'])).toEqual(['toxic']);
    expect(toxicLabels('m', ['neutral', 'toxic'])).toEqual(['toxic']);
    expect(toxicLabels('m', ['not_offensive', 'offensive'])).toEqual(['offensive']);
    expect(toxicLabels('m', ['hate', 'offensive', 'neither'])).toEqual(['hate', 'offensive']);
    expect(toxicLabels('m', ['noHate', 'hate'])).toEqual(['hate']);
  });

  it('refuses configured toxic_labels the model does not have', () => {
    expect(() => toxicLabels('m', ['LABEL_0', 'LABEL_1'], ['toxic'])).toThrow(/not labels of m/);
  });

  describe('on a single-label (softmax) model relabelled in its config.json', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalforge-relabelled-'));
    const source: ModelSource = { modelsDir: dir, allowRemote: false };
    const relabel = (id: string, labels: string[]) => {
      const target = modelDir(source, id);
      fs.cpSync(modelDir(offline, TEST_MODELS.nli), target, { recursive: true });
      const config = JSON.parse(fs.readFileSync(path.join(target, 'config.json'), 'utf8'));
      config.id2label = Object.fromEntries(labels.map((l, i) => [String(i), l]));
      config.label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
      fs.writeFileSync(path.join(target, 'config.json'), JSON.stringify(config));
    };
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('sums the toxic labels’ softmax probabilities', async () => {
      relabel('test/hate-offensive-neither', ['hate', 'offensive', 'neither']);
      const judge = createToxicityJudge(
        { config: { model: 'test/hate-offensive-neither' } },
        { models: source },
      );
      const [r] = await judge.evaluateBatch([{ id: 'a', output: 'Some text.' }]);
      const labels = r.details.labels as Record<string, number>;
      expect(labels.hate + labels.offensive + labels.neither).toBeCloseTo(1, 5);
      expect(r.details.toxicity).toBeCloseTo(labels.hate + labels.offensive, 5);
      expect(r.score).toBeCloseTo(labels.neither, 5);
    });

    it('refuses three generic labels without toxic_labels, and honours them when given', async () => {
      relabel('test/generic', ['LABEL_0', 'LABEL_1', 'LABEL_2']);
      const config = { model: 'test/generic' };
      await expect(
        createToxicityJudge({ config }, { models: source }).evaluateBatch([{ id: 'a', output: 'x' }]),
      ).rejects.toThrow(JudgeConfigError);
      const judge = createToxicityJudge(
        { config: { ...config, toxic_labels: ['LABEL_2'] } },
        { models: source },
      );
      const [r] = await judge.evaluateBatch([{ id: 'a', output: 'x' }]);
      expect(r.score).toBeCloseTo(1 - (r.details.labels as Record<string, number>).LABEL_2, 5);
    });
  });
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
