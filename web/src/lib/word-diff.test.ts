import { describe, expect, it } from 'vitest';
import { diffStats, MAX_DIFF_CELLS, tokenize, wordDiff } from './word-diff';

const join = (parts: { op: string; text: string }[], keep: string) =>
  parts
    .filter((p) => p.op === 'equal' || p.op === keep)
    .map((p) => p.text)
    .join('');

describe('wordDiff', () => {
  it('keeps identical texts as one equal part', () => {
    expect(wordDiff('Refunds take 5 days.', 'Refunds take 5 days.')).toEqual([
      { op: 'equal', text: 'Refunds take 5 days.' },
    ]);
  });

  it('marks a replaced word as a deletion and an insertion', () => {
    expect(wordDiff('Refunds take 5 days.', 'Refunds take 7 days.')).toEqual([
      { op: 'equal', text: 'Refunds take ' },
      { op: 'delete', text: '5 ' },
      { op: 'insert', text: '7 ' },
      { op: 'equal', text: 'days.' },
    ]);
  });

  it('finds insertions and deletions in the middle and at both ends', () => {
    const before = 'the quick brown fox jumps';
    const after = 'a quick red fox jumps high';
    const parts = wordDiff(before, after);
    expect(join(parts, 'delete').replace(/\s+/g, ' ').trim()).toBe(before);
    expect(join(parts, 'insert').replace(/\s+/g, ' ').trim()).toBe(after);
    expect(diffStats(parts)).toEqual({ removed: 2, added: 3 });
  });

  it('handles empty sides', () => {
    expect(wordDiff('', 'new text')).toEqual([{ op: 'insert', text: 'new text' }]);
    expect(wordDiff('old text', '')).toEqual([{ op: 'delete', text: 'old text' }]);
    expect(wordDiff('', '')).toEqual([]);
  });

  it('treats markup as plain words', () => {
    const after = '<img src=x onerror="x()">Refunds take 5 days.';
    const parts = wordDiff('Refunds take 5 days.', after);
    expect(join(parts, 'insert')).toBe(after);
    expect(parts.find((p) => p.op === 'insert')?.text).toContain('<img src=x onerror="x()">');
    expect(parts[parts.length - 1]).toEqual({ op: 'equal', text: 'take 5 days.' });
  });

  it('falls back to replacing the whole middle when the texts are too long to tabulate', () => {
    const n = Math.ceil(Math.sqrt(MAX_DIFF_CELLS)) + 1;
    const a = Array.from({ length: n }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: n }, (_, i) => `b${i}`).join(' ');
    const parts = wordDiff(a, b);
    expect(parts.map((p) => p.op)).toEqual(['delete', 'insert']);
  });

  it('tokenizes words with their trailing whitespace', () => {
    expect(tokenize('a  b\nc')).toEqual(['a  ', 'b\n', 'c']);
    expect(tokenize('  lead')).toEqual(['  ', 'lead']);
  });
});
