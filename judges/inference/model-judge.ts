import { defaultJudgeLogger } from '../logger.js';
import { devicePreference, type JudgeDeps } from '../settings.js';
import type { JudgeModelInfo } from '../types.js';
import { type LoadedModel, loadModel, type ModelTask } from './model-loader.js';
import { modelSourceFromEnv } from './models-dir.js';

/** Lazily loads (once per process, see loadModel) the model a judge's options name. */
export class ModelHandle {
  private info: JudgeModelInfo | null = null;

  constructor(
    private readonly task: ModelTask,
    private readonly options: {
      model: string;
      dtype?: string;
      device?: 'cpu' | 'cuda' | 'auto';
      queue?: string;
      max_tokens?: number;
    },
    private readonly deps: JudgeDeps,
  ) {}

  async get(): Promise<LoadedModel> {
    const loaded = await loadModel(
      {
        task: this.task,
        modelId: this.options.model,
        dtype: this.options.dtype,
        device: devicePreference(this.options),
        maxTokens: this.options.max_tokens,
      },
      {
        source: this.deps.models ?? modelSourceFromEnv(),
        logger: this.deps.logger ?? defaultJudgeLogger(),
        cudaAvailable: this.deps.cudaAvailable,
      },
    );
    this.info = loaded.info;
    return loaded;
  }

  modelInfo(): JudgeModelInfo | null {
    return this.info;
  }
}
