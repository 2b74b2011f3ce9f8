/** Aligned plain-text tables for a terminal, measured in terminal columns (wide emoji and CJK take two). */

const ZERO_WIDTH = /[\u200B-\u200F\u2060\uFEFF\p{Mn}\p{Me}]/u;
const WIDE =
  /[\p{Emoji_Presentation}\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

/** Columns `text` takes in a terminal: 2 for wide characters and emoji (also a text symbol made emoji by U+FE0F). */
export function displayWidth(text: string): number {
  const chars = [...text];
  let width = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\u200D') {
      // Zero-width joiner: the next character joins this emoji, no extra columns.
      i++;
      continue;
    }
    if (ZERO_WIDTH.test(c)) continue;
    if (WIDE.test(c) || (chars[i + 1] === '\uFE0F' && /\p{Extended_Pictographic}/u.test(c))) width += 2;
    else width += 1;
  }
  return width;
}

const pad = (text: string, width: number, right: boolean) => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? `${fill}${text}` : `${text}${fill}`;
};

export interface TableOptions {
  /** Columns (by index) aligned to the right, e.g. numbers. */
  right?: readonly number[];
  /** A line of dashes under the header (default true). */
  rule?: boolean;
  /** Text before every line. */
  indent?: string;
}

/** Header and rows as aligned columns two spaces apart; trailing spaces trimmed. */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  opts: TableOptions = {},
) {
  const columns = Math.max(header.length, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(displayWidth(header[i] ?? ''), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const right = new Set(opts.right ?? []);
  const indent = opts.indent ?? '';
  const line = (cells: readonly string[]) =>
    `${indent}${widths.map((w, i) => pad(cells[i] ?? '', w, right.has(i))).join('  ')}`.replace(/\s+$/, '');
  const lines = [line(header)];
  if (opts.rule ?? true) lines.push(`${indent}${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) lines.push(line(row));
  return lines.join('\n');
}
