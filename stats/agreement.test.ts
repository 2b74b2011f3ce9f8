import { describe, expect, it } from 'vitest';
import { passFailAgreement, passFailTable } from './agreement.js';

describe("pass/fail agreement and Cohen's kappa", () => {
  it('matches a hand-computed table', () => {
    // 50 items: 20 both pass, 5 only the first, 10 only the second, 15 both fail.
    // p_o = 35/50 = 0.7; first passes 25/50 = 0.5, second 30/50 = 0.6;
    // p_e = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7 − 0.5) / (1 − 0.5) = 0.4.
    const r = passFailAgreement({ bothPassed: 20, firstOnlyPassed: 5, secondOnlyPassed: 10, bothFailed: 15 });
    expect(r.n).toBe(50);
    expect(r.agreement).toBeCloseTo(0.7, 12);
    expect(r.kappa).toBeCloseTo(0.4, 12);
  });

  it('counts pairs into the table', () => {
    const t = passFailTable([
      [true, true],
      [true, false],
      [false, true],
      [false, false],
      [false, false],
    ]);
    expect(t).toEqual({ bothPassed: 1, firstOnlyPassed: 1, secondOnlyPassed: 1, bothFailed: 2 });
    // p_o = 3/5; both pass 2/5: p_e = 0.16 + 0.36 = 0.52; kappa = (0.6 − 0.52) / 0.48 = 1/6.
    expect(passFailAgreement(t).kappa).toBeCloseTo(1 / 6, 12);
  });

  it('gives perfect agreement kappa 1 and systematic disagreement kappa −1', () => {
    expect(
      passFailAgreement(
        passFailTable([
          [true, true],
          [false, false],
        ]),
      ).kappa,
    ).toBeCloseTo(1, 12);
    expect(
      passFailAgreement(
        passFailTable([
          [true, false],
          [false, true],
        ]),
      ).kappa,
    ).toBeCloseTo(-1, 12);
  });

  it('leaves kappa undefined when both raters gave one verdict to everything, and everything when empty', () => {
    const same = passFailAgreement(
      passFailTable([
        [true, true],
        [true, true],
      ]),
    );
    expect(same.agreement).toBe(1);
    expect(same.kappa).toBeNull();
    expect(passFailAgreement(passFailTable([]))).toMatchObject({ n: 0, agreement: null, kappa: null });
  });
});
