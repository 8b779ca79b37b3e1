// The checkout page written for Stripe.js: the card Element, the customer's
// details, and a Pay button. The only Kassa-specific line is the script's
// address.
import { MAX_QUANTITY, type Product } from '../catalog.js';
import { productArt } from './art.js';
import { escapeHtml, formatMoney, jsonForScript } from './html.js';
import { page } from './layout.js';

export interface CheckoutPageOptions {
  product: Product;
  publishableKey: string;
  /** Where the browser loads Stripe.js from: Kassa's `/v3/`. */
  stripeJsUrl: string;
}

const COUNTRIES: Array<[string, string]> = [
  ['NL', 'Netherlands'],
  ['BE', 'Belgium'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['IE', 'Ireland'],
  ['GB', 'United Kingdom'],
  ['US', 'United States'],
];

function input(name: string, label: string, attributes: string): string {
  const id = name.replace(/\W+/g, '-');
  return `<div class="field"><label for="${id}">${label}</label><input id="${id}" name="${name}" ${attributes}>
<div class="field-error" data-error-for="${name}" role="alert"></div></div>`;
}

export function orderSummary(product: Product): string {
  const options = Array.from({ length: MAX_QUANTITY }, (_, i) => `<option value="${i + 1}">${i + 1}</option>`).join('');
  const price = formatMoney(product.price, product.currency);
  return `<aside class="panel summary" aria-label="Order summary">
<h2>Order summary</h2>
<div class="line">${productArt(product, 84)}
<div class="what"><strong>${escapeHtml(product.name)}</strong><span>${escapeHtml(product.tagline)}</span>
<div class="qty"><label for="quantity" style="margin:0">Qty</label><select id="quantity" name="quantity">${options}</select></div></div>
<div class="price" data-line-total>${price}</div></div>
<dl class="totals"><dt>Subtotal</dt><dd data-subtotal>${price}</dd><dt>Shipping</dt><dd>Free</dd>
<dt class="total">Total</dt><dd class="total" data-total>${price}</dd></dl>
</aside>`;
}

export function checkoutForm(product: Product): string {
  const countries = COUNTRIES.map(([code, name]) => `<option value="${code}">${name}</option>`).join('');
  return `<form id="checkout-form" class="panel" novalidate>
<fieldset><legend>Contact</legend>
${input('customer.name', 'Full name', 'autocomplete="name" required')}
${input('customer.email', 'Email', 'type="email" autocomplete="email" required')}
</fieldset>
<fieldset><legend>Shipping address</legend>
${input('customer.address.line1', 'Address', 'autocomplete="address-line1" required')}
<div class="row">${input('customer.address.postal_code', 'Postal code', 'autocomplete="postal-code" required')}
${input('customer.address.city', 'City', 'autocomplete="address-level2" required')}</div>
<div class="field"><label for="customer-address-country">Country</label><select id="customer-address-country" name="customer.address.country" autocomplete="country">${countries}</select></div>
</fieldset>
<fieldset><legend>Payment</legend>
<label for="card-element">Card</label>
<div id="card-element" class="card-field"></div>
<div id="card-errors" class="field-error" role="alert"></div>
<div class="hint">Test mode: pay with <code>4242 4242 4242 4242</code>, any future date and any CVC. <code>4000 0000 0000 0002</code> is declined; <code>4000 0027 6000 3184</code> asks for 3-D Secure.</div>
</fieldset>
<div id="form-error" class="field-error" role="alert"></div>
<button id="pay" class="button pay" type="submit"><span class="spinner" hidden></span><span class="pay-label">Pay ${formatMoney(product.price, product.currency)}</span></button>
<p class="secure"><svg width="12" height="14" viewBox="0 0 12 14" aria-hidden="true"><path d="M2 6V4a4 4 0 1 1 8 0v2h1v8H1V6zm2 0h4V4a2 2 0 1 0-4 0z" fill="currentColor"/></svg>Card details go straight to the payment processor, never to our server.</p>
</form>`;
}

export function checkoutPage(options: CheckoutPageOptions): string {
  const { product } = options;
  const config = {
    publishableKey: options.publishableKey,
    product: { id: product.id, price: product.price, currency: product.currency },
  };
  return page({
    title: 'Checkout',
    head: `<script src="${escapeHtml(options.stripeJsUrl)}"></script>`,
    body: `<h1>Checkout</h1>
<p class="lead">Almost yours. Free shipping, dispatched as soon as your payment arrives.</p>
<div class="checkout">${checkoutForm(product)}${orderSummary(product)}</div>
<p class="lead" style="margin-top:20px;font-size:13px">The same checkout, built with React: <a href="/react/checkout?product=${product.id}">React checkout</a>.</p>
<script type="application/json" id="shop-config">${jsonForScript(config)}</script>`,
    scripts: `<script src="/assets/checkout.js"></script>`,
  });
}
