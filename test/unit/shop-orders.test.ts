// The example shop's rules without HTTP: checkout input, order totals, what
// payment events do to an order, tracking numbers, and the order store.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type Stripe from 'stripe';
import { handleEvent } from '../../examples/shop/fulfilment.js';
import { OrderStore } from '../../examples/shop/order-store.js';
import {
  applyPaymentFailed,
  applyPaymentSucceeded,
  CheckoutError,
  newOrder,
  parseCheckout,
  type Order,
} from '../../examples/shop/orders.js';
import { s10CheckDigit, trackingNumber } from '../../examples/shop/tracking.js';
import { formatMoney } from '../../examples/shop/pages/html.js';

const CUSTOMER = {
  name: ' Ada Lovelace ',
  email: 'ada@example.com',
  address: { line1: 'Havenstraat 7', city: 'Amsterdam', postal_code: '1011 AB', country: 'nl' },
};
const NOW = 1_764_000_000;

function order(): Order {
  return newOrder(
    'ord_1',
    parseCheckout({ items: [{ product: 'mug', quantity: 2 }, { product: 'tote' }], customer: CUSTOMER }),
    NOW,
  );
}

function fieldOf(body: unknown): string {
  try {
    parseCheckout(body);
  } catch (error) {
    assert.ok(error instanceof CheckoutError);
    return error.field;
  }
  throw new Error('accepted');
}

test('parseCheckout trims and normalises, and names the first bad field', () => {
  const checkout = parseCheckout({ items: [{ product: 'mug', quantity: 3 }], customer: CUSTOMER });
  assert.deepEqual(checkout.items, [{ product: 'mug', quantity: 3 }]);
  assert.equal(checkout.customer.name, 'Ada Lovelace');
  assert.equal(checkout.customer.address.country, 'NL');
  assert.equal(fieldOf(null), 'body');
  assert.equal(fieldOf({ customer: CUSTOMER }), 'items');
  assert.equal(fieldOf({ items: [{ product: 'mug' }, { product: 'mug' }], customer: CUSTOMER }), 'items');
  assert.equal(fieldOf({ items: [{ product: 'mug', quantity: 11 }], customer: CUSTOMER }), 'items[0].quantity');
  assert.equal(fieldOf({ items: [{ product: 'mug', quantity: '2' }], customer: CUSTOMER }), 'items[0].quantity');
  assert.equal(fieldOf({ items: [{ product: 'mug' }], customer: { ...CUSTOMER, email: 'ada' } }), 'customer.email');
  assert.equal(
    fieldOf({ items: [{ product: 'mug' }], customer: { ...CUSTOMER, name: 'x'.repeat(101) } }),
    'customer.name',
  );
  assert.equal(
    fieldOf({ items: [{ product: 'mug' }], customer: { ...CUSTOMER, address: { ...CUSTOMER.address, city: '' } } }),
    'customer.address.city',
  );
});

test('newOrder prices every line from the catalog in minor units', () => {
  const placed = order();
  assert.equal(placed.amount, 2 * 1800 + 2450);
  assert.equal(placed.currency, 'eur');
  assert.equal(placed.status, 'awaiting_payment');
  assert.deepEqual(placed.items[1], { product: 'tote', name: 'Canvas Tote', quantity: 1, unit_amount: 2450 });
  assert.equal(formatMoney(placed.amount, placed.currency), '€60.50');
  assert.match(formatMoney(500, 'jpy'), /^[^0-9]*¥500$/); // zero-decimal: 500 yen, not 5
});

test('a succeeded payment fulfils once, and only for the full amount', () => {
  const placed = order();
  const intent = { id: 'pi_1', amount_received: placed.amount, currency: 'eur' };
  const paid = applyPaymentSucceeded(placed, intent, 'evt_1', NOW + 5);
  assert.equal(paid.outcome, 'fulfilled');
  assert.equal(paid.order.status, 'paid');
  assert.equal(paid.order.paid_at, NOW + 5);
  assert.equal(paid.order.shipment!.tracking_number, trackingNumber('ord_1'));
  const again = applyPaymentSucceeded(paid.order, intent, 'evt_2', NOW + 9);
  assert.equal(again.outcome, 'already_paid');
  assert.equal(again.order, paid.order);

  const short = applyPaymentSucceeded(placed, { ...intent, amount_received: 100 }, 'evt_3', NOW);
  assert.equal(short.outcome, 'amount_mismatch');
  assert.equal(short.order.status, 'awaiting_payment');
  assert.equal(short.order.shipment, null);
  assert.equal(applyPaymentSucceeded(placed, { ...intent, currency: 'usd' }, 'evt_4', NOW).outcome, 'amount_mismatch');
});

test('a failed payment is recorded, but never undoes a paid order', () => {
  const placed = order();
  const declined = {
    id: 'pi_1',
    amount_received: 0,
    currency: 'eur',
    last_payment_error: {
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    },
  };
  const failed = applyPaymentFailed(placed, declined, 'evt_1', NOW);
  assert.equal(failed.outcome, 'failure_recorded');
  assert.equal(failed.order.status, 'payment_failed');
  assert.deepEqual(failed.order.payment_failure, {
    code: 'card_declined',
    decline_code: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  });
  const paid = applyPaymentSucceeded(
    failed.order,
    { id: 'pi_1', amount_received: placed.amount, currency: 'eur' },
    'evt_2',
    NOW,
  ).order;
  assert.equal(paid.status, 'paid');
  const late = applyPaymentFailed(paid, declined, 'evt_3', NOW);
  assert.equal(late.outcome, 'ignored_after_payment');
  assert.equal(late.order.status, 'paid');
});

test('tracking numbers are UPU S10 shaped with a valid check digit', () => {
  assert.equal(s10CheckDigit('47312482'), 9); // RR473124829GB, the format's worked example
  const number = trackingNumber('ord_abc');
  assert.match(number, /^KS\d{9}NL$/);
  assert.equal(Number(number[10]), s10CheckDigit(number.slice(2, 10)));
  assert.equal(trackingNumber('ord_abc'), number);
  assert.notEqual(trackingNumber('ord_abd'), number);
});

test('handleEvent handles each event id once, and the JSON file keeps orders and processed ids', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'shop-store-')), 'orders.json');
  const store = new OrderStore(path);
  const placed = order();
  store.save(placed);
  const event = {
    id: 'evt_1',
    type: 'payment_intent.succeeded',
    data: {
      object: { id: 'pi_1', amount_received: placed.amount, currency: 'eur', metadata: { order_id: placed.id } },
    },
  } as unknown as Stripe.Event;
  assert.equal(handleEvent(store, event, NOW), 'fulfilled');
  assert.equal(handleEvent(store, event, NOW + 1), 'duplicate');
  const stranger = {
    ...event,
    id: 'evt_2',
    data: { object: { ...event.data.object, metadata: { order_id: 'ord_missing' } } },
  } as unknown as Stripe.Event;
  assert.equal(handleEvent(store, stranger, NOW), 'unknown_order');

  const reopened = new OrderStore(path);
  assert.equal(reopened.get(placed.id)!.status, 'paid');
  assert.equal(reopened.hasProcessed('evt_1'), true);
  assert.equal(handleEvent(reopened, event, NOW + 2), 'duplicate');
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).orders.length, 1);
});
