// PaymentIntent rules: Stripe's state machine as plain functions over plain
// objects. The network's answers come in as arguments; nothing here does I/O.
import type Stripe from 'stripe';
import { checkChargeAmount, checkCurrency } from '../money/currencies.js';
import { invalidParam, invalidRequest, StripeError } from '../server/errors.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';

export type PaymentIntent = Stripe.PaymentIntent;
export type Status = Stripe.PaymentIntent.Status;

type Shipping = { address: Partial<Stripe.Address>; name: string; carrier?: string; phone?: string; tracking_number?: string };

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
  automatic_payment_methods?: { enabled: boolean; allow_redirects?: 'always' | 'never' };
  transfer_group?: string;
}

export const CONFIRMABLE: readonly Status[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const UPDATABLE: readonly Status[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE: readonly Status[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action'];
const SUPPORTED_TYPES = ['card'];

export function newPaymentIntent(id: string, clientSecret: string, params: IntentParams, now: number): PaymentIntent {
  if (params.amount === undefined) throw invalidParam('Missing required param: amount.', 'amount', 'parameter_missing');
  if (!params.currency) throw invalidParam('Missing required param: currency.', 'currency', 'parameter_missing');
  const explicitTypes = params.payment_method_types && params.payment_method_types.length > 0;
  if (explicitTypes && params.automatic_payment_methods?.enabled) {
    throw invalidParam('You may only specify one of these parameters: automatic_payment_methods, payment_method_types.', 'automatic_payment_methods');
  }
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
    automatic_payment_methods: explicitTypes ? null : { allow_redirects: params.automatic_payment_methods?.allow_redirects ?? 'always', enabled: true },
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
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: explicitTypes ? checkTypes(params.payment_method_types!) : [...SUPPORTED_TYPES],
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

function checkTypes(types: string[]): string[] {
  for (const [index, type] of types.entries()) {
    if (!SUPPORTED_TYPES.includes(type)) {
      throw invalidParam(`The payment method type "${type}" is invalid or not supported by Kassa yet. Kassa supports: ${SUPPORTED_TYPES.join(', ')}.`, `payment_method_types[${index}]`);
    }
  }
  return [...new Set(types)];
}

/** Fields that create, update and confirm share. */
export function applyIntentParams(intent: PaymentIntent, params: IntentParams): PaymentIntent {
  const next: PaymentIntent = { ...intent };
  if (params.currency !== undefined) next.currency = checkCurrency(params.currency).code;
  if (params.amount !== undefined) next.amount = checkChargeAmount(params.amount, next.currency);
  else if (params.currency !== undefined && next.amount > 0) checkChargeAmount(next.amount, next.currency);
  if (params.customer !== undefined) next.customer = params.customer || null;
  if (params.description !== undefined) next.description = params.description || null;
  if (params.receipt_email !== undefined) next.receipt_email = params.receipt_email || null;
  if (params.statement_descriptor !== undefined) next.statement_descriptor = descriptor(params.statement_descriptor, 'statement_descriptor', 22);
  if (params.statement_descriptor_suffix !== undefined) {
    next.statement_descriptor_suffix = descriptor(params.statement_descriptor_suffix, 'statement_descriptor_suffix', 22);
  }
  if (params.shipping !== undefined) next.shipping = params.shipping === '' ? null : shipping(params.shipping);
  if (params.metadata !== undefined) next.metadata = applyMetadata(intent.metadata, params.metadata);
  if (params.setup_future_usage !== undefined) next.setup_future_usage = params.setup_future_usage || null;
  if (params.capture_method !== undefined) next.capture_method = params.capture_method;
  if (params.payment_method_types !== undefined && params.payment_method_types.length > 0) {
    next.payment_method_types = checkTypes(params.payment_method_types);
    next.automatic_payment_methods = null;
  }
  if (params.transfer_group !== undefined) next.transfer_group = params.transfer_group || null;
  return next;
}

function descriptor(value: string, param: string, max: number): string | null {
  if (value === '') return null;
  if (value.length > max) throw invalidParam(`The ${param} must be at most ${max} characters.`, param);
  if (/[<>\\'"*]/.test(value)) throw invalidParam(`The ${param} cannot contain any of these characters: < > \\ ' " *`, param);
  if (!/[a-zA-Z]/.test(value)) throw invalidParam(`The ${param} must contain at least one letter.`, param);
  return value;
}

function shipping(params: Shipping): Stripe.PaymentIntent.Shipping {
  const a = params.address;
  return {
    address: { city: a.city || null, country: a.country || null, line1: a.line1 || null, line2: a.line2 || null, postal_code: a.postal_code || null, state: a.state || null },
    carrier: params.carrier || null,
    name: params.name,
    phone: params.phone || null,
    tracking_number: params.tracking_number || null,
  };
}

export function unexpectedState(intent: PaymentIntent, action: string, allowed: readonly Status[]): StripeError {
  return invalidRequest(
    `You cannot ${action} this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be ${pastTense(action)}: ${allowed.join(', ')}.`,
    { code: 'payment_intent_unexpected_state' },
  );
}

function pastTense(action: string): string {
  return action.endsWith('e') ? `${action}d` : action === 'cancel' ? 'canceled' : `${action}ed`;
}

export function assertUpdatable(intent: PaymentIntent): void {
  if (!UPDATABLE.includes(intent.status)) throw unexpectedState(intent, 'update', UPDATABLE);
}

export function assertConfirmable(intent: PaymentIntent): void {
  if (!CONFIRMABLE.includes(intent.status)) throw unexpectedState(intent, 'confirm', CONFIRMABLE);
}

/** After update: a PaymentMethod on an unconfirmed intent makes it wait for confirmation. */
export function settleUnconfirmedStatus(intent: PaymentIntent): PaymentIntent {
  if (intent.status !== 'requires_payment_method' && intent.status !== 'requires_confirmation') return intent;
  return { ...intent, status: intent.payment_method ? 'requires_confirmation' : 'requires_payment_method' };
}

export function cancelIntent(intent: PaymentIntent, reason: Stripe.PaymentIntent.CancellationReason | undefined, now: number): PaymentIntent {
  if (!CANCELABLE.includes(intent.status)) throw unexpectedState(intent, 'cancel', CANCELABLE);
  return { ...intent, status: 'canceled', canceled_at: now, cancellation_reason: reason ?? null, next_action: null, amount_capturable: 0 };
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
export function declinedIntent(intent: PaymentIntent, error: Stripe.PaymentIntent.LastPaymentError, chargeId: string | null): PaymentIntent {
  return {
    ...intent,
    status: 'requires_payment_method',
    last_payment_error: error,
    latest_charge: chargeId ?? intent.latest_charge,
    payment_method: null,
    next_action: null,
  };
}
