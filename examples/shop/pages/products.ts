// The shop's front page: every product with its price and a Buy button.
import { CATALOG } from '../catalog.js';
import { productArt } from './art.js';
import { escapeHtml, formatMoney } from './html.js';
import { page } from './layout.js';

export function productsPage(): string {
  const cards = CATALOG.map(
    (product) => `<article class="product" data-product="${product.id}">
${productArt(product)}
<h2>${escapeHtml(product.name)}</h2>
<p class="tagline">${escapeHtml(product.tagline)}</p>
<p class="description">${escapeHtml(product.description)}</p>
<div class="buy"><span class="price">${formatMoney(product.price, product.currency)}</span>
<a class="button" href="/checkout?product=${product.id}" aria-label="Buy ${escapeHtml(product.name)}">Buy now</a></div>
</article>`,
  ).join('\n');
  return page({
    title: 'Shop',
    nav: 'shop',
    body: `<h1>Small things, made well</h1>
<p class="lead">Free shipping on every order. Dispatched the day your payment arrives.</p>
<div class="grid">${cards}</div>`,
  });
}
