import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Written by `npm run models` next to each model (scripts/model-prep/prepare_models.py). */
export const MANIFEST_FILE = 'evalforge-model.json';

/** transformers.js file name suffix per dtype (onnx/model<suffix>.onnx). */
export const DTYPE_FILE_SUFFIX: Record<string, string> = {
  fp32: '',
  fp16: '_fp16',
  int8: '_int8',
  uint8: '_uint8',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

/** When a config names no dtype: full precision first (parity with Python), else the best shipped file. */
const DTYPE_PREFERENCE = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'];

const REVISION_HEX_CHARS = 16;

interface Manifest {
  model_id: string;
  source: string;
  tiny: boolean;
  revision: string;
  files: Record<string, string>;
}

export function readManifest(dir: string): Manifest | null {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}

export function onnxFile(dir: string, dtype: string): string {
  return path.join(dir, 'onnx', `model${DTYPE_FILE_SUFFIX[dtype] ?? ''}.onnx`);
}

/** The dtype to load when none is configured: the most precise one present locally (fp32 for remote). */
export function defaultDtype(dir: string): string {
  return DTYPE_PREFERENCE.find((dtype) => fs.existsSync(onnxFile(dir, dtype))) ?? 'fp32';
}

/** A stable revision for a local model: the sha256 of the weights file actually loaded (from the manifest
 * when `npm run models` wrote one, else hashed here once per load). */
export async function localRevision(dir: string, dtype: string): Promise<string | null> {
  const file = onnxFile(dir, dtype);
  const known = readManifest(dir)?.files[path.basename(file)];
  if (known) return `sha256:${known.slice(0, REVISION_HEX_CHARS)}`;
  if (!fs.existsSync(file)) return null;
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex').slice(0, REVISION_HEX_CHARS)}`;
}
