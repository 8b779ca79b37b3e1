// What a publishable key (Stripe.js in the customer's browser) may see of an
// intent: Stripe's "retrievable with publishable key" fields; no metadata.
import type { PaymentIntent } from './payment-intent.js';

const PUBLIC_INTENT_FIELDS = [
  'id', 'object', 'amount', 'amount_details', 'automatic_payment_methods', 'canceled_at', 'cancellation_reason', 'capture_method',
  'client_secret', 'confirmation_method', 'created', 'currency', 'description', 'excluded_payment_method_types', 'last_payment_error',
  'livemode', 'next_action', 'payment_method', 'payment_method_configuration_details', 'payment_method_types', 'processing',
  'receipt_email', 'setup_future_usage', 'shipping', 'source', 'status',
] as const;

export function publicIntent(intent: PaymentIntent): Partial<PaymentIntent> & { id: string; object: 'payment_intent' } {
  const view: Record<string, unknown> = {};
  for (const field of PUBLIC_INTENT_FIELDS) view[field] = intent[field as keyof PaymentIntent];
  return view as Partial<PaymentIntent> & { id: string; object: 'payment_intent' };
}
