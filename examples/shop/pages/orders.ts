// Every order the shop has taken, newest first.
import type { Order } from '../orders.js';
import { escapeHtml, formatMoney, formatTime } from './html.js';
import { page } from './layout.js';
import { statusBadge } from './order-view.js';

export function ordersPage(orders: Order[]): string {
  const rows = orders
    .map(
      (order) => `<tr data-order="${escapeHtml(order.id)}">
<td><a class="mono" href="/orders/${escapeHtml(order.id)}">${escapeHtml(order.id)}</a></td>
<td>${escapeHtml(formatTime(order.created))}</td>
<td class="items">${order.items.map((item) => `${item.quantity} × ${escapeHtml(item.name)}`).join(', ')}</td>
<td>${escapeHtml(order.customer.name)}</td>
<td>${statusBadge(order.status)}</td>
<td>${order.shipment ? `<a href="/orders/${escapeHtml(order.id)}/label">${escapeHtml(order.shipment.tracking_number)}</a>` : '—'}</td>
<td class="amount">${formatMoney(order.amount, order.currency)}</td>
</tr>`,
    )
    .join('');
  const table = orders.length
    ? `<table class="orders"><thead><tr><th>Order</th><th>Placed</th><th>Items</th><th>Customer</th><th>Status</th><th>Shipment</th><th class="amount">Total</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<div class="empty">No orders yet. <a href="/">Visit the shop</a>.</div>`;
  return page({
    title: 'Orders',
    nav: 'orders',
    body: `<h1>Orders</h1><p class="lead">Paid orders get a shipping label as soon as the payment's webhook arrives.</p>${table}`,
  });
}
