import net from 'node:net';

/** Luhn (mod 10) check digit, as every payment card number carries. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes (IIN ranges) of the major networks: with Luhn alone, one random 16-digit number in ten passes. */
export function cardNetwork(digits: string): string | null {
  const n2 = Number(digits.slice(0, 2));
  const n3 = Number(digits.slice(0, 3));
  const n4 = Number(digits.slice(0, 4));
  const len = digits.length;
  if (digits[0] === '4' && [13, 16, 19].includes(len)) return 'visa';
  if (((n2 >= 51 && n2 <= 55) || (n4 >= 2221 && n4 <= 2720)) && len === 16) return 'mastercard';
  if ((n2 === 34 || n2 === 37) && len === 15) return 'amex';
  if ((n4 === 6011 || n2 === 65 || (n3 >= 644 && n3 <= 649)) && len >= 16 && len <= 19) return 'discover';
  if (n4 >= 3528 && n4 <= 3589 && len >= 16 && len <= 19) return 'jcb';
  if ((n2 === 36 || n2 === 38 || (n3 >= 300 && n3 <= 305)) && len >= 14 && len <= 19) return 'diners';
  return null;
}

export function cardNumberValid(raw: string): boolean {
  const digits = raw.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && cardNetwork(digits) !== null && luhnValid(digits);
}

/** US Social Security numbers: area 001-899 except 666, group 01-99, serial 0001-9999 (SSA rules). */
export function ssnValid(raw: string): boolean {
  const m = /^(\d{3})[- ]?(\d{2})[- ]?(\d{4})$/.exec(raw);
  if (!m) return false;
  const [area, group, serial] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}

/** IBAN lengths per country (ISO 13616 registry). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

/** ISO 13616 check: known country, its length, and mod-97 of the rearranged number equal to 1. */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** Length (in characters of `raw`) of the valid IBAN that `raw` starts with, or 0: a greedy match may run
 * into the next upper-case word ("… 5698 7654 32 FOR"), and each country fixes its IBAN's length. */
export function ibanPrefixLength(raw: string): number {
  const expected = IBAN_LENGTHS[raw.slice(0, 2).toUpperCase()];
  if (!expected) return 0;
  let alnum = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== ' ') alnum++;
    if (alnum === expected) return ibanValid(raw.slice(0, i + 1)) ? i + 1 : 0;
  }
  return 0;
}

export function ipv4Valid(raw: string): boolean {
  return net.isIPv4(raw);
}

/** Real IPv6 addresses only: times ("12:30:45") and bare "::" are not. */
export function ipv6Valid(raw: string): boolean {
  return raw.length > 2 && net.isIPv6(raw) && /[0-9a-f]/i.test(raw);
}

/** NANP numbers need a real area code and exchange (2-9 first digit); international ones 8-15 digits (E.164). */
export function phoneValid(raw: string): boolean {
  const digits = raw.replace(/\D/g, '');
  if (raw.trim().startsWith('+')) return digits.length >= 8 && digits.length <= 15;
  const national = digits.length === 11 && digits[0] === '1' ? digits.slice(1) : digits;
  return national.length === 10 && /^[2-9]\d{2}[2-9]/.test(national);
}

/** Shannon entropy in bits per character: random keys score high, words and repeated characters low. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
