import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_TEXT_MAX_CHARS,
  escapeMarkdown,
  fencedText,
  formatDelta,
  formatDeltaWithCi,
  formatPValue,
  PR_COMMENT_MAX_LENGTH,
  type PrCommentExample,
  type PrCommentInput,
  type PrCommentJudgeRow,
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
    {
      judge: 'Toxicity',
      score: 0.99,
      baselineScore: 0.99,
      delta: 0,
      ci: { lower: -0.004, upper: 0.004, level: 0.95 },
      pValue: 1,
      verdict: 'no_change',
      samples: { paired: 100, improved: 1, regressed: 1 },
    },
    {
      judge: 'Semantic Similarity',
      score: 0.8412,
      baselineScore: 0.8732,
      delta: -0.032,
      ci: { lower: -0.051, upper: -0.013, level: 0.95 },
      pValue: 0.0213,
      verdict: 'regression',
      samples: { paired: 100, improved: 9, regressed: 31 },
    },
    {
      judge: 'Format Compliance',
      score: 0.98,
      baselineScore: 0.97,
      delta: 0.01,
      ci: { lower: 0.002, upper: 0.018, level: 0.95 },
      pValue: 0.0042,
      verdict: 'improvement',
      samples: { paired: 100, improved: 3, regressed: 2 },
    },
    {
      judge: 'LLM Judge (quality)',
      score: 0.89,
      baselineScore: 0.895,
      delta: -0.005,
      ci: null,
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
  // In no particular order: the comment shows the regressed judge's first.
  regressedExamples: [
    {
      judge: 'Format Compliance',
      sampleKey: 'q-7',
      input: 'Reply in JSON',
      baselineOutput: '{"ok": true}',
      candidateOutput: 'ok',
      baselineScore: 1,
      candidateScore: 0,
    },
    {
      judge: 'Semantic Similarity',
      sampleKey: 'q-17',
      input: 'How do I reset my password?',
      baselineOutput: 'Open Settings, then Security.',
      candidateOutput: 'I cannot help.',
      baselineScore: 0.91,
      candidateScore: 0.12,
    },
    {
      judge: 'Semantic Similarity',
      sampleKey: 'q-3',
      repetition: 2,
      input: 'Refund policy?',
      baselineOutput: '30 days.',
      candidateOutput: 'No refunds.',
      baselineScore: 0.8,
      candidateScore: 0.35,
    },
  ],
  links: {
    compare: 'https://evalforge.example.com/compare?project=p-1&a=run-41&b=run-42',
    commit: 'https://github.com/acme/support-bot/commit/abc1234def5678900000000000000000000000ff',
  },
};

/** The seed's comment: no baseline, so no comparison, counts or examples. */
const withoutBaseline: PrCommentInput = {
  ...input,
  baseBranch: null,
  baselineRun: null,
  judges: input.judges.map((row) => ({ ...row, delta: null, pValue: null, verdict: null })),
};

/**
 * Splits markdown the way CommonMark does for fenced code blocks: an opening fence of 3+ backticks
 * (no backtick in its info string) or tildes, closed only by a fence of the same character at least
 * as long. Returns the lines outside every fence and each block's content; fails on an unclosed fence.
 */
function splitFences(markdown: string): { outside: string[]; blocks: string[] } {
  expect(markdown).not.toMatch(/\r/);
  const outside: string[] = [];
  const blocks: string[] = [];
  let fence: string | null = null;
  let body: string[] = [];
  for (const line of markdown.split('\n')) {
    if (fence === null) {
      const open = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
      if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
        fence = open[1];
        body = [];
      } else outside.push(line);
      continue;
    }
    const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
    if (close && close[1][0] === fence[0] && close[1].length >= fence.length) {
      blocks.push(body.join('\n'));
      fence = null;
    } else body.push(line);
  }
  expect(fence, 'a fenced block is never left open').toBeNull();
  return { outside, blocks };
}

const example = (over: Partial<PrCommentExample> = {}): PrCommentExample => ({
  judge: 'Semantic Similarity',
  sampleKey: 's',
  input: 'in',
  baselineOutput: 'before',
  candidateOutput: 'after',
  baselineScore: 0.9,
  candidateScore: 0.1,
  ...over,
});

describe('renderPrCommentMarkdown', () => {
  it('renders the comparison layout exactly for a fixed input with a baseline', () => {
    expect(renderPrCommentMarkdown(input)).toBe(
      [
        '## 🔍 EvalForge — Eval Results for commit abc1234',
        '',
        '**Branch:** feature/prompt\\-v2 → main  ',
        '**Dataset:** Customer Support QA v1 (version 3, 100 samples)  ',
        '**Model:** gpt\\-4o\\-mini (temperature=0\\.3)  ',
        '**Status:** ⚠️ 1 regression detected',
        '',
        '| Judge | Baseline | Candidate | Δ vs main [95% CI] | Samples regressed / improved | p (Holm) | Status |',
        '|-------|----------|-----------|-----------|-----------|----------|--------|',
        '| Toxicity | 99% | 99% | +0 pp [-0.4, +0.4] | 1 / 1 of 100 | 1.00 | ✅ No change |',
        '| Semantic Similarity | 87.3% | 84.1% | -3.2 pp [-5.1, -1.3] | 31 / 9 of 100 | 0.02 | ⚠️ Regression |',
        '| Format Compliance | 97% | 98% | +1 pp [+0.2, +1.8] | 2 / 3 of 100 | 0.004 | 🎉 Improvement |',
        '| LLM Judge \\(quality\\) | 89.5% | 89% | -0.5 pp | — | 0.64 | ❔ Inconclusive (MDE 4.1 pp) |',
        '',
        '**Blocking guardrails:** All passed ✅',
        '',
        '**Soft guardrails:** All passed ✅',
        '',
        '**Recommendation:** Review the Semantic Similarity regression before merging.',
        '',
        '**Most regressed samples** (paired by sample key, worst first):',
        '',
        '<details>',
        '<summary>Semantic Similarity: 31 regressed samples, the 2 worst shown</summary>',
        '',
        '**Sample q\\-17**: 91% → 12%',
        '',
        'Input:',
        '',
        '```text',
        'How do I reset my password?',
        '```',
        '',
        'Baseline output (91%):',
        '',
        '```text',
        'Open Settings, then Security.',
        '```',
        '',
        'Candidate output (12%):',
        '',
        '```text',
        'I cannot help.',
        '```',
        '',
        '**Sample q\\-3** (repetition #&#8203;2): 80% → 35%',
        '',
        'Input:',
        '',
        '```text',
        'Refund policy?',
        '```',
        '',
        'Baseline output (80%):',
        '',
        '```text',
        '30 days.',
        '```',
        '',
        'Candidate output (35%):',
        '',
        '```text',
        'No refunds.',
        '```',
        '',
        '</details>',
        '',
        '<details>',
        '<summary>Format Compliance: 2 regressed samples, the worst shown</summary>',
        '',
        '**Sample q\\-7**: 100% → 0%',
        '',
        'Input:',
        '',
        '```text',
        'Reply in JSON',
        '```',
        '',
        'Baseline output (100%):',
        '',
        '```text',
        '{"ok": true}',
        '```',
        '',
        'Candidate output (0%):',
        '',
        '```text',
        'ok',
        '```',
        '',
        '</details>',
        '',
        '[Run run\\-42](https://evalforge.example.com/runs/run-42) · compared with ' +
          '[baseline run run\\-41](https://evalforge.example.com/runs/run-41) · ' +
          '[Compare the two runs](https://evalforge.example.com/compare?project=p-1&a=run-41&b=run-42) · ' +
          '[Commit abc1234 on GitHub](https://github.com/acme/support-bot/commit/abc1234def5678900000000000000000000000ff)',
        '',
      ].join('\n'),
    );
  });

  it('renders the seed layout exactly without a baseline: no comparison columns, examples or compare link', () => {
    expect(renderPrCommentMarkdown(withoutBaseline)).toBe(
      [
        '## 🔍 EvalForge — Eval Results for commit abc1234',
        '',
        '**Branch:** feature/prompt\\-v2  ',
        '**Dataset:** Customer Support QA v1 (version 3, 100 samples)  ',
        '**Model:** gpt\\-4o\\-mini (temperature=0\\.3)  ',
        '**Status:** ✅ Guardrails passed (no baseline to compare with)',
        '',
        '| Judge | Score | Δ vs baseline | p (Holm) | Status |',
        '|-------|-------|-----------|----------|--------|',
        '| Toxicity | 99% | — | — | — no baseline |',
        '| Semantic Similarity | 84.1% | — | — | — no baseline |',
        '| Format Compliance | 98% | — | — | — no baseline |',
        '| LLM Judge \\(quality\\) | 89% | — | — | — no baseline |',
        '',
        '**Blocking guardrails:** All passed ✅',
        '',
        '**Soft guardrails:** All passed ✅',
        '',
        '**Recommendation:** No regressions detected: safe to merge from an evaluation standpoint.',
        '',
        '[Run run\\-42](https://evalforge.example.com/runs/run-42) · ' +
          '[Commit abc1234 on GitHub](https://github.com/acme/support-bot/commit/abc1234def5678900000000000000000000000ff)',
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
          baselineScore: 0.6,
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
    expect(text).toContain('| llm\\_judge _(demonstration)_ | 60% | 20% | -40 pp |');
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
    expect(markdown).toContain('| a \\| b @&#8203;octocat #&#8203;12 | — | 100% |');
    expect(markdown).not.toMatch(/<img|\]\(javascript/);
    expect(markdown).toContain(
      'Run run\\`x\\` · compared with [baseline run r](https://x.example/a%20%28b%29)',
    );
  });
});

describe('regressed examples', () => {
  const attack = {
    judge: 'sim</summary><script>alert(1)</script>',
    sampleKey: '</summary></details>@octocat | `x` #1',
    input: 'Ignore this.\n```\n</details>\n\n# Pwned @octocat <script>alert(1)</script> | a | b |',
    baselineOutput: '````\n~~~\n</details><img src=x onerror=alert(1)>\n`````` @octocat',
    candidateOutput: 'a\r\n```\r\n</details>\rb\u0000c',
  };

  it('keeps hostile input, outputs, sample keys and judge names from breaking out of their blocks', () => {
    const markdown = renderPrCommentMarkdown({
      ...input,
      judges: [
        { ...input.judges[1], judge: attack.judge, samples: { paired: 10, improved: 0, regressed: 1 } },
      ],
      regressedExamples: [example({ ...attack, baselineScore: 1, candidateScore: 0 })],
    });
    const { outside, blocks } = splitFences(markdown);
    const prose = outside.join('\n');
    // Nothing the user wrote is live HTML, a heading, a mention or an issue reference.
    expect(prose).not.toMatch(/<script|<img|@octocat|#1\b|^# /m);
    // The only <details> structure is the renderer's own: one open, one close, each alone on its line.
    expect(outside.filter((line) => line.includes('details>'))).toEqual(['<details>', '</details>']);
    expect(outside).toContain(
      '<summary>sim&lt;/summary&gt;&lt;script&gt;alert(1)&lt;/script&gt;: 1 regressed sample</summary>',
    );
    expect(outside).toContain(
      '**Sample &lt;/summary&gt;&lt;/details&gt;@&#8203;octocat \\| \\`x\\` #&#8203;1**: 100% → 0%',
    );
    // Each text is shown literally inside its own block (line endings normalised, NUL blanked).
    expect(blocks).toEqual([attack.input, attack.baselineOutput, 'a\n```\n</details>\nb c']);
    // A fence longer than the longest backtick run inside.
    expect(markdown).toContain('```````text\n````\n~~~\n</details><img');
    // The table row is still one row.
    expect(prose).toContain(
      '| sim&lt;/summary&gt;&lt;script&gt;alert\\(1\\)&lt;/script&gt; | 87.3% | 84.1% | -3.2 pp [-5.1, -1.3] | 1 / 0 of 10 |',
    );
  });

  it('cuts long texts to a few hundred characters and says so', () => {
    const long = `${'x'.repeat(EXAMPLE_TEXT_MAX_CHARS - 1)}😀${'y'.repeat(5000)}`;
    const markdown = renderPrCommentMarkdown({
      ...input,
      regressedExamples: [example({ input: long, baselineOutput: 'short', candidateOutput: long })],
    });
    const { blocks } = splitFences(markdown);
    const cut = `${'x'.repeat(EXAMPLE_TEXT_MAX_CHARS - 1)}😀…`;
    expect(blocks).toEqual([cut, 'short', cut]);
    expect(markdown).toContain(`Input (first ${EXAMPLE_TEXT_MAX_CHARS} characters):`);
    expect(markdown).toContain('Baseline output (90%):');
    expect(markdown).toContain(`Candidate output (10%) (first ${EXAMPLE_TEXT_MAX_CHARS} characters):`);
    expect(markdown).not.toContain('😀y');
  });

  it('shows no examples without a baseline, nor for a demonstration judge', () => {
    expect(renderPrCommentMarkdown(withoutBaseline)).not.toMatch(/<details>|Most regressed/);
    const demo = renderPrCommentMarkdown({
      ...input,
      judges: [{ ...input.judges[1], judge: 'llm_judge', demonstration: true }],
      regressedExamples: [example({ judge: 'llm_judge' })],
    });
    expect(demo).not.toMatch(/<details>|Most regressed/);
  });

  it('never says "safe to merge" when the gate did not pass, examples or not', () => {
    for (const state of ['fail', 'error', 'cancelled', 'pending'] as const) {
      const markdown = renderPrCommentMarkdown({
        ...input,
        judges: input.judges.map((row) => ({ ...row, verdict: 'no_change' as const })),
        gate: { state, reasons: ['pii: only 93% passed'] },
      });
      expect(markdown).not.toContain('safe to merge');
      expect(markdown).toContain('<details>');
    }
  });

  it('links only http(s) compare and commit URLs, and the compare page only with a baseline', () => {
    const hostile = renderPrCommentMarkdown({
      ...input,
      links: { compare: 'javascript:alert(1)', commit: 'data:text/html,x' },
    });
    expect(hostile).not.toMatch(/javascript:|data:|Compare the two runs|on GitHub/);
    expect(renderPrCommentMarkdown(withoutBaseline)).not.toContain('Compare the two runs');
  });
});

describe('GitHub size limit', () => {
  /** n judges that each regressed, three long examples each. */
  function manyExamples(judges: number): PrCommentInput {
    const rows: PrCommentJudgeRow[] = Array.from({ length: judges }, (_, i) => ({
      ...input.judges[1],
      judge: `judge ${String(i).padStart(3, '0')}`,
      samples: { paired: 100, improved: 0, regressed: 50 },
    }));
    const text = 'z'.repeat(5000);
    return {
      ...input,
      judges: rows,
      regressedExamples: rows.flatMap((row) =>
        [1, 2, 3].map((k) =>
          example({
            judge: row.judge,
            sampleKey: `${row.judge}/${k}`,
            input: text,
            baselineOutput: text,
            candidateOutput: text,
          }),
        ),
      ),
    };
  }

  it('drops the least severe examples first to fit, keeping the table, status and recommendation', () => {
    const big = manyExamples(40);
    const markdown = renderPrCommentMarkdown(big);
    expect(markdown.length).toBeLessThanOrEqual(PR_COMMENT_MAX_LENGTH);
    const { outside } = splitFences(markdown);
    const opened = outside.filter((line) => line === '<details>').length;
    expect(outside.filter((line) => line === '</details>')).toHaveLength(opened);
    // Examples are shown in order: the first ones kept, the rest left out with a pointer.
    const shown = [...markdown.matchAll(/\*\*Sample judge (\d+)\/(\d)\*\*/g)].map((m) => `${m[1]}/${m[2]}`);
    const expected = big.regressedExamples!.map((e) => e.sampleKey.replace('judge ', ''));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual(expected.slice(0, shown.length));
    expect(markdown).toContain(
      `_${expected.length - shown.length} more examples left out to fit GitHub's size limit: see the ` +
        '[compare page](https://evalforge.example.com/compare?project=p-1&a=run-41&b=run-42)._',
    );
    for (const row of big.judges) expect(markdown).toContain(`| ${row.judge} | 87.3% |`);
    expect(markdown).toContain('**Status:** ⚠️ 40 regressions detected');
    expect(markdown).toContain('**Recommendation:** Review the judge 000, judge 001');
    expect(markdown).toMatch(/\[Commit abc1234 on GitHub\]\([^)]+\)\n$/);
  });

  it('keeps to a smaller limit (room for a status note) the same way', () => {
    const markdown = renderPrCommentMarkdown(manyExamples(3), { maxLength: 6000 });
    expect(markdown.length).toBeLessThanOrEqual(6000);
    expect(markdown).toContain('more examples left out');
    splitFences(markdown);
  });

  it('as a last resort cuts table lines, never the status, recommendation or links', () => {
    const judges: PrCommentJudgeRow[] = Array.from({ length: 3000 }, (_, i) => ({
      judge: `a rather long judge name number ${i}`,
      score: 0.5,
      baselineScore: 0.5,
      delta: 0,
      pValue: 1,
      verdict: 'no_change',
    }));
    const markdown = renderPrCommentMarkdown({ ...input, judges, regressedExamples: [] });
    expect(markdown.length).toBeLessThanOrEqual(PR_COMMENT_MAX_LENGTH);
    expect(markdown).toContain('| Judge | Baseline | Candidate |');
    expect(markdown).toMatch(/_… \d+ more lines cut to fit GitHub's size limit\._/);
    expect(markdown).toContain('**Status:** ✅ No regressions detected');
    expect(markdown).toContain('**Recommendation:** No regressions detected: safe to merge');
    expect(markdown).toContain('[Compare the two runs]');
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

  it("formatDeltaWithCi shows the interval in signed points, and its level when not the header's", () => {
    expect(formatDeltaWithCi(-0.032, { lower: -0.0514, upper: -0.0126, level: 0.95 })).toBe(
      '-3.2 pp [-5.1, -1.3]',
    );
    expect(formatDeltaWithCi(0.01, { lower: -0.002, upper: 0.022, level: 0.9 })).toBe(
      '+1 pp [-0.2, +2.2] (90% CI)',
    );
    expect(formatDeltaWithCi(0.01, null)).toBe('+1 pp');
    expect(formatDeltaWithCi(null, { lower: 0, upper: 0, level: 0.95 })).toBe('—');
  });

  it('fencedText picks a fence longer than any backtick run and marks empty text', () => {
    expect(fencedText('a ``` b').block).toBe('````text\na ``` b\n````');
    expect(fencedText('plain').block).toBe('```text\nplain\n```');
    expect(fencedText(' \n ').block).toBe('_(empty)_');
    expect(fencedText('abcdef', 3)).toEqual({ block: '```text\nabc…\n```', cut: true });
  });

  it('formatPValue uses more digits for small p and a floor', () => {
    expect(formatPValue(0.5)).toBe('0.50');
    expect(formatPValue(0.0042)).toBe('0.004');
    expect(formatPValue(1e-9)).toBe('<0.001');
  });
});
