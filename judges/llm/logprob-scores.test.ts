import { describe, expect, it } from 'vitest';
import type { TokenLogprob } from './chat-caller.js';
import { weightedScores } from './logprob-scores.js';

const tok = (token: string, top: Array<[string, number]> = []): TokenLogprob => ({
  token,
  logprob: Math.log(top.find(([t]) => t === token)?.[1] ?? 1),
  top: top.map(([t, p]) => ({ token: t, logprob: Math.log(p) })),
});

describe('probability-weighted scores from token logprobs', () => {
  it('reads the alternatives that share the score token’s prefix', () => {
    const tokens = [
      tok('{"criteria": {"accuracy'),
      tok('":'),
      tok(' 4', [
        [' 4', 0.5],
        [' 3', 0.5],
        ['4', 0.2],
      ]),
      tok(', "tone": '),
      tok('2', [
        ['2', 0.8],
        ['1', 0.2],
      ]),
      tok('}}'),
    ];
    const out = weightedScores(tokens, ['accuracy', 'tone'], { min: 1, max: 5 });
    expect(out.accuracy).toEqual({ value: 3.5, mass: 1 });
    expect(out.tone?.value).toBeCloseTo(1.8, 10);
  });

  it('takes the last value written, after reasoning that quotes the criterion', () => {
    const tokens = [
      tok('{"reasoning": "I gave \\"quality\\": 1 at first", "criteria": {"quality": '),
      tok('5', [
        ['5', 0.9],
        ['4', 0.1],
      ]),
      tok('}}'),
    ];
    expect(weightedScores(tokens, ['quality'], { min: 1, max: 5 }).quality?.value).toBeCloseTo(4.9, 10);
  });

  it('gives up where the number spans tokens or a digit could start a two-digit value', () => {
    const split = [tok('{"criteria": {"quality": 1'), tok('0', [['0', 1]]), tok('}}')];
    expect(weightedScores(split, ['quality'], { min: 1, max: 10 }).quality).toBeNull();
    const ambiguous = [
      tok('{"criteria": {"quality": '),
      tok('7', [
        ['7', 0.6],
        ['1', 0.4],
      ]),
      tok('}}'),
    ];
    expect(weightedScores(ambiguous, ['quality'], { min: 1, max: 10 }).quality).toBeNull();
    const whole = [
      tok('{"criteria": {"quality": '),
      tok('7', [
        ['7', 0.6],
        ['10', 0.4],
      ]),
      tok('}}'),
    ];
    expect(weightedScores(whole, ['quality'], { min: 1, max: 10 }).quality?.value).toBeCloseTo(8.2, 10);
    expect(weightedScores([tok('no json here')], ['quality'], { min: 1, max: 5 }).quality).toBeNull();
  });
});
