// Charge rules: one charge per payment attempt, succeeded or failed, in
// Stripe's shape. Plain functions.
import type Stripe from 'stripe';
import type { Approved, CardProfile, Declined } from '../network/network.js';
import type { PaymentIntent } from './payment-intent.js';
import type { PaymentMethod } from './payment-method.js';

export type Charge = Stripe.Charge;

/** What Kassa keeps about a charge outside the API. */
export interface ChargeSecret {
  card: CardProfile;
  authorizationId: string | null;
  receiptToken: string;
  /** The network said the funds skip the pending balance (the bypass-pending test cards); applies when captured later too. */
  availableImmediately?: boolean;
}

export interface ChargeAttempt {
  id: string;
  intent: PaymentIntent;
  pm: PaymentMethod;
  profile: CardProfile;
  receiptUrl: string;
  now: number;
}

function baseCharge(attempt: ChargeAttempt): Charge {
  const { intent, pm, profile } = attempt;
  return {
    id: attempt.id,
    object: 'charge',
    amount: intent.amount,
    amount_captured: 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: pm.billing_details,
    calculated_statement_descriptor: calculatedDescriptor(intent),
    captured: false,
    created: attempt.now,
    currency: intent.currency,
    customer: intent.customer,
    description: intent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: null,
    paid: false,
    payment_intent: intent.id,
    payment_method: pm.id,
    payment_method_details: {
      card: {
        amount_authorized: null,
        authorization_code: null,
        brand: profile.brand,
        checks: { ...profile.checks },
        country: profile.country,
        exp_month: profile.exp_month,
        exp_year: profile.exp_year,
        extended_authorization: { status: 'disabled' },
        fingerprint: profile.fingerprint,
        funding: profile.funding,
        incremental_authorization: { status: 'unavailable' },
        installments: null,
        last4: profile.last4,
        mandate: null,
        multicapture: { status: 'unavailable' },
        network: profile.brand,
        network_token: { used: false },
        network_transaction_id: null,
        overcapture: { maximum_amount_capturable: intent.amount, status: 'unavailable' },
        regulated_status: 'unregulated',
        three_d_secure: null,
        wallet: null,
      },
      type: 'card',
    } as unknown as Stripe.Charge.PaymentMethodDetails,
    radar_options: {},
    receipt_email: intent.receipt_email,
    receipt_number: null,
    receipt_url: attempt.receiptUrl,
    refunded: false,
    review: null,
    shipping: intent.shipping,
    source: null,
    source_transfer: null,
    statement_descriptor: intent.statement_descriptor,
    statement_descriptor_suffix: intent.statement_descriptor_suffix,
    status: 'pending',
    transfer_data: null,
    transfer_group: intent.transfer_group,
  } as unknown as Charge;
}

/** The account's descriptor (Kassa has no account settings: `KASSA`), with a card suffix as `PREFIX* SUFFIX`. */
export function calculatedDescriptor(intent: PaymentIntent): string {
  const base =
    intent.statement_descriptor ??
    (intent.statement_descriptor_suffix ? `KASSA* ${intent.statement_descriptor_suffix}` : 'KASSA');
  return base.toUpperCase().slice(0, 22);
}

export function approvedCharge(attempt: ChargeAttempt, result: Approved, captured: boolean): Charge {
  const charge = baseCharge(attempt);
  const card = charge.payment_method_details!.card!;
  card.amount_authorized = attempt.intent.amount;
  card.authorization_code = result.authorizationId.slice(-6).toUpperCase();
  card.checks = { ...result.checks } as Stripe.Charge.PaymentMethodDetails.Card.Checks;
  card.network_transaction_id = result.networkTransactionId;
  if (result.threeDSecure)
    card.three_d_secure = result.threeDSecure as unknown as Stripe.Charge.PaymentMethodDetails.Card.ThreeDSecure;
  return {
    ...charge,
    status: 'succeeded',
    paid: true,
    captured,
    amount_captured: captured ? attempt.intent.amount : 0,
    outcome: {
      ...result.outcome,
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
    } as Stripe.Charge.Outcome,
  };
}

export function failedCharge(attempt: ChargeAttempt, result: Declined): Charge {
  const charge = baseCharge(attempt);
  charge.payment_method_details!.card!.checks = { ...result.checks } as Stripe.Charge.PaymentMethodDetails.Card.Checks;
  return {
    ...charge,
    status: 'failed',
    failure_code: result.code,
    failure_message: result.message,
    outcome: {
      ...result.outcome,
      advice_code: result.advice_code,
      network_advice_code: null,
      network_decline_code: null,
    } as Stripe.Charge.Outcome,
  };
}

/** A capture of a held charge; an uncaptured remainder is released (shown as refunded, as Stripe does). */
export function capturedCharge(charge: Charge, amount: number, balanceTransactionId: string): Charge {
  return {
    ...charge,
    captured: true,
    amount_captured: amount,
    amount_refunded: charge.amount - amount,
    balance_transaction: balanceTransactionId,
  };
}

/** An uncaptured charge whose intent was canceled: the whole hold is released. */
export function releasedCharge(charge: Charge): Charge {
  return { ...charge, amount_refunded: charge.amount, refunded: true };
}

export function lastPaymentError(
  result: Declined,
  chargeId: string | null,
  pm: PaymentMethod,
): Stripe.PaymentIntent.LastPaymentError {
  return {
    advice_code: result.advice_code ?? undefined,
    charge: chargeId ?? undefined,
    code: result.code,
    decline_code: result.decline_code,
    doc_url: `https://stripe.com/docs/error-codes/${result.code.replace(/_/g, '-')}`,
    message: result.message,
    payment_method: pm,
    type: 'card_error',
  } as Stripe.PaymentIntent.LastPaymentError;
}
