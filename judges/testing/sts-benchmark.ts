import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corr } from 'mathjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** shared/ sits beside the repository (locally and in CI); EVALFORGE_STS_DATA overrides. */
export function stsDataPath(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.EVALFORGE_STS_DATA ?? path.resolve(here, '..', '..', '..', 'shared', 'data', 'stsbenchmark-test.tsv')
  );
}

export interface StsPair {
  score: number;
  first: string;
  second: string;
}

/** Tab-separated with a header, quoting off: sentences contain unbalanced quotes, so no CSV parser. */
export function readStsPairs(file = stsDataPath()): StsPair[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const cols = line.split('\t');
      return { score: Number(cols[4]), first: cols[5], second: cols[6] };
    });
}

export interface StsReference {
  model: string;
  source: string;
  library: string;
  max_seq_length: number;
  pairs: number;
  spearman: number;
  cosines: number[];
  embedding_sentences: string[];
  embeddings_f32_base64: string;
}

/** Figures from Python sentence-transformers (scripts/reference/sts_similarity_reference.py). */
export function readStsReference(): StsReference {
  return JSON.parse(fs.readFileSync(path.join(here, 'fixtures', 'sts-reference.json'), 'utf8'));
}

export function referenceEmbeddings(ref: StsReference): Float32Array[] {
  const bytes = Buffer.from(ref.embeddings_f32_base64, 'base64');
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const dim = all.length / ref.embedding_sentences.length;
  return ref.embedding_sentences.map((_, i) => all.slice(i * dim, (i + 1) * dim));
}

/** Average ranks (ties share the mean of their positions), as scipy.stats.rankdata. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman's rho: Pearson correlation of the ranks. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return corr(ranks(a), ranks(b)) as number;
}
