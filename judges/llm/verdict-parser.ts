/**
 * Tolerant parsing of judge model replies. Models wrap JSON in prose or code fences, return arrays, or are
 * cut off mid-object by max_tokens; each of these still yields the verdict when the needed fields are there.
 */

export type ParsedJson = { ok: true; value: unknown; repaired: boolean } | { ok: false; error: string };

const FENCE = /```(?:json|JSON)?\s*\n?([\s\S]*?)(?:```|$)/;

export function parseJsonLenient(text: string): ParsedJson {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'empty reply' };
  const candidates = [trimmed];
  const fenced = FENCE.exec(trimmed);
  if (fenced) candidates.push(fenced[1].trim());
  const start = trimmed.search(/[[{]/);
  if (start >= 0) candidates.push(trimmed.slice(start));
  for (const candidate of candidates) {
    const parsed = tryParse(candidate);
    if (parsed !== undefined) return { ok: true, value: parsed, repaired: false };
  }
  for (const candidate of candidates.slice(1)) {
    const balanced = firstBalanced(candidate);
    if (balanced) {
      const parsed = tryParse(balanced);
      if (parsed !== undefined) return { ok: true, value: parsed, repaired: false };
    }
    const repaired = tryParse(closeTruncated(candidate));
    if (repaired !== undefined) return { ok: true, value: repaired, repaired: true };
  }
  return { ok: false, error: 'no JSON object in reply' };
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The first complete {...} or [...] in text (strings respected), e.g. JSON followed by commentary. */
function firstBalanced(text: string): string | null {
  const stack: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return null;
      if (stack.length === 0) return text.slice(0, i + 1);
    }
  }
  return null;
}

/** Closes what a truncated reply left open: the string, a dangling key or comma, then brackets in order. */
export function closeTruncated(text: string): string {
  const stack: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') stack.pop();
  }
  let out = text.replace(/\\$/, '');
  if (inString) out += '"';
  // Drop what cannot stand: a trailing comma, a key without value, a key with a colon and no value.
  for (let previous = ''; previous !== out; ) {
    previous = out;
    out = out
      .replace(/,\s*$/, '')
      .replace(/([{,])\s*"[^"]*"\s*:?\s*$/, '$1')
      .replace(/:\s*$/, ': null')
      .replace(/,\s*$/, '')
      .replace(/\{\s*,/, '{');
  }
  return out + stack.reverse().join('');
}

/** A numeric field, also when the model wrote it as a string ("4", "4/5", "4 out of 5"). */
export function numberField(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const m = /^\s*(-?\d+(?:\.\d+)?)/.exec(value);
    if (m) return Number(m[1]);
  }
  return null;
}

/** Last resort when no JSON survives at all: a `"score": 4` or `score = 4` in plain text. */
export function scoreFromText(text: string): number | null {
  const m = /"?\b(?:score|rating)\b"?\s*[:=]\s*"?(-?\d+(?:\.\d+)?)/i.exec(text);
  return m ? Number(m[1]) : null;
}
