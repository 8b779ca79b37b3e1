// Each product's picture, drawn in inline SVG (the shop loads nothing from
// elsewhere).
import type { Product } from '../catalog.js';

function shape(product: Product): string {
  const { body, accent } = product.art;
  switch (product.art.shape) {
    case 'mug':
      return `<path d="M70 62h88v84a22 22 0 0 1-22 22H92a22 22 0 0 1-22-22z" fill="${body}"/>
<path d="M158 82h12a22 22 0 0 1 0 44h-12v-12h12a10 10 0 0 0 0-20h-12z" fill="${body}"/>
<rect x="70" y="62" width="88" height="12" rx="3" fill="${accent}" opacity=".55"/>
<path d="M98 46c-6-8 6-12 0-20M114 46c-6-8 6-12 0-20M130 46c-6-8 6-12 0-20" stroke="${body}" stroke-width="4" stroke-linecap="round" fill="none" opacity=".45"/>`;
    case 'tote':
      return `<path d="M92 76V60a28 28 0 0 1 56 0v16" stroke="${body}" stroke-width="8" fill="none" stroke-linecap="round"/>
<path d="M62 76h116l-8 98H70z" fill="${body}"/>
<rect x="98" y="104" width="44" height="34" rx="4" fill="${accent}" opacity=".8"/>
<path d="M108 121h24" stroke="${body}" stroke-width="4" stroke-linecap="round"/>`;
    case 'notebook':
      return `<rect x="72" y="40" width="100" height="136" rx="8" fill="${body}"/>
<rect x="72" y="40" width="18" height="136" rx="6" fill="#000" opacity=".14"/>
<rect x="108" y="70" width="48" height="22" rx="4" fill="${accent}"/>
<path d="M150 176v18l8-7 8 7v-18" fill="#e0b84f"/>`;
  }
}

export function productArt(product: Product, size = 240): string {
  return `<svg class="art" viewBox="0 0 240 220" width="${size}" height="${Math.round((size * 220) / 240)}" role="img" aria-label="${product.name}">
<rect width="240" height="220" rx="14" fill="${product.art.background}"/>
<ellipse cx="120" cy="192" rx="70" ry="8" fill="#000" opacity=".07"/>
${shape(product)}
</svg>`;
}

export const LOGO = `<svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true"><rect width="32" height="32" rx="8" fill="#1f2a44"/><path d="M8 21l4-10h8l4 10z" fill="#f5b942"/><circle cx="16" cy="9" r="2.5" fill="#f5b942"/></svg>`;
