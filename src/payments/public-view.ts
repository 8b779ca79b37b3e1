// What a publishable key (Stripe.js in the customer's browser) may see of
// payments objects: Stripe's "retrievable with publishable key" fields; no
// customer, no metadata. The protocol layer shows every object of a
// publishable answer, at every level, through these (server/publishable.ts).
import { registerPublicView } from '../server/publishable.js';
import type { PaymentIntent } from './payment-intent.js';
import type { PaymentMethod } from './payment-method.js';
import { publicSetupIntent, type SetupIntent } from './setup-intent.js';

const PUBLIC_INTENT_FIELDS = [
  'id', 'object', 'amount', 'amount_details', 'automatic_payment_methods', 'canceled_at', 'cancellation_reason', 'capture_method',
  'client_secret', 'confirmation_method', 'created', 'currency', 'description', 'excluded_payment_method_types', 'last_payment_error',
  'livemode', 'next_action', 'payment_method', 'payment_method_configuration_details', 'payment_method_types', 'processing',
  'receipt_email', 'setup_future_usage', 'shipping', 'source', 'status',
] as const;

// The card and billing details the customer typed: no customer, no metadata.
const PUBLIC_PAYMENT_METHOD_FIELDS = ['id', 'object', 'allow_redisplay', 'billing_details', 'card', 'created', 'livemode', 'type'] as const;

export function publicIntent(intent: PaymentIntent): Partial<PaymentIntent> & { id: string; object: 'payment_intent' } {
  const view: Record<string, unknown> = {};
  for (const field of PUBLIC_INTENT_FIELDS) view[field] = intent[field as keyof PaymentIntent];
  return view as Partial<PaymentIntent> & { id: string; object: 'payment_intent' };
}

/** Stripe shows a card's fingerprint only to a secret key (stripe/stripe-android#4301). */
export function publicPaymentMethod(pm: PaymentMethod): Partial<PaymentMethod> & { id: string; object: 'payment_method' } {
  const view: Record<string, unknown> = {};
  for (const field of PUBLIC_PAYMENT_METHOD_FIELDS) view[field] = pm[field];
  if (pm.card) {
    const { fingerprint: _fingerprint, ...card } = pm.card;
    view.card = card;
  }
  return view as Partial<PaymentMethod> & { id: string; object: 'payment_method' };
}

export function registerPublicViews(): void {
  registerPublicView('payment_intent', (object) => publicIntent(object as unknown as PaymentIntent));
  registerPublicView('setup_intent', (object) => publicSetupIntent(object as unknown as SetupIntent));
  registerPublicView('payment_method', (object) => publicPaymentMethod(object as unknown as PaymentMethod));
}
