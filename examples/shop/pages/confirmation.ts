// The order confirmation page: where the checkout sends the customer after
// paying. It polls the shop's API until the order is paid.
import { escapeHtml, jsonForScript } from './html.js';
import { page } from './layout.js';
import { orderView, type OrderJson } from './order-view.js';

export function confirmationPage(order: OrderJson): string {
  return page({
    title: `Order ${order.id}`,
    nav: 'orders',
    body: `<div id="order" data-order-id="${escapeHtml(order.id)}" data-status="${order.status}" aria-live="polite">${orderView(order)}</div>
<script type="application/json" id="order-json">${jsonForScript(order)}</script>`,
    scripts: `<script src="/assets/confirmation.js"></script>`,
  });
}
