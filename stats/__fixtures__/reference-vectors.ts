/**
 * Loader for reference-vectors.json (written by scripts/reference/generate_stats_fixtures.py).
 * Decodes "Infinity"/"-Infinity"/"NaN" strings and rebuilds the n = 10,000 vectors from their
 * recipes with the same mulberry32 stream as the Python generator.
 */
import { readFileSync } from 'node:fs';
import { mulberry32, uniformUnit } from '../prng.js';

export type Encoded = number | string;

export interface PairRecipe {
  kind: 'quantized_pair' | 'uniform_pair' | 'binary';
  seed: number;
  n: number;
  spread?: number;
  shift?: number;
  width?: number;
  p_base?: number;
  p_flip_down?: number;
  p_flip_up?: number;
}

export interface GroupRecipe {
  seed: number;
  n: number;
  low: number;
  high: number;
}

export interface PairCase {
  name: string;
  recipe?: PairRecipe;
  current?: number[];
  baseline?: number[];
  expected: unknown;
}

export function decodeNumber(value: Encoded): number {
  if (typeof value === 'number') return value;
  const special: Record<string, number> = { Infinity: Infinity, '-Infinity': -Infinity, NaN: Number.NaN };
  if (!(value in special)) throw new Error(`unexpected encoded number ${value}`);
  return special[value];
}

function quantizedPair(recipe: PairRecipe): [number[], number[]] {
  const next = mulberry32(recipe.seed);
  const spread = recipe.spread!;
  const current: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < recipe.n; i++) {
    const base = next() % 101;
    const noise = (next() % (2 * spread + 1)) - spread;
    const cur = Math.min(100, Math.max(0, base + noise + recipe.shift!));
    current.push(cur / 100);
    baseline.push(base / 100);
  }
  return [current, baseline];
}

function uniformPair(recipe: PairRecipe): [number[], number[]] {
  const next = mulberry32(recipe.seed);
  const current: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < recipe.n; i++) {
    const base = uniformUnit(next);
    current.push(base + recipe.shift! + (uniformUnit(next) - 0.5) * recipe.width!);
    baseline.push(base);
  }
  return [current, baseline];
}

function binaryPair(recipe: PairRecipe): [number[], number[]] {
  const next = mulberry32(recipe.seed);
  const current: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < recipe.n; i++) {
    const base = next() % 100 < recipe.p_base! ? 1 : 0;
    const roll = next() % 100;
    let cur = base;
    if (base === 1 && roll < recipe.p_flip_down!) cur = 0;
    else if (base === 0 && roll < recipe.p_flip_up!) cur = 1;
    current.push(cur);
    baseline.push(base);
  }
  return [current, baseline];
}

const PAIR_GENERATORS = { quantized_pair: quantizedPair, uniform_pair: uniformPair, binary: binaryPair };

export function materialisePair(
  testCase: Pick<PairCase, 'recipe' | 'current' | 'baseline'>,
): [number[], number[]] {
  if (testCase.recipe) return PAIR_GENERATORS[testCase.recipe.kind](testCase.recipe);
  return [testCase.current!, testCase.baseline!];
}

export function materialiseGroup(spec: number[] | GroupRecipe): number[] {
  if (Array.isArray(spec)) return spec;
  const next = mulberry32(spec.seed);
  return Array.from({ length: spec.n }, () => (spec.low + (next() % (spec.high - spec.low + 1))) / 100);
}

export interface TTestReference {
  statistic: Encoded;
  pvalue: Encoded;
  df: Encoded;
  mean_difference: Encoded;
  standard_error: Encoded;
  ci_low: Encoded;
  ci_high: Encoded;
}

export interface WilcoxonReference {
  statistic: Encoded;
  pvalue: Encoded;
  method: string;
  zstatistic?: Encoded;
}

export interface PairedCase extends PairCase {
  expected: {
    t: TTestReference & { cohen_dz: Encoded };
    wilcoxon: WilcoxonReference;
    wilcoxon_uncorrected: WilcoxonReference;
  };
}

export interface WelchCase {
  name: string;
  current: number[] | GroupRecipe;
  baseline: number[] | GroupRecipe;
  expected: TTestReference & { cohen_d: Encoded };
}

export interface McNemarCase extends PairCase {
  expected: {
    statistic: Encoded;
    pvalue: Encoded;
    baseline_only_passed: number;
    current_only_passed: number;
  };
}

export interface ClusterCase {
  name: string;
  clusters: number[][];
  expected: Omit<TTestReference, 'mean_difference'> & { mean: Encoded };
}

export interface HolmCase {
  name: string;
  pvalues: number[];
  expected: Encoded[];
}

export interface MdeCase {
  n: number;
  sd: number;
  alpha: number;
  power: number;
  expected: { mde: Encoded; noncentral_t_mde: Encoded };
}

export interface BootstrapCase {
  name: string;
  kind: 'paired' | 'two_sample' | 'clustered';
  seed: number;
  resamples: number;
  level: number;
  values?: number[];
  current?: number[];
  baseline?: number[];
  clusters?: number[][];
  expected: { ci_low: Encoded; ci_high: Encoded };
}

export interface ComparisonJudgeReference {
  judge: string;
  recipe: PairRecipe;
  expected: { pvalue: Encoded; statistic: Encoded; adjusted_pvalue: Encoded };
}

export interface ReferenceVectors {
  generated_with: Record<string, string>;
  paired: PairedCase[];
  welch: WelchCase[];
  mcnemar: McNemarCase[];
  clustered: ClusterCase[];
  holm: HolmCase[];
  mde: MdeCase[];
  bootstrap: BootstrapCase[];
  comparison: { judges: ComparisonJudgeReference[] };
  prng: { seed: number; first: number[] }[];
}

export function loadReferenceVectors(): ReferenceVectors {
  return JSON.parse(readFileSync(new URL('./reference-vectors.json', import.meta.url), 'utf8'));
}
