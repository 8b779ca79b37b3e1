// A Code 39 barcode as SVG: nine elements per character (bars and spaces,
// three of them wide), framed by the `*` start/stop character.

const PATTERNS: Record<string, string> = {
  '0': 'nnnwwnwnn',
  '1': 'wnnwnnnnw',
  '2': 'nnwwnnnnw',
  '3': 'wnwwnnnnn',
  '4': 'nnnwwnnnw',
  '5': 'wnnwwnnnn',
  '6': 'nnwwwnnnn',
  '7': 'nnnwnnwnw',
  '8': 'wnnwnnwnn',
  '9': 'nnwwnnwnn',
  A: 'wnnnnwnnw',
  B: 'nnwnnwnnw',
  C: 'wnwnnwnnn',
  D: 'nnnnwwnnw',
  E: 'wnnnwwnnn',
  F: 'nnwnwwnnn',
  G: 'nnnnnwwnw',
  H: 'wnnnnwwnn',
  I: 'nnwnnwwnn',
  J: 'nnnnwwwnn',
  K: 'wnnnnnnww',
  L: 'nnwnnnnww',
  M: 'wnwnnnnwn',
  N: 'nnnnwnnww',
  O: 'wnnnwnnwn',
  P: 'nnwnwnnwn',
  Q: 'nnnnnnwww',
  R: 'wnnnnnwwn',
  S: 'nnwnnnwwn',
  T: 'nnnnwnwwn',
  U: 'wwnnnnnnw',
  V: 'nwwnnnnnw',
  W: 'wwwnnnnnn',
  X: 'nwnnwnnnw',
  Y: 'wwnnwnnnn',
  Z: 'nwwnwnnnn',
  '*': 'nwnnwnwnn',
};

export function code39Svg(value: string, height = 70): string {
  const narrow = 2;
  const wide = 5;
  let x = 10;
  const bars: string[] = [];
  for (const char of `*${value.toUpperCase()}*`) {
    const pattern = PATTERNS[char];
    if (!pattern) throw new Error(`Code 39 cannot encode '${char}'`);
    [...pattern].forEach((element, i) => {
      const width = element === 'w' ? wide : narrow;
      if (i % 2 === 0) bars.push(`<rect x="${x}" y="0" width="${width}" height="${height}"/>`);
      x += width;
    });
    x += narrow; // the gap between characters
  }
  return `<svg class="barcode" viewBox="0 0 ${x + 8} ${height}" width="100%" height="${height}" preserveAspectRatio="none" role="img" aria-label="Barcode ${value}"><g fill="#000">${bars.join('')}</g></svg>`;
}
