/**
 * The report's Markdown (GitHub-flavoured, as core/pr-comment-markdown.ts writes it) as plain text for a
 * terminal or a CI log: backslash escapes undone, tables aligned, links as "text (url)", emphasis marks,
 * HTML tags and comments dropped, HTML entities decoded, zero-width spaces removed. Pure; no colours.
 */
import { renderTable } from './text-table.js';

const OPEN = '\uE000';
const CLOSE = '\uE001';
const PROTECTED = /\uE000(\d+)\uE001/g;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  rarr: '→',
  larr: '←',
  times: '×',
  middot: '·',
  zwj: '\u200D',
  zwnj: '',
};

/** Characters with no width that only change how GitHub renders (mention and issue-link breakers). */
const ZERO_WIDTH_SPACES = /[\u200B\u2060\uFEFF]/g;

export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name] ?? whole;
  });
}

/** One line's inline Markdown as plain text. */
export function inlineToText(text: string): string {
  const kept: string[] = [];
  const protect = (s: string) => `${OPEN}${kept.push(s) - 1}${CLOSE}`;
  let out = text
    // One pass left to right, so an escaped backtick opens no code span. Backslash escapes of ASCII
    // punctuation stand for the character; code spans are literal (no escapes, entities or emphasis).
    .replace(
      /\\([!-/:-@[-`{-~])|(`+)([^`]|[^`][\s\S]*?[^`])\2(?!`)/g,
      (_, escaped: string | undefined, _ticks, code: string) =>
        protect(escaped ?? (/^ .* $/.test(code) && code.trim() !== '' ? code.slice(1, -1) : code)),
    )
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, (_, url: string) => protect(url))
    .replace(/!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_, label: string, url: string) =>
      label.trim() === '' || label === url ? url : `${label} (${url})`,
    )
    // Inline HTML (the report's own tags; untrusted text arrives as entities, never as tags).
    .replace(/<\/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?\/?>/g, '')
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '$1')
    .replace(/__(?=\S)([\s\S]*?\S)__/g, '$1')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w_])_(?=\S)([^_]*?\S)_(?![\w_])/g, '$1$2');
  out = decodeEntities(out);
  out = out.replace(PROTECTED, (_, i: string) => kept[Number(i)]);
  return out.replace(ZERO_WIDTH_SPACES, '');
}

/** `| a | b \| c |` → ["a", "b \| c"] (an escaped pipe stays in its cell). */
function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\' && row[i + 1] === '|') {
      cell += '\\|';
      i++;
    } else if (row[i] === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += row[i];
  }
  cells.push(cell.trim());
  return cells;
}

const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const isTableLine = (line: string | undefined) => line !== undefined && /^\s*\|/.test(line);

function table(lines: string[]): string {
  const [header, rule, ...body] = lines.map(splitRow);
  const right = rule.flatMap((c, i) => (/^-+:$|^:-+:$/.test(c.replace(/\s/g, '')) ? [i] : []));
  return renderTable(
    header.map(inlineToText),
    body.map((r) => r.map(inlineToText)),
    { right },
  );
}

/** The whole document as plain text, ending with one newline. */
export function markdownToTerminal(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence !== null) {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) fence = null;
      else out.push(`    ${line}`);
      continue;
    }
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (open) {
      fence = open[1];
      continue;
    }
    const withoutComments = line.replace(/<!--[\s\S]*?-->/g, '');
    if (withoutComments.includes('<!--')) {
      inComment = true;
      const before = withoutComments.slice(0, withoutComments.indexOf('<!--'));
      if (before.trim()) out.push(inlineToText(before).trimEnd());
      continue;
    }
    if (withoutComments !== line && withoutComments.trim() === '') continue;
    const text = withoutComments;
    if (isTableLine(text) && lines[i + 1] !== undefined && TABLE_RULE.test(lines[i + 1])) {
      const rows = [text, lines[i + 1]];
      i += 2;
      while (isTableLine(lines[i])) rows.push(lines[i++]);
      i--;
      out.push(table(rows));
      continue;
    }
    if (/^\s*<\/?(details|summary|div|p|br|hr)\b[^>]*>\s*$/i.test(text)) continue;
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
    if (heading) {
      out.push(inlineToText(heading[1]));
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(text)) {
      out.push('-'.repeat(40));
      continue;
    }
    const quote = /^\s{0,3}>\s?(.*)$/.exec(text);
    if (quote) {
      out.push(`│ ${inlineToText(quote[1])}`.trimEnd());
      continue;
    }
    const item = /^(\s*)[-*+]\s+(.*)$/.exec(text);
    if (item) {
      out.push(`${item[1]}- ${inlineToText(item[2])}`.trimEnd());
      continue;
    }
    // A hard line break (two trailing spaces or a trailing backslash) is just the end of the line here.
    out.push(inlineToText(text.replace(/(?: {2,}|\\)$/, '')).trimEnd());
  }
  // At most one blank line in a row, none at the ends.
  const text = out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return `${text}\n`;
}
