import type { ComparisonDesign, JudgeTestOutcome, TestName } from './comparison-types.js';
import { arithmeticMean } from './descriptive.js';

/** ±Infinity / NaN → null, so outcomes serialise to JSON (jsonb) without losing meaning silently. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function meanOrNull(values: readonly number[]): number | null {
  return values.length === 0 ? null : arithmeticMean(values);
}

/** Outcome when there are too few units to run any test: descriptive fields only. */
export function untestedOutcome(
  fields: Pick<JudgeTestOutcome, 'judge' | 'n' | 'nCurrent' | 'nBaseline' | 'repetitions'> & {
    design: ComparisonDesign;
    test: TestName;
    current: readonly number[];
    baseline: readonly number[];
    standardizedEffectKind: 'dz' | 'd';
  },
): JudgeTestOutcome {
  const currentMean = meanOrNull(fields.current);
  const baselineMean = meanOrNull(fields.baseline);
  return {
    judge: fields.judge,
    design: fields.design,
    test: fields.test,
    n: fields.n,
    nCurrent: fields.nCurrent,
    nBaseline: fields.nBaseline,
    repetitions: fields.repetitions,
    currentMean,
    baselineMean,
    meanDifference: currentMean === null || baselineMean === null ? null : currentMean - baselineMean,
    standardizedEffect: null,
    standardizedEffectKind: fields.standardizedEffectKind,
    statistic: null,
    df: null,
    pValue: null,
    ci: null,
    bootstrapCi: null,
    mde: null,
    secondary: [],
  };
}
