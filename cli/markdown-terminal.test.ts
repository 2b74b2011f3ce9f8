import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderPrCommentMarkdown } from '../core/pr-comment-markdown.js';
import { decodeEntities, inlineToText, markdownToTerminal } from './markdown-terminal.js';
import { displayWidth, renderTable } from './text-table.js';

describe('markdownToTerminal', () => {
  it('undoes backslash escapes', () => {
    expect(markdownToTerminal('pii\\: only 80\\.0%')).toBe('pii: only 80.0%\n');
    expect(inlineToText('a\\_b\\*c\\[d\\]\\(e\\)\\|f\\\\g')).toBe('a_b*c[d](e)|f\\g');
  });

  it('is the inverse of escapeMarkdown for untrusted text', () => {
    const raw = 'Résumé <b>bold</b> & @team #12 a_b *c* [x](y) | 1.5 - 2: done! `code` ~~';
    expect(inlineToText(escapeMarkdown(raw))).toBe(raw);
  });

  it('writes links as "text (url)", bare when the text is the url', () => {
    expect(inlineToText('[Run run\\-42](https://x.test/runs/run-42) · <https://x.test/a>')).toBe(
      'Run run-42 (https://x.test/runs/run-42) · https://x.test/a',
    );
    expect(inlineToText('[https://x.test](https://x.test)')).toBe('https://x.test');
    expect(inlineToText('![logo](https://x.test/l.png)')).toBe('logo (https://x.test/l.png)');
  });

  it('decodes HTML entities and removes zero-width spaces', () => {
    expect(decodeEntities('&lt;a&gt; &amp;amp; &quot;q&quot; &#39;s&#39; &#x41; &unknown;')).toBe(
      `<a> &amp; "q" 's' A &unknown;`,
    );
    expect(inlineToText('repetition #&#8203;2, @\u200Bteam')).toBe('repetition #2, @team');
  });

  it('drops emphasis, headings, HTML tags and comments, keeps code literal', () => {
    const md = [
      '<!-- evalforge:marker -->',
      '## 🔍 Results for **main**',
      '',
      '**Branch:** feature\\-x  ',
      '_note_ and snake_case_name and 2 * 3 * 4',
      '<details>',
      '<summary>pii: 2 regressed</summary>',
      '',
      '```text',
      'raw \\: &amp; **kept**',
      '```',
      '',
      '</details>',
      '`a\\b &amp;`',
    ].join('\n');
    expect(markdownToTerminal(md)).toBe(
      [
        'Results for main'.replace(/^/, '🔍 '),
        '',
        'Branch: feature-x',
        'note and snake_case_name and 2 * 3 * 4',
        'pii: 2 regressed',
        '',
        '    raw \\: &amp; **kept**',
        '',
        'a\\b &amp;',
        '',
      ].join('\n'),
    );
  });

  it('aligns tables by display width, right-aligning columns the rule says so', () => {
    const md = [
      '| Judge | Score | Status |',
      '|-------|------:|--------|',
      '| pii\\: strict | 80\\.0% | ⚠️ Regression |',
      '| LLM Judge \\(quality\\) | 9% | ✅ ok |',
      '| a \\| b | 100% | — |',
    ].join('\n');
    expect(markdownToTerminal(md)).toBe(
      [
        'Judge                Score  Status',
        '-------------------  -----  -------------',
        'pii: strict          80.0%  ⚠️ Regression',
        'LLM Judge (quality)     9%  ✅ ok',
        'a | b                 100%  —',
        '',
      ].join('\n'),
    );
  });

  it('renders a whole PR comment with no Markdown left', () => {
    const md = renderPrCommentMarkdown({
      commitSha: 'abc1234def5678900000000000000000000000ff',
      branch: 'feature/prompt-v2',
      baseBranch: 'main',
      run: { id: 'run-42', url: 'https://evalforge.example.com/runs/run-42' },
      baselineRun: null,
      dataset: { name: 'QA v1', version: 3, sampleCount: 10 },
      model: { name: 'gpt-4o-mini', settings: 'temperature=0.3' },
      judges: [{ judge: 'pii', score: 0.8, delta: null, pValue: null }],
      guardrails: [{ judge: 'pii', blocking: true, outcome: 'fail', reason: 'only 80.0% passed' }],
      gate: { state: 'fail', reasons: ['blocking guardrail failed: pii'] },
      links: {},
    } as never);
    const text = markdownToTerminal(md);
    expect(md).toContain('\\');
    expect(text).not.toMatch(/\\[-.:()_*|#]|\*\*|&#|&amp;|\u200B|^\|/m);
    expect(text).toContain('Model: gpt-4o-mini (temperature=0.3)');
    expect(text).toMatch(/^Judge\s+Score/m);
  });
});

describe('text tables', () => {
  it('measures wide characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('✅')).toBe(2);
    expect(displayWidth('⚠️')).toBe(2);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('a\u200Bb')).toBe(2);
    expect(displayWidth('é')).toBe(1);
  });

  it('pads columns two spaces apart with a rule under the header', () => {
    expect(
      renderTable(
        ['ID', 'N'],
        [
          ['a', '1'],
          ['bbb', '22'],
        ],
        { right: [1] },
      ),
    ).toBe(['ID    N', '---  --', 'a     1', 'bbb  22'].join('\n'));
  });
});
