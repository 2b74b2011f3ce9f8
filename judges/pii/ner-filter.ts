/**
 * The NER model is trusted only where its finding survives validation: a token classifier tags plain numbers
 * and words too (a version as an IP, "330 metres" as an address, "ok" as a name). A model finding is kept when
 * - no validated pattern and no non-PII look-alike (ISBN, tracking or order number, version, Luhn-invalid
 *   card-like number, decimal, JSON number, measurement) overlaps it,
 * - it covers whole words (not "SAVE" of "SAVE20"), and its confidence reaches its type's floor (higher for a
 *   one-word name),
 * - its type's own rule holds: names and places are capitalised words (no digits, no greeting, no CamelCase
 *   brand); an address has a street word, or capitals and a number, or sits next to another address or place;
 *   a phone has a phone's shape; identity numbers need a word that names them ("passport", "DNI"), which also
 *   decides their type.
 */
import { idTypeBefore } from './context.js';
import type { NonPiiSpan, PiiSpan } from './patterns.js';
import { mergeAdjacent } from './redact.js';
import { phoneValid } from './validators.js';

/** Minimum mean token confidence per type (the judge's `ner_confidence` applies when higher). */
export const NER_TYPE_FLOORS: Record<string, number> = {
  person_name: 0.6,
  location: 0.5,
  address: 0.5,
  phone: 0.5,
};
/** A name of one word is far more often something else (a brand, a product, a capitalised word) than a first
 * and last name together: it needs more confidence ("Duracell" 0.72; lone first names score 0.89 and up). */
export const SINGLE_WORD_NAME_FLOOR = 0.85;

/** Types the model reports for identity numbers; they are kept only after a word that names them. */
const ID_TYPES = new Set([
  'ssn',
  'tax_id',
  'government_id',
  'passport',
  'drivers_license',
  'bank_account',
  'routing_number',
]);

/** Greetings, thanks and courtesy words that start sentences capitalised in the languages the judge reads. */
const NOT_NAMES = new Set(
  (
    'ok okay vale merci gracias danke grazie obrigado obrigada hola bonjour bonsoir salut hallo hello hi hey ' +
    'ciao adiós adios perfecto perfetto parfait prima super genial bien bueno buenas gut sí si oui ja nein non ' +
    'no yes thanks thank dear cher chère liebe lieber estimado estimada querido querida señor señora monsieur ' +
    'madame herr frau mr mrs ms dr sir madam bitte please beaucoup mille désolé désolée pardon sorry perdón ' +
    'entschuldigung tschüss hasta luego dank prego claro alles klar tudo certo welcome bienvenue willkommen ' +
    'bienvenido bienvenida regards cordialement saludos grüße ' +
    'january february march april may june july august september october november december monday tuesday ' +
    'wednesday thursday friday saturday sunday'
  ).split(' '),
);

/** Words that make a span an address: street kinds (several languages) and flat or floor markers. */
const STREET_WORDS =
  /(?<![\p{L}])(?:street|st\.?|avenue|ave\.?|road|rd\.?|lane|ln\.?|drive|dr\.?|court|ct\.?|boulevard|blvd\.?|way|place|pl\.?|square|terrace|close|crescent|highway|hwy|parkway|apt\.?|apartment|suite|ste\.?|unit|floor|flat|rue|av\.?|bd\.?|chemin|allée|impasse|quai|cours|route|bâtiment|étage|appartement|calle|c\/|avenida|avda\.?|plaza|paseo|camino|carrera|piso|puerta|via|viale|piazza|corso|vicolo|largo|rua|travessa|praça|estrada)(?![\p{L}])|(?:straße|strasse|str\.|weg|gasse|platz|allee|damm)(?![\p{L}])/iu;

const ALNUM = /[\p{L}\p{N}]/u;

/** CamelCase single words are brands and identifiers (FedEx, PayPal), unless a surname prefix explains them. */
function camelCaseBrand(word: string): boolean {
  return (
    /^\p{Lu}\p{Ll}+\p{Lu}/u.test(word) &&
    !/^(?:Mc|Mac|O'|D'|De|Di|Da|Du|La|Le|Van|Von|Fitz)\p{Lu}/u.test(word)
  );
}

function nameLike(value: string): boolean {
  if (!/^\p{Lu}/u.test(value) || /[\d_@/\\]/.test(value)) return false;
  const words = value.split(/\s+/);
  if (words.every((w) => NOT_NAMES.has(w.toLowerCase()))) return false;
  if (words.length === 1 && camelCaseBrand(value)) return false;
  return true;
}

/** A short all-capitals word ("NY", "FL", "UPS"): a place only next to another place or an address. */
const shortCaps = (value: string) => /^\p{Lu}{1,3}$/u.test(value);

type Verdict = 'keep' | 'drop' | 'needs_neighbour';

function verdict(type: string, value: string): Verdict {
  switch (type) {
    case 'person_name':
      return nameLike(value) && !shortCaps(value) ? 'keep' : 'drop';
    case 'location':
      if (shortCaps(value) && value.length >= 2) return 'needs_neighbour';
      return nameLike(value) ? 'keep' : 'drop';
    case 'address': {
      if (STREET_WORDS.test(value) && /\p{L}{2,}/u.test(value)) return 'keep';
      if (/\p{Lu}/u.test(value) && /\d/.test(value) && /\p{L}/u.test(value)) return 'keep';
      // A building number or postcode alone, or a capitalised street name without a number.
      if (/^[\d\p{Lu}][\d\p{L} -]*$/u.test(value) && !/\p{Ll}/u.test(value[0])) return 'needs_neighbour';
      return 'drop';
    }
    case 'phone':
      return phoneValid(value, 'model') ? 'keep' : 'drop';
    case 'email':
      // Validated by the email pattern, which already reported any real address these characters belong to.
      return 'drop';
    default:
      return 'keep';
  }
}

/** Model findings that survive validation, merged ("John" + "Smith"), on the same (folded) text as patterns. */
export function validateEntities(
  text: string,
  entities: readonly PiiSpan[],
  patterns: readonly PiiSpan[],
  nonPii: readonly NonPiiSpan[],
  minConfidence: number,
): PiiSpan[] {
  const overlaps = (a: { start: number; end: number }, b: PiiSpan) => a.start < b.end && b.start < a.end;
  const candidates: Array<{ span: PiiSpan; verdict: Verdict }> = [];
  for (const merged of mergeAdjacent(text, entities)) {
    let span = trim(text, merged);
    if (span.end <= span.start) continue;
    if (patterns.some((p) => overlaps(p, span)) || nonPii.some((n) => overlaps(n, span))) continue;
    if (ALNUM.test(text[span.start - 1] ?? '') || ALNUM.test(text[span.end] ?? '')) continue;
    // The floor holds for the entity as a whole: its surest part ("Yuki" 1.0 carries "Tanaka" 0.57).
    const surest = Math.max(
      ...entities.filter((e) => e.type === span.type && overlaps(e, merged)).map((e) => e.confidence),
    );
    const singleName = span.type === 'person_name' && !/\s/.test(text.slice(span.start, span.end));
    const floor = singleName ? SINGLE_WORD_NAME_FLOOR : (NER_TYPE_FLOORS[span.type] ?? 0);
    if (surest < Math.max(minConfidence, floor)) continue;
    if (ID_TYPES.has(span.type)) {
      const named = idTypeBefore(text, span.start);
      if (named === null) continue;
      span = { ...span, type: named };
    }
    const v = ID_TYPES.has(span.type) ? 'keep' : verdict(span.type, text.slice(span.start, span.end));
    if (v !== 'drop') candidates.push({ span, verdict: v });
  }
  // Building numbers, postcodes and state codes count next to a kept address or place ("75002 Paris",
  // "Miami, FL 33139"), found outwards from the kept ones.
  const kept = new Set(candidates.filter((c) => c.verdict === 'keep'));
  const place = (t: string) => t === 'address' || t === 'location';
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of candidates) {
      if (kept.has(c) || !place(c.span.type)) continue;
      const near = [...kept].some(
        (k) =>
          place(k.span.type) &&
          (/^[\s,]{0,3}$/.test(text.slice(k.span.end, c.span.start)) ||
            /^[\s,]{0,3}$/.test(text.slice(c.span.end, k.span.start))),
      );
      if (near) {
        kept.add(c);
        changed = true;
      }
    }
  }
  return candidates.filter((c) => kept.has(c)).map((c) => c.span);
}

/** Spans without the spaces and punctuation the model sometimes tags at their edges. */
function trim(text: string, span: PiiSpan): PiiSpan {
  let { start, end } = span;
  while (start < end && /[\s,.;:!?"()[\]{}]/.test(text[start])) start++;
  while (end > start && /[\s,.;:!?"()[\]{}]/.test(text[end - 1])) end--;
  return { ...span, start, end };
}
