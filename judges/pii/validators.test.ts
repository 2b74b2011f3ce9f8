import { describe, expect, it } from 'vitest';
import {
  birthDateValid,
  cardNumberValid,
  codiceFiscaleValid,
  dniValid,
  ibanPrefixLength,
  ibanValid,
  ipv6Valid,
  isbnValid,
  itinValid,
  luhnValid,
  ninoValid,
  nirValid,
  phoneValid,
  ssnValid,
} from './validators.js';

describe('PII validators', () => {
  it('accepts Luhn-valid card numbers of real networks and rejects the rest', () => {
    for (const card of [
      '4111111111111111',
      '5555 5555 5555 4444',
      '3782-822463-10005',
      '6011111111111117',
      '4012888888881881',
    ]) {
      expect(cardNumberValid(card), card).toBe(true);
    }
    expect(cardNumberValid('4111111111111112')).toBe(false); // check digit off by one
    expect(luhnValid('1234567812345670')).toBe(true);
    expect(cardNumberValid('1234567812345670')).toBe(false); // Luhn-valid, but no network starts with 1
    expect(cardNumberValid('4111 1111 1111')).toBe(false); // too short
  });

  it('checks IBANs with mod-97 and the country length', () => {
    for (const iban of [
      'GB82WEST12345698765432',
      'DE89 3704 0044 0532 0130 00',
      'FR1420041010050500013M02606',
      'NL91ABNA0417164300',
    ]) {
      expect(ibanValid(iban), iban).toBe(true);
    }
    expect(ibanValid('GB82WEST12345698765433')).toBe(false); // check fails
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false); // one character short for DE
    expect(ibanValid('XX82WEST12345698765432')).toBe(false); // no such country
  });

  it('finds the valid IBAN at the start of a greedy match', () => {
    const raw = 'GB82 WEST 1234 5698 7654 32 FOR';
    expect(raw.slice(0, ibanPrefixLength(raw))).toBe('GB82 WEST 1234 5698 7654 32');
    expect(ibanPrefixLength('GB82 WEST 1234 5698 7654 33 X')).toBe(0);
  });

  it('applies the SSA rules to SSNs', () => {
    expect(ssnValid('123-45-6789')).toBe(true);
    for (const bad of ['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000']) {
      expect(ssnValid(bad), bad).toBe(false);
    }
  });

  it('accepts real IPv6 addresses but not clock times', () => {
    expect(ipv6Valid('2001:db8::8a2e:370:7334')).toBe(true);
    expect(ipv6Valid('::1')).toBe(true);
    expect(ipv6Valid('12:30:45')).toBe(false);
    expect(ipv6Valid('::')).toBe(false);
  });

  it('accepts NANP and international phone numbers, not arbitrary digit runs', () => {
    expect(phoneValid('(415) 555-2671')).toBe(true);
    expect(phoneValid('+44 20 7946 0958')).toBe(true);
    expect(phoneValid('123-456-7890')).toBe(false); // area code cannot start with 1
    expect(phoneValid('2024 01 15')).toBe(false);
  });

  it('reads phone shapes of several countries, and needs context for the ambiguous ones', () => {
    for (const phone of [
      '06 12 34 56 78',
      '+33 6 45 78 12 90',
      '0171 2345678',
      '07700 900123',
      '(555) 010-0199',
    ]) {
      expect(phoneValid(phone), phone).toBe(true);
    }
    // A Spanish national number: a phone when a word or the model says so.
    expect(phoneValid('912 345 678')).toBe(false);
    expect(phoneValid('912 345 678', 'model')).toBe(true);
    expect(phoneValid('555-0148', 'word')).toBe(true);
    expect(phoneValid('555-0148', 'model')).toBe(false);
    // Counts, order numbers, card fragments and ISBN-10s are not phones, whatever the model says.
    for (const other of ['415 555', '1 234 567', '2024-117734', '7489 2345 6789', '0-306-40615-2']) {
      expect(phoneValid(other, 'model'), other).toBe(false);
    }
  });

  it('checks the check digits and letters of ISBNs and national identity numbers', () => {
    expect(isbnValid('978-0-306-40615-7')).toBe(true);
    expect(isbnValid('978-0-306-40615-8')).toBe(false);
    expect(isbnValid('0-306-40615-2')).toBe(true);
    expect(dniValid('12345678Z')).toBe(true);
    expect(dniValid('12345678A')).toBe(false);
    expect(dniValid('X1234567L')).toBe(true);
    expect(nirValid('1 85 07 75 123 456 08')).toBe(true);
    expect(nirValid('1 85 07 75 123 456 09')).toBe(false);
    expect(codiceFiscaleValid('RSSMRA85T10A562S')).toBe(true);
    expect(codiceFiscaleValid('RSSMRA85T10A562T')).toBe(false);
    expect(ninoValid('AB123456C')).toBe(true);
    expect(ninoValid('GB123456C')).toBe(false); // prefix never issued
    expect(itinValid('912-78-4567')).toBe(true);
    expect(itinValid('912-93-4567')).toBe(false);
  });

  it('accepts only real calendar dates someone alive was born on', () => {
    expect(birthDateValid(29, 2, 2000)).toBe(true);
    expect(birthDateValid(29, 2, 2001)).toBe(false);
    expect(birthDateValid(12, 3, 1850)).toBe(false);
    expect(birthDateValid(31, 4, 1990)).toBe(false);
  });
});
