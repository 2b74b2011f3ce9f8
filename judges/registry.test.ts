import { describe, expect, it } from 'vitest';
import { createJudge, JUDGE_REGISTRY, JUDGE_TYPES, judgeKind } from './registry.js';
import { JudgeConfigError, judgeSettingsFromGuardrail } from './settings.js';

describe('judge registry', () => {
  it('knows every judge with its kind', () => {
    expect(Object.fromEntries(JUDGE_TYPES.map((type) => [type, judgeKind(type)]))).toEqual({
      toxicity: 'model',
      pii: 'model',
      similarity: 'model',
      zero_shot: 'model',
      format: 'rule',
      assertions: 'rule',
      llm_judge: 'llm',
    });
    // The list the API and the dashboard read is the registry's own.
    expect(Object.keys(JUDGE_REGISTRY)).toEqual(JUDGE_TYPES);
  });

  it('builds a judge from a guardrail row, keeping a "type:name" variant as its type', async () => {
    const settings = judgeSettingsFromGuardrail({
      threshold: 1,
      is_blocking: true,
      config: { regex: '^ok$' },
    });
    const judge = createJudge('format:strict-ok', settings);
    expect(judge.type).toBe('format:strict-ok');
    const [ok, no] = await judge.evaluateBatch([
      { id: 'a', output: 'ok' },
      { id: 'b', output: 'nope' },
    ]);
    expect([ok.passed, no.passed]).toEqual([true, false]);
  });

  it('rejects unknown types with the list of known ones', () => {
    expect(() => createJudge('vibes')).toThrow(JudgeConfigError);
    expect(() => createJudge('vibes')).toThrow(/known: toxicity, pii/);
  });
});
