/** Figures for labelled binary judgements, shared by the toxicity, zero-shot and LLM-judge sections. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Rows of scripts/bench/judges/data/<name>.jsonl. */
export function readBenchData<T>(name: string): T[] {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', name);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** ROC-AUC of `scores` (higher = more positive) against labels: P(a positive outranks a negative), ties 1/2. */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!positive[i]) return;
    scores.forEach((n, j) => {
      if (positive[j]) return;
      pairs++;
      wins += p > n ? 1 : p === n ? 0.5 : 0;
    });
  });
  return pairs === 0 ? Number.NaN : wins / pairs;
}

export function precisionRecallF1(predicted: readonly boolean[], positive: readonly boolean[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  predicted.forEach((p, i) => {
    if (p && positive[i]) tp++;
    else if (p) fp++;
    else if (positive[i]) fn++;
  });
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

export function accuracy(predicted: readonly boolean[], expected: readonly boolean[]): number {
  return predicted.filter((p, i) => p === expected[i]).length / predicted.length;
}

/** Items per second of `run` over `items`, after one untimed pass (model load, warm-up). */
export async function itemsPerSecond<T>(items: readonly T[], run: (items: readonly T[]) => Promise<unknown>) {
  await run(items.slice(0, Math.min(items.length, 32)));
  const started = performance.now();
  await run(items);
  return items.length / ((performance.now() - started) / 1000);
}
