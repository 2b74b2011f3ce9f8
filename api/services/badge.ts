/** A shields-style flat SVG badge. Text is escaped: messages can carry user-controlled names. */
const COLORS: Record<string, string> = {
  brightgreen: '#4c1',
  red: '#e05d44',
  orange: '#fe7d37',
  lightgrey: '#9f9f9f',
};
const CHAR_WIDTH_PX = 6.5;
const PADDING_PX = 10;

const escapeXml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!,
  );

export function renderBadge({
  label = 'evalforge',
  message,
  color,
}: {
  label?: string;
  message: string;
  color: string;
}) {
  const lw = Math.round(label.length * CHAR_WIDTH_PX + PADDING_PX);
  const mw = Math.round(message.length * CHAR_WIDTH_PX + PADDING_PX);
  const fill = COLORS[color] ?? color;
  const [l, m] = [escapeXml(label), escapeXml(message)];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + mw}" height="20" role="img" aria-label="${l}: ${m}">
<title>${l}: ${m}</title>
<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${fill}"/>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${lw / 2}" y="14">${l}</text><text x="${lw + mw / 2}" y="14">${m}</text>
</g>
</svg>
`;
}
