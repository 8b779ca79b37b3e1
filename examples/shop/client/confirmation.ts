// The confirmation page's script: asks the shop's API for the order every
// second until it is paid (the webhook has arrived), and redraws it.
import { orderView, type OrderJson } from '../pages/order-view.js';

const POLL_MS = 1000;
const GIVE_UP_AFTER = 600; // polls: ten minutes, then the customer can reload

const container = document.getElementById('order')!;
let order = JSON.parse(document.getElementById('order-json')!.textContent!) as OrderJson;
let polls = 0;

async function poll(): Promise<void> {
  if (order.status === 'paid' || polls++ >= GIVE_UP_AFTER) return;
  try {
    const response = await fetch(`/api/orders/${encodeURIComponent(order.id)}`, {
      headers: { accept: 'application/json' },
    });
    if (response.ok) {
      const next = (await response.json()) as OrderJson;
      if (JSON.stringify(next) !== JSON.stringify(order)) {
        order = next;
        container.innerHTML = orderView(order);
        container.dataset.status = order.status;
      }
    }
  } catch {
    // Offline for a moment: try again on the next tick.
  }
  setTimeout(poll, POLL_MS);
}

setTimeout(poll, POLL_MS);
