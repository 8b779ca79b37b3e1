// PaymentIntent rules: Stripe's state machine as plain functions over plain
// objects. The network's answers come in as arguments; nothing here does I/O.
import type Stripe from 'stripe';
import { checkChargeAmount, checkCurrency } from '../money/currencies.js';
import { invalidParam, invalidRequest, type StripeError } from '../server/errors.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';
import { applyTypeParams, requestedTypes, SUPPORTED_TYPES } from './payment-method-types.js';

export type PaymentIntent = Stripe.PaymentIntent;
export type Status = Stripe.PaymentIntent.Status;

type Shipping = {
  address: Partial<Stripe.Address>;
  name: string;
  carrier?: string;
  phone?: string;
  tracking_number?: string;
};

/** Create and update parameters, as checked by the protocol layer ('' = unset). */
export interface IntentParams {
  amount?: number;
  currency?: string;
  customer?: string | '';
  description?: string;
  receipt_email?: string;
  statement_descriptor?: string;
  statement_descriptor_suffix?: string;
  shipping?: Shipping | '';
  metadata?: Metadata | '';
  setup_future_usage?: 'off_session' | 'on_session' | '';
  capture_method?: Stripe.PaymentIntent.CaptureMethod;
  confirmation_method?: Stripe.PaymentIntent.ConfirmationMethod;
  payment_method_types?: string[];
  /** The newer form of payment_method_types (what SDK v23 types offer). */
  allowed_payment_method_types?: string[];
  excluded_payment_method_types?: string[] | '';
  automatic_payment_methods?: { enabled: boolean; allow_redirects?: 'always' | 'never' };
  transfer_group?: string;
}

export const CONFIRMABLE: readonly Status[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const UPDATABLE: readonly Status[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE: readonly Status[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
];

export function newPaymentIntent(id: string, clientSecret: string, params: IntentParams, now: number): PaymentIntent {
  if (params.amount === undefined) throw invalidParam('Missing required param: amount.', 'amount', 'parameter_missing');
  if (!params.currency) throw invalidParam('Missing required param: currency.', 'currency', 'parameter_missing');
  const explicitTypes = requestedTypes(params) !== undefined;
  if (explicitTypes && params.automatic_payment_methods?.enabled) {
    throw invalidParam(
      'You may only specify one of these parameters: automatic_payment_methods, payment_method_types.',
      'automatic_payment_methods',
    );
  }
  // `automatic_payment_methods[enabled]=false` opts out: the intent takes the default types (card).
  const automatic = !explicitTypes && params.automatic_payment_methods?.enabled !== false;
  const intent: PaymentIntent = {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: 0,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    // Since API 2023-08-16 automatic payment methods are on unless types are given.
    automatic_payment_methods: automatic
      ? { allow_redirects: params.automatic_payment_methods?.allow_redirects ?? 'always', enabled: true }
      : null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: params.capture_method ?? 'automatic_async',
    client_secret: clientSecret,
    confirmation_method: params.confirmation_method ?? 'automatic',
    created: now,
    currency: '',
    customer: null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: [...SUPPORTED_TYPES],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  } as PaymentIntent;
  return applyIntentParams(intent, params);
}

/** Fields that create, update and confirm share. */
export function applyIntentParams(intent: PaymentIntent, params: IntentParams): PaymentIntent {
  const next: PaymentIntent = { ...intent };
  if (params.currency !== undefined) next.currency = checkCurrency(params.currency).code;
  if (params.amount !== undefined) next.amount = checkChargeAmount(params.amount, next.currency);
  else if (params.currency !== undefined && next.amount > 0) checkChargeAmount(next.amount, next.currency);
  if (params.customer !== undefined) next.customer = params.customer || null;
  if (params.description !== undefined) next.description = params.description || null;
  if (params.receipt_email !== undefined) next.receipt_email = receiptEmail(params.receipt_email);
  if (params.statement_descriptor !== undefined) {
    next.statement_descriptor = descriptor(params.statement_descriptor, 'statement_descriptor', 22);
    if (next.statement_descriptor !== null && next.payment_method_types.includes('card'))
      throw cardStatementDescriptor();
  }
  if (params.statement_descriptor_suffix !== undefined) {
    next.statement_descriptor_suffix = descriptor(
      params.statement_descriptor_suffix,
      'statement_descriptor_suffix',
      22,
    );
  }
  if (params.shipping !== undefined) next.shipping = params.shipping === '' ? null : shipping(params.shipping);
  if (params.metadata !== undefined) next.metadata = applyMetadata(intent.metadata, params.metadata);
  if (params.setup_future_usage !== undefined) next.setup_future_usage = params.setup_future_usage || null;
  if (params.capture_method !== undefined) next.capture_method = params.capture_method;
  applyTypeParams(next as unknown as Parameters<typeof applyTypeParams>[0], params);
  if (params.transfer_group !== undefined) next.transfer_group = params.transfer_group || null;
  return next;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function receiptEmail(value: string): string | null {
  if (value === '') return null;
  if (!EMAIL.test(value)) throw invalidParam(`Invalid email address: ${value}`, 'receipt_email', 'email_invalid');
  return value;
}

/** Since January 2024 Stripe refuses a full statement descriptor on intents that can take cards. */
function cardStatementDescriptor(): StripeError {
  return invalidParam(
    'The statement_descriptor parameter is not supported for the payment_method_type `card`. To continue supporting payment_method_type `card`, please pass in `statement_descriptor_suffix` or remove the `statement_descriptor` parameter altogether. Please see https://support.stripe.com/questions/use-of-the-statement-descriptor-parameter-on-paymentintents-for-card-charges for additional details.',
    'statement_descriptor',
  );
}

function descriptor(value: string, param: string, max: number): string | null {
  if (value === '') return null;
  if (value.length > max) throw invalidParam(`The ${param} must be at most ${max} characters.`, param);
  if (/[<>\\'"*]/.test(value))
    throw invalidParam(`The ${param} cannot contain any of these characters: < > \\ ' " *`, param);
  if (!/[a-zA-Z]/.test(value)) throw invalidParam(`The ${param} must contain at least one letter.`, param);
  return value;
}

function shipping(params: Shipping): Stripe.PaymentIntent.Shipping {
  const a = params.address;
  return {
    address: {
      city: a.city || null,
      country: a.country || null,
      line1: a.line1 || null,
      line2: a.line2 || null,
      postal_code: a.postal_code || null,
      state: a.state || null,
    },
    carrier: params.carrier || null,
    name: params.name,
    phone: params.phone || null,
    tracking_number: params.tracking_number || null,
  };
}

/** Stripe's error for an action in the wrong state; like Stripe's, it carries the intent. */
export function unexpectedState(intent: PaymentIntent, action: string, allowed: readonly Status[]): StripeError {
  const error = invalidRequest(
    `You cannot ${action} this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be ${pastTense(action)}: ${allowed.join(', ')}.`,
    { code: 'payment_intent_unexpected_state' },
  );
  error.body.payment_intent = intent;
  return error;
}

function pastTense(action: string): string {
  return action.endsWith('e') ? `${action}d` : action === 'cancel' ? 'canceled' : `${action}ed`;
}

/** Fields that stay updatable after the payment went through (bookkeeping, not the payment itself). */
const UPDATABLE_IN_ANY_STATE = new Set(['description', 'metadata', 'receipt_email', 'shipping']);

/** Stripe checks an update field by field: once an intent is past confirmation only bookkeeping fields may change. */
export function assertUpdatable(intent: PaymentIntent, fields: readonly string[]): void {
  if (UPDATABLE.includes(intent.status)) return;
  const field = fields.find((name) => !UPDATABLE_IN_ANY_STATE.has(name));
  if (field === undefined) return;
  throw invalidRequest(
    `This PaymentIntent's ${field} could not be updated because it has a status of ${intent.status}. You may only update the ${field} of a PaymentIntent with one of the following statuses: ${UPDATABLE.join(', ')}.`,
    { code: 'payment_intent_unexpected_state', param: field },
  );
}

export function assertConfirmable(intent: PaymentIntent): void {
  if (!CONFIRMABLE.includes(intent.status)) throw unexpectedState(intent, 'confirm', CONFIRMABLE);
}

/** After update: a PaymentMethod on an unconfirmed intent makes it wait for confirmation. */
export function settleUnconfirmedStatus(intent: PaymentIntent): PaymentIntent {
  if (intent.status !== 'requires_payment_method' && intent.status !== 'requires_confirmation') return intent;
  return { ...intent, status: intent.payment_method ? 'requires_confirmation' : 'requires_payment_method' };
}

export function cancelIntent(
  intent: PaymentIntent,
  reason: Stripe.PaymentIntent.CancellationReason | undefined,
  now: number,
): PaymentIntent {
  if (!CANCELABLE.includes(intent.status)) throw unexpectedState(intent, 'cancel', CANCELABLE);
  return {
    ...intent,
    status: 'canceled',
    canceled_at: now,
    cancellation_reason: reason ?? null,
    next_action: null,
    amount_capturable: 0,
  };
}

/** How much a capture takes: all that is capturable unless `amount_to_capture` says less. */
export function captureAmount(intent: PaymentIntent, amountToCapture: number | undefined): number {
  if (intent.status !== 'requires_capture') throw unexpectedState(intent, 'capture', ['requires_capture']);
  if (amountToCapture === undefined) return intent.amount_capturable;
  if (amountToCapture <= 0) throw invalidParam('The amount to capture must be greater than zero.', 'amount_to_capture');
  if (amountToCapture > intent.amount_capturable) {
    throw invalidRequest(
      `The amount to capture (${amountToCapture}) cannot exceed the amount capturable (${intent.amount_capturable}).`,
      { param: 'amount_to_capture', code: 'amount_too_large' },
    );
  }
  return amountToCapture;
}

export function capturedIntent(intent: PaymentIntent, amount: number): PaymentIntent {
  return { ...intent, status: 'succeeded', amount_received: amount, amount_capturable: 0 };
}

/** The card was approved: captured now (automatic) or held for capture (manual). */
export function approvedIntent(intent: PaymentIntent, chargeId: string, paymentMethodId: string): PaymentIntent {
  const manual = intent.capture_method === 'manual';
  return {
    ...intent,
    status: manual ? 'requires_capture' : 'succeeded',
    amount_received: manual ? 0 : intent.amount,
    amount_capturable: manual ? intent.amount : 0,
    latest_charge: chargeId,
    payment_method: paymentMethodId,
    last_payment_error: null,
    next_action: null,
  };
}

/** The card was declined: the intent waits for another payment method, the error kept in `last_payment_error`. */
export function declinedIntent(
  intent: PaymentIntent,
  error: Stripe.PaymentIntent.LastPaymentError,
  chargeId: string | null,
): PaymentIntent {
  return {
    ...intent,
    status: 'requires_payment_method',
    last_payment_error: error,
    latest_charge: chargeId ?? intent.latest_charge,
    payment_method: null,
    next_action: null,
  };
}
