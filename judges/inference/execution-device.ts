import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { JudgeLogger } from '../logger.js';

export type DevicePreference = 'cpu' | 'cuda' | 'auto';
export type ExecutionDevice = 'cpu' | 'cuda';

/** onnxruntime-node lists CUDA as a backend on linux-x64, but its provider library is a separate download
 * (not on npm); without it a CUDA session fails at load. Checking the file avoids a failed load per model. */
const CUDA_PROVIDER_LIBRARY = 'libonnxruntime_providers_cuda.so';

export function cudaProviderLibraryPath(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return null;
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
  const napiDirs = fs.readdirSync(path.join(packageDir, 'bin')).filter((d) => d.startsWith('napi-v'));
  for (const napi of napiDirs) {
    const candidate = path.join(packageDir, 'bin', napi, 'linux', 'x64', CUDA_PROVIDER_LIBRARY);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

let cachedCudaPath: string | null | undefined;
export function cudaExecutionProviderAvailable(): boolean {
  if (cachedCudaPath === undefined) cachedCudaPath = cudaProviderLibraryPath();
  return cachedCudaPath !== null;
}

/** Picks the execution provider for a model and says so in the log whenever CUDA was wanted but CPU is used. */
export function chooseExecutionDevice(
  preference: DevicePreference,
  opts: { modelId: string; logger: JudgeLogger; cudaAvailable?: () => boolean },
): ExecutionDevice {
  if (preference === 'cpu') return 'cpu';
  const available = (opts.cudaAvailable ?? cudaExecutionProviderAvailable)();
  if (available) return 'cuda';
  const reason = `onnxruntime-node CUDA execution provider not installed (${CUDA_PROVIDER_LIBRARY} missing)`;
  if (preference === 'cuda') {
    opts.logger.warn(
      { modelId: opts.modelId, requestedDevice: 'cuda', device: 'cpu', reason },
      `CUDA requested for ${opts.modelId} but unavailable: falling back to CPU`,
    );
  } else {
    opts.logger.info(
      { modelId: opts.modelId, device: 'cpu', reason },
      `no CUDA for ${opts.modelId}: running on CPU`,
    );
  }
  return 'cpu';
}
