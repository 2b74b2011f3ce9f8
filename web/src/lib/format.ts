/** Number and date formatting shared by every page: one place decides how a percentage looks. */

export const pct = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : `${(v * 100).toFixed(digits)}%`;

export const score = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(2));

export const usd = (v: number | null | undefined) => {
  if (v === null || v === undefined) return '–';
  return v !== 0 && Math.abs(v) < 0.01 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`;
};

export const int = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : Math.round(v).toLocaleString('en-US');

export const ms = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : v >= 1_000 ? `${(v / 1_000).toFixed(1)} s` : `${Math.round(v)} ms`;

export const dateTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : '–';

/** "Nov 26, 18:28": for dense lists. */
export const shortDate = (iso: string | null | undefined) =>
  iso
    ? new Date(iso).toLocaleString('en-US', {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      })
    : '–';

export const shortId = (id: string) => id.slice(0, 8);

/** Human label for a judge type: "llm_judge" → "LLM judge". */
export function judgeLabel(judgeType: string) {
  const words = judgeType.replace(/[_-]+/g, ' ').trim();
  return words
    .replace(/^llm\b/i, 'LLM')
    .replace(/^pii\b/i, 'PII')
    .replace(/^\w/, (c) => c.toUpperCase());
}

/** Signed percentage-point change: +2.0 pp. */
export const deltaPct = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined
    ? '–'
    : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v * 100).toFixed(digits)}%`;

export const pValue = (p: number | null | undefined) =>
  p === null || p === undefined ? '–' : p < 0.001 ? 'p<0.001' : `p=${p.toFixed(p < 0.01 ? 3 : 2)}`;
