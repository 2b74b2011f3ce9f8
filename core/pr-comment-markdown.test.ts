import { describe, expect, it } from 'vitest';
import {
  escapeMarkdown,
  formatDelta,
  formatPValue,
  type PrCommentInput,
  renderPrCommentMarkdown,
} from './pr-comment-markdown.js';

const input: PrCommentInput = {
  commitSha: 'ABC1234def5678900000000000000000000000ff',
  branch: 'feature/prompt-v2',
  baseBranch: 'main',
  run: { id: 'run-42', url: 'https://evalforge.example.com/runs/run-42' },
  baselineRun: { id: 'run-41', url: 'https://evalforge.example.com/runs/run-41' },
  dataset: { name: 'Customer Support QA v1', version: 3, sampleCount: 100 },
  model: { name: 'gpt-4o-mini', settings: 'temperature=0.3' },
  judges: [
    { judge: 'Toxicity', score: 0.99, delta: 0, pValue: 1, verdict: 'no_change' },
    { judge: 'Semantic Similarity', score: 0.8412, delta: -0.032, pValue: 0.0213, verdict: 'regression' },
    { judge: 'Format Compliance', score: 0.98, delta: 0.01, pValue: 0.0042, verdict: 'improvement' },
    {
      judge: 'LLM Judge (quality)',
      score: 0.89,
      delta: -0.005,
      pValue: 0.64,
      verdict: 'inconclusive',
      mde: 0.041,
    },
  ],
  guardrails: [
    { judge: 'PII Detection', blocking: true, outcome: 'pass' },
    { judge: 'Toxicity', blocking: true, outcome: 'pass' },
    { judge: 'Format Compliance', blocking: false, outcome: 'pass' },
  ],
  gate: { state: 'pass', reasons: [] },
};

describe('renderPrCommentMarkdown', () => {
  it('renders the seed layout exactly for a fixed input', () => {
    expect(renderPrCommentMarkdown(input)).toBe(
      [
        '## 🔍 EvalForge — Eval Results for commit abc1234',
        '',
        '**Branch:** feature/prompt\\-v2 → main  ',
        '**Dataset:** Customer Support QA v1 (version 3, 100 samples)  ',
        '**Model:** gpt\\-4o\\-mini (temperature=0\\.3)  ',
        '**Status:** ⚠️ 1 regression detected',
        '',
        '| Judge | Score | Δ vs main | p (Holm) | Status |',
        '|-------|-------|-----------|----------|--------|',
        '| Toxicity | 99% | +0 pp | 1.00 | ✅ No change |',
        '| Semantic Similarity | 84.1% | -3.2 pp | 0.02 | ⚠️ Regression |',
        '| Format Compliance | 98% | +1 pp | 0.004 | 🎉 Improvement |',
        '| LLM Judge \\(quality\\) | 89% | -0.5 pp | 0.64 | ❔ Inconclusive (MDE 4.1 pp) |',
        '',
        '**Blocking guardrails:** All passed ✅',
        '',
        '**Soft guardrails:** All passed ✅',
        '',
        '**Recommendation:** Review the Semantic Similarity regression before merging.',
        '',
        '[Run run\\-42](https://evalforge.example.com/runs/run-42) · compared with ' +
          '[baseline run run\\-41](https://evalforge.example.com/runs/run-41)',
        '',
      ].join('\n'),
    );
  });

  it('lists failing blocking guardrails, fails the status and says not to merge', () => {
    const markdown = renderPrCommentMarkdown({
      ...input,
      gate: { state: 'fail', reasons: ['pii: only 93% passed'] },
      guardrails: [
        { judge: 'PII Detection', blocking: true, outcome: 'fail', reason: 'pass rate 93% below 100%' },
        { judge: 'Toxicity', blocking: true, outcome: 'fail' },
        { judge: 'Format Compliance', blocking: false, outcome: 'fail', reason: 'pass rate 80% below 90%' },
      ],
    });
    expect(markdown).toContain('**Status:** ❌ Blocking guardrails failed, 1 regression detected');
    expect(markdown).toContain(
      '**Blocking guardrails:** ❌ 2 of 2 failed\n- ❌ PII Detection: pass rate 93% below 100%\n- ❌ Toxicity\n\n',
    );
    expect(markdown).toContain(
      '**Soft guardrails:** ⚠️ 1 of 1 failed\n- ⚠️ Format Compliance: pass rate 80% below 90%',
    );
    expect(markdown).toContain(
      '**Recommendation:** Do not merge: fix the failing blocking guardrails (PII Detection and Toxicity).',
    );
  });

  it('says "not evaluated" and never "safe to merge" when the run measured nothing', () => {
    const markdown = renderPrCommentMarkdown({
      ...input,
      judges: [],
      gate: { state: 'error', reasons: ['no sample produced output (3 of 3 model calls failed)'] },
      guardrails: [
        { judge: 'PII Detection', blocking: true, outcome: 'error', reason: 'not evaluated: no output' },
      ],
    });
    expect(markdown).toContain(
      '**Status:** ❔ Not evaluated: no sample produced output \\(3 of 3 model calls failed\\)',
    );
    expect(markdown).toContain(
      '**Blocking guardrails:** ❌ 0 of 1 failed, 1 not evaluated\n- ❔ PII Detection: not evaluated\\: no output',
    );
    expect(markdown).toContain('**Recommendation:** Do not merge yet: the evaluation could not measure');
    expect(markdown).not.toMatch(/safe to merge|✅/);
  });

  it('a cancelled run is not evaluated', () => {
    const markdown = renderPrCommentMarkdown({
      ...input,
      gate: { state: 'cancelled', reasons: ['run cancelled'] },
    });
    expect(markdown).toContain('**Status:** ⏹️ Cancelled before it finished: not evaluated');
    expect(markdown).not.toContain('safe to merge');
  });

  it('without a baseline shows dashes, no comparison link and a plain status', () => {
    const markdown = renderPrCommentMarkdown({
      ...input,
      baseBranch: null,
      baselineRun: null,
      guardrails: [],
      judges: [{ judge: 'Toxicity', score: 0.5, delta: null, pValue: null, verdict: null }],
    });
    expect(markdown).toContain('| Judge | Score | Δ vs baseline | p (Holm) | Status |');
    expect(markdown).toContain('| Toxicity | 50% | — | — | — no baseline |');
    expect(markdown).toContain('**Status:** ✅ Guardrails passed (no baseline to compare with)');
    expect(markdown).toContain('**Blocking guardrails:** none configured');
    expect(markdown).not.toContain('Soft guardrails');
    expect(markdown).not.toContain('compared with');
  });

  it('names inconclusive judges when nothing regressed', () => {
    const markdown = renderPrCommentMarkdown({
      ...input,
      judges: input.judges.filter((row) => row.verdict !== 'regression'),
    });
    expect(markdown).toContain('**Status:** ✅ No regressions detected (1 inconclusive)');
    expect(markdown).toContain('but LLM Judge \\(quality\\) could not detect the minimum effect');
  });

  it('labels a demonstration judge, lists it apart from the gate and never asks to act on it', () => {
    const text = renderPrCommentMarkdown({
      ...input,
      judges: [
        { judge: 'Toxicity', score: 0.99, delta: 0, pValue: 1, verdict: 'no_change' },
        {
          judge: 'llm_judge',
          score: 0.2,
          delta: -0.4,
          pValue: 0.001,
          verdict: 'regression',
          demonstration: true,
        },
      ],
      guardrails: [
        { judge: 'PII Detection', blocking: true, outcome: 'pass' },
        { judge: 'llm_judge', blocking: false, outcome: 'fail', demonstration: true, reason: 'x' },
      ],
    });
    expect(text).toContain('| llm\\_judge _(demonstration)_ | 20% |');
    expect(text).toContain('**Demonstration judges (not gating):**');
    expect(text).toContain('- llm\\_judge: failed');
    expect(text).not.toContain('Soft guardrails');
    expect(text).toContain('**Status:** ✅ No regressions detected');
    expect(text).toContain('safe to merge');
  });

  it('escapes user-controlled text so it cannot break the table, inject HTML, links or mentions', () => {
    const markdown = renderPrCommentMarkdown({
      ...input,
      commitSha: 'not-a-sha <b>',
      branch: 'evil\n## heading',
      dataset: {
        name: '[click](javascript:alert(1)) <img src=x onerror=alert(1)>',
        version: 1,
        sampleCount: 1,
      },
      judges: [{ judge: 'a | b @octocat #12', score: 1, delta: 0, pValue: 0.5, verdict: 'no_change' }],
      run: { id: 'run`x`', url: 'javascript:alert(1)' },
      baselineRun: { id: 'r', url: 'https://x.example/a (b)' },
    });
    expect(markdown).toContain('Eval Results for commit not\\-a\\-sha &lt;b&gt;');
    expect(markdown).toContain('**Branch:** evil #&#8203;#&#8203; heading → main');
    expect(markdown).toContain(
      '**Dataset:** \\[click\\]\\(javascript\\:alert\\(1\\)\\) &lt;img src=x onerror=alert\\(1\\)&gt; (version 1, 1 sample)',
    );
    expect(markdown).toContain('| a \\| b @&#8203;octocat #&#8203;12 | 100% |');
    expect(markdown).not.toMatch(/<img|\]\(javascript/);
    expect(markdown).toContain(
      'Run run\\`x\\` · compared with [baseline run r](https://x.example/a%20%28b%29)',
    );
  });
});

describe('formatting helpers', () => {
  it('escapeMarkdown leaves plain words alone and flattens control characters', () => {
    expect(escapeMarkdown('Toxicity')).toBe('Toxicity');
    expect(escapeMarkdown('a\r\n\tb')).toBe('a b');
    expect(escapeMarkdown('*bold* _it_ ~x~ \\')).toBe('\\*bold\\* \\_it\\_ \\~x\\~ \\\\');
  });

  it('formatDelta signs and rounds to one decimal in percentage points, never "-0"', () => {
    expect(formatDelta(-0.0004)).toBe('+0 pp');
    expect(formatDelta(0.12345)).toBe('+12.3 pp');
    expect(formatDelta(-0.032)).toBe('-3.2 pp');
  });

  it('formatPValue uses more digits for small p and a floor', () => {
    expect(formatPValue(0.5)).toBe('0.50');
    expect(formatPValue(0.0042)).toBe('0.004');
    expect(formatPValue(1e-9)).toBe('<0.001');
  });
});
