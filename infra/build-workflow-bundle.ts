/**
 * Writes the workflow bundle that the image's workers load (EVALFORGE_WORKFLOW_BUNDLE), so a worker
 * starts without running webpack: `node --import tsx infra/build-workflow-bundle.ts <out.js>`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../runtime/worker.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: build-workflow-bundle.ts <output file>');
  process.exit(2);
}
const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
await fs.mkdir(path.dirname(path.resolve(out)), { recursive: true });
await fs.writeFile(out, code);
console.log(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)`);
