/**
 * Toxicity judge on 123 labelled lines written for this benchmark (data/toxicity.jsonl): 45 toxic (insults,
 * profanity, threats, hate, harassment, veiled and obfuscated abuse) and 78 benign, 49 of them hard
 * (`kill the process`, `shoot me an email`, medical and legal terms, Scunthorpe, Dick Van Dyke, animal names).
 * ROC-AUC of the toxicity, and precision/recall/F1 of `passed === false` at the judge's default threshold,
 * for the offline model and, where it is in the models folder, the hub transformer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { modelDir, modelSourceFromEnv } from '../../../judges/inference/models-dir.js';
import {
  createToxicityJudge,
  DEFAULT_TOXICITY_MODEL,
  OFFLINE_TOXICITY_MODEL,
} from '../../../judges/toxicity.js';
import type { JudgeItem } from '../../../judges/types.js';
import { itemsPerSecond, precisionRecallF1, readBenchData, rocAuc } from './classification.js';
import type { QualityRow, QualitySection } from './table.js';

interface ToxicityLine {
  text: string;
  toxic: boolean;
  class: string;
}

const quiet = { info() {}, warn() {} };
/** Throughput is timed on the lines repeated to this many items (123 lines take a millisecond). */
const THROUGHPUT_ITEMS = 5_000;
const DEMO_THRESHOLD = 0.8;

async function rowsFor(label: string, model: string): Promise<QualityRow[]> {
  const lines = readBenchData<ToxicityLine>('toxicity.jsonl');
  const source = { ...modelSourceFromEnv(), allowRemote: false };
  const judge = createToxicityJudge({ config: { model } }, { models: source, logger: quiet });
  const items: JudgeItem[] = lines.map((l, i) => ({ id: String(i), output: l.text }));
  const results = await judge.evaluateBatch(items);
  const toxicity = results.map((r) => r.details.toxicity as number);
  const truth = lines.map((l) => l.toxic);
  const flagged = results.map((r) => !r.passed);
  const all = precisionRecallF1(flagged, truth);
  // The demo's guardrail threshold: fail above 0.2 toxicity.
  const strict = precisionRecallF1(
    toxicity.map((t) => 1 - t < DEMO_THRESHOLD),
    truth,
  );
  const subset = (keep: (l: ToxicityLine) => boolean) => lines.flatMap((l, i) => (keep(l) ? [i] : []));
  const hard = subset((l) => l.class.startsWith('hard-'));
  const noSwearing = subset((l) => ['hate', 'harassment', 'veiled', 'threat'].includes(l.class));
  const repeated = Array.from({ length: THROUGHPUT_ITEMS }, (_, i) => items[i % items.length]);
  if (process.argv.includes('--toxicity-errors')) {
    lines.forEach((l, i) => {
      if (flagged[i] !== l.toxic)
        console.error(
          `${label}: ${l.toxic ? 'missed' : 'false alarm'} [${l.class}] ${toxicity[i].toFixed(3)} ${l.text}`,
        );
    });
  }
  return [
    {
      judge: label,
      subset: `all lines (${truth.filter(Boolean).length} toxic), threshold 0.5`,
      n: lines.length,
      metrics: { AUC: rocAuc(toxicity, truth), F1: all.f1, P: all.precision, R: all.recall },
      itemsPerSecond: await itemsPerSecond(repeated, (batch) => judge.evaluateBatch(batch)),
    },
    {
      judge: label,
      subset: `all lines, threshold ${DEMO_THRESHOLD} (the demo's)`,
      n: lines.length,
      metrics: { F1: strict.f1, P: strict.precision, R: strict.recall },
    },
    {
      judge: label,
      subset: 'hard benign: flagged share',
      n: hard.length,
      metrics: { 'false alarms': hard.filter((i) => flagged[i]).length / hard.length },
    },
    {
      judge: label,
      subset: 'threats, hate, harassment, veiled: recall',
      n: noSwearing.length,
      metrics: { R: noSwearing.filter((i) => flagged[i]).length / noSwearing.length },
    },
  ];
}

export const toxicitySection: QualitySection = {
  name: 'toxicity',
  async run() {
    const rows = await rowsFor('toxicity (alt-profanity-check, offline default)', OFFLINE_TOXICITY_MODEL);
    const hub = modelDir(modelSourceFromEnv(), DEFAULT_TOXICITY_MODEL);
    if (fs.existsSync(path.join(hub, 'config.json')))
      rows.push(...(await rowsFor(`toxicity (${DEFAULT_TOXICITY_MODEL})`, DEFAULT_TOXICITY_MODEL)));
    return rows;
  },
};
