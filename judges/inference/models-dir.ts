import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Default models folder: `models/` at the repository root (git-ignored, filled by `npm run models`). */
export const DEFAULT_MODELS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'models',
);

export interface ModelSource {
  /** Local folder in the transformers.js layout: `<dir>/<model id>/{config.json,tokenizer.json,onnx/…}`. */
  modelsDir: string;
  /** Whether a model missing locally may be fetched from the Hugging Face hub. Off unless configured. */
  allowRemote: boolean;
}

export function modelSourceFromEnv(env: NodeJS.ProcessEnv = process.env): ModelSource {
  return {
    modelsDir: env.EVALFORGE_MODELS_DIR ? path.resolve(env.EVALFORGE_MODELS_DIR) : DEFAULT_MODELS_DIR,
    allowRemote: env.EVALFORGE_ALLOW_MODEL_DOWNLOAD === '1' || env.EVALFORGE_ALLOW_MODEL_DOWNLOAD === 'true',
  };
}

export function modelDir(source: ModelSource, modelId: string): string {
  return path.join(source.modelsDir, ...modelId.split('/'));
}
