import {
  DATE_OF_BIRTH_AFTER,
  DATE_OF_BIRTH_BEFORE,
  gapAfterWord,
  ISBN_WORD,
  idTypeBefore,
  NON_PII_ID_WORDS,
  NUMBER_FILLERS,
  PHONE_WORDS,
  VERSION_WORDS,
  wordAfter,
  wordBefore,
} from './context.js';
import { foldText } from './fold.js';
import {
  birthDateValid,
  cardNumberValid,
  codiceFiscaleValid,
  dniValid,
  ibanPrefixLength,
  ipv4Valid,
  ipv6Valid,
  isbnValid,
  itinValid,
  ninoValid,
  nirValid,
  phoneValid,
  shannonEntropy,
  ssnValid,
} from './validators.js';

export interface PiiSpan {
  type: string;
  start: number;
  end: number;
  source: 'regex' | 'ner';
  /** Model confidence for NER findings; 1 for validated patterns. */
  confidence: number;
}

/** A stretch of text that looks like personal data and is not: an ISBN, a tracking or order number, a
 * version, a Luhn-invalid card-like number… Model findings on it are dropped. */
export interface NonPiiSpan {
  reason: string;
  start: number;
  end: number;
}

interface PatternDetector {
  type: string;
  /** Global regex; group `value` (when present) is the finding, else the whole match. */
  pattern: RegExp;
  /** The type to report for this value (default `type`), or null when it is not personal data. */
  classify?: (value: string, start: number, text: string) => string | null;
  /** For matches that may run long: how many leading characters form the finding (0: none). */
  prefixLength?: (value: string) => number;
  /** Shapes that other things share (phone numbers): dropped where a non-PII span overlaps. */
  weak?: boolean;
}

/** Secrets need enough randomness to be keys rather than words ("password: changeme" is not reported). */
const MIN_SECRET_ENTROPY_BITS = 3.5;

const accept = (ok: boolean, type: string) => (ok ? type : null);

/** A secret after a key word: random-looking, and not a code expression ("process.env.API_KEY"). */
function secretValue(value: string): boolean {
  if (shannonEntropy(value) < MIN_SECRET_ENTROPY_BITS) return false;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return false;
  return /\d/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value) && value.length >= 20);
}

/** Identity-number shapes by type: how many characters and groups a value of that kind has. */
const ID_SHAPES: Record<string, { min: number; max: number; groups: number }> = {
  passport: { min: 6, max: 9, groups: 1 },
  drivers_license: { min: 5, max: 20, groups: 4 },
  tax_id: { min: 8, max: 16, groups: 5 },
  government_id: { min: 8, max: 16, groups: 8 },
  bank_account: { min: 6, max: 20, groups: 6 },
  routing_number: { min: 6, max: 9, groups: 3 },
};

/** An identity number named by the word before it ("passport no. X1234567", "Steuer-ID 86095742719"). */
function idByKeyword(value: string, start: number, text: string): string | null {
  if (value.replace(/[ .-]/g, '').length < 5) return null; // shorter than any identity number
  const type = idTypeBefore(text, start);
  if (type === null) return null;
  if (type === 'ssn') return accept(ssnValid(value.replace(/ /g, '-')), 'ssn');
  const compact = value.replace(/[ .-]/g, '');
  const shape = ID_SHAPES[type];
  const groups = value.split(/[ .-]/).length;
  return accept(compact.length >= shape.min && compact.length <= shape.max && groups <= shape.groups, type);
}

const MONTHS =
  'jan(?:uary|vier|uar|\\.)?|feb(?:ruary|ruar|\\.)?|févr(?:ier|\\.)?|fevrier|mar(?:ch|s|\\.)?|märz|apr(?:il|\\.)?|avril|may|mai|june?|juin|juni|july?|juillet|juli|aug(?:ust|\\.)?|août|aout|sep(?:t(?:ember|embre)?)?\\.?|oct(?:ober|obre|\\.)?|okt(?:ober)?|nov(?:ember|embre|\\.)?|dec(?:ember|\\.)?|déc(?:embre|\\.)?|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro';
const MONTH_NAMES = new RegExp(`^(?:${MONTHS})$`, 'iu');

/** Day, month and year of a date as written (numeric day-first or month-first, or with a month name). */
function dateParts(value: string): { day: number; month: number; year: number }[] {
  const numeric = /^(\d{1,4})[./-](\d{1,2})[./-](\d{2,4})$/.exec(value);
  if (numeric) {
    const [a, b, c] = numeric.slice(1).map(Number);
    if (numeric[1].length === 4) return [{ year: a, month: b, day: c }];
    // Two-digit years: this century up to this year, the last one before.
    const year = numeric[3].length === 2 ? (c <= new Date().getFullYear() % 100 ? 2000 : 1900) + c : c;
    return [
      { day: a, month: b, year },
      { day: b, month: a, year },
    ];
  }
  const words = value.split(/[\s,.]+/).filter((w) => w && !/^(?:de|del|of|the)$/i.test(w));
  const month = words.findIndex((w) => MONTH_NAMES.test(w) || MONTH_NAMES.test(`${w}.`));
  const nums = words.filter((_, i) => i !== month).map((w) => Number.parseInt(w, 10));
  if (month < 0 || nums.length !== 2) return [];
  const monthIndex = monthNumber(words[month]);
  return [{ day: nums[0], month: monthIndex, year: nums[1] }];
}

const MONTH_STEMS: Array<[RegExp, number]> = [
  [/^(?:jan|jän|gen|ene)/i, 1],
  [/^(?:feb|fév|fev)/i, 2],
  [/^(?:mar|mär)/i, 3],
  [/^(?:apr|avr|abr)/i, 4],
  [/^(?:may|mai|mag)/i, 5],
  [/^(?:jun|juin|giu)/i, 6],
  [/^(?:jul|juil|lug)/i, 7],
  [/^(?:aug|aoû|aou|ago)/i, 8],
  [/^(?:sep|set)/i, 9],
  [/^(?:oct|okt|ott|out)/i, 10],
  [/^nov/i, 11],
  [/^(?:dec|déc|dez|dic)/i, 12],
];

function monthNumber(word: string): number {
  return MONTH_STEMS.find(([re]) => re.test(word))?.[1] ?? 0;
}

/** A date with a birth word before it ("date of birth", "né le", "Geburtsdatum") or "geboren" after it. */
function dateOfBirth(value: string, start: number, text: string): string | null {
  const born =
    wordBefore(text, start, DATE_OF_BIRTH_BEFORE, 25) ||
    wordAfter(text, start + value.length, DATE_OF_BIRTH_AFTER);
  if (!born) return null;
  return accept(
    dateParts(value).some((d) => birthDateValid(d.day, d.month, d.year)),
    'date_of_birth',
  );
}

/** Order matters: where two findings overlap, the earlier detector wins (an IBAN's digits are not a phone). */
export const PATTERN_DETECTORS: readonly PatternDetector[] = [
  {
    type: 'email',
    // Unicode letters and apostrophes in the local part (josé@…, j.o'neil@…); starts with a letter or digit.
    pattern:
      /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}](?:[\p{L}\p{N}._%+'-]{0,62}[\p{L}\p{N}_%+-])?@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?){0,8}\.\p{L}{2,24}/gu,
  },
  {
    type: 'private_key',
    pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z]+ )?PRIVATE KEY-----|$)/g,
  },
  {
    type: 'api_key',
    pattern:
      /\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|sk_live_[0-9A-Za-z]{24,}|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g,
  },
  {
    // After a key word, with ":", "=", "is"/"est"/"ist"/"es" or only a space: "the secret 9fK2mQ7xLp3vR8tZ".
    type: 'api_key',
    pattern:
      /(?<![\p{L}\p{N}])(?:api[_ -]?key|apikey|secret(?:[_ -]?key)?|client[_ -]?secret|(?:access[_ -]?|auth[_ -]?|bearer )?token|passwd|password|passphrase|pwd|access[_ -]?key|auth|bearer|mot de passe|passwort|kennwort|contraseña|clave(?: api)?|clé(?: api| secrète)?|schlüssel|senha)(?![\p{L}\p{N}])["']?\s*(?:[:=]|=>|\s(?:is|was|est|ist|lautet|es|é|è)(?=\s))?\s*["']?(?<value>[A-Za-z0-9_\-+/=.!@#$%^&*~]{16,})/giu,
    classify: (value) => accept(secretValue(value.replace(/[.!]+$/, '')), 'api_key'),
  },
  { type: 'iban', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g, prefixLength: ibanPrefixLength },
  {
    type: 'credit_card',
    pattern: /\b\d(?:[ -]?\d){12,18}\b/g,
    classify: (value) => accept(cardNumberValid(value), 'credit_card'),
  },
  {
    type: 'ssn',
    pattern: /\b\d{3}([- ])\d{2}\1\d{4}\b/g,
    classify: (value) => accept(ssnValid(value), 'ssn'),
  },
  {
    // Identity numbers named by the word before them; the word decides the type.
    type: 'id',
    pattern:
      /(?<![\p{L}\p{N}_+.-])[A-Z]{0,12}\d[A-Z0-9]{0,24}(?:[ .-][A-Z]{0,12}\d[A-Z0-9]{0,24}){0,7}(?![\p{L}\p{N}_]|[.-]\d)/gu,
    classify: idByKeyword,
  },
  // Identity numbers whose check digit or letter makes them unmistakable without a word before them.
  {
    type: 'government_id',
    pattern: /\b(?:\d{8}|[XYZ]\d{7})-?[A-Z]\b/g,
    classify: (value) => accept(dniValid(value), 'government_id'),
  },
  {
    type: 'government_id',
    pattern: /\b[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}\b/g,
    classify: (value) => accept(nirValid(value), 'government_id'),
  },
  {
    type: 'government_id',
    pattern: /\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g,
    classify: (value) => accept(ninoValid(value), 'government_id'),
  },
  {
    type: 'tax_id',
    pattern: /\b[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]\b/g,
    classify: (value) => accept(codiceFiscaleValid(value), 'tax_id'),
  },
  {
    type: 'tax_id',
    pattern: /\b9\d{2}([- ])\d{2}\1\d{4}\b/g,
    classify: (value) => accept(itinValid(value), 'tax_id'),
  },
  {
    type: 'date_of_birth',
    pattern: new RegExp(
      `(?<![\\p{L}\\p{N}])(?:\\d{1,4}[./-]\\d{1,2}[./-]\\d{2,4}|\\d{1,2}(?:st|nd|rd|th|er|\\.|º)?\\s+(?:de\\s+)?(?:${MONTHS})\\.?,?\\s+(?:de\\s+|del\\s+)?\\d{4}|(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})(?![\\p{L}\\p{N}])`,
      'giu',
    ),
    classify: dateOfBirth,
  },
  {
    type: 'ipv4',
    pattern: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)/g,
    // "version 10.4.3.2", "Section 2.3.1.4" and "v 1.2.3.4" are not addresses.
    classify: (value, start, text) =>
      accept(ipv4Valid(value) && !wordBefore(text, start, VERSION_WORDS, 12), 'ipv4'),
  },
  {
    type: 'ipv6',
    pattern:
      /(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![0-9A-Za-z:])/g,
    classify: (value) => accept(ipv6Valid(value), 'ipv6'),
  },
  {
    type: 'phone',
    // Digit groups with single separators, an optional +country code and bracketed area code.
    pattern: /(?<![\w+.,/(-])(?:\+|\()?\d{1,15}(?:(?:[ .-]|\) ?|\()\d{1,15}){0,7}(?!\w|[.-]\d)/g,
    classify: (value, start, text) =>
      accept(phoneValid(value, wordBefore(text, start, PHONE_WORDS, 25) ? 'word' : 'none'), 'phone'),
    weak: true,
  },
];

/** Things that look like personal data and are not; the reason names what they are. */
const NON_PII_DETECTORS: ReadonlyArray<{
  reason: string;
  pattern: RegExp;
  test?: (value: string, start: number, text: string) => boolean;
}> = [
  {
    reason: 'isbn',
    pattern: /(?<![\w-])(?:\d[- ]?){9,12}[\dX](?![\w-])/g,
    // ISBN-13s (978/979) by check digit; ISBN-10s also need the word or the hyphenated four-group form.
    test: (value, start, text) =>
      isbnValid(value) &&
      (/^97[89]/.test(value) || wordBefore(text, start, ISBN_WORD, 12) || /^\d+-\d+-\d+-[\dX]$/.test(value)),
  },
  { reason: 'ups_tracking', pattern: /\b1Z[0-9A-Z]{16}\b/gi },
  { reason: 'postal_tracking', pattern: /\b[A-Z]{2}\d{9}[A-Z]{2}\b/g },
  { reason: 'usps_tracking', pattern: /\b9[1-5]\d{2}(?: ?\d{4}){4} ?\d{2}\b/g },
  {
    reason: 'record_number',
    pattern: /(?<![\p{L}\p{N}_])[#]?[A-Z]{0,8}\d[\w/-]{0,30}(?:[ -]\d[\w-]{0,30}){0,4}/gu,
    test: (_value, start, text) => gapAfterWord(text, start, NON_PII_ID_WORDS, 20, NUMBER_FILLERS) >= 0,
  },
  {
    reason: 'version',
    pattern: /(?<![\w.])v?\d+(?:\.\d+){1,}(?:[-+][\w.]+)?/gi,
    test: (value, start, text) => /^v/i.test(value) || wordBefore(text, start, VERSION_WORDS, 12),
  },
  {
    reason: 'not_a_card',
    pattern: /(?<!\+)\b\d(?:[ -]?\d){12,18}\b/g,
    test: (value) => !cardNumberValid(value),
  },
  { reason: 'uuid', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  {
    reason: 'hex_digest',
    pattern: /\b[0-9a-f]{7,128}\b/g,
    test: (value) => /\d/.test(value) && /[a-f]/.test(value),
  },
  { reason: 'decimal', pattern: /(?<![\d.,])\d+[.,]\d+(?![\d]|[.,]\d)/g },
  { reason: 'json_number', pattern: /(?<="[^"\n]{1,64}"[ \t]{0,4}:[ \t]{0,4})-?\d[\d.eE+-]{0,30}/g },
  {
    reason: 'measurement',
    pattern:
      /(?<![\w.,])\d[\d.,  ]{0,20}\s?(?:mm|cm|m|km|metres?|meters?|mètres?|metros?|miles?|ft|feet|inch(?:es)?|kg|g|mg|lbs?|oz|ml|cl|mah|wh|kwh|w|kw|hz|ghz|mhz|psi|°c|°f|%|€|\$|£|gb|mb|tb|kb|px|ms|sec|min|hrs?|hours?|jours?|días|tage)(?![\p{L}\p{N}])/giu,
  },
];

/** Every non-PII look-alike in the (folded) text. */
export function detectNonPii(text: string): NonPiiSpan[] {
  const out: NonPiiSpan[] = [];
  for (const d of NON_PII_DETECTORS) {
    for (const m of text.matchAll(d.pattern)) {
      const value = m[0].replace(/^#/, '');
      const start = m.index + (m[0].length - value.length);
      if (d.test && !d.test(value, start, text)) continue;
      out.push({ reason: d.reason, start, end: start + value.length });
    }
  }
  return out;
}

/** Validated pattern findings and non-PII look-alikes; `text` is scanned folded (full-width digits…),
 * and spans index the text as given. */
export function scanPatterns(text: string): { spans: PiiSpan[]; nonPii: NonPiiSpan[] } {
  const folded = foldText(text);
  const nonPii = detectNonPii(folded);
  const spans: PiiSpan[] = [];
  for (const detector of PATTERN_DETECTORS) {
    for (const match of folded.matchAll(detector.pattern)) {
      let value = match.groups?.value ?? match[0];
      const start = match.index + (match.groups?.value ? match[0].lastIndexOf(value) : 0);
      if (detector.prefixLength) value = value.slice(0, detector.prefixLength(value));
      if (detector.type === 'api_key') value = value.replace(/[.!]+$/, '');
      if (value === '') continue;
      const type = detector.classify ? detector.classify(value, start, folded) : detector.type;
      if (type === null) continue;
      const end = start + value.length;
      if (spans.some((s) => s.start < end && start < s.end)) continue;
      if (detector.weak && nonPii.some((s) => s.start < end && start < s.end)) continue;
      spans.push({ type, start, end, source: 'regex', confidence: 1 });
    }
  }
  return { spans: spans.sort((a, b) => a.start - b.start), nonPii };
}

/** Every validated pattern match, overlaps resolved in favour of the earlier detector. */
export function detectPatterns(text: string): PiiSpan[] {
  return scanPatterns(text).spans;
}
