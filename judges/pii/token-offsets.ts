import type { PreTrainedTokenizer } from '@huggingface/transformers';

export interface TokenSpan {
  id: number;
  /** Character offsets into the original text; -1 when a token could not be placed. */
  start: number;
  end: number;
  /** A WordPiece continuation ("##…") of the previous token. */
  continuation: boolean;
}

/**
 * transformers.js tokenizers return no character offsets, so they are rebuilt here for BERT-style (uncased
 * WordPiece) tokenizers: the text is normalised the way BertNormalizer does (lower case, accents stripped,
 * control characters dropped) while remembering which original character each normalised one came from, and
 * every token is then found in order in the normalised text.
 */
export function tokenSpans(tokenizer: PreTrainedTokenizer, text: string): TokenSpan[] {
  const tokens = tokenizer.tokenize(text);
  const ids = tokenizer.encode(text, { add_special_tokens: false });
  if (ids.length !== tokens.length) throw new Error('tokenize() and encode() disagree on token count');
  const { normalized, origin } = normalizeWithMap(text, normalizerOf(tokenizer));
  let cursor = 0;
  return tokens.map((token, i) => {
    const continuation = token.startsWith('##');
    const piece = continuation ? token.slice(2) : token;
    let at =
      piece === tokenizer.unk_token ? nextWordStart(normalized, cursor) : normalized.indexOf(piece, cursor);
    if (at < 0) at = -1;
    if (at === -1) return { id: ids[i], start: -1, end: -1, continuation };
    const length = piece === tokenizer.unk_token ? wordLength(normalized, at) : piece.length;
    cursor = at + length;
    const last = origin[at + length - 1];
    return { id: ids[i], start: origin[at], end: last + codePointLength(text, last), continuation };
  });
}

interface Normalizer {
  lowercase: boolean;
  stripAccents: boolean;
}

/** Asks the tokenizer itself rather than parsing its config (which comes in several shapes). */
function normalizerOf(tokenizer: PreTrainedTokenizer): Normalizer {
  return {
    lowercase: tokenizer.tokenize('A')[0] === 'a',
    stripAccents: tokenizer.tokenize('\u00e9')[0] === 'e',
  };
}

function normalizeWithMap(text: string, how: Normalizer): { normalized: string; origin: number[] } {
  let normalized = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    let out = ch;
    if (cp === 0 || cp === 0xfffd || /\p{Cc}/u.test(ch)) out = /\s/.test(ch) ? ' ' : '';
    else {
      if (how.lowercase) out = out.toLowerCase();
      if (how.stripAccents) out = out.normalize('NFD').replace(/\p{Mn}/gu, '');
    }
    for (let k = 0; k < out.length; k++) origin.push(i);
    normalized += out;
    i += ch.length;
  }
  return { normalized, origin };
}

function nextWordStart(text: string, from: number): number {
  const m = /\S/.exec(text.slice(from));
  return m ? from + m.index : -1;
}

function wordLength(text: string, from: number): number {
  const m = /[\s\p{P}]/u.exec(text.slice(from + 1));
  return m ? m.index + 1 : text.length - from;
}

function codePointLength(text: string, index: number): number {
  return (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
}
