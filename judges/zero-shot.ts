import fs from 'node:fs';
import path from 'node:path';
import { JUDGE_CATALOG } from './catalog.js';
import { zeroShotOptions } from './config-schemas.js';
import { classifyTexts, dot, embedTexts, sigmoid, softmax } from './inference/inference.js';
import { ModelHandle } from './inference/model-judge.js';
import { type ModelSource, modelDir, modelSourceFromEnv } from './inference/models-dir.js';
import { defaultJudgeLogger } from './logger.js';
import { JudgeConfigError, type JudgeDeps, type JudgeSettings, parseJudgeConfig } from './settings.js';
import { DEFAULT_SIMILARITY_MODEL } from './similarity.js';
import { type Judge, type JudgeItem, type JudgeResult, round6, unitScore } from './types.js';

/** An NLI cross-encoder exported to ONNX (labels contradiction / entailment / neutral). */
export const DEFAULT_ZERO_SHOT_MODEL = 'Xenova/nli-deberta-v3-xsmall';
export const DEFAULT_ZERO_SHOT_THRESHOLD = JUDGE_CATALOG.zero_shot.defaultThreshold;
/** The offline fallback's model: sentence embeddings, not NLI. */
export const ZERO_SHOT_FALLBACK_MODEL = DEFAULT_SIMILARITY_MODEL;
/**
 * all-MiniLM-L6-v2 was trained with cosine × 20 inside a softmax (sentence-transformers'
 * MultipleNegativesRankingLoss), so cosine differences become probabilities on that scale.
 */
const SIMILARITY_LOGIT_SCALE = 20;

export type ZeroShotMethod = 'nli' | 'similarity_fallback';

/** Whether the judge scores by NLI here or falls back to MiniLM similarity (no model configured, default NLI
 * model absent, no hub downloads). */
export function zeroShotMethod(
  config: { model?: string; offline_fallback: boolean },
  source: ModelSource = modelSourceFromEnv(),
): ZeroShotMethod {
  if (config.model !== undefined || !config.offline_fallback || source.allowRemote) return 'nli';
  const local = fs.existsSync(path.join(modelDir(source, DEFAULT_ZERO_SHOT_MODEL), 'config.json'));
  return local ? 'nli' : 'similarity_fallback';
}

/**
 * Zero-shot classification of the output against user-defined criteria: hypothesis = template filled with a
 * label. Independent labels (multi_label, or a single label) score P(entailment) against contradiction only;
 * competing labels (multi_label false, two or more labels) share one softmax over entailment, and the
 * positive labels' probabilities add up. Offline, without the NLI model, the same two modes run on MiniLM
 * cosine similarity: the hypothesis against its negation ("This text is not polite."), or the hypotheses
 * against each other. Embeddings do not understand negation or criteria the way NLI does, so this fallback is
 * weaker (see the README's benchmark) and every score says which method produced it.
 */
export function createZeroShotJudge(settings: JudgeSettings = {}, deps: JudgeDeps = {}): Judge {
  const config = parseJudgeConfig(zeroShotOptions, 'zero_shot', settings.config);
  const positive = config.positive_labels ?? [config.labels[0]];
  const threshold = settings.threshold ?? DEFAULT_ZERO_SHOT_THRESHOLD;
  const source = deps.models ?? modelSourceFromEnv();
  const method = zeroShotMethod(config, source);
  const independent = config.multi_label || config.labels.length === 1;
  const mode = independent ? 'independent' : 'competing';
  const hypothesis = (label: string) => config.hypothesis_template.replace('{}', label);
  const hypotheses = config.labels.map(hypothesis);
  const handle = new ModelHandle(
    method === 'nli' ? 'sequence-classification' : 'embedding',
    {
      ...config,
      model: method === 'nli' ? (config.model ?? DEFAULT_ZERO_SHOT_MODEL) : ZERO_SHOT_FALLBACK_MODEL,
      // The fallback embeds with the similarity judge's precision, not the NLI model's options.
      ...(method === 'similarity_fallback' && { dtype: 'fp32', max_tokens: undefined }),
    },
    { ...deps, models: source },
  );
  let warned = false;

  const result = (probs: number[], truncated: boolean, extra: Record<string, unknown>): JudgeResult => {
    const byLabel = Object.fromEntries(config.labels.map((label, k) => [label, round6(probs[k])]));
    const positives = positive.map((label) => probs[config.labels.indexOf(label)]);
    const sum = positives.reduce((a, b) => a + b, 0);
    const score = unitScore(independent ? sum / positives.length : sum);
    return {
      score,
      passed: score >= threshold,
      details: { labels: byLabel, positive_labels: positive, mode, method, truncated, ...extra },
    };
  };

  async function byNli(items: readonly JudgeItem[]): Promise<JudgeResult[]> {
    const loaded = await handle.get();
    const entail = labelIndex(loaded.labels, /entail/i);
    const contra = labelIndex(loaded.labels, /contra/i);
    const rows = await classifyTexts(
      loaded,
      items.flatMap((item) => hypotheses.map(() => item.output)),
      items.flatMap(() => hypotheses),
      config.batch_size,
    );
    return items.map((_, i) => {
      const mine = rows.slice(i * hypotheses.length, (i + 1) * hypotheses.length);
      // Never a softmax over one value: a single label is entailment against contradiction.
      const probs = independent
        ? mine.map((r) => softmax([r.logits[contra], r.logits[entail]])[1])
        : softmax(mine.map((r) => r.logits[entail]));
      return result(
        probs,
        mine.some((r) => r.truncated),
        {},
      );
    });
  }

  async function bySimilarity(items: readonly JudgeItem[]): Promise<JudgeResult[]> {
    const loaded = await handle.get();
    if (!warned) {
      warned = true;
      (deps.logger ?? defaultJudgeLogger()).warn(
        { model: DEFAULT_ZERO_SHOT_MODEL, fallback: ZERO_SHOT_FALLBACK_MODEL },
        `zero_shot: NLI model ${DEFAULT_ZERO_SHOT_MODEL} is not in the models folder; scoring by ` +
          `${ZERO_SHOT_FALLBACK_MODEL} similarity instead (weaker)`,
      );
    }
    const negations = independent ? config.labels.map((label) => hypothesis(`not ${label}`)) : [];
    const fixed = await embedTexts(loaded, [...hypotheses, ...negations], config.batch_size);
    const outputs = await embedTexts(
      loaded,
      items.map((i) => i.output),
      config.batch_size,
    );
    return outputs.map((o) => {
      const cos = (k: number) => dot(o.vector, fixed[k].vector);
      const similarity = config.labels.map((_, k) => cos(k));
      const probs = independent
        ? config.labels.map((_, k) => sigmoid(SIMILARITY_LOGIT_SCALE * (cos(k) - cos(hypotheses.length + k))))
        : softmax(similarity.map((c) => SIMILARITY_LOGIT_SCALE * c));
      const perLabel = (value: (k: number) => number) =>
        Object.fromEntries(config.labels.map((label, k) => [label, round6(value(k))]));
      return result(probs, o.truncated, {
        fallback: {
          model: ZERO_SHOT_FALLBACK_MODEL,
          reason: `NLI model ${DEFAULT_ZERO_SHOT_MODEL} is not in the models folder`,
          cosine: perLabel((k) => similarity[k]),
          ...(independent && { negation_cosine: perLabel((k) => cos(hypotheses.length + k)) }),
        },
      });
    });
  }

  return {
    type: 'zero_shot',
    kind: 'model',
    modelInfo: () => handle.modelInfo(),
    evaluateBatch: (items) => (method === 'nli' ? byNli(items) : bySimilarity(items)),
  };
}

function labelIndex(labels: string[], pattern: RegExp): number {
  const index = labels.findIndex((l) => pattern.test(l));
  if (index < 0) {
    throw new JudgeConfigError(
      `zero_shot model is not an NLI model: labels ${labels.join(', ')} lack ${pattern.source}`,
    );
  }
  return index;
}
