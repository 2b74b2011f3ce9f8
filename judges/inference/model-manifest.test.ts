import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDtype, localRevision, MANIFEST_FILE } from './model-manifest.js';
import { modelSourceFromEnv } from './models-dir.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalforge-model-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('model manifest', () => {
  it('prefers full precision, else the best quantised file present', () => {
    fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'onnx', 'model_q4.onnx'), 'q4 weights');
    expect(defaultDtype(dir)).toBe('q4');
    fs.writeFileSync(path.join(dir, 'onnx', 'model_quantized.onnx'), 'q8 weights');
    expect(defaultDtype(dir)).toBe('q8');
    fs.writeFileSync(path.join(dir, 'onnx', 'model.onnx'), 'fp32 weights');
    expect(defaultDtype(dir)).toBe('fp32');
  });

  it('records the hash of the loaded weights file, from the manifest or computed', async () => {
    const hash = crypto.createHash('sha256').update('q4 weights').digest('hex');
    expect(await localRevision(dir, 'q4')).toBe(`sha256:${hash.slice(0, 16)}`);
    fs.writeFileSync(
      path.join(dir, MANIFEST_FILE),
      JSON.stringify({ files: { 'model_q4.onnx': 'ab'.repeat(32) } }),
    );
    expect(await localRevision(dir, 'q4')).toBe(`sha256:${'ab'.repeat(8)}`);
    expect(await localRevision(dir, 'fp16')).toBeNull();
  });

  it('reads the models folder and download permission from the environment', () => {
    expect(modelSourceFromEnv({ EVALFORGE_MODELS_DIR: '/srv/models' })).toEqual({
      modelsDir: '/srv/models',
      allowRemote: false,
    });
    expect(modelSourceFromEnv({ EVALFORGE_ALLOW_MODEL_DOWNLOAD: '1' }).allowRemote).toBe(true);
    expect(modelSourceFromEnv({}).modelsDir).toMatch(/models$/);
  });
});
