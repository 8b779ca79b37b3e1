// What a verified webhook event does to the shop. Each event is handled at
// most once: its id is remembered with the change it made.
import type Stripe from 'stripe';
import type { OrderStore } from './order-store.js';
import { applyPaymentFailed, applyPaymentSucceeded, type PaymentOutcome } from './orders.js';

/** The event types the shop's webhook endpoint subscribes to. */
export const HANDLED_EVENTS = ['payment_intent.succeeded', 'payment_intent.payment_failed'] as const;

export type EventOutcome = PaymentOutcome | 'duplicate' | 'unknown_order' | 'unhandled_type';

export function handleEvent(store: OrderStore, event: Stripe.Event, now: number): EventOutcome {
  if (store.hasProcessed(event.id)) return 'duplicate';
  if (event.type !== 'payment_intent.succeeded' && event.type !== 'payment_intent.payment_failed') {
    store.processed(event.id);
    return 'unhandled_type';
  }
  const intent = event.data.object;
  const order = store.get(intent.metadata?.order_id ?? '');
  if (!order) {
    store.processed(event.id);
    return 'unknown_order';
  }
  const apply = event.type === 'payment_intent.succeeded' ? applyPaymentSucceeded : applyPaymentFailed;
  const result = apply(order, intent, event.id, now);
  store.processed(event.id, result.order);
  return result.outcome;
}
