// An order as its customer sees it after paying. The server renders it, and
// the confirmation page's script renders it again from the shop's API while
// it waits for the payment's webhook (so: no Node imports here).
import type { Order } from '../orders.js';
import { escapeHtml, formatMoney, formatTime } from './html.js';

/** What GET /api/orders/:id answers: the order and, while unpaid, its PaymentIntent's status at Kassa. */
export interface OrderJson extends Order {
  intent_status: string | null;
}

const CHECK = `<svg width="26" height="26" viewBox="0 0 24 24" aria-hidden="true"><path d="M5 12.5l4.2 4.2L19 7" stroke="#1f8a5b" stroke-width="2.6" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
const CROSS = `<svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" stroke="#c0392b" stroke-width="2.6" stroke-linecap="round"/></svg>`;
const DOTS = `<span class="waiting-dots" aria-hidden="true"><i></i><i></i><i></i></span>`;

export const STATUS_LABELS: Record<Order['status'], string> = {
  awaiting_payment: 'Awaiting payment',
  payment_failed: 'Payment failed',
  paid: 'Paid',
};

export function statusBadge(status: Order['status']): string {
  return `<span class="badge ${status}" data-status-badge>${STATUS_LABELS[status]}</span>`;
}

function headline(order: OrderJson): string {
  const firstName = escapeHtml(order.customer.name.split(/\s+/)[0]);
  if (order.status === 'paid') {
    const shipment = order.shipment!;
    return `<div class="status"><div class="icon paid">${CHECK}</div><div>
<h1>Thank you, ${firstName}! Your order is paid.</h1>
<p class="lead" style="margin:0">We're packing it now. It ships with ${escapeHtml(shipment.carrier)}, tracking number <span class="mono" data-tracking>${escapeHtml(shipment.tracking_number)}</span>. A confirmation is on its way to ${escapeHtml(order.customer.email)}.</p>
<div class="actions"><a class="button" href="/orders/${order.id}/label">View shipping label</a><a class="button secondary" href="/">Continue shopping</a></div>
</div></div>`;
  }
  // The payment may have gone through while the webhook is still on its way.
  const settling = order.intent_status === 'succeeded' || order.intent_status === 'processing';
  if (order.status === 'payment_failed' && !settling) {
    const product = order.items[0]?.product ?? '';
    return `<div class="status"><div class="icon failed">${CROSS}</div><div>
<h1>Your payment didn't go through</h1>
<p class="lead" style="margin:0">${escapeHtml(order.payment_failure?.message ?? 'The payment failed.')} Nothing was charged.</p>
<div class="actions"><a class="button" href="/checkout?product=${escapeHtml(product)}">Try again</a></div>
</div></div>`;
  }
  return `<div class="status"><div class="icon waiting">${DOTS}</div><div>
<h1>${settling ? 'Payment received, confirming your order…' : 'Waiting for your payment…'}</h1>
<p class="lead" style="margin:0">This page updates by itself as soon as the payment is confirmed.</p>
</div></div>`;
}

export function orderView(order: OrderJson): string {
  const lines = order.items
    .map(
      (item) =>
        `<dt>${item.quantity} × ${escapeHtml(item.name)}</dt><dd>${formatMoney(item.unit_amount * item.quantity, order.currency)}</dd>`,
    )
    .join('');
  const { address } = order.customer;
  const history = [...order.history]
    .reverse()
    .map((entry) => `<li>${escapeHtml(entry.note)}<time>${escapeHtml(formatTime(entry.at))}</time></li>`)
    .join('');
  return `${headline(order)}
<div class="details">
<section class="panel"><h2>Order <span class="mono">${escapeHtml(order.id)}</span> ${statusBadge(order.status)}</h2>
<dl class="totals">${lines}<dt>Shipping</dt><dd>Free</dd><dt class="total">Total</dt><dd class="total">${formatMoney(order.amount, order.currency)}</dd></dl></section>
<section class="panel"><h2>Shipping to</h2><address>${[
    order.customer.name,
    address.line1,
    address.line2,
    `${address.postal_code} ${address.city}`,
    address.country,
  ]
    .filter(Boolean)
    .map(escapeHtml)
    .join('<br>')}</address>
<h2 style="margin-top:18px">History</h2><ul class="timeline">${history}</ul></section>
</div>`;
}
