import { describe, expect, it } from 'vitest';
import { detectPatterns } from './patterns.js';
import { maskValue, mergeAdjacent, redactText } from './redact.js';

function found(text: string) {
  return detectPatterns(text).map((s) => ({ type: s.type, value: text.slice(s.start, s.end) }));
}

describe('PII patterns', () => {
  it('reports each kind with its exact span', () => {
    const text =
      'SSN 123-45-6789, card 4111 1111 1111 1111, mail jane.doe+x@mail.example.org, call (415) 555-2671, ' +
      'IBAN DE89 3704 0044 0532 0130 00, host 10.0.0.12 and fe80::1ff:fe23:4567:890a.';
    expect(found(text)).toEqual([
      { type: 'ssn', value: '123-45-6789' },
      { type: 'credit_card', value: '4111 1111 1111 1111' },
      { type: 'email', value: 'jane.doe+x@mail.example.org' },
      { type: 'phone', value: '(415) 555-2671' },
      { type: 'iban', value: 'DE89 3704 0044 0532 0130 00' },
      { type: 'ipv4', value: '10.0.0.12' },
      { type: 'ipv6', value: 'fe80::1ff:fe23:4567:890a' },
    ]);
    const ssn = detectPatterns(text)[0];
    expect([ssn.start, ssn.end]).toEqual([4, 15]);
  });

  it('ignores look-alikes that fail validation', () => {
    expect(
      found(
        'Order 4111 1111 1111 1112, ref 000-12-3456, IBAN GB82WEST12345698765433, v 256.1.1.1, at 12:30:45, 2024-01-15',
      ),
    ).toEqual([]);
  });

  it('finds API-key-like secrets by known prefix or by entropy after a key name', () => {
    expect(found('use sk-proj-AbCdEfGhIjKlMnOpQrStUvWx123456 here')).toEqual([
      { type: 'api_key', value: 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx123456' },
    ]);
    expect(found('AWS AKIAIOSFODNN7EXAMPLE and ghp_0123456789abcdefghijklmnopqrstuvwxyzAB')).toHaveLength(2);
    expect(found('api_key="q8Zr2LmX91vTe4Kp0sWd7YhN"')).toEqual([
      { type: 'api_key', value: 'q8Zr2LmX91vTe4Kp0sWd7YhN' },
    ]);
    expect(found('token: aaaaaaaaaaaaaaaaaaaaaaaa')).toEqual([]); // no randomness, not a key
  });
});

describe('PII redaction', () => {
  it('masks values without repeating them', () => {
    expect(maskValue('credit_card', '4111 1111 1111 1111')).toBe('************1111');
    expect(maskValue('iban', 'GB82 WEST 1234 5698 7654 32')).toBe('******************5432');
    expect(maskValue('ssn', '123-45-6789')).toBe('***********');
    expect(maskValue('email', 'jane@example.com')).toBe('j***@***');
    expect(maskValue('person_name', 'John Smith')).toBe('J*********');
  });

  it('replaces spans by their type and joins same-type neighbours', () => {
    const text = 'Hi John Smith, your SSN is 123-45-6789.';
    const spans = mergeAdjacent(text, [
      { type: 'person_name', start: 3, end: 7, source: 'ner', confidence: 0.9 },
      { type: 'person_name', start: 8, end: 13, source: 'ner', confidence: 0.8 },
      ...detectPatterns(text),
    ]);
    expect(spans.map((s) => [s.type, s.start, s.end, s.confidence])).toEqual([
      ['person_name', 3, 13, 0.8],
      ['ssn', 27, 38, 1],
    ]);
    expect(redactText(text, spans)).toBe('Hi [PERSON_NAME], your SSN is [SSN].');
    const twoSsns = detectPatterns('123-45-6789 123-45-6780');
    expect(mergeAdjacent('123-45-6789 123-45-6780', twoSsns)).toHaveLength(2);
  });
});
