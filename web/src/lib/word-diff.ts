/**
 * A word-level diff of two texts (longest common subsequence over word tokens), for showing how a
 * candidate's output differs from the baseline's. Pure: the page renders the parts as text nodes.
 */

export type DiffOp = 'equal' | 'insert' | 'delete';
export interface DiffPart {
  op: DiffOp;
  text: string;
}

/** Words and the whitespace after them stay together, so joining the parts gives the text back. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|[^\s]+\s*/g) ?? [];
}

/** Above this many token pairs the LCS table is not built: the texts are shown as replaced whole. */
export const MAX_DIFF_CELLS = 4_000_000;

const word = (t: string) => t.trimEnd();

/**
 * Parts of `before` → `after`: `equal` in both, `delete` only in before, `insert` only in after.
 * Tokens compare without their trailing whitespace; equal parts take `after`'s spacing.
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = tokenize(before);
  const b = tokenize(after);
  // Common prefix and suffix need no table.
  let start = 0;
  while (start < a.length && start < b.length && word(a[start]) === word(b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && word(a[endA - 1]) === word(b[endB - 1])) {
    endA--;
    endB--;
  }
  const parts: DiffPart[] = [];
  const push = (op: DiffOp, text: string) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.op === op) last.text += text;
    else parts.push({ op, text });
  };
  for (let i = 0; i < start; i++) push('equal', b[i]);
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_DIFF_CELLS) {
    push('delete', midA.join(''));
    push('insert', midB.join(''));
  } else {
    const n = midA.length;
    const m = midB.length;
    // lcs[i][j]: LCS length of midA[i..] and midB[j..], in one flat array.
    const lcs = new Uint32Array((n + 1) * (m + 1));
    const at = (i: number, j: number) => i * (m + 1) + j;
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[at(i, j)] =
          word(midA[i]) === word(midB[j])
            ? lcs[at(i + 1, j + 1)] + 1
            : Math.max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (word(midA[i]) === word(midB[j])) {
        push('equal', midB[j]);
        i++;
        j++;
      } else if (lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
        push('delete', midA[i++]);
      } else {
        push('insert', midB[j++]);
      }
    }
    while (i < n) push('delete', midA[i++]);
    while (j < m) push('insert', midB[j++]);
  }
  for (let j = endB; j < b.length; j++) push('equal', b[j]);
  return parts;
}

/** How many words were removed and added: "3 words removed, 5 added". */
export function diffStats(parts: DiffPart[]) {
  const count = (op: DiffOp) =>
    parts.filter((p) => p.op === op).reduce((n, p) => n + tokenize(p.text).filter((t) => t.trim()).length, 0);
  return { removed: count('delete'), added: count('insert') };
}
