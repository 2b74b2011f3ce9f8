import {
  cardNumberValid,
  ibanPrefixLength,
  ipv4Valid,
  ipv6Valid,
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

interface PatternDetector {
  type: string;
  /** Global regex; group `value` (when present) is the finding, else the whole match. */
  pattern: RegExp;
  validate?: (value: string) => boolean;
  /** For matches that may run long: how many leading characters form the finding (0: none). */
  prefixLength?: (value: string) => number;
}

/** Secrets need enough randomness to be keys rather than words ("password: changeme" is not reported). */
const MIN_SECRET_ENTROPY_BITS = 3.5;

/** Order matters: where two findings overlap, the earlier detector wins (an IBAN's digits are not a phone). */
export const PATTERN_DETECTORS: readonly PatternDetector[] = [
  { type: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
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
    type: 'api_key',
    pattern:
      /\b(?:api[_-]?key|secret|token|passwd|password|access[_-]?key|auth)\b["']?\s*[:=]\s*["']?(?<value>[A-Za-z0-9_\-+/=.]{16,})/gi,
    validate: (value) => shannonEntropy(value) >= MIN_SECRET_ENTROPY_BITS,
  },
  { type: 'iban', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g, prefixLength: ibanPrefixLength },
  { type: 'credit_card', pattern: /\b\d(?:[ -]?\d){12,18}\b/g, validate: cardNumberValid },
  { type: 'ssn', pattern: /\b\d{3}([- ])\d{2}\1\d{4}\b/g, validate: ssnValid },
  { type: 'ipv4', pattern: /\b(?:\d{1,3}\.){3}\d{1,3}\b/g, validate: ipv4Valid },
  {
    type: 'ipv6',
    pattern:
      /(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![0-9A-Za-z:])/g,
    validate: ipv6Valid,
  },
  {
    type: 'phone',
    pattern: /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])\d{3,4}[ .-]?\d{3,4}\b/g,
    validate: phoneValid,
  },
];

/** Every validated pattern match, overlaps resolved in favour of the earlier detector. */
export function detectPatterns(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const detector of PATTERN_DETECTORS) {
    for (const match of text.matchAll(detector.pattern)) {
      let value = match.groups?.value ?? match[0];
      const start = match.index + (match.groups?.value ? match[0].lastIndexOf(value) : 0);
      if (detector.prefixLength) value = value.slice(0, detector.prefixLength(value));
      if (value === '' || (detector.validate && !detector.validate(value))) continue;
      const end = start + value.length;
      if (spans.some((s) => s.start < end && start < s.end)) continue;
      spans.push({ type: detector.type, start, end, source: 'regex', confidence: 1 });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}
