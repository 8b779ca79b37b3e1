// Elements' `fonts` option inside the frame: `{cssSrc}` stylesheets and
// `{family, src, weight, style, display, unicodeRange}` font faces.
import { safeCssValue } from './style.js';

const FONT_URL = /^url\(\s*["']?https?:\/\/[^"'()\s]+["']?\s*\)(\s+format\(\s*["']?[a-z0-9-]+["']?\s*\))?$/i;

export function applyFonts(fonts: unknown[] | undefined): void {
  if (!Array.isArray(fonts)) return;
  let css = '';
  for (const font of fonts as Array<Record<string, unknown>>) {
    if (!font || typeof font !== 'object') continue;
    if (typeof font.cssSrc === 'string' && /^https?:\/\//.test(font.cssSrc)) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = font.cssSrc;
      document.head.appendChild(link);
      continue;
    }
    const family = safeCssValue(font.family);
    const src =
      typeof font.src === 'string' && font.src.split(',').every((part) => FONT_URL.test(part.trim())) ? font.src : null;
    if (!family || !src) continue;
    const extra = (['weight', 'style', 'display', 'unicodeRange'] as const)
      .map((key) => [key, safeCssValue(font[key])] as const)
      .filter(([, value]) => value !== null)
      .map(([key, value]) => `${key === 'unicodeRange' ? 'unicode-range' : `font-${key}`}:${value};`)
      .join('');
    css += `@font-face{font-family:"${family.replace(/"/g, '')}";src:${src};${extra}}`;
  }
  if (css) {
    const style = document.createElement('style');
    style.textContent = css;
    document.head.appendChild(style);
  }
}
