/**
 * The offline toxicity model against scikit-learn on the same pickles: the analyzer's tokens must be the
 * same and every probability within 1e-6 of `profanity_check.predict_prob`, or thresholds tuned in Python
 * would misfire here. Reference figures come from scripts/reference/toxicity_reference.py
 * (judges/testing/fixtures/toxicity-reference.json), so this test needs no Python.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLinearTextModel, pythonPatternToJs } from './inference/linear-text-model.js';
import { modelSourceFromEnv } from './inference/models-dir.js';
import { requireModels } from './testing/test-models.js';
import { createToxicityJudge, OFFLINE_TOXICITY_MODEL } from './toxicity.js';

const PROBABILITY_TOLERANCE = 1e-6;

interface Reference {
  source: string;
  lines: { text: string; tokens: string[]; probability: number }[];
}

const reference = JSON.parse(
  fs.readFileSync(
    path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'fixtures', 'toxicity-reference.json'),
    'utf8',
  ),
) as Reference;
const offline = { models: { ...modelSourceFromEnv(), allowRemote: false } };

beforeAll(() => requireModels(OFFLINE_TOXICITY_MODEL));

describe(`toxicity parity with scikit-learn (${reference.source}, ${reference.lines.length} lines)`, () => {
  it('tokenizes every line exactly as TfidfVectorizer.build_analyzer()', async () => {
    const model = await loadLinearTextModel(offline.models, OFFLINE_TOXICITY_MODEL);
    for (const line of reference.lines) expect(model.analyze(line.text), line.text).toEqual(line.tokens);
  });

  it('gives predict_prob within 1e-6 for every line', async () => {
    const model = await loadLinearTextModel(offline.models, OFFLINE_TOXICITY_MODEL);
    const ours = model.predict(reference.lines.map((l) => l.text));
    const diffs = ours.map((p, i) => Math.abs(p.probability - reference.lines[i].probability));
    expect(Math.max(...diffs)).toBeLessThan(PROBABILITY_TOLERANCE);
  });

  it('is the judge’s offline default: score = 1 - P(offensive)', async () => {
    const judge = createToxicityJudge({}, offline);
    const results = await judge.evaluateBatch(
      reference.lines.map((l, i) => ({ id: String(i), output: l.text })),
    );
    results.forEach((r, i) => {
      expect(r.score!).toBeCloseTo(1 - reference.lines[i].probability, 6);
      expect(r.details.labels).toEqual({
        not_offensive: expect.any(Number),
        offensive: expect.any(Number),
      });
    });
    expect(judge.modelInfo()).toMatchObject({
      modelId: OFFLINE_TOXICITY_MODEL,
      dtype: 'fp64',
      device: 'cpu',
    });
  });
});

describe('Python token patterns in JavaScript', () => {
  const tokens = (pattern: string, text: string) =>
    [...text.matchAll(pythonPatternToJs(pattern))].map((m) => m[0]);

  it('reads \\w, \\b and \\d with Python’s Unicode meaning, inside and outside classes', () => {
    expect(tokens('(?u)\\b\\w\\w+\\b', 'naïve 你好 a ²³ x_y e\u0301t')).toEqual([
      'naïve',
      '你好',
      '²³',
      'x_y',
    ]);
    expect(tokens("[\\w']+", "it's café")).toEqual(["it's", 'café']);
    expect(tokens('\\d+', 'a ٣٤ 42')).toEqual(['٣٤', '42']);
    expect(tokens('\\W+', 'ab, cd')).toEqual([', ']);
  });

  it('refuses inline flags it cannot honour', () => {
    expect(() => pythonPatternToJs('(?i)\\w+')).toThrow(/inline flags/);
  });
});
