/**
 * Folds look-alike characters to ASCII one code unit for one, so spans found in the folded text are spans of
 * the original: full-width forms (１２３－４５－６７８９, ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ), other scripts' decimal digits
 * (Arabic-Indic, Devanagari…), Unicode dashes and non-breaking or thin spaces. Patterns and the NER model
 * both read the folded text; findings, masks and redaction use the original.
 */
export function foldText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c < 0x80 ? text[i] : String.fromCharCode(foldCode(c));
  }
  return out;
}

/** Unicode decimal digit blocks (BMP) whose zero sits at these code points: digit = code - zero. */
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0e50,
  0x0ed0, 0x0f20, 0x1040, 0x17e0, 0x1810,
];

function foldCode(c: number): number {
  if (c >= 0xff01 && c <= 0xff5e) return c - 0xfee0; // full-width ASCII
  if (c === 0x3000 || c === 0x00a0 || c === 0x2007 || c === 0x202f || (c >= 0x2000 && c <= 0x200a))
    return 0x20;
  if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0xfe63) return 0x2d; // dashes, minus
  if (c === 0x2018 || c === 0x2019 || c === 0x02bc) return 0x27; // curly apostrophes (O’Neil)
  for (const zero of DIGIT_ZEROS) if (c >= zero && c <= zero + 9) return 0x30 + c - zero;
  return c;
}
