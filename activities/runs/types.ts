import type { TaskQueueName } from '../../temporal.config.js';

/** Carried in workflow payloads: ids and counts only, never model outputs. */
export interface RunPlan {
  runId: string;
  totalSamples: number;
  repetitions: number;
  chunkSize: number;
  chunkCount: number;
  maxParallelChunks: number;
  judges: PlannedJudge[];
  baselineRunId: string | null;
}

export interface PlannedJudge {
  judgeType: string;
  taskQueue: TaskQueueName;
}

export interface ChunkRef {
  runId: string;
  chunkIndex: number;
  chunkSize: number;
}

export interface ChunkGeneration {
  succeeded: number;
  failed: number;
  skipped: number;
  budgetExceeded: boolean;
  /** Succeeded results of this chunk, for the judges (ids only). */
  resultIds: string[];
}

export type { FinalRunStatus } from '../../core/run-status.js';
