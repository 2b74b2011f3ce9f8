/**
 * Zero-shot judge on 50 labelled support answers written for this benchmark (data/zero-shot.jsonl), five
 * criteria of 8-12 lines each: three single labels ("polite" with multi_label false, "a refusal",
 * "an apology") and two competing sets (billing vs shipping vs returns; good vs bad news). Accuracy of
 * `passed` (threshold 0.5) against the label; the single-label criteria once more with a contrast label
 * (`["polite", "rude"]`, multi_label false), which is how the offline fallback is meant to be configured.
 * Offline this measures the MiniLM similarity fallback; with the NLI model in the folder, NLI too.
 */

import { modelSourceFromEnv } from '../../../judges/inference/models-dir.js';
import { createZeroShotJudge, DEFAULT_ZERO_SHOT_MODEL, zeroShotMethod } from '../../../judges/zero-shot.js';
import { accuracy, itemsPerSecond, readBenchData } from './classification.js';
import type { QualityRow, QualitySection } from './table.js';

interface ZeroShotLine {
  task: string;
  output: string;
  expected: boolean;
}

type Criterion = { labels: string[]; positive_labels?: string[]; multi_label?: boolean };

const SINGLE: Record<string, Criterion> = {
  polite: { labels: ['polite'], multi_label: false },
  refusal: { labels: ['a refusal'] },
  apology: { labels: ['an apology'] },
};
const COMPETING: Record<string, Criterion> = {
  billing: {
    labels: ['about billing or payments', 'about shipping or delivery', 'about returns'],
    multi_label: false,
  },
  sentiment: { labels: ['good news', 'bad news'], multi_label: false },
};
const CONTRASTED: Record<string, Criterion> = {
  polite: { labels: ['polite', 'rude'], multi_label: false },
  refusal: { labels: ['a refusal', 'a helpful answer'], multi_label: false },
  apology: { labels: ['an apology', 'a statement of facts'], multi_label: false },
};

const quiet = { info() {}, warn() {} };

async function accuracyOn(
  lines: readonly ZeroShotLine[],
  criteria: Record<string, Criterion>,
  extra: Record<string, unknown>,
): Promise<{ n: number; accuracy: number; itemsPerSecond: number }> {
  const used = lines.filter((l) => l.task in criteria);
  const predicted: boolean[] = [];
  let seconds = 0;
  for (const [task, criterion] of Object.entries(criteria)) {
    const mine = used.filter((l) => l.task === task);
    const judge = createZeroShotJudge({ config: { ...criterion, ...extra } }, { logger: quiet });
    const items = mine.map((l, i) => ({ id: String(i), output: l.output }));
    await judge.evaluateBatch(items.slice(0, 2)); // load
    const started = performance.now();
    const results = await judge.evaluateBatch(items);
    seconds += (performance.now() - started) / 1000;
    predicted.push(...results.map((r) => r.passed));
  }
  const expected = Object.keys(criteria).flatMap((task) =>
    used.filter((l) => l.task === task).map((l) => l.expected),
  );
  return { n: used.length, accuracy: accuracy(predicted, expected), itemsPerSecond: used.length / seconds };
}

async function rowsFor(label: string, extra: Record<string, unknown>): Promise<QualityRow[]> {
  const lines = readBenchData<ZeroShotLine>('zero-shot.jsonl');
  const all = await accuracyOn(lines, { ...SINGLE, ...COMPETING }, extra);
  const single = await accuracyOn(lines, SINGLE, extra);
  const competing = await accuracyOn(lines, COMPETING, extra);
  const contrasted = await accuracyOn(lines, CONTRASTED, extra);
  // Throughput on a realistic batch: 256 outputs against one two-label criterion.
  const judge = createZeroShotJudge({ config: { ...CONTRASTED.polite, ...extra } }, { logger: quiet });
  const batch = Array.from({ length: 256 }, (_, i) => ({
    id: String(i),
    output: lines[i % lines.length].output,
  }));
  const rate = await itemsPerSecond(batch, (items) => judge.evaluateBatch(items));
  return [
    {
      judge: label,
      subset: 'all 5 criteria as configured',
      n: all.n,
      metrics: { accuracy: all.accuracy },
      itemsPerSecond: rate,
    },
    {
      judge: label,
      subset: 'single labels (entailment vs contradiction)',
      n: single.n,
      metrics: { accuracy: single.accuracy },
    },
    { judge: label, subset: 'competing labels', n: competing.n, metrics: { accuracy: competing.accuracy } },
    {
      judge: label,
      subset: 'single labels given a contrast label',
      n: contrasted.n,
      metrics: { accuracy: contrasted.accuracy },
    },
  ];
}

export const zeroShotSection: QualitySection = {
  name: 'zero_shot',
  async run() {
    const offline = { ...modelSourceFromEnv(), allowRemote: false };
    return zeroShotMethod({ offline_fallback: true }, offline) === 'similarity_fallback'
      ? rowsFor('zero_shot (offline: MiniLM similarity fallback)', {})
      : rowsFor(`zero_shot (NLI ${DEFAULT_ZERO_SHOT_MODEL})`, {});
  },
};
