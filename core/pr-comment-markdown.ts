/**
 * The seed's PR comment ("EvalForge — Eval Results for commit …") as markdown: judge table with
 * score, Δ vs base, Holm-adjusted p-value and verdict; blocking guardrails; a recommendation.
 * Pure: the caller gathers the numbers (stats/compareJudgeScores, guardrail evaluation).
 * Every user-controlled string goes through escapeMarkdown.
 */

import type { Verdict } from '../stats/index.js';
import type { GateState } from './gate.js';
import type { GuardrailOutcome } from './run-summary.js';

export interface PrCommentJudgeRow {
  /** Display name of the judge. */
  judge: string;
  /** Current run's mean score on the 0..1 scale, shown as a percentage; null when nothing was scored. */
  score: number | null;
  /** current − baseline on the same scale (shown in percentage points); null without a baseline. */
  delta: number | null;
  /** Holm-adjusted p-value of the comparison. */
  pValue: number | null;
  /** null when there is no baseline to compare with. */
  verdict: Verdict | null;
  /** Minimum detectable effect (0..1 scale), shown for inconclusive verdicts. */
  mde?: number | null;
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
}

const SHORT_SHA_LENGTH = 7;
/** Two trailing spaces: a line break inside a paragraph in every markdown renderer (comments and checks). */
const HARD_LINE_BREAK = '  \n';
const ZERO_WIDTH_SPACE = '&#8203;';
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()+\-.!|~:]/g;
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
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

/** An http(s) URL safe inside a markdown link destination, or null. */
function safeLinkTarget(url: string | null): string | null {
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

export function formatPercent(score: number | null): string {
  return score === null ? '—' : `${oneDecimal(score * 100)}%`;
}

/** Difference in percentage points with an explicit sign, e.g. "+1 pp", "-3.2 pp", "+0 pp". */
export function formatDelta(delta: number | null): string {
  if (delta === null) return '—';
  const points = oneDecimal(delta * 100);
  return points.startsWith('-') ? `${points} pp` : `+${points} pp`;
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

function judgeTable(input: PrCommentInput): string[] {
  const base = input.baseBranch === null ? 'baseline' : escapeMarkdown(input.baseBranch);
  const rows = input.judges.map(
    (row) =>
      `| ${escapeMarkdown(row.judge)}${row.demonstration ? ' _(demonstration)_' : ''} | ${formatPercent(row.score)} | ${formatDelta(row.delta)} | ` +
      `${formatPValue(row.pValue)} | ${statusCell(row)} |`,
  );
  return [
    `| Judge | Score | Δ vs ${base} | p (Holm) | Status |`,
    '|-------|-------|-----------|----------|--------|',
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

function footer(input: PrCommentInput): string {
  const current = runLink('Run', input.run);
  return input.baselineRun
    ? `${current} · compared with ${runLink('baseline run', input.baselineRun)}`
    : current;
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

/** Blocks are separated by blank lines so a list never swallows the next line. */
export function renderPrCommentMarkdown(input: PrCommentInput): string {
  const blocks = [
    `## 🔍 EvalForge — Eval Results for commit ${shortSha(input.commitSha)}`,
    metadataBlock(input),
    judgeTable(input).join('\n'),
    guardrailSection(input, true).join('\n'),
    guardrailSection(input, false).join('\n'),
    demonstrationSection(input).join('\n'),
    `**Recommendation:** ${recommendation(input)}`,
    footer(input),
  ];
  return `${blocks.filter((block) => block !== '').join('\n\n')}\n`;
}
