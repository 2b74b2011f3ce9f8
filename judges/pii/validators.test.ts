import { describe, expect, it } from 'vitest';
import {
  cardNumberValid,
  ibanPrefixLength,
  ibanValid,
  ipv6Valid,
  luhnValid,
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
});
