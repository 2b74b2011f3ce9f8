/**
 * The seed's PR comment ("EvalForge — Eval Results for commit …") as markdown: judge table, blocking
 * guardrails, a recommendation. With a baseline the table shows, per judge, both runs' scores, Δ with
 * its confidence interval and how many paired samples regressed or improved, followed by the most
 * regressed samples (input and both outputs) and links to the dashboard's compare page and the commit.
 * Pure: the caller gathers the numbers (core/run-report.ts). Every user-controlled string goes through
 * escapeMarkdown, or into a fenced code block whose fence is longer than any backtick run in it.
 * The result fits GitHub's size limit: examples are dropped first, then table and list lines.
 */

import type { Verdict } from '../stats/index.js';
import type { GateState } from './gate.js';
import type { GuardrailOutcome } from './run-summary.js';

/** Samples scored by a judge in both runs, paired by sample key, and which way each one moved. */
export interface PrCommentSampleCounts {
  paired: number;
  improved: number;
  regressed: number;
}

export interface PrCommentJudgeRow {
  /** Display name of the judge. */
  judge: string;
  /** Current run's mean score on the 0..1 scale, shown as a percentage; null when nothing was scored. */
  score: number | null;
  /** The baseline's mean score over the compared samples (0..1); null or absent without a comparison. */
  baselineScore?: number | null;
  /** current − baseline on the same scale (shown in percentage points); null without a baseline. */
  delta: number | null;
  /** Confidence interval of `delta` (same scale); null when it could not be estimated. */
  ci?: { lower: number; upper: number; level: number } | null;
  /** Holm-adjusted p-value of the comparison. */
  pValue: number | null;
  /** null when there is no baseline to compare with. */
  verdict: Verdict | null;
  /** Minimum detectable effect (0..1 scale), shown for inconclusive verdicts. */
  mde?: number | null;
  /** Per-sample movement against the baseline; null or absent when not counted. */
  samples?: PrCommentSampleCounts | null;
  /** A demonstration judge: labelled, and its verdict is never acted on. */
  demonstration?: boolean;
}

export interface PrCommentGuardrail {
  judge: string;
  blocking: boolean;
  /** error: not evaluated (nothing scored), which is never shown as passed. */
  outcome: GuardrailOutcome;
  /** Why it did not pass, e.g. "pass rate 93% below 100%". */
  reason?: string | null;
  /** Scores from a judge too weak to trust: listed apart, never gating. */
  demonstration?: boolean;
}

export interface PrCommentRunLink {
  id: string;
  /** Dashboard page of the run; only http(s) URLs become links. */
  url: string | null;
}

/** One regressed sample of one judge: what the reviewer reads to see what got worse. */
export interface PrCommentExample {
  judge: string;
  sampleKey: string;
  /** The repetition whose outputs are shown (0-based, "#2" as on the dashboard), when the sample ran
   * more than once. */
  repetition?: number | null;
  input: string;
  baselineOutput: string;
  candidateOutput: string;
  baselineScore: number;
  candidateScore: number;
}

export interface PrCommentLinks {
  /** The dashboard's compare page for the baseline and this run (shown only with a baseline). */
  compare?: string | null;
  /** The commit on GitHub. */
  commit?: string | null;
}

export interface PrCommentInput {
  commitSha: string;
  branch: string;
  /** The branch the baseline ran on (e.g. "main"); null when the baseline was chosen otherwise. */
  baseBranch: string | null;
  run: PrCommentRunLink;
  baselineRun: PrCommentRunLink | null;
  dataset: { name: string; version: number; sampleCount: number };
  model: { name: string; settings?: string | null };
  judges: readonly PrCommentJudgeRow[];
  guardrails: readonly PrCommentGuardrail[];
  /** The gate's decision (core/gate.ts): what CI gates on; the comment never re-decides it. */
  gate: { state: GateState; reasons: readonly string[] };
  /** The most regressed samples, worst first within each judge (shown only with a baseline). */
  regressedExamples?: readonly PrCommentExample[];
  links?: PrCommentLinks;
}

export interface RenderOptions {
  /** Longest markdown returned (UTF-16 code units, never fewer than GitHub counts). */
  maxLength?: number;
}

/** GitHub's limit on a check run summary (a comment body allows one more character). */
export const GITHUB_MARKDOWN_LIMIT = 65_535;
/** Room left for what the poster wraps around the markdown (the comment's hidden marker). */
const WRAPPER_ROOM = 256;
export const PR_COMMENT_MAX_LENGTH = GITHUB_MARKDOWN_LIMIT - WRAPPER_ROOM;
/** Characters of an example's input or output shown; the rest is cut. */
export const EXAMPLE_TEXT_MAX_CHARS = 300;

const SHORT_SHA_LENGTH = 7;
/** Two trailing spaces: a line break inside a paragraph in every markdown renderer (comments and checks). */
const HARD_LINE_BREAK = '  \n';
const ZERO_WIDTH_SPACE = '&#8203;';
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()+\-.!|~:]/g;
const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const VERDICT_LABELS: Record<Verdict, string> = {
  regression: '⚠️ Regression',
  improvement: '🎉 Improvement',
  no_change: '✅ No change',
  inconclusive: '❔ Inconclusive',
};

/**
 * Make untrusted text render literally on one line: newlines flattened, markdown punctuation
 * backslash-escaped (incl. `|` for tables and `:` against autolinks/emoji), HTML neutralised, and
 * a zero-width space after `@`/`#` so names never mention users or reference issues.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(MARKDOWN_PUNCTUATION, (char) => `\\${char}`)
    .replace(/[&<>]/g, (char) => HTML_ENTITIES[char])
    .replace(/[@#]/g, (char) => `${char}${ZERO_WIDTH_SPACE}`);
}

/** Untrusted text inside raw HTML (a `<summary>`), where markdown escapes would show: entities only. */
function escapeHtmlText(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/[&<>"']/g, (char) => HTML_ENTITIES[char])
    .replace(/[@#]/g, (char) => `${char}${ZERO_WIDTH_SPACE}`);
}

/** An http(s) URL safe inside a markdown link destination, or null. */
function safeLinkTarget(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
  } catch {
    return null;
  }
}

function runLink(label: string, run: PrCommentRunLink): string {
  const text = `${label} ${escapeMarkdown(run.id)}`;
  const target = safeLinkTarget(run.url);
  return target ? `[${text}](${target})` : text;
}

function shortSha(sha: string): string {
  return /^[0-9a-f]{7,40}$/i.test(sha) ? sha.slice(0, SHORT_SHA_LENGTH).toLowerCase() : escapeMarkdown(sha);
}

/** One decimal, without a trailing ".0"; never "-0". */
function oneDecimal(value: number): string {
  const rounded = Number(value.toFixed(1));
  return String(rounded === 0 ? 0 : rounded);
}

const DEFAULT_CI_LEVEL = 0.95;
const formatLevel = (level: number) => `${oneDecimal(level * 100)}%`;

/** Percentage points with an explicit sign, e.g. "+1", "-3.2", "+0". */
function signedPoints(value: number): string {
  const points = oneDecimal(value * 100);
  return points.startsWith('-') ? points : `+${points}`;
}

export function formatPercent(score: number | null): string {
  return score === null ? '—' : `${oneDecimal(score * 100)}%`;
}

/** Difference in percentage points with an explicit sign, e.g. "+1 pp", "-3.2 pp", "+0 pp". */
export function formatDelta(delta: number | null): string {
  return delta === null ? '—' : `${signedPoints(delta)} pp`;
}

/** "-3.2 pp [-5.1, -1.3]": Δ and its interval in percentage points; the level is in the header. */
export function formatDeltaWithCi(
  delta: number | null,
  ci: PrCommentJudgeRow['ci'],
  headerLevel: number = DEFAULT_CI_LEVEL,
): string {
  if (delta === null) return '—';
  if (!ci) return formatDelta(delta);
  const level = ci.level === headerLevel ? '' : ` (${formatLevel(ci.level)} CI)`;
  return `${formatDelta(delta)} [${signedPoints(ci.lower)}, ${signedPoints(ci.upper)}]${level}`;
}

export function formatPValue(p: number | null): string {
  if (p === null) return '—';
  if (p < 0.001) return '<0.001';
  return p < 0.01 ? p.toFixed(3) : p.toFixed(2);
}

function statusCell(row: PrCommentJudgeRow): string {
  if (row.verdict === null) return '— no baseline';
  const label = VERDICT_LABELS[row.verdict];
  return row.verdict === 'inconclusive' && row.mde != null
    ? `${label} (MDE ${oneDecimal(row.mde * 100)} pp)`
    : label;
}

const judgeCell = (row: PrCommentJudgeRow) =>
  `${escapeMarkdown(row.judge)}${row.demonstration ? ' _(demonstration)_' : ''}`;

const baseLabel = (input: PrCommentInput) =>
  input.baseBranch === null ? 'baseline' : escapeMarkdown(input.baseBranch);

/** Without a baseline: the current run's scores only (the seed's table). */
function scoreTable(input: PrCommentInput): string[] {
  const rows = input.judges.map(
    (row) =>
      `| ${judgeCell(row)} | ${formatPercent(row.score)} | ${formatDelta(row.delta)} | ` +
      `${formatPValue(row.pValue)} | ${statusCell(row)} |`,
  );
  return [
    `| Judge | Score | Δ vs ${baseLabel(input)} | p (Holm) | Status |`,
    '|-------|-------|-----------|----------|--------|',
    ...rows,
  ];
}

const samplesCell = (counts: PrCommentSampleCounts | null | undefined) =>
  counts ? `${counts.regressed} / ${counts.improved} of ${counts.paired}` : '—';

/** With a baseline: both scores, Δ with its interval, and the paired samples that moved. */
function comparisonTable(input: PrCommentInput): string[] {
  const level = input.judges.find((row) => row.ci)?.ci?.level ?? DEFAULT_CI_LEVEL;
  const rows = input.judges.map(
    (row) =>
      `| ${judgeCell(row)} | ${formatPercent(row.baselineScore ?? null)} | ${formatPercent(row.score)} | ` +
      `${formatDeltaWithCi(row.delta, row.ci, level)} | ${samplesCell(row.samples)} | ` +
      `${formatPValue(row.pValue)} | ${statusCell(row)} |`,
  );
  return [
    `| Judge | Baseline | Candidate | Δ vs ${baseLabel(input)} [${formatLevel(level)} CI] | ` +
      'Samples regressed / improved | p (Holm) | Status |',
    '|-------|----------|-----------|-----------|-----------|----------|--------|',
    ...rows,
  ];
}

const judgesWith = (input: PrCommentInput, verdict: Verdict) =>
  input.judges
    .filter((row) => row.verdict === verdict && !row.demonstration)
    .map((row) => escapeMarkdown(row.judge));

const gatingGuardrails = (input: PrCommentInput, blocking: boolean) =>
  input.guardrails.filter((g) => g.blocking === blocking && !g.demonstration);

const failedGuardrails = (input: PrCommentInput, blocking: boolean) =>
  gatingGuardrails(input, blocking).filter((g) => g.outcome !== 'pass');

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** "a", "a and b", "a, b and c". */
function listNames(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

const firstReason = (input: PrCommentInput) =>
  escapeMarkdown(input.gate.reasons[0] ?? 'nothing was measured');

function statusLine(input: PrCommentInput): string {
  const regressions = judgesWith(input, 'regression').length;
  if (input.gate.state === 'error') return `❔ Not evaluated: ${firstReason(input)}`;
  if (input.gate.state === 'cancelled') return '⏹️ Cancelled before it finished: not evaluated';
  if (input.gate.state === 'pending') return '⏳ Still running';
  if (input.gate.state === 'fail') {
    const suffix = regressions > 0 ? `, ${plural(regressions, 'regression')} detected` : '';
    return `❌ Blocking guardrails failed${suffix}`;
  }
  if (regressions > 0) return `⚠️ ${plural(regressions, 'regression')} detected`;
  if (input.baselineRun === null) return '✅ Guardrails passed (no baseline to compare with)';
  const inconclusive = judgesWith(input, 'inconclusive').length;
  return inconclusive > 0
    ? `✅ No regressions detected (${inconclusive} inconclusive)`
    : '✅ No regressions detected';
}

function guardrailSection(input: PrCommentInput, blocking: boolean): string[] {
  const configured = gatingGuardrails(input, blocking);
  const failed = failedGuardrails(input, blocking);
  const title = blocking ? '**Blocking guardrails:**' : '**Soft guardrails:**';
  if (configured.length === 0) return blocking ? [`${title} none configured`] : [];
  if (failed.length === 0) return [`${title} All passed ✅`];
  const icon = (g: PrCommentGuardrail) => (g.outcome === 'error' ? '❔' : blocking ? '❌' : '⚠️');
  const notEvaluated = failed.filter((g) => g.outcome === 'error').length;
  const tally =
    notEvaluated === 0
      ? `${failed.length} of ${configured.length} failed`
      : `${failed.length - notEvaluated} of ${configured.length} failed, ${notEvaluated} not evaluated`;
  return [
    `${title} ${blocking ? '❌' : '⚠️'} ${tally}`,
    ...failed.map(
      (g) => `- ${icon(g)} ${escapeMarkdown(g.judge)}${g.reason ? `: ${escapeMarkdown(g.reason)}` : ''}`,
    ),
  ];
}

/** Demonstration judges are shown with their outcome and a plain warning, apart from the gate. */
function demonstrationSection(input: PrCommentInput): string[] {
  const shown = input.guardrails.filter((g) => g.demonstration);
  if (shown.length === 0) return [];
  return [
    '**Demonstration judges (not gating):** their model is too small to trust; the scores show the mechanism, not a judgement.',
    ...shown.map(
      (g) =>
        `- ${escapeMarkdown(g.judge)}: ${g.outcome === 'pass' ? 'passed' : g.outcome === 'fail' ? 'failed' : 'not evaluated'}`,
    ),
  ];
}

function recommendation(input: PrCommentInput): string {
  const blocking = failedGuardrails(input, true).map((g) => escapeMarkdown(g.judge));
  if (input.gate.state === 'error') {
    return `Do not merge yet: the evaluation could not measure this change (${input.gate.reasons.map(escapeMarkdown).join('; ') || 'nothing was measured'}). Fix the cause and re-run.`;
  }
  if (input.gate.state === 'cancelled')
    return 'Not evaluated: the run was cancelled; re-run it for a verdict.';
  if (input.gate.state === 'pending') return 'Wait for the run to finish.';
  if (input.gate.state === 'fail') {
    return blocking.length > 0
      ? `Do not merge: fix the failing blocking guardrails (${listNames(blocking)}).`
      : 'Do not merge: the run failed its blocking checks.';
  }
  const regressions = judgesWith(input, 'regression');
  if (regressions.length > 0) {
    return `Review the ${listNames(regressions)} ${regressions.length === 1 ? 'regression' : 'regressions'} before merging.`;
  }
  const inconclusive = judgesWith(input, 'inconclusive');
  if (inconclusive.length > 0) {
    return `No regressions detected, but ${listNames(inconclusive)} could not detect the minimum effect: add samples or repetitions for a firm answer.`;
  }
  return 'No regressions detected: safe to merge from an evaluation standpoint.';
}

const compareTarget = (input: PrCommentInput) =>
  input.baselineRun ? safeLinkTarget(input.links?.compare) : null;

function footer(input: PrCommentInput): string {
  const parts = [runLink('Run', input.run)];
  if (input.baselineRun) parts.push(`compared with ${runLink('baseline run', input.baselineRun)}`);
  const compare = compareTarget(input);
  if (compare) parts.push(`[Compare the two runs](${compare})`);
  const commit = safeLinkTarget(input.links?.commit);
  if (commit) parts.push(`[Commit ${shortSha(input.commitSha)} on GitHub](${commit})`);
  return parts.join(' · ');
}

function metadataBlock(input: PrCommentInput): string {
  const base = input.baseBranch === null ? '' : ` → ${escapeMarkdown(input.baseBranch)}`;
  const settings = input.model.settings ? ` (${escapeMarkdown(input.model.settings)})` : '';
  const { dataset } = input;
  return [
    `**Branch:** ${escapeMarkdown(input.branch)}${base}`,
    `**Dataset:** ${escapeMarkdown(dataset.name)} (version ${dataset.version}, ${plural(dataset.sampleCount, 'sample')})`,
    `**Model:** ${escapeMarkdown(input.model.name)}${settings}`,
    `**Status:** ${statusLine(input)}`,
  ].join(HARD_LINE_BREAK);
}

/**
 * Untrusted text as a fenced code block that nothing in it can close: line endings normalised,
 * control characters blanked, cut to EXAMPLE_TEXT_MAX_CHARS code points, and a backtick fence longer
 * than the longest backtick run inside (CommonMark closes a fence only with one at least as long).
 * Inside a code block HTML (`</details>`), mentions and references stay literal text.
 */
export function fencedText(raw: string, maxChars = EXAMPLE_TEXT_MAX_CHARS): { block: string; cut: boolean } {
  const clean = raw.replace(/\r\n?/g, '\n').replace(/[^\P{Cc}\n\t]/gu, ' ');
  const chars = Array.from(clean);
  const cut = chars.length > maxChars;
  const body = cut ? `${chars.slice(0, maxChars).join('')}…` : clean;
  if (body.trim() === '') return { block: '_(empty)_', cut };
  const longestRun = (body.match(/`+/g) ?? []).reduce((most, run) => Math.max(most, run.length), 0);
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return { block: `${fence}text\n${body}\n${fence}`, cut };
}

function labelled(label: string, raw: string): string {
  const { block, cut } = fencedText(raw);
  return `${label}${cut ? ` (first ${EXAMPLE_TEXT_MAX_CHARS} characters)` : ''}:\n\n${block}`;
}

function exampleBlock(example: PrCommentExample): string {
  // "#2" as the dashboard labels it, with the zero-width space that keeps GitHub from linking issue 2.
  const repetition =
    example.repetition == null ? '' : ` (repetition ${escapeMarkdown(`#${example.repetition}`)})`;
  return [
    `**Sample ${escapeMarkdown(example.sampleKey)}**${repetition}: ` +
      `${formatPercent(example.baselineScore)} → ${formatPercent(example.candidateScore)}`,
    labelled('Input', example.input),
    labelled(`Baseline output (${formatPercent(example.baselineScore)})`, example.baselineOutput),
    labelled(`Candidate output (${formatPercent(example.candidateScore)})`, example.candidateOutput),
  ].join('\n\n');
}

interface ExampleGroup {
  judge: string;
  row: PrCommentJudgeRow | undefined;
  examples: PrCommentExample[];
}

/** Examples by judge: judges that regressed first, then the table's order; never a demonstration's. */
function exampleGroups(input: PrCommentInput): ExampleGroup[] {
  if (input.baselineRun === null) return [];
  const groups = new Map<string, ExampleGroup>();
  for (const example of input.regressedExamples ?? []) {
    const group = groups.get(example.judge) ?? {
      judge: example.judge,
      row: input.judges.find((row) => row.judge === example.judge),
      examples: [],
    };
    group.examples.push(example);
    groups.set(example.judge, group);
  }
  const position = (g: ExampleGroup) => {
    const index = g.row ? input.judges.indexOf(g.row) : input.judges.length;
    return (g.row?.verdict === 'regression' ? 0 : input.judges.length + 1) + index;
  };
  return [...groups.values()].filter((g) => !g.row?.demonstration).sort((a, b) => position(a) - position(b));
}

/** The first `shown` examples (in group order), each judge's in a collapsed `<details>`. */
function examplesSection(input: PrCommentInput, groups: readonly ExampleGroup[], shown: number): string {
  const total = groups.reduce((sum, g) => sum + g.examples.length, 0);
  if (total === 0) return '';
  const parts = ['**Most regressed samples** (paired by sample key, worst first):'];
  let left = shown;
  for (const group of groups) {
    const examples = group.examples.slice(0, Math.max(0, left));
    left -= examples.length;
    if (examples.length === 0) continue;
    const regressed = group.row?.samples?.regressed;
    const worst = examples.length === 1 ? 'the worst' : `the ${examples.length} worst`;
    const what =
      regressed == null || regressed < examples.length
        ? `${plural(examples.length, 'regressed sample')} shown`
        : `${plural(regressed, 'regressed sample')}${regressed === examples.length ? '' : `, ${worst} shown`}`;
    parts.push(
      ['<details>', `<summary>${escapeHtmlText(group.judge)}: ${what}</summary>`].join('\n'),
      ...examples.map(exampleBlock),
      '</details>',
    );
  }
  const omitted = total - shown;
  if (omitted > 0) {
    const compare = compareTarget(input);
    parts.push(
      `_${plural(omitted, 'more example')} left out to fit GitHub's size limit` +
        `${compare ? `: see the [compare page](${compare})` : ''}._`,
    );
  }
  return parts.join('\n\n');
}

interface Block {
  text: string;
  /** Long lists (table rows, guardrails) that may lose lines when nothing else is left to cut. */
  cuttable?: boolean;
}

function layout(input: PrCommentInput, groups: readonly ExampleGroup[], examplesShown: number): Block[] {
  const table = input.baselineRun === null ? scoreTable(input) : comparisonTable(input);
  return [
    { text: `## 🔍 EvalForge — Eval Results for commit ${shortSha(input.commitSha)}` },
    { text: metadataBlock(input) },
    { text: table.join('\n'), cuttable: true },
    { text: guardrailSection(input, true).join('\n'), cuttable: true },
    { text: guardrailSection(input, false).join('\n'), cuttable: true },
    { text: demonstrationSection(input).join('\n'), cuttable: true },
    { text: `**Recommendation:** ${recommendation(input)}` },
    { text: examplesSection(input, groups, examplesShown) },
    { text: footer(input) },
  ].filter((block) => block.text !== '');
}

/** Blocks are separated by blank lines so a list never swallows the next line. */
const join = (blocks: readonly Block[]) => `${blocks.map((b) => b.text).join('\n\n')}\n`;

const CUT_NOTE = (lines: number) => `_… ${plural(lines, 'more line')} cut to fit GitHub's size limit._`;

/** Last resort when even without examples it is too long: cut lines off the long lists, keep the rest. */
function cutLists(blocks: readonly Block[], maxLength: number): string {
  let budget = maxLength - join(blocks.map((b) => (b.cuttable ? { text: '' } : b))).length;
  const cut = blocks.map((block): Block => {
    if (!block.cuttable) return block;
    const lines = block.text.split('\n');
    const kept: string[] = [];
    const room = CUT_NOTE(lines.length).length + 1;
    for (const line of lines) {
      if (line.length + 1 > budget - room) break;
      kept.push(line);
      budget -= line.length + 1;
    }
    if (kept.length < lines.length) {
      kept.push(CUT_NOTE(lines.length - kept.length));
      budget -= kept.at(-1)!.length + 1;
    }
    return { text: kept.join('\n') };
  });
  const markdown = join(cut);
  // Only when the fixed parts alone are over the limit (they hold no fence or HTML block to break).
  return markdown.length <= maxLength ? markdown : `${markdown.slice(0, maxLength - 1)}\n`;
}

export function renderPrCommentMarkdown(input: PrCommentInput, options: RenderOptions = {}): string {
  const maxLength = options.maxLength ?? PR_COMMENT_MAX_LENGTH;
  const groups = exampleGroups(input);
  const total = groups.reduce((sum, g) => sum + g.examples.length, 0);
  const render = (shown: number) => join(layout(input, groups, shown));
  const full = render(total);
  if (full.length <= maxLength) return full;
  // Examples go first, least severe (last) first; the status, table and recommendation stay. With some
  // left out the length only grows with the number shown, so the most that fit is found by bisection.
  let [fits, tooMany] = [-1, total];
  while (tooMany - fits > 1) {
    const mid = Math.floor((fits + tooMany) / 2);
    if (render(mid).length <= maxLength) fits = mid;
    else tooMany = mid;
  }
  return fits >= 0 ? render(fits) : cutLists(layout(input, groups, 0), maxLength);
}
