/**
 * Context words: what the words just before (or after) a number say it is. A nine-digit run after "SSN" is an
 * SSN, after "order" an order number; a dotted quad after "version" is a version, not an IP address. Lists
 * cover English, French, German, Spanish, Italian and Portuguese; matching ignores case.
 */

/** Whole words only (Unicode letters count), case-insensitive; entries are regex sources. */
function words(list: readonly string[]): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${list.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
}

/** Identity numbers by the word that introduces them. */
export const ID_KEYWORDS: ReadonlyArray<readonly [type: string, words: RegExp]> = [
  ['ssn', words(['ssn', 's\\.s\\.n\\.?', 'social security(?: number| no\\.?)?', 'seguro social', 'ss#'])],
  [
    'passport',
    words([
      'passports?',
      'passeport',
      'pasaporte',
      'reisepass\\p{L}*',
      'passaporto',
      'passaporte',
      'paspoort',
    ]),
  ],
  [
    'drivers_license',
    words([
      "driver'?s'? licen[cs]e",
      'driving licen[cs]e',
      'permis de conduire',
      'führerschein\\p{L}*',
      'fuehrerschein\\p{L}*',
      'carnet de conducir',
      'licencia de conducir',
      'permiso de conducir',
      'patente di guida',
      'carta de condução',
      'rijbewijs',
    ]),
  ],
  [
    'tax_id',
    words([
      'ein',
      'fein',
      'employer identification(?: number)?',
      'i?tin',
      'tax id',
      'tax identification(?: number)?',
      'taxpayer id\\p{L}*',
      'utr',
      'unique taxpayer reference',
      'steuer-?id\\p{L}*',
      'steuer-?identifikationsnummer',
      'steuernummer',
      'idnr',
      'num[ée]ro fiscal',
      'n° fiscal',
      'identifiant fiscal',
      'nif',
      'codice fiscale',
      'cpf',
      'cuit',
    ]),
  ],
  [
    'government_id',
    words([
      'dni',
      'national insurance(?: number| no\\.?)?',
      'nino',
      'national id(?:entity)?(?: number| card)?',
      'identity card',
      'id card',
      "carte d'identité",
      'num[ée]ro de s[ée]curit[ée] sociale',
      's[ée]curit[ée] sociale',
      'nir',
      'personalausweis\\p{L}*',
      'ausweisnummer',
      'documento nacional de identidad',
      'cédula',
      "carta d'identità",
      'bsn',
      'burgerservicenummer',
    ]),
  ],
  [
    'bank_account',
    words([
      'account number',
      'account no\\.?',
      'num[ée]ro de compte',
      'kontonummer',
      'número de cuenta',
      'numero di conto',
    ]),
  ],
  ['routing_number', words(['routing number', 'aba', 'sort code', 'blz', 'bankleitzahl'])],
];

export const DATE_OF_BIRTH_BEFORE = words([
  'date of birth',
  'birth ?date',
  'dob',
  'd\\.o\\.b\\.?',
  'born(?: on| in)?',
  'birthday',
  'née? le',
  'née? en',
  'date de naissance',
  'geboren(?: am)?',
  'geburtsdatum',
  'geburtstag',
  'fecha de nacimiento',
  'nacid[oa] el',
  'nac[ií] el',
  'data di nascita',
  'nat[oa] il',
  'data de nascimento',
  'nascid[oa] em',
]);
export const DATE_OF_BIRTH_AFTER = words(['geboren', 'born']);

export const PHONE_WORDS = words([
  'phone(?: number)?',
  'telephone',
  'tel\\.?',
  'tél\\.?',
  'téléphone',
  'telefon\\p{L}*',
  'teléfono',
  'telefono',
  'tlf\\.?',
  'móvil',
  'movil',
  'mobile',
  'mobil\\p{L}*',
  'cell(?:phone)?',
  'cellulare',
  'celular',
  'portable',
  'handy\\p{L}*',
  'fax',
  'whatsapp',
  'sms',
  'text',
  'call(?: me)?(?: on| at)?',
  'ring',
  'reach(?: me)?(?: on| at)?',
  'llam\\p{L}*',
  'appel\\p{L}*',
  'joindre',
  '(?:an)?rufen',
  'erreichbar',
  'chiam\\p{L}*',
  'bel(?: mij)?(?: op)?',
  'hotline',
]);

/** Words after which an identifier is a record's, not a person's: orders, invoices, parcels, books, parts. */
export const NON_PII_ID_WORDS = words([
  'orders?',
  'order (?:number|no\\.?|id)',
  'commandes?',
  'pedidos?',
  'bestellung\\p{L}*',
  'bestellnummer',
  'auftrag\\p{L}*',
  'ordine',
  'encomenda',
  'invoices?',
  'factures?',
  'facturas?',
  'fattura',
  'rechnung\\p{L}*',
  'tickets?',
  'case',
  'rma',
  'ref\\.?',
  'reference',
  'référence',
  'referencia',
  'riferimento',
  'sku',
  'part(?: numbers?| no\\.?)?',
  'items?',
  'artikel\\p{L}*',
  'booking',
  'réservation',
  'reserva',
  'buchung\\p{L}*',
  'confirmation',
  'receipt',
  'line',
  'ligne',
  'zeile',
  'línea',
  'tracking(?: number| no\\.?| id)?',
  'suivi',
  'seguimiento',
  'sendungsnummer',
  'sendungsverfolgung',
  'tracciamento',
  'rastreamento',
  'parcel',
  'colis',
  'paquete',
  'paket',
  'fedex',
  'ups',
  'dhl',
  'usps',
  'royal mail',
  'colissimo',
  'chronopost',
  'correos',
  'dpd',
  'gls',
  'isbn(?:-1[03])?',
]);

/** Words after which a dotted number is a version, a section or a build, not an IP address. */
export const VERSION_WORDS = words([
  'versions?',
  'versión',
  'versione',
  'versão',
  'ver\\.?',
  'v',
  'release',
  'build',
  'firmware',
  'patch',
  'update',
  'upgrade',
  'mise à jour',
  'actualización',
  'aggiornamento',
  'sections?',
  'sección',
  'sezione',
  'abschnitt',
  'chapter',
  'chapitre',
  'kapitel',
  'capítulo',
  'article',
  'artículo',
  '§',
  'chrome',
  'firefox',
  'safari',
  'edge',
  'node',
  'npm',
  'python',
  'java',
  'ios',
  'android',
  'windows',
  'macos',
  'driver',
  'treiber',
  'pilote',
  'kernel',
]);

export const ISBN_WORD = words(['isbn(?:-1[03])?']);

/** Between a context word and its value: a few words and light punctuation, no digits, no line break. */
const GAP = /^[\p{L}\s:=#'"°º().,\-/]*$/u;

/** Between a record word and its number, only "number", "no.", "#", "is"… ("order no. 4471", "Bestellnummer ist
 * 55120"): "parcel to 42 Elm Street" keeps its address. */
export const NUMBER_FILLERS =
  /^[\s:#°º.]*(?:(?:numbers?|no|nr|n°|nº|num(?:éro|ero|mer|ber)?|id|is|ist|lautet|est|es|el|la|le)[\s:#°º.]*){0,3}$/iu;

/**
 * Where the last `re` match ends, if it ends at most `maxGap` characters before `at` with only words and light
 * punctuation in between; -1 otherwise. Returns the gap's length (0 = right before).
 */
export function gapAfterWord(text: string, at: number, re: RegExp, maxGap = 30, fillers = GAP): number {
  const from = Math.max(0, at - maxGap - 48);
  const window = text.slice(from, at);
  if (!/\p{L}/u.test(window)) return -1; // every context word has letters
  let best = -1;
  for (const m of window.matchAll(re)) {
    const gap = window.slice(m.index + m[0].length);
    if (gap.length <= maxGap && fillers.test(gap)) best = gap.length;
  }
  return best;
}

export function wordBefore(text: string, at: number, re: RegExp, maxGap = 30): boolean {
  return gapAfterWord(text, at, re, maxGap) >= 0;
}

/** Whether `re` starts at most `maxGap` characters after `at`, with only spaces and light punctuation between. */
export function wordAfter(text: string, at: number, re: RegExp, maxGap = 3): boolean {
  const window = text.slice(at, at + maxGap + 40);
  for (const m of window.matchAll(re)) {
    if (m.index <= maxGap && /^[\s,.)]*$/.test(window.slice(0, m.index))) return true;
  }
  return false;
}

/** The identity-number type whose word comes nearest before `at` (within `maxGap`), or null. */
export function idTypeBefore(text: string, at: number, maxGap = 30): string | null {
  let best: { type: string; gap: number } | null = null;
  for (const [type, re] of ID_KEYWORDS) {
    const gap = gapAfterWord(text, at, re, maxGap);
    if (gap >= 0 && (best === null || gap < best.gap)) best = { type, gap };
  }
  return best?.type ?? null;
}
