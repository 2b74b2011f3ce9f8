import type { PiiSpan } from './patterns.js';

/** Longest redacted output kept in details (reviewers see where PII was; details stay small). */
export const MAX_REDACTED_OUTPUT_CHARS = 2_000;
/** Card and account numbers keep their last digits, as receipts do, so a reviewer can tell them apart. */
const KEEP_LAST_DIGITS: Record<string, number> = { credit_card: 4, iban: 4 };

/** Types whose first letter may show ("J***"): names and places, so a reviewer can tell findings apart. */
const SHOW_FIRST_LETTER = new Set(['person_name', 'location', 'address']);
const MAX_MASK_CHARS = 12;

/** A finding's value with everything identifying masked. */
export function maskValue(type: string, value: string): string {
  const keep = KEEP_LAST_DIGITS[type] ?? 0;
  if (keep > 0) {
    const compact = value.replace(/\s|-/g, '');
    return '*'.repeat(Math.max(0, compact.length - keep)) + compact.slice(-keep);
  }
  if (type === 'email') {
    const at = value.indexOf('@');
    return `${value[0]}***@${'*'.repeat(Math.min(3, value.length - at - 1))}`;
  }
  const stars = Math.min(value.length, MAX_MASK_CHARS);
  if (SHOW_FIRST_LETTER.has(type)) return `${value[0] ?? ''}${'*'.repeat(Math.max(0, stars - 1))}`;
  return '*'.repeat(stars);
}

/** Joins same-type NER findings separated only by spaces: "John" + "Smith" is one name. Validated patterns
 * stand alone (they are complete by construction). */
export function mergeAdjacent(text: string, spans: readonly PiiSpan[]): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (
      last &&
      last.source === 'ner' &&
      span.source === 'ner' &&
      last.type === span.type &&
      span.start >= last.end &&
      /^[ \t]*$/.test(text.slice(last.end, span.start))
    ) {
      out[out.length - 1] = {
        ...last,
        end: span.end,
        confidence: Math.min(last.confidence, span.confidence),
      };
    } else {
      out.push(span);
    }
  }
  return out;
}

/** The text with every span replaced by its type in brackets: "call [PHONE] or write to [EMAIL]". */
export function redactText(text: string, spans: readonly PiiSpan[]): string {
  let out = '';
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.start < at) continue;
    out += `${text.slice(at, span.start)}[${span.type.toUpperCase()}]`;
    at = span.end;
  }
  return out + text.slice(at);
}
