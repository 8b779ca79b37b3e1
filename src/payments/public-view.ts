// What a publishable key (Stripe.js in the customer's browser) may see of
// payments objects: Stripe's "retrievable with publishable key" fields; no
// customer, no metadata. The protocol layer shows every object of a
// publishable answer, at every level, through these (server/publishable.ts).
import type { PublicView as ViewOfType } from '../server/publishable.js';
import type { PaymentIntent } from './payment-intent.js';
import type { PaymentMethod } from './payment-method.js';
import type { SetupIntent } from './setup-intent.js';

const PUBLIC_INTENT_FIELDS = [
  'id',
  'object',
  'amount',
  'amount_details',
  'automatic_payment_methods',
  'canceled_at',
  'cancellation_reason',
  'capture_method',
  'client_secret',
  'confirmation_method',
  'created',
  'currency',
  'description',
  'excluded_payment_method_types',
  'last_payment_error',
  'livemode',
  'next_action',
  'payment_method',
  'payment_method_configuration_details',
  'payment_method_types',
  'processing',
  'receipt_email',
  'setup_future_usage',
  'shipping',
  'source',
  'status',
] as const;

const PUBLIC_SETUP_INTENT_FIELDS = [
  'id',
  'object',
  'cancellation_reason',
  'client_secret',
  'created',
  'description',
  'last_setup_error',
  'livemode',
  'next_action',
  'payment_method',
  'payment_method_types',
  'status',
  'usage',
] as const;

// The card and billing details the customer typed: no customer, no metadata.
const PUBLIC_PAYMENT_METHOD_FIELDS = [
  'id',
  'object',
  'allow_redisplay',
  'billing_details',
  'card',
  'created',
  'livemode',
  'type',
] as const;

type PublicView<T extends { id: string; object: string }> = Partial<T> & Pick<T, 'id' | 'object'>;

function pick<T extends { id: string; object: string }>(object: T, fields: readonly string[]): PublicView<T> {
  const view: Record<string, unknown> = {};
  for (const field of fields) view[field] = object[field as keyof T];
  return view as PublicView<T>;
}

export function publicIntent(intent: PaymentIntent): PublicView<PaymentIntent> {
  return pick(intent, PUBLIC_INTENT_FIELDS);
}

export function publicSetupIntent(setupIntent: SetupIntent): PublicView<SetupIntent> {
  return pick(setupIntent, PUBLIC_SETUP_INTENT_FIELDS);
}

/** Stripe shows a card's fingerprint only to a secret key (stripe/stripe-android#4301). */
export function publicPaymentMethod(pm: PaymentMethod): PublicView<PaymentMethod> {
  const view = pick(pm, PUBLIC_PAYMENT_METHOD_FIELDS);
  if (pm.card) {
    const { fingerprint: _fingerprint, ...card } = pm.card;
    view.card = card as PaymentMethod['card'];
  }
  return view;
}

/** What a publishable key sees of the payment objects it may reach. */
export const paymentPublicViews: Readonly<Record<string, ViewOfType>> = {
  payment_intent: (object) => publicIntent(object as unknown as PaymentIntent),
  setup_intent: (object) => publicSetupIntent(object as unknown as SetupIntent),
  payment_method: (object) => publicPaymentMethod(object as unknown as PaymentMethod),
};
