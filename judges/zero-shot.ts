import { JUDGE_CATALOG } from './catalog.js';
import { zeroShotOptions } from './config-schemas.js';
import { classifyTexts, softmax } from './inference/inference.js';
import { ModelHandle } from './inference/model-judge.js';
import { JudgeConfigError, type JudgeDeps, type JudgeSettings, parseJudgeConfig } from './settings.js';
import { type Judge, type JudgeItem, type JudgeResult, round6, unitScore } from './types.js';

/** An NLI cross-encoder exported to ONNX (labels contradiction / entailment / neutral). */
export const DEFAULT_ZERO_SHOT_MODEL = 'Xenova/nli-deberta-v3-xsmall';
export const DEFAULT_ZERO_SHOT_THRESHOLD = JUDGE_CATALOG.zero_shot.defaultThreshold;

/** NLI zero-shot classification of the output against user-defined criteria. */
export function createZeroShotJudge(settings: JudgeSettings = {}, deps: JudgeDeps = {}): Judge {
  const config = parseJudgeConfig(zeroShotOptions, 'zero_shot', settings.config);
  const positive = config.positive_labels ?? [config.labels[0]];
  const threshold = settings.threshold ?? DEFAULT_ZERO_SHOT_THRESHOLD;
  const handle = new ModelHandle(
    'sequence-classification',
    { ...config, model: config.model ?? DEFAULT_ZERO_SHOT_MODEL },
    deps,
  );
  const hypotheses = config.labels.map((label) => config.hypothesis_template.replace('{}', label));

  return {
    type: 'zero_shot',
    kind: 'model',
    modelInfo: () => handle.modelInfo(),
    async evaluateBatch(items: readonly JudgeItem[]): Promise<JudgeResult[]> {
      const loaded = await handle.get();
      const entail = labelIndex(loaded.labels, /entail/i);
      const contra = labelIndex(loaded.labels, /contra/i);
      const premises = items.flatMap((item) => hypotheses.map(() => item.output));
      const rows = await classifyTexts(
        loaded,
        premises,
        items.flatMap(() => hypotheses),
        config.batch_size,
      );
      return items.map((_, i) => {
        const mine = rows.slice(i * hypotheses.length, (i + 1) * hypotheses.length);
        const probs = config.multi_label
          ? mine.map((r) => softmax([r.logits[contra], r.logits[entail]])[1])
          : softmax(mine.map((r) => r.logits[entail]));
        const byLabel = Object.fromEntries(config.labels.map((label, k) => [label, round6(probs[k])]));
        const positives = positive.map((label) => probs[config.labels.indexOf(label)]);
        const score = unitScore(
          config.multi_label
            ? positives.reduce((a, b) => a + b, 0) / positives.length
            : positives.reduce((a, b) => a + b, 0),
        );
        return {
          score,
          passed: score >= threshold,
          details: { labels: byLabel, positive_labels: positive, truncated: mine.some((r) => r.truncated) },
        };
      });
    },
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
