/**
 * G-Eval's probability-weighted score (Liu et al., 2023): instead of the one integer the judge model wrote,
 * the expected value of the scale under the model's own distribution at the token where it wrote it,
 * Σ p(v)·v / Σ p(v) over the scale's values among the top alternatives. Finer-grained than an integer and
 * less sensitive to sampling; it needs the server's per-token log-probabilities (OpenAI `logprobs` with
 * `top_logprobs`, vLLM, llama.cpp, the local SmolLM2 server).
 */
import type { TokenLogprob } from './chat-caller.js';
import type { Scale } from './prompts.js';

export interface WeightedScore {
  /** Expected score on the scale. */
  value: number;
  /** Probability the model gave to any value of the scale at that position (the rest went to other tokens). */
  mass: number;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where the reply wrote `"<name>": <integer>` (or `{"score": <integer>}`), read from the tokens themselves:
 * the last such value, so a criterion name quoted in the reasoning before it does not count.
 */
function valuePosition(text: string, name: string): { index: number; digits: string } | null {
  const key = escapeRegExp(JSON.stringify(name));
  const pattern = new RegExp(`${key}\\s*:\\s*(?:\\{\\s*"(?:score|rating)"\\s*:\\s*)?"?(-?\\d+)`, 'gi');
  let last: RegExpExecArray | null = null;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) last = m;
  if (!last) return null;
  return { index: last.index + last[0].length - last[1].length, digits: last[1] };
}

/**
 * The probability-weighted score of each criterion, or null for a criterion whose score token cannot be
 * read unambiguously: the number spans several tokens, or the scale has two-digit values and nothing shows
 * that this tokenizer writes them as one token (a "1" could then be the start of "10").
 */
export function weightedScores(
  tokens: readonly TokenLogprob[],
  criteria: readonly string[],
  scale: Scale,
): Record<string, WeightedScore | null> {
  const text = tokens.map((t) => t.token).join('');
  const starts: number[] = [];
  let offset = 0;
  for (const t of tokens) {
    starts.push(offset);
    offset += t.token.length;
  }
  const multiDigitScale = scale.max >= 10 || scale.min <= -10;
  const out: Record<string, WeightedScore | null> = {};
  for (const name of criteria) {
    out[name] = null;
    const at = valuePosition(text, name);
    if (!at) continue;
    let i = starts.length - 1;
    while (i > 0 && starts[i] > at.index) i--;
    const token = tokens[i];
    const prefix = token.token.slice(0, at.index - starts[i]);
    if (!token.token.slice(prefix.length).startsWith(at.digits)) continue; // the number spans tokens
    const seen = new Map<string, number>();
    for (const c of [token, ...token.top]) if (!seen.has(c.token)) seen.set(c.token, c.logprob);
    const values = new Map<number, number>();
    let wholeNumbers = at.digits.replace('-', '').length > 1;
    for (const [candidate, logprob] of seen) {
      if (!candidate.startsWith(prefix)) continue;
      const m = /^(-?\d+)(?!\d)/.exec(candidate.slice(prefix.length));
      if (!m) continue;
      if (m[1].replace('-', '').length > 1) wholeNumbers = true;
      const value = Number(m[1]);
      if (value < scale.min || value > scale.max) continue;
      values.set(value, (values.get(value) ?? 0) + Math.exp(logprob));
    }
    if (multiDigitScale && !wholeNumbers) continue;
    const mass = [...values.values()].reduce((a, b) => a + b, 0);
    if (!(mass > 0)) continue;
    const value = [...values].reduce((s, [v, p]) => s + v * p, 0) / mass;
    out[name] = { value, mass };
  }
  return out;
}
