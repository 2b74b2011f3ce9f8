import { describe, expect, it } from 'vitest';
import { TASK_QUEUES } from '../../temporal.config.js';
import { judgeTaskQueue } from './judge-task-queue.js';

describe('judgeTaskQueue', () => {
  it('sends LLM-as-judge to the llm queue whatever its config says', () => {
    expect(judgeTaskQueue('llm_judge')).toBe(TASK_QUEUES.llm);
    expect(judgeTaskQueue('llm_judge:helpfulness', { queue: 'judges.gpu' })).toBe(TASK_QUEUES.llm);
  });

  it('sends model judges to judges.gpu when their config asks for the GPU, else judges.cpu', () => {
    for (const type of ['toxicity', 'pii', 'similarity', 'zero_shot:politeness']) {
      expect(judgeTaskQueue(type)).toBe(TASK_QUEUES.judgesCpu);
      expect(judgeTaskQueue(type, { queue: 'judges.gpu' })).toBe(TASK_QUEUES.judgesGpu);
      expect(judgeTaskQueue(type, { device: 'cuda' })).toBe(TASK_QUEUES.judgesGpu);
      expect(judgeTaskQueue(type, { device: 'auto' })).toBe(TASK_QUEUES.judgesCpu);
    }
  });

  it('keeps rule-based and unknown judges on judges.cpu', () => {
    expect(judgeTaskQueue('format', { queue: 'judges.gpu' })).toBe(TASK_QUEUES.judgesCpu);
    expect(judgeTaskQueue('assertions')).toBe(TASK_QUEUES.judgesCpu);
    expect(judgeTaskQueue('no_such_judge')).toBe(TASK_QUEUES.judgesCpu);
  });
});
