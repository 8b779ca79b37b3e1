// What Stripe shows a publishable key (Stripe.js in the customer's browser) of
// each object it may see, written down from Stripe's docs independently of
// Kassa's code, for the tests to hold responses to.

/** A PaymentIntent's fields marked "retrievable with publishable key" in Stripe's API reference. */
export const PUBLIC_PAYMENT_INTENT_FIELDS = [
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
  'id',
  'last_payment_error',
  'livemode',
  'next_action',
  'object',
  'payment_method',
  'payment_method_configuration_details',
  'payment_method_types',
  'processing',
  'receipt_email',
  'setup_future_usage',
  'shipping',
  'source',
  'status',
].sort();

/** A SetupIntent's fields marked "retrievable with publishable key". */
export const PUBLIC_SETUP_INTENT_FIELDS = [
  'cancellation_reason',
  'client_secret',
  'created',
  'description',
  'id',
  'last_setup_error',
  'livemode',
  'next_action',
  'object',
  'payment_method',
  'payment_method_types',
  'status',
  'usage',
].sort();

/**
 * A PaymentMethod as Stripe.js gets it: the card and the billing details the
 * customer typed, no `customer`, no `metadata`, and no `card.fingerprint`
 * (Stripe returns it only to a secret key).
 */
export const PUBLIC_PAYMENT_METHOD_FIELDS = [
  'allow_redisplay',
  'billing_details',
  'card',
  'created',
  'id',
  'livemode',
  'object',
  'type',
].sort();

/** The public fields of each object type a publishable key may see; any other type it must not see at all. */
export const PUBLIC_FIELDS: Record<string, string[]> = {
  payment_intent: PUBLIC_PAYMENT_INTENT_FIELDS,
  setup_intent: PUBLIC_SETUP_INTENT_FIELDS,
  payment_method: PUBLIC_PAYMENT_METHOD_FIELDS,
};
