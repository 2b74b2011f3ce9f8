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

/**
 * Whether a run of digit groups is shaped like a phone number. `context` says what else is known: `word`, a
 * phone word just before it ("call", "Telefon", "llámame"); `model`, the NER model calling it a phone.
 * With none, only unmistakable shapes pass: international (+country code, 8-15 digits), NANP (area code 2-9,
 * 3-3-4 groups or a bracketed area code) and national numbers with a trunk 0 in several groups. The model adds
 * other national numbers written in three or more short groups ("611 223 344"); a phone word also unseparated runs and local
 * numbers ("555-0148"). Counts ("415 555"), order numbers ("2024-117734") and parts of card numbers never
 * pass: too few digits, or no phone shape.
 */
export function phoneValid(raw: string, context: 'none' | 'model' | 'word' = 'none'): boolean {
  const value = raw.trim();
  const digits = value.replace(/\D/g, '');
  const groups = value.split(/\D+/).filter(Boolean);
  if (context === 'word' && /^[2-9]\d{2}[ .-]\d{4}$/.test(value)) return true;
  if (digits.length < 7 || digits.length > 15) return false;
  // A single trailing digit ("0-306-40615-2") is a check digit, not the end of a phone number.
  if (groups.length > 1 && groups[groups.length - 1].length < 2) return false;
  if (value.startsWith('+')) return digits.length >= 8 && digits[0] !== '0';
  if (digits.startsWith('00')) {
    return digits.length >= 10 && digits[2] !== '0' && (groups.length > 1 || context === 'word');
  }
  const nanp = digits.length === 11 && digits[0] === '1' ? digits.slice(1) : digits;
  if (nanp.length === 10 && /^[2-9]/.test(nanp)) {
    // A bracketed area code is a phone whatever the exchange ((555) 010-0199 in fiction and tests).
    if (/^(?:1[ .-]?)?\(\d{3}\)/.test(value)) return true;
    const shaped = /^(?:1[ .-]?)?\d{3}[ .-]\d{3}[ .-]\d{4}$/.test(value);
    if (shaped && /^\d{3}[2-9]/.test(nanp)) return true;
  }
  if (digits[0] === '0' && digits[1] !== '0' && digits.length >= 9 && digits.length <= 12) {
    if (groups.length > 1 || context === 'word') return true;
  }
  if (digits.length < 9 || digits.length > 11) return false;
  if (context === 'word') return true;
  return context === 'model' && groups.length > 2 && groups.every((g) => g.length >= 2 && g.length <= 4);
}

/** ISBN-10 (last character may be X) or ISBN-13 (978/979) with a valid check digit. */
export function isbnValid(raw: string): boolean {
  const s = raw.replace(/[- ]/g, '').toUpperCase();
  if (/^97[89]\d{10}$/.test(s)) {
    let sum = 0;
    for (let i = 0; i < 13; i++) sum += Number(s[i]) * (i % 2 === 0 ? 1 : 3);
    return sum % 10 === 0;
  }
  if (/^\d{9}[\dX]$/.test(s)) {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (s[i] === 'X' ? 10 : Number(s[i])) * (10 - i);
    return sum % 11 === 0;
  }
  return false;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI (8 digits + check letter) or NIE (X/Y/Z + 7 digits + check letter), mod 23. */
export function dniValid(raw: string): boolean {
  const s = raw.replace(/[- ]/g, '').toUpperCase();
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(s);
  if (!m || m[1].length + m[2].length !== 8) return false;
  const number = Number(`${m[1] ? 'XYZ'.indexOf(m[1]) : ''}${m[2]}`);
  return DNI_LETTERS[number % 23] === m[3];
}

/** French NIR (social security number): sex, year, month, place, order, and a key of 97 - (number mod 97). */
export function nirValid(raw: string): boolean {
  const s = raw.replace(/[ .-]/g, '').toUpperCase();
  const m = /^([12]\d{2}(?:0[1-9]|1[0-2]|[2-9]\d)(?:\d{2}|2A|2B)\d{6})(\d{2})$/.exec(s);
  if (!m) return false;
  // Corsica (2A, 2B) counts as 19 and 18 in the key.
  const body = BigInt(m[1].replace('2A', '19').replace('2B', '18'));
  return Number(97n - (body % 97n)) === Number(m[2]);
}

const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

/** Italian codice fiscale: 16 characters with a check letter. */
export function codiceFiscaleValid(raw: string): boolean {
  const s = raw.toUpperCase();
  if (!/^[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = s[i];
    const v = c >= 'A' ? c.charCodeAt(0) - 65 : Number(c);
    sum += i % 2 === 0 ? CF_ODD[v] : v;
  }
  return String.fromCharCode(65 + (sum % 26)) === s[15];
}

/** UK National Insurance number: two prefix letters (some never issued), six digits, suffix A-D. */
export function ninoValid(raw: string): boolean {
  const s = raw.replace(/ /g, '').toUpperCase();
  return /^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/.test(s) && !/^(?:BG|GB|NK|KN|TN|NT|ZZ)/.test(s);
}

/** US ITIN: 9xx-xx-xxxx with the middle group in the ranges the IRS issues. */
export function itinValid(raw: string): boolean {
  const m = /^9\d{2}[- ]?(\d{2})[- ]?\d{4}$/.exec(raw);
  if (!m) return false;
  const group = Number(m[1]);
  return (
    (group >= 50 && group <= 65) ||
    (group >= 70 && group <= 88) ||
    (group >= 90 && group <= 99 && group !== 93)
  );
}

/** A calendar date that someone alive could be born on (years 1900 to this year). */
export function birthDateValid(day: number, month: number, year: number): boolean {
  if (year < 1900 || year > new Date().getFullYear()) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
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
