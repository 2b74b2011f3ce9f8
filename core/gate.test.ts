import { describe, expect, it } from 'vitest';
import { decideGate, evaluateGuardrail, evaluateGuardrails, judgesForRun } from './gate.js';
import { readRunSummary } from './run-summary.js';

const samples = (expected: number, succeeded: number, failed = expected - succeeded) => ({
  expected,
  total: succeeded + failed,
  succeeded,
  failed,
});
const guardrail = (judge_type: string, is_blocking: boolean, config: Record<string, unknown> = {}) => ({
  judge_type,
  is_blocking,
  threshold: 0.5,
  config,
});

describe('evaluateGuardrail', () => {
  it('counts a sample without output as a failure of every guardrail', () => {
    // 10 samples, 2 model calls failed, the 8 scored ones all passed: 8/10 = 0.8 < 1 for pii.
    const g = evaluateGuardrail(guardrail('pii', true), samples(10, 8), { scored: 8, passed: 8, errors: 0 });
    expect(g.outcome).toBe('fail');
    expect(g.pass_rate).toBe(0.8);
    expect(g.counts).toEqual({ counted: 10, passed: 8, failed: 0, errors: 0, unscored: 2 });
    expect(g.reason).toBe('pii: only 80.0% passed, needs 100.0% (counted as failures: 2 without output)');
  });

  it('counts a judge error as a failure unless the guardrail says on_error: skip', () => {
    const counts = { scored: 8, passed: 8, errors: 2 };
    const fail = evaluateGuardrail(
      guardrail('format', true, { min_pass_rate: 0.9 }),
      samples(10, 10),
      counts,
    );
    expect([fail.outcome, fail.pass_rate]).toEqual(['fail', 0.8]);
    const skip = evaluateGuardrail(
      guardrail('format', true, { min_pass_rate: 0.9, on_error: 'skip' }),
      samples(10, 10),
      counts,
    );
    expect([skip.outcome, skip.pass_rate, skip.counts?.counted]).toEqual(['pass', 1, 8]);
  });

  it('is error, not pass, when nothing was scored', () => {
    const allErrors = evaluateGuardrail(guardrail('format', false, { on_error: 'skip' }), samples(5, 5), {
      scored: 0,
      passed: 0,
      errors: 5,
    });
    expect(allErrors.outcome).toBe('error');
    expect(allErrors.reason).toBe('format: not evaluated: every score was a judge error (5)');
    const noOutput = evaluateGuardrail(guardrail('format', false), samples(5, 0), undefined);
    expect([noOutput.outcome, noOutput.passed]).toEqual(['error', false]);
  });

  it('uses the judge defaults: 100% for safety judges, 80% for quality judges', () => {
    const counts = { scored: 10, passed: 8, errors: 0 };
    expect(evaluateGuardrail(guardrail('toxicity', true), samples(10, 10), counts).outcome).toBe('fail');
    expect(evaluateGuardrail(guardrail('similarity', true), samples(10, 10), counts).outcome).toBe('pass');
    expect(evaluateGuardrail(guardrail('pii:input', true), samples(10, 10), counts).min_pass_rate).toBe(1);
  });
});

describe('evaluateGuardrails (the run verdict)', () => {
  const pii = guardrail('pii', true);
  const style = guardrail('similarity', false);

  it('passes when every blocking guardrail passed', () => {
    const r = evaluateGuardrails({
      samples: samples(4, 4),
      guardrails: [pii, style],
      judges: { pii: { scored: 4, passed: 4, errors: 0 }, similarity: { scored: 4, passed: 1, errors: 0 } },
    });
    expect(r.verdict).toBe('pass');
    expect(r.blocking_failures).toEqual([]);
  });

  it('is error when every model call failed, even with no guardrail at all', () => {
    const none = evaluateGuardrails({ samples: samples(3, 0), guardrails: [], judges: {} });
    expect(none.verdict).toBe('error');
    expect(none.unmeasured).toEqual(['no sample produced output (3 of 3 model calls failed)']);
    const withPii = evaluateGuardrails({ samples: samples(3, 0), guardrails: [pii], judges: {} });
    expect([withPii.verdict, withPii.blocking_errors]).toEqual(['error', ['pii']]);
  });

  it('is error when a blocking guardrail has no scores; fail wins over error', () => {
    const errored = evaluateGuardrails({
      samples: samples(2, 2),
      guardrails: [pii, guardrail('format', true)],
      judges: { pii: { scored: 2, passed: 2, errors: 0 }, format: { scored: 0, passed: 0, errors: 2 } },
    });
    expect([errored.verdict, errored.blocking_errors]).toEqual(['error', ['format']]);
    const failed = evaluateGuardrails({
      samples: samples(2, 2),
      guardrails: [pii, guardrail('format', true)],
      judges: { pii: { scored: 2, passed: 1, errors: 0 }, format: { scored: 0, passed: 0, errors: 2 } },
    });
    expect([failed.verdict, failed.blocking_failures, failed.blocking_errors]).toEqual([
      'fail',
      ['pii'],
      ['format'],
    ]);
  });

  it('never gates on a demonstration guardrail, even one marked blocking, and labels it', () => {
    const demo = guardrail('llm_judge', true, { demonstration: true });
    const r = evaluateGuardrails({
      samples: samples(4, 4),
      guardrails: [pii, demo],
      judges: { pii: { scored: 4, passed: 4, errors: 0 }, llm_judge: { scored: 4, passed: 0, errors: 0 } },
    });
    expect([r.verdict, r.blocking_failures]).toEqual(['pass', []]);
    const shown = r.guardrails.find((g) => g.judge_type === 'llm_judge');
    expect(shown).toMatchObject({ outcome: 'fail', is_blocking: false, demonstration: true });
    expect(shown?.reason).toMatch(/^llm_judge \(demonstration, not gating\): only 0\.0% passed/);
    // Without the flag the same scores block.
    const real = evaluateGuardrails({
      samples: samples(4, 4),
      guardrails: [pii, guardrail('llm_judge', true)],
      judges: { pii: { scored: 4, passed: 4, errors: 0 }, llm_judge: { scored: 4, passed: 0, errors: 0 } },
    });
    expect(real.verdict).toBe('fail');
  });

  it('says which samples never ran', () => {
    const r = evaluateGuardrails({ samples: samples(10, 4, 0), guardrails: [], judges: {} });
    expect(r.unmeasured).toEqual(['6 of 10 samples never ran']);
  });
});

describe('judgesForRun', () => {
  const configured = [guardrail('pii', true), guardrail('similarity', false), guardrail('format', true)];
  it("runs the project's guardrails, or the selection plus every blocking guardrail", () => {
    expect(judgesForRun(configured, undefined)).toEqual(['pii', 'similarity', 'format']);
    expect(judgesForRun(configured, ['similarity'])).toEqual(['similarity', 'pii', 'format']);
  });
});

describe('decideGate', () => {
  const completed = { status: 'completed' as const, error: null };
  const summary = (verdict: string, extra: Record<string, unknown> = {}) =>
    readRunSummary({ verdict, blocking_failures: [], blocking_errors: [], ...extra });

  it('never passes a run that is not completed', () => {
    for (const status of ['failed', 'budget_exceeded'] as const)
      expect(decideGate({ status, error: 'boom' }, summary('pass'), { failOnRegression: false }).state).toBe(
        'error',
      );
    expect(
      decideGate({ status: 'cancelled', error: null }, summary('pass'), { failOnRegression: false }).state,
    ).toBe('cancelled');
    expect(
      decideGate({ status: 'running', error: null }, summary('pass'), { failOnRegression: false }).state,
    ).toBe('pending');
  });

  it('reads an old or missing verdict as not evaluated', () => {
    const gate = decideGate(completed, readRunSummary({}), { failOnRegression: false });
    expect([gate.state, gate.title]).toEqual(['error', 'Eval run finished without a guardrail verdict']);
  });

  it('reports what was not measured', () => {
    const gate = decideGate(
      completed,
      summary('error', { unmeasured: ['no sample produced output (3 of 3 model calls failed)'] }),
      { failOnRegression: false },
    );
    expect(gate).toMatchObject({
      state: 'error',
      title: 'Not evaluated: no sample produced output (3 of 3 model calls failed)',
    });
  });

  it('gates regressions only when the policy says so', () => {
    const regressed = summary('pass', {
      regressions: { judges: [{ judge_type: 'similarity', verdict: 'regression', delta: -0.1 }] },
    });
    expect(decideGate(completed, regressed, { failOnRegression: true }).state).toBe('fail');
    const lenient = decideGate(completed, regressed, { failOnRegression: false });
    expect([lenient.state, lenient.warnings, lenient.regressions]).toEqual([
      'pass',
      ['Regression vs baseline: similarity'],
      ['similarity'],
    ]);
  });
});
