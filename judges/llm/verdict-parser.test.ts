import { describe, expect, it } from 'vitest';
import { closeTruncated, parseJsonLenient, scoreFromText } from './verdict-parser.js';
import { pairwiseVerdict, pointwiseVerdict } from './verdicts.js';

const criteria = [
  { name: 'accuracy', description: 'a', weight: 1 },
  { name: 'tone', description: 't', weight: 1 },
];
const scale = { min: 1, max: 5 };

function parse(text: string) {
  const p = parseJsonLenient(text);
  return p.ok ? p.value : undefined;
}

describe('lenient JSON parsing of judge replies', () => {
  it('reads plain, fenced, prose-wrapped and followed-by-commentary JSON', () => {
    expect(parse('{"score": 4}')).toEqual({ score: 4 });
    expect(parse('```json\n{"score": 4}\n```')).toEqual({ score: 4 });
    expect(parse('Here is my verdict: {"score": 4} Hope that helps.')).toEqual({ score: 4 });
    expect(parse('{"a": "}"} and then {"b": 2}')).toEqual({ a: '}' });
    expect(parse('[{"criterion": "tone", "score": 3}]')).toEqual([{ criterion: 'tone', score: 3 }]);
  });

  it('repairs JSON cut off by max_tokens', () => {
    expect(
      parseJsonLenient('{"criteria": {"accuracy": 4, "tone": 5}, "reasoning": "The answer is corr'),
    ).toEqual({
      ok: true,
      value: { criteria: { accuracy: 4, tone: 5 }, reasoning: 'The answer is corr' },
      repaired: true,
    });
    expect(JSON.parse(closeTruncated('{"a": 1, "b": [1, 2'))).toEqual({ a: 1, b: [1, 2] });
    expect(JSON.parse(closeTruncated('{"a": 1, "b":'))).toEqual({ a: 1 });
    expect(JSON.parse(closeTruncated('{"a": 1, "bb'))).toEqual({ a: 1 });
    expect(JSON.parse(closeTruncated('{"a": "x\\'))).toEqual({ a: 'x' });
  });

  it('fails on replies with no JSON', () => {
    expect(parseJsonLenient('')).toEqual({ ok: false, error: 'empty reply' });
    expect(parseJsonLenient('I cannot judge this.').ok).toBe(false);
    expect(scoreFromText('Score: 4/5')).toBe(4);
  });
});

describe('verdicts', () => {
  it('reads criterion scores from every common shape', () => {
    const want = { ok: true, value: { accuracy: 4, tone: 2 } };
    expect(pointwiseVerdict({ criteria: { accuracy: 4, tone: 2 } }, '', criteria, scale)).toMatchObject(want);
    expect(
      pointwiseVerdict({ criteria: { Accuracy: { score: 4 }, tone: { score: '2' } } }, '', criteria, scale),
    ).toMatchObject(want);
    expect(
      pointwiseVerdict(
        {
          criteria: [
            { name: 'accuracy', score: 4 },
            { name: 'tone', score: 2 },
          ],
        },
        '',
        criteria,
        scale,
      ),
    ).toMatchObject(want);
    expect(
      pointwiseVerdict(
        [
          { criterion: 'accuracy', score: 4 },
          { criterion: 'tone', rating: 2 },
        ],
        '',
        criteria,
        scale,
      ),
    ).toMatchObject(want);
    expect(
      pointwiseVerdict([{ criteria: { accuracy: 4, tone: 2 }, reasoning: 'r' }], '', criteria, scale),
    ).toMatchObject({ ...want, reasoning: 'r' });
    expect(pointwiseVerdict({ score: 3 }, '', criteria, scale)).toMatchObject({
      ok: true,
      value: { accuracy: 3, tone: 3 },
    });
    expect(pointwiseVerdict(undefined, 'overall score: 5', criteria, scale)).toMatchObject({
      ok: true,
      value: { accuracy: 5, tone: 5 },
    });
  });

  it('rejects missing and out-of-scale scores', () => {
    expect(pointwiseVerdict({ criteria: { accuracy: 4 } }, '', criteria, scale)).toEqual({
      ok: false,
      error: 'no score for criterion "tone"',
    });
    expect(pointwiseVerdict({ score: 9 }, '', criteria, scale)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/outside 1..5/),
    });
  });

  it('reads pairwise winners in their usual spellings', () => {
    expect(pairwiseVerdict({ winner: 'A' }, '')).toMatchObject({ ok: true, value: 'A' });
    expect(pairwiseVerdict({ winner: 'Response B' }, '')).toMatchObject({ ok: true, value: 'B' });
    expect(pairwiseVerdict([{ winner: 'tie' }], '')).toMatchObject({ ok: true, value: 'tie' });
    expect(pairwiseVerdict({ winner: 2 }, '')).toMatchObject({ ok: true, value: 'B' });
    expect(pairwiseVerdict(undefined, '"winner": "A", "reasoning": "trunc')).toMatchObject({
      ok: true,
      value: 'A',
    });
    expect(pairwiseVerdict({ winner: 'both' }, '').ok).toBe(false);
  });
});
