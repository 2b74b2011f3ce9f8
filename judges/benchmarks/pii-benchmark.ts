/**
 * The PII benchmark (`pii.jsonl` and `pii-holdout.jsonl`, written for this project): labelled lines with personal data of many kinds
 * and languages, and lines of things that look like it and are not (versions, ISBNs, tracking and order
 * numbers, JSON values, measurements, counts, code, foreign words, Luhn-invalid card-like numbers…).
 *
 * Each line: `{id, lang, class, text, pii: [{kind, value}]}`; `value` is the exact text of the finding (its
 * span is found in `text`), `class` is "pii" (or "pii+<tricky class>") or the tricky class of a clean line.
 * A finding counts as right when it has the labelled kind and overlaps the labelled span; a label counts as
 * found when some finding of its kind overlaps it. Lines are also scored as a whole (flagged vs has PII),
 * which is what the judge's pass/fail decides.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PII_BENCHMARK_FILE = path.join(here, 'pii.jsonl');
/** Written after the judge's rules were tuned on `pii.jsonl`, to check they carry over. */
export const PII_HOLDOUT_FILE = path.join(here, 'pii-holdout.jsonl');

export interface PiiLabel {
  kind: string;
  value: string;
  start: number;
  end: number;
}

export interface PiiBenchmarkLine {
  id: string;
  lang: string;
  class: string;
  text: string;
  pii: PiiLabel[];
}

export interface PiiPrediction {
  type: string;
  start: number;
  end: number;
}

export function readPiiBenchmark(file = PII_BENCHMARK_FILE): PiiBenchmarkLine[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const raw = JSON.parse(l) as Omit<PiiBenchmarkLine, 'pii'> & { pii: { kind: string; value: string }[] };
      // Each label is the first occurrence of its value that no earlier label covers ("Via Roma 10, Roma").
      const pii: PiiLabel[] = [];
      for (const { kind, value } of raw.pii) {
        let start = raw.text.indexOf(value);
        while (start >= 0 && pii.some((l) => l.start < start + value.length && start < l.end)) {
          start = raw.text.indexOf(value, start + 1);
        }
        if (start < 0) throw new Error(`${raw.id}: "${value}" is not in the text`);
        pii.push({ kind, value, start, end: start + value.length });
      }
      return { ...raw, pii };
    });
}

export interface PrfCounts {
  /** Findings of this kind, and those that hit a label of this kind. */
  predicted: number;
  correct: number;
  /** Labels of this kind, and those some finding of this kind hit. */
  labelled: number;
  found: number;
}

export interface PiiBenchmarkScore {
  byKind: Map<string, PrfCounts>;
  overall: PrfCounts;
  /** Whole lines: flagged (any finding) against having any label. */
  lines: PrfCounts;
  /** Clean lines flagged, by class. */
  falseAlarmsByClass: Map<string, { lines: number; flagged: number }>;
  /** Human-readable misses and false findings, for tuning. */
  errors: string[];
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

export function scorePiiBenchmark(
  lines: readonly PiiBenchmarkLine[],
  predictions: readonly (readonly PiiPrediction[])[],
): PiiBenchmarkScore {
  const byKind = new Map<string, PrfCounts>();
  const counts = (kind: string) => {
    const c = byKind.get(kind) ?? { predicted: 0, correct: 0, labelled: 0, found: 0 };
    byKind.set(kind, c);
    return c;
  };
  const lineCounts: PrfCounts = { predicted: 0, correct: 0, labelled: 0, found: 0 };
  const falseAlarmsByClass = new Map<string, { lines: number; flagged: number }>();
  const errors: string[] = [];
  lines.forEach((line, i) => {
    const preds = predictions[i];
    for (const p of preds) {
      const c = counts(p.type);
      c.predicted++;
      if (line.pii.some((l) => l.kind === p.type && overlaps(l, p))) c.correct++;
      else errors.push(`${line.id} false ${p.type}: "${line.text.slice(p.start, p.end)}"`);
    }
    for (const l of line.pii) {
      const c = counts(l.kind);
      c.labelled++;
      if (preds.some((p) => p.type === l.kind && overlaps(l, p))) c.found++;
      else errors.push(`${line.id} missed ${l.kind}: "${l.value}"`);
    }
    const flagged = preds.length > 0;
    const hasPii = line.pii.length > 0;
    lineCounts.predicted += flagged ? 1 : 0;
    lineCounts.labelled += hasPii ? 1 : 0;
    lineCounts.correct += flagged && hasPii ? 1 : 0;
    lineCounts.found += flagged && hasPii ? 1 : 0;
    if (!hasPii) {
      const fa = falseAlarmsByClass.get(line.class) ?? { lines: 0, flagged: 0 };
      fa.lines++;
      fa.flagged += flagged ? 1 : 0;
      falseAlarmsByClass.set(line.class, fa);
    }
  });
  const overall: PrfCounts = { predicted: 0, correct: 0, labelled: 0, found: 0 };
  for (const c of byKind.values()) {
    overall.predicted += c.predicted;
    overall.correct += c.correct;
    overall.labelled += c.labelled;
    overall.found += c.found;
  }
  return { byKind, overall, lines: lineCounts, falseAlarmsByClass, errors };
}

/** Precision, recall and F1; precision is 1 with no findings, recall 1 with no labels (nothing to miss). */
export function prf(c: PrfCounts): { precision: number; recall: number; f1: number } {
  const precision = c.predicted === 0 ? 1 : c.correct / c.predicted;
  const recall = c.labelled === 0 ? 1 : c.found / c.labelled;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
