import { describe, expect, it } from 'vitest';
import { detectNonPii, detectPatterns } from './patterns.js';
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

describe('PII patterns: the misses and false alarms of issue 18', () => {
  it('finds an SSN without separators after a word that names it, not any nine digits', () => {
    expect(found('My social security number is 219099999.')).toEqual([{ type: 'ssn', value: '219099999' }]);
    expect(found('ssn=341229876')).toEqual([{ type: 'ssn', value: '341229876' }]);
    expect(found("L'ordine 219099999 è stato spedito.")).toEqual([]);
  });

  it('finds emails with non-ASCII letters and apostrophes', () => {
    for (const email of ["j.o'neil@example.com", 'josé@exemple.fr', 'müller.anna@beispiel.de']) {
      expect(found(`Write to ${email}, thanks.`), email).toEqual([{ type: 'email', value: email }]);
    }
    expect(found("'john@example.com'")).toEqual([{ type: 'email', value: 'john@example.com' }]);
  });

  it('finds a secret after "secret" without ":" or "=", not words or code', () => {
    expect(found('the secret 9fK2mQ7xLp3vR8tZ is what the bot asked for')).toEqual([
      { type: 'api_key', value: '9fK2mQ7xLp3vR8tZ' },
    ]);
    expect(found('Le secret est Xk93Lmq2Vb71Pz0T.')).toEqual([
      { type: 'api_key', value: 'Xk93Lmq2Vb71Pz0T' },
    ]);
    expect(found('The secret to fast shipping is our regional warehouses.')).toEqual([]);
    expect(found('const apiKey = process.env.API_KEY;')).toEqual([]);
  });

  it('reads full-width digits, with spans into the original text', () => {
    const text = '私のSSNは１２３－４５－６７８９です。Card ４５２６ ０１８１ ５９０８ ３０１２';
    expect(found(text)).toEqual([
      { type: 'ssn', value: '１２３－４５－６７８９' },
      { type: 'credit_card', value: '４５２６ ０１８１ ５９０８ ３０１２' },
    ]);
  });

  it('finds a date of birth by its words, and ignores other dates', () => {
    expect(found('My date of birth is 04/07/1985, why?')).toEqual([
      { type: 'date_of_birth', value: '04/07/1985' },
    ]);
    expect(found('Ich bin am 5. Mai 1975 geboren.')).toEqual([
      { type: 'date_of_birth', value: '5. Mai 1975' },
    ]);
    expect(found('Mi fecha de nacimiento es el 30 de abril de 1988.')).toEqual([
      { type: 'date_of_birth', value: '30 de abril de 1988' },
    ]);
    expect(found('Your delivery is scheduled for 04/07/2025.')).toEqual([]);
  });

  it('types identity numbers by the word before them', () => {
    expect(found('Passport no. C03005988 expires next year.')).toEqual([
      { type: 'passport', value: 'C03005988' },
    ]);
    expect(found('Mi carnet de conducir es el 48372915M.')).toEqual([
      { type: 'drivers_license', value: '48372915M' },
    ]);
    expect(found('Mi DNI es 12345678Z.')).toEqual([{ type: 'government_id', value: '12345678Z' }]);
    expect(found('NIE X1234567L, por favor')).toEqual([{ type: 'government_id', value: 'X1234567L' }]);
    expect(found('ITIN 912-78-4567 belongs to the contractor.')).toEqual([
      { type: 'tax_id', value: '912-78-4567' },
    ]);
  });

  it('does not take versions, counts, order numbers or ISBNs for IPs or phones', () => {
    expect(found('Please upgrade to version 10.4.3.2; the public IP is 198.51.100.23.')).toEqual([
      { type: 'ipv4', value: '198.51.100.23' },
    ]);
    for (const text of [
      'Section 2.3.1.4 of the policy',
      'We exported 415 555 records.',
      'El pedido 2024-117734 no ha llegado.',
      'Old edition: ISBN 0-306-40615-2.',
      'FedEx says 7489 2345 6789 is delayed.',
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });

  it('marks what only looks like personal data, so model findings there are dropped', () => {
    const reasons = (text: string) =>
      detectNonPii(text).map((s) => [s.reason, text.slice(s.start, s.end)] as const);
    expect(reasons('Your parcel 1Z999AA10123456784 is out')).toContainEqual([
      'ups_tracking',
      '1Z999AA10123456784',
    ]);
    expect(reasons('ISBN 978-3-16-148410-0')).toContainEqual(['isbn', '978-3-16-148410-0']);
    expect(reasons('order #88231 shipped')).toContainEqual(['record_number', '88231']);
    expect(reasons('{"total": 59.97}')).toContainEqual(['json_number', '59.97']);
    expect(reasons('330 metres away')).toContainEqual(['measurement', '330 metres']);
    expect(reasons('card 4526 0181 5908 3013')).toContainEqual(['not_a_card', '4526 0181 5908 3013']);
    expect(reasons('Ship parcel to 42 Elm Street')).toEqual([]); // "parcel to" is not "parcel number"
  });

  it('stays linear on adversarial input', () => {
    for (const text of [
      '1 '.repeat(20_000),
      `${"a'".repeat(20_000)}@b`,
      ' '.repeat(40_000),
      '1:'.repeat(20_000),
    ]) {
      const started = performance.now();
      detectPatterns(text);
      expect(performance.now() - started).toBeLessThan(2_000);
    }
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
