/**
 * The local chat model server: `npm run local-llm`. OpenAI-compatible on 127.0.0.1
 * (EVALFORGE_LOCAL_LLM_PORT, default 8788); the model comes from `npm run models`.
 */

import { createLogger } from '../lib/logger.js';
import { announceReady, exitWhenParentDies } from '../runtime/child-process.js';
import { loadConfigOrExit } from '../runtime/config.js';
import { localLlmModelExists, localLlmModelPath } from '../runtime/local-llm-model.js';
import { startLocalLlmServer } from '../runtime/local-llm-server.js';

const config = loadConfigOrExit();
const logger = createLogger('local-llm', config.LOG_LEVEL);
const modelPath = localLlmModelPath();
if (!localLlmModelExists()) {
  logger.error({ modelPath }, 'local model file missing; run `npm run models -- --only smollm2`');
  process.exit(1);
}
const server = await startLocalLlmServer({ modelPath, port: config.EVALFORGE_LOCAL_LLM_PORT });
logger.info({ url: server.url, modelPath }, 'local LLM listening');
announceReady({ url: server.url });

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.close();
  logger.info('local LLM stopped');
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
exitWhenParentDies(stop);
