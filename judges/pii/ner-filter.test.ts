import { describe, expect, it } from 'vitest';
import { validateEntities } from './ner-filter.js';
import { type PiiSpan, scanPatterns } from './patterns.js';

/** Model findings on `text`, given as [type, value, confidence], placed at the value's first occurrence. */
function kept(text: string, tagged: Array<[string, string, number?]>) {
  let from = 0;
  const entities: PiiSpan[] = tagged.map(([type, value, confidence = 0.95]) => {
    const start = text.indexOf(value, from);
    if (start < 0) throw new Error(`"${value}" not in "${text}"`);
    from = start + value.length;
    return { type, start, end: start + value.length, source: 'ner', confidence };
  });
  const { spans, nonPii } = scanPatterns(text);
  return validateEntities(text, entities, spans, nonPii, 0.5).map((s) => [
    s.type,
    text.slice(s.start, s.end),
  ]);
}

describe('NER findings are validated before they count', () => {
  it('keeps names and places, merged across spaces', () => {
    expect(
      kept('Bonjour, je suis Marie Dubois et ma commande est à Lyon.', [
        ['person_name', 'Marie'],
        ['person_name', 'Dubois'],
        ['location', 'Lyon'],
      ]),
    ).toEqual([
      ['person_name', 'Marie Dubois'],
      ['location', 'Lyon'],
    ]);
  });

  it('drops lowercase words, greetings, CamelCase brands and short capitals taken for names', () => {
    expect(kept('ok', [['person_name', 'ok', 0.88]])).toEqual([]);
    expect(kept('Merci beaucoup, tout est ok.', [['person_name', 'beaucoup']])).toEqual([]);
    expect(kept('Vale, gracias por la ayuda.', [['person_name', 'Vale']])).toEqual([]);
    expect(kept('FedEx says it is delayed.', [['person_name', 'FedEx']])).toEqual([]);
    expect(kept('NY license', [['person_name', 'NY']])).toEqual([]);
    expect(kept('It was undamaged.', [['location', 'undamaged']])).toEqual([]);
  });

  it('drops a finding below its floor unless a surer part of the same entity carries it', () => {
    expect(kept('Thanks Sarah.', [['person_name', 'Sarah', 0.55]])).toEqual([]);
    expect(kept('1. **Duracell**: a leading manufacturer', [['person_name', 'Duracell', 0.72]])).toEqual([]);
    expect(kept('Thanks Sarah Lee.', [['person_name', 'Sarah Lee', 0.72]])).toEqual([
      ['person_name', 'Sarah Lee'],
    ]);
    expect(
      kept('{"name": "Yuki Tanaka"}', [
        ['person_name', 'Yuki', 1],
        ['person_name', 'Tanaka', 0.57],
      ]),
    ).toEqual([['person_name', 'Yuki Tanaka']]);
  });

  it('drops part of a word ("SAVE" of "SAVE20") and whatever overlaps a non-PII look-alike', () => {
    expect(kept('My promo code SAVE20 did not apply.', [['address', 'SAVE']])).toEqual([]);
    expect(kept('{"total": 59.97, "items": 3}', [['address', '59.97']])).toEqual([]);
    expect(kept('The warehouse is 330 metres away.', [['address', '330']])).toEqual([]);
    expect(
      kept('Your parcel 1Z999AA10123456784 is out.', [['drivers_license', '1Z999AA10123456784']]),
    ).toEqual([]);
    expect(kept('ISBN 978-2-07-036822-8 is out of stock.', [['tax_id', '978-2-07-036822-8']])).toEqual([]);
    expect(kept('Typo in 4111 1111 1111 1112 again.', [['phone', '1111 1111 1112']])).toEqual([]);
  });

  it('keeps an address with a street, and numbers only next to an address or a place', () => {
    expect(
      kept('Meine Adresse: Hauptstraße 5, 10115 Berlin.', [
        ['address', 'Hauptstraße'],
        ['address', '5'],
        ['address', '10115'],
        ['location', 'Berlin'],
      ]),
    ).toEqual([
      ['address', 'Hauptstraße 5'],
      ['address', '10115'],
      ['location', 'Berlin'],
    ]);
    expect(
      kept('Deliver to 88 Ocean Drive, Miami, FL 33139.', [
        ['address', '88'],
        ['address', 'Ocean Drive'],
        ['location', 'Miami'],
        ['location', 'FL'],
        ['address', '33139'],
      ]),
    ).toHaveLength(4);
    expect(kept('We exported 415 555 records.', [['address', '415 555']])).toEqual([]);
    expect(kept('Die Bestellnummer ist 55120.', [['address', '55120']])).toEqual([]);
    expect(kept('{"order_id": 88231, "status": "shipped"}', [['address', 'shipped']])).toEqual([]);
  });

  it('keeps identity numbers only after a word that names them, typed by that word', () => {
    expect(kept('The number 100245873 was shipped.', [['drivers_license', '100245873']])).toEqual([]);
    expect(kept('Her passport is x1234567b.', [['tax_id', 'x1234567b']])).toEqual([
      ['passport', 'x1234567b'],
    ]);
  });

  it('keeps phones with a phone shape: the model vouches for grouped national numbers', () => {
    expect(kept('Puede contactar al 611 223 344.', [['phone', '611 223 344']])).toEqual([
      ['phone', '611 223 344'],
    ]);
    expect(kept('Reference 2024-117734', [['phone', '2024-117734']])).toEqual([]);
  });
});
