// The React checkout's page: Kassa's Stripe.js script first (so that
// @stripe/stripe-js's loadStripe finds window.Stripe and loads nothing
// else), then the React bundle, which renders the whole checkout.
import type { Product } from '../catalog.js';
import { productArt } from './art.js';
import { escapeHtml, jsonForScript } from './html.js';
import { page } from './layout.js';

export function reactCheckoutPage(options: { product: Product; publishableKey: string; stripeJsUrl: string }): string {
  const { product } = options;
  const config = {
    publishableKey: options.publishableKey,
    product: {
      id: product.id,
      name: product.name,
      tagline: product.tagline,
      price: product.price,
      currency: product.currency,
    },
    art: productArt(product, 84),
  };
  return page({
    title: 'Checkout (React)',
    head: `<script src="${escapeHtml(options.stripeJsUrl)}"></script>`,
    body: `<div id="root"><p class="lead">Loading checkout…</p></div>
<script type="application/json" id="shop-config">${jsonForScript(config)}</script>`,
    scripts: `<script src="/assets/react-checkout.js"></script>`,
  });
}
