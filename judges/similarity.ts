import { JUDGE_CATALOG } from './catalog.js';
import { similarityOptions } from './config-schemas.js';
import { dot, embedTexts } from './inference/inference.js';
import { ModelHandle } from './inference/model-judge.js';
import { type JudgeDeps, type JudgeSettings, parseJudgeConfig } from './settings.js';
import {
  errorResult,
  hasReference,
  type Judge,
  type JudgeItem,
  type JudgeResult,
  MISSING_REFERENCE,
  round6,
  unitScore,
} from './types.js';

export const DEFAULT_SIMILARITY_MODEL = 'sentence-transformers/all-MiniLM-L6-v2';
export const DEFAULT_SIMILARITY_THRESHOLD = JUDGE_CATALOG.similarity.defaultThreshold;

/** Sentence embeddings (mean pooling, L2-normalised, as sentence-transformers) and cosine vs the reference.
 * Score = cosine clamped to [0, 1] (not rescaled), so thresholds carry over from Python tooling. */
export function createSimilarityJudge(settings: JudgeSettings = {}, deps: JudgeDeps = {}): Judge {
  const config = parseJudgeConfig(similarityOptions, 'similarity', settings.config);
  const threshold = settings.threshold ?? DEFAULT_SIMILARITY_THRESHOLD;
  const handle = new ModelHandle(
    'embedding',
    { ...config, model: config.model ?? DEFAULT_SIMILARITY_MODEL },
    deps,
  );

  return {
    type: 'similarity',
    kind: 'model',
    modelInfo: () => handle.modelInfo(),
    async evaluateBatch(items: readonly JudgeItem[]): Promise<JudgeResult[]> {
      const scorable = items.filter(hasReference);
      if (scorable.length === 0) return items.map(() => errorResult(`similarity ${MISSING_REFERENCE}`));
      const loaded = await handle.get();
      const vectors = await embedTexts(
        loaded,
        scorable.flatMap((item) => [item.output, item.reference]),
        config.batch_size,
      );
      const byItem = new Map(
        scorable.map((item, k) => {
          const [output, reference] = [vectors[2 * k], vectors[2 * k + 1]];
          const cosine = dot(output.vector, reference.vector);
          const score = unitScore(cosine);
          const result: JudgeResult = {
            score,
            passed: score >= threshold,
            details: { cosine: round6(cosine), truncated: output.truncated || reference.truncated },
          };
          return [item, result] as const;
        }),
      );
      return items.map(
        (item) =>
          byItem.get(item as JudgeItem & { reference: string }) ??
          errorResult(`similarity ${MISSING_REFERENCE}`),
      );
    },
  };
}

/** Embeds texts with the similarity judge's model (used by the parity check and benchmarks). */
export async function embedWithSimilarityModel(
  texts: readonly string[],
  settings: JudgeSettings = {},
  deps: JudgeDeps = {},
): Promise<Float32Array[]> {
  const config = parseJudgeConfig(similarityOptions, 'similarity', settings.config);
  const handle = new ModelHandle(
    'embedding',
    { ...config, model: config.model ?? DEFAULT_SIMILARITY_MODEL },
    deps,
  );
  const rows = await embedTexts(await handle.get(), texts, config.batch_size);
  return rows.map((r) => r.vector);
}
