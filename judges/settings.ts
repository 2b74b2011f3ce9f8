import { z } from 'zod';
import type { DevicePreference } from './inference/execution-device.js';
import type { ModelSource } from './inference/models-dir.js';
import { JUDGE_QUEUES } from './judge-types.js';
import type { ChatCaller } from './llm/chat-caller.js';
import type { JudgeLogger } from './logger.js';

/** One project's settings for one judge: guardrail_configs.threshold / is_blocking / config. */
export interface JudgeSettings {
  /** Score a result must reach to pass; each judge has its own default. */
  threshold?: number;
  /** Whether failing this judge blocks a deploy (used by guardrail evaluation, recorded in details). */
  blocking?: boolean;
  /** Judge-specific options (model id, labels, rubric, queue…), validated by the judge's own schema. */
  config?: Record<string, unknown>;
}

/** What judges need from the world. Everything is optional: defaults read the environment. */
export interface JudgeDeps {
  models?: ModelSource;
  logger?: JudgeLogger;
  /** Required by LLM-as-judge: how to reach the judge model. */
  chatCaller?: ChatCaller;
  /** Override of the CUDA check (tests). */
  cudaAvailable?: () => boolean;
}

export function judgeSettingsFromGuardrail(row: {
  threshold: number;
  is_blocking: boolean;
  config: Record<string, unknown> | null;
}): JudgeSettings {
  return { threshold: row.threshold, blocking: row.is_blocking, config: row.config ?? {} };
}

/** A judge's configuration is wrong: retrying cannot help, the user must fix the guardrail config. */
export class JudgeConfigError extends Error {
  override name = 'JudgeConfigError';
}

export function parseJudgeConfig<S extends z.ZodType>(
  schema: S,
  judgeType: string,
  config: unknown,
): z.output<S> {
  const parsed = schema.safeParse(config ?? {});
  if (!parsed.success) throw new JudgeConfigError(judgeConfigMessage(judgeType, parsed.error));
  return parsed.data;
}

/** One line naming every problem of a judge config, by path: the judge's error and the API's 422 say the same. */
export function judgeConfigMessage(judgeType: string, error: z.ZodError): string {
  const problems = error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
  return `invalid ${judgeType} judge config: ${problems}`;
}

export const thresholdSchema = z.number().min(0).max(1);

/** Options every local-model judge accepts. */
export const modelJudgeOptions = {
  model: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("model id in the models folder (default: the judge's own)"),
  dtype: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']).optional(),
  device: z.enum(['cpu', 'cuda', 'auto']).optional(),
  queue: z
    .enum([JUDGE_QUEUES.cpu, JUDGE_QUEUES.gpu])
    .optional()
    .describe('judges.gpu runs on GPU workers (and asks for CUDA)'),
  batch_size: z.number().int().min(1).max(512).optional(),
  max_tokens: z.number().int().min(8).max(8192).optional().describe('input tokens kept per text'),
};

/** A judge routed to the GPU queue asks for CUDA unless its config says otherwise. */
export function devicePreference(options: { device?: DevicePreference; queue?: string }): DevicePreference {
  return options.device ?? (options.queue === JUDGE_QUEUES.gpu ? 'cuda' : 'cpu');
}
