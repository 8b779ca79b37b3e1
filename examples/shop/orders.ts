// Orders and what payments do to them: plain functions over plain objects.
import { CATALOG, MAX_QUANTITY, findProduct } from './catalog.js';
import { trackingNumber } from './tracking.js';

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  postal_code: string;
  country: string;
}

export interface Customer {
  name: string;
  email: string;
  address: Address;
}

export interface OrderItem {
  product: string;
  name: string;
  quantity: number;
  /** Unit price in minor units, as it was when the order was placed. */
  unit_amount: number;
}

export type OrderStatus = 'awaiting_payment' | 'payment_failed' | 'paid';

export interface HistoryEntry {
  at: number;
  /** The Stripe event that caused it, if any. */
  event?: string;
  note: string;
}

export interface Order {
  id: string;
  created: number;
  status: OrderStatus;
  items: OrderItem[];
  /** Total in minor units, computed from the catalog. */
  amount: number;
  currency: string;
  customer: Customer;
  payment_intent: string | null;
  /** The last failed attempt, as the customer was told. */
  payment_failure: { code: string | null; decline_code: string | null; message: string } | null;
  paid_at: number | null;
  shipment: { tracking_number: string; carrier: string; created: number } | null;
  history: HistoryEntry[];
}

/** Bad input from the checkout form, naming the field. */
export class CheckoutError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export interface Checkout {
  items: Array<{ product: string; quantity: number }>;
  customer: Customer;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function text(
  value: unknown,
  field: string,
  label: string,
  options: { max?: number; optional?: boolean } = {},
): string {
  const max = options.max ?? 200;
  if (value === undefined || value === null || value === '') {
    if (options.optional) return '';
    throw new CheckoutError(`${label} is required.`, field);
  }
  if (typeof value !== 'string') throw new CheckoutError(`${label} must be text.`, field);
  const trimmed = value.trim();
  if (!trimmed && !options.optional) throw new CheckoutError(`${label} is required.`, field);
  if (trimmed.length > max) throw new CheckoutError(`${label} is too long (at most ${max} characters).`, field);
  return trimmed;
}

/** Checks the checkout form's JSON body; throws CheckoutError naming the first bad field. */
export function parseCheckout(body: unknown): Checkout {
  if (!body || typeof body !== 'object') throw new CheckoutError('Expected a JSON object.', 'body');
  const input = body as Record<string, unknown>;
  if (!Array.isArray(input.items) || input.items.length === 0)
    throw new CheckoutError('Choose at least one product.', 'items');
  if (input.items.length > CATALOG.length) throw new CheckoutError('Too many items.', 'items');
  const items = input.items.map((raw, i) => {
    const item = (raw ?? {}) as Record<string, unknown>;
    if (!findProduct(item.product))
      throw new CheckoutError(`Unknown product: ${String(item.product)}.`, `items[${i}].product`);
    const quantity = item.quantity ?? 1;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      throw new CheckoutError(`Quantity must be a whole number from 1 to ${MAX_QUANTITY}.`, `items[${i}].quantity`);
    }
    return { product: item.product as string, quantity };
  });
  if (new Set(items.map((item) => item.product)).size !== items.length)
    throw new CheckoutError('Each product may appear once.', 'items');
  const customer = (input.customer ?? {}) as Record<string, unknown>;
  const address = (customer.address ?? {}) as Record<string, unknown>;
  const email = text(customer.email, 'customer.email', 'Email');
  if (!EMAIL.test(email)) throw new CheckoutError('Enter a valid email address.', 'customer.email');
  const country = text(address.country, 'customer.address.country', 'Country', { max: 2 }).toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    throw new CheckoutError('Country must be a two-letter code.', 'customer.address.country');
  return {
    items,
    customer: {
      name: text(customer.name, 'customer.name', 'Name', { max: 100 }),
      email,
      address: {
        line1: text(address.line1, 'customer.address.line1', 'Address'),
        line2: text(address.line2, 'customer.address.line2', 'Address line 2', { optional: true }) || undefined,
        city: text(address.city, 'customer.address.city', 'City', { max: 100 }),
        postal_code: text(address.postal_code, 'customer.address.postal_code', 'Postal code', { max: 20 }),
        country,
      },
    },
  };
}

/** A new order; its prices and total come from the catalog. */
export function newOrder(id: string, checkout: Checkout, now: number): Order {
  const items = checkout.items.map(({ product, quantity }) => {
    const found = findProduct(product)!;
    return { product, name: found.name, quantity, unit_amount: found.price };
  });
  const currencies = new Set(checkout.items.map(({ product }) => findProduct(product)!.currency));
  if (currencies.size !== 1) throw new CheckoutError('All items must be in one currency.', 'items');
  return {
    id,
    created: now,
    status: 'awaiting_payment',
    items,
    amount: items.reduce((sum, item) => sum + item.unit_amount * item.quantity, 0),
    currency: [...currencies][0]!,
    customer: checkout.customer,
    payment_intent: null,
    payment_failure: null,
    paid_at: null,
    shipment: null,
    history: [{ at: now, note: 'Order placed' }],
  };
}

/** The parts of a PaymentIntent the shop reads from a webhook. */
export interface IntentFacts {
  id: string;
  amount_received: number;
  currency: string;
  last_payment_error?: { code?: string | null; decline_code?: string | null; message?: string | null } | null;
}

export type PaymentOutcome =
  | 'fulfilled'
  | 'already_paid'
  | 'amount_mismatch'
  | 'failure_recorded'
  | 'ignored_after_payment';

/** `payment_intent.succeeded`: the order is paid and gets its shipment, once. */
export function applyPaymentSucceeded(
  order: Order,
  intent: IntentFacts,
  eventId: string,
  now: number,
): { order: Order; outcome: PaymentOutcome } {
  if (order.status === 'paid') return { order, outcome: 'already_paid' };
  if (intent.amount_received !== order.amount || intent.currency !== order.currency) {
    const note = `Payment ${intent.id} received ${intent.amount_received} ${intent.currency}, expected ${order.amount} ${order.currency}: not fulfilled`;
    return {
      order: { ...order, history: [...order.history, { at: now, event: eventId, note }] },
      outcome: 'amount_mismatch',
    };
  }
  return {
    order: {
      ...order,
      status: 'paid',
      payment_intent: intent.id,
      paid_at: now,
      shipment: { tracking_number: trackingNumber(order.id), carrier: 'Kassa Post', created: now },
      history: [
        ...order.history,
        { at: now, event: eventId, note: 'Payment received' },
        { at: now, event: eventId, note: 'Shipping label created' },
      ],
    },
    outcome: 'fulfilled',
  };
}

/** `payment_intent.payment_failed`: remember why, unless the order was paid meanwhile. */
export function applyPaymentFailed(
  order: Order,
  intent: IntentFacts,
  eventId: string,
  now: number,
): { order: Order; outcome: PaymentOutcome } {
  if (order.status === 'paid') return { order, outcome: 'ignored_after_payment' };
  const error = intent.last_payment_error ?? {};
  const failure = {
    code: error.code ?? null,
    decline_code: error.decline_code ?? null,
    message: error.message ?? 'The payment failed.',
  };
  return {
    order: {
      ...order,
      status: 'payment_failed',
      payment_failure: failure,
      history: [...order.history, { at: now, event: eventId, note: `Payment failed: ${failure.message}` }],
    },
    outcome: 'failure_recorded',
  };
}
