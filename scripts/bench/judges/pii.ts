/**
 * PII judge on the labelled benchmark (judges/benchmarks/pii.jsonl, and the held-out pii-holdout.jsonl):
 * precision, recall and F1 per kind and overall (a finding is right when its kind matches and its span
 * overlaps the label), whole lines (flagged vs has PII), and items/s. `--pii-errors` lists every miss and
 * false finding on stderr.
 */
import {
  PII_BENCHMARK_FILE,
  PII_HOLDOUT_FILE,
  type PrfCounts,
  prf,
  readPiiBenchmark,
  scorePiiBenchmark,
} from '../../../judges/benchmarks/pii-benchmark.js';
import { createPiiJudge } from '../../../judges/pii/pii-judge.js';
import type { QualityRow, QualitySection } from './table.js';

const quiet = { info() {}, warn() {} };

interface Finding {
  type: string;
  start: number;
  end: number;
}

async function runPii(label: string, file: string, config: Record<string, unknown>, perKind: boolean) {
  const lines = readPiiBenchmark(file);
  const items = lines.map((l) => ({ id: l.id, output: l.text }));
  const judge = createPiiJudge({ config }, { logger: quiet });
  await judge.evaluateBatch(items); // loads the model, warms the session and the regexes
  const started = performance.now();
  const results = await judge.evaluateBatch(items);
  const itemsPerSecond = items.length / ((performance.now() - started) / 1000);
  const score = scorePiiBenchmark(
    lines,
    results.map((r) => (r.details.findings as Finding[]) ?? []),
  );
  if (process.argv.includes('--pii-errors')) {
    const alarms = [...score.falseAlarmsByClass].map(([c, v]) => `${c} ${v.flagged}/${v.lines}`);
    console.error(
      `${label}:\n  ${[...score.errors, `clean lines flagged: ${alarms.join(', ')}`].join('\n  ')}`,
    );
  }
  const row = (subset: string, c: PrfCounts, extra: Partial<QualityRow> = {}): QualityRow => {
    const { precision, recall, f1 } = prf(c);
    return { judge: label, subset, n: c.labelled, metrics: { P: precision, R: recall, F1: f1 }, ...extra };
  };
  const kinds = perKind ? [...score.byKind.keys()].sort() : [];
  return [
    row('lines (flagged vs has PII)', score.lines, { n: lines.length, itemsPerSecond }),
    row('all findings', score.overall),
    ...kinds.map((k) => row(k, score.byKind.get(k) as PrfCounts)),
  ];
}

export const piiSection: QualitySection = {
  name: 'pii',
  async run() {
    return [
      ...(await runPii('pii, regex + NER, labelled set', PII_BENCHMARK_FILE, {}, true)),
      ...(await runPii('pii, regex + NER, held-out set', PII_HOLDOUT_FILE, {}, false)),
      ...(await runPii('pii, regex only, labelled set', PII_BENCHMARK_FILE, { ner: false }, false)),
    ];
  },
};
