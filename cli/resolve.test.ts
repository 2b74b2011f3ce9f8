import { describe, expect, it } from 'vitest';
import { comparisonText } from './commands/runs.js';
import { CliError, EXIT } from './exit-codes.js';
import { isUuid, pickByName } from './resolve.js';

const items = [
  { id: '11111111-aaaa-4aaa-8aaa-000000000001', name: 'support-bot' },
  { id: '22222222-bbbb-4bbb-8bbb-000000000002', name: 'Fixture' },
  { id: '22223333-cccc-4ccc-8ccc-000000000003', name: 'fixture' },
  { id: '44444444-dddd-4ddd-8ddd-000000000004', name: 'dup' },
  { id: '55555555-eeee-4eee-8eee-000000000005', name: 'dup' },
];
const pick = (value: string) =>
  pickByName(value, items, {
    what: 'project',
    flag: '--project',
    names: (p) => [p.name],
    describe: (p) => `${p.id}  ${p.name}`,
  }).id;
const failure = (value: string) => {
  try {
    pick(value);
  } catch (err) {
    return err as CliError;
  }
  throw new Error(`"${value}" was resolved`);
};

describe('names for ids', () => {
  it('tells UUIDs from names', () => {
    expect(isUuid(items[0].id)).toBe(true);
    expect(isUuid('support-bot')).toBe(false);
    expect(isUuid('11111111')).toBe(false);
  });

  it('prefers the id, then the exact name, then the start of an id, then the name in any case', () => {
    expect(pick(items[0].id)).toBe(items[0].id);
    expect(pick('support-bot')).toBe(items[0].id);
    expect(pick('fixture')).toBe(items[2].id);
    expect(pick('Fixture')).toBe(items[1].id);
    expect(pick('1111')).toBe(items[0].id);
    expect(pick('SUPPORT-BOT')).toBe(items[0].id);
  });

  it('is a usage error listing the candidates when ambiguous or unknown', () => {
    const ambiguous = failure('dup');
    expect(ambiguous).toBeInstanceOf(CliError);
    expect(ambiguous.exitCode).toBe(EXIT.USAGE);
    expect(ambiguous.message).toBe(
      '--project "dup" is ambiguous: 2 projects match; give the id:\n' +
        `  ${items[3].id}  dup\n  ${items[4].id}  dup`,
    );
    expect(failure('2222').message).toContain('2 projects match');
    const unknown = failure('nope');
    expect(unknown.exitCode).toBe(EXIT.USAGE);
    expect(unknown.message).toContain('no project named "nope"; the projects are:');
    expect(unknown.message).toContain(`${items[0].id}  support-bot`);
  });
});

describe('runs compare as text', () => {
  it('is a judge table, the counts and the most regressed samples', () => {
    const judge = (judge_type: string, verdict: string, baseline: number, current: number, p: number) => ({
      judge_type,
      verdict,
      reason: `${judge_type} reason`,
      test: 't',
      design: 'paired',
      n: 2,
      current_mean: current,
      baseline_mean: baseline,
      delta: current - baseline,
      p_value: p,
      adjusted_p_value: p,
      ci: null,
      mde: null,
      minimum_effect: 0,
    });
    const pair = (key: string, b: number, c: number, changed: boolean) => ({
      sample_key: key,
      repetition: 0,
      input_text: `input of ${key}\nsecond line`,
      changed,
      baseline: { status: 'succeeded', scores: { sim: { score: b, passed: b >= 0.5 } } },
      candidate: { status: 'succeeded', scores: { sim: { score: c, passed: c >= 0.5 } } },
    });
    const pairs = [pair('a', 0.9, 0.1, true), pair('b', 0.2, 0.8, true), pair('c', 0.6, 0.7, false)];
    const text = comparisonText(
      {
        run_id: 'cand',
        baseline_run_id: 'base',
        paired: true,
        correction: 'holm',
        alpha: 0.05,
        judges: [judge('sim', 'regression', 0.567, 0.533, 0.0004), judge('pii', 'no_change', 1, 1, 1)],
        samples: { items: pairs, total: 3, offset: 0, limit: 500 },
      } as never,
      pairs,
      { baselineId: 'base-run-id', candidateId: 'cand-run-id', top: 5 },
    );
    expect(text).toBe(
      [
        'baseline  base-run-id',
        'candidate cand-run-id',
        'paired on sample keys, Holm-corrected, alpha 0.05; 3 sample pairs',
        '',
        'JUDGE  BASELINE  CANDIDATE       Δ  p (Holm)  N  REGRESSED / IMPROVED  VERDICT',
        '-----  --------  ---------  ------  --------  -  --------------------  ----------',
        'sim       0.567      0.533  -0.034    <0.001  2  1 / 1                 REGRESSION',
        'pii       1.000      1.000   0.000     1.000  2  -                     no change',
        '',
        '1 judge regressed, 0 improved',
        '  sim: sim reason',
        '',
        'most regressed samples:',
        'SAMPLE  JUDGE  BASELINE  CANDIDATE  INPUT',
        '------  -----  --------  ---------  ----------------------',
        'a       sim       0.900      0.100  input of a second line',
        '',
        '(full data: evalforge runs compare base-run cand-run --json)',
      ].join('\n'),
    );
  });
});
