import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chooseExecutionDevice,
  cudaExecutionProviderAvailable,
  cudaProviderLibraryPath,
} from './execution-device.js';

function recorder() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  return {
    lines,
    logger: {
      info: (fields: object, message: string) =>
        void lines.push({ level: 'info', fields: fields as never, message }),
      warn: (fields: object, message: string) =>
        void lines.push({ level: 'warn', fields: fields as never, message }),
    },
  };
}

describe('execution device choice', () => {
  it('uses CUDA when asked and available, silently', () => {
    const { lines, logger } = recorder();
    expect(chooseExecutionDevice('cuda', { modelId: 'm', logger, cudaAvailable: () => true })).toBe('cuda');
    expect(chooseExecutionDevice('auto', { modelId: 'm', logger, cudaAvailable: () => true })).toBe('cuda');
    expect(lines).toEqual([]);
  });

  it('falls back to CPU with a warning that says why when CUDA was asked for', () => {
    const { lines, logger } = recorder();
    expect(chooseExecutionDevice('cuda', { modelId: 'm', logger, cudaAvailable: () => false })).toBe('cpu');
    expect(lines).toHaveLength(1);
    expect(lines[0].level).toBe('warn');
    expect(lines[0].message).toBe('CUDA requested for m but unavailable: falling back to CPU');
    expect(lines[0].fields).toMatchObject({
      requestedDevice: 'cuda',
      device: 'cpu',
      reason: expect.stringMatching(/libonnxruntime_providers_cuda/),
    });
  });

  it('uses CPU when asked, and says so at info level for auto without CUDA', () => {
    const { lines, logger } = recorder();
    expect(chooseExecutionDevice('cpu', { modelId: 'm', logger, cudaAvailable: () => true })).toBe('cpu');
    expect(chooseExecutionDevice('auto', { modelId: 'm', logger, cudaAvailable: () => false })).toBe('cpu');
    expect(lines.map((l) => l.level)).toEqual(['info']);
  });

  it('detects CUDA by the provider library onnxruntime-node loads (npm ships only the CPU build)', () => {
    const library = cudaProviderLibraryPath();
    if (library !== null)
      expect(fs.existsSync(library) && library.endsWith('libonnxruntime_providers_cuda.so')).toBe(true);
    expect(cudaExecutionProviderAvailable()).toBe(library !== null);
  });
});
