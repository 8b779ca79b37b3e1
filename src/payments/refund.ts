// Refund rules: what may be refunded and how much, the refund object in
// Stripe's shape and its later changes, the charge's refunded amounts. Plain
// functions over plain objects; the network's answers come in as arguments.
import { randomInt } from 'node:crypto';
import type Stripe from 'stripe';
import { formatAmount } from '../money/currencies.js';
import { invalidParam, invalidRequest, type StripeError } from '../server/errors.js';
import type { Metadata } from '../server/metadata.js';
import type { BalanceTransaction } from './balance-transaction.js';
import type { Charge } from './charge.js';

export type Refund = Stripe.Refund;
export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

/** Which parameter named the payment: errors point at it. */
export type RefundTarget = 'charge' | 'payment_intent';

/**
 * When the network's later word arrives, in seconds after the refund: the
 * test card 4000000000007726 (pm_card_pendingRefund) settles its pending
 * refund after 5 s, 4000000000005126 (pm_card_refundFail) fails its
 * succeeded refund after 5 s. Real Stripe takes "some time"; a few seconds
 * keep a local integration's webhook handling quick to exercise.
 */
export const LATER_OUTCOME_DELAY_SECONDS: Readonly<Record<'succeeded' | 'failed', number>> = {
  succeeded: 5,
  failed: 5,
};

export function noSuccessfulCharge(intentId: string | null, chargeId: string, param: RefundTarget): StripeError {
  const what = intentId ? `This PaymentIntent (${intentId})` : `Charge ${chargeId}`;
  return invalidRequest(`${what} does not have a successful charge to refund.`, { param });
}

export function uncapturedCharge(intentId: string | null, param: RefundTarget): StripeError {
  return invalidRequest(
    `This uncaptured Charge was created by a PaymentIntent (${intentId}). You must cancel the PaymentIntent to reverse the authorization instead of refunding the Charge directly. For more information, see https://stripe.com/docs/payments/payment-intents/creating-payment-intents#separate-auth-capture`,
    { param },
  );
}

/** Throws Stripe's error when the charge cannot take a refund at all. */
export function assertRefundable(charge: Charge, param: RefundTarget): void {
  const intentId =
    typeof charge.payment_intent === 'string' ? charge.payment_intent : (charge.payment_intent?.id ?? null);
  if (charge.status !== 'succeeded') throw noSuccessfulCharge(intentId, charge.id, param);
  if (!charge.captured) {
    // A released hold (its intent was canceled) shows as refunded: nothing was ever taken.
    if (charge.refunded) throw noSuccessfulCharge(intentId, charge.id, param);
    throw uncapturedCharge(intentId, param);
  }
  if (charge.refunded || unrefunded(charge) <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
  }
}

/** What is left to refund. (A partial capture's released remainder already counts as refunded.) */
export function unrefunded(charge: Charge): number {
  return charge.amount - charge.amount_refunded;
}

/** The amount to refund: what remains by default; never more than that. */
export function refundAmount(charge: Charge, requested: number | undefined): number {
  const remaining = unrefunded(charge);
  if (requested === undefined) return remaining;
  if (!Number.isSafeInteger(requested) || requested < 1)
    throw invalidParam('Invalid positive integer', 'amount', 'parameter_invalid_integer');
  if (requested > remaining) {
    throw invalidRequest(
      `Refund amount (${formatAmount(requested, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      { param: 'amount', code: 'amount_too_large' },
    );
  }
  return requested;
}

/** A card refund's reference at the card network (an acquirer reference number, 23 digits). */
export function acquirerReferenceNumber(): string {
  let digits = '74';
  while (digits.length < 23) digits += String(randomInt(10));
  return digits;
}

function cardDestination(status: 'pending' | 'succeeded'): Stripe.Refund.DestinationDetails {
  const card: Stripe.Refund.DestinationDetails.Card =
    status === 'pending'
      ? { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'pending' }
      : {
          reference: acquirerReferenceNumber(),
          reference_status: 'available',
          reference_type: 'acquirer_reference_number',
          type: 'refund',
        };
  return { card, type: 'card' } as Stripe.Refund.DestinationDetails;
}

export interface NewRefund {
  id: string;
  charge: Charge;
  amount: number;
  reason: RefundReason | undefined;
  metadata: Metadata;
  balanceTransactionId: string;
  /** What the network answered at once. */
  status: 'pending' | 'succeeded';
  now: number;
}

export function newRefund(input: NewRefund): Refund {
  const { charge } = input;
  const id = (value: string | { id: string } | null) =>
    value === null || typeof value === 'string' ? value : value.id;
  return {
    id: input.id,
    object: 'refund',
    amount: input.amount,
    balance_transaction: input.balanceTransactionId,
    charge: charge.id,
    created: input.now,
    currency: charge.currency,
    customer: id(charge.customer),
    customer_account: null,
    destination_details: cardDestination(input.status),
    metadata: input.metadata,
    payment_intent: id(charge.payment_intent),
    payment_method: id(charge.payment_method as string | null),
    reason: input.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: input.status,
    transfer_reversal: null,
  } as Refund;
}

/** A pending refund that the network confirmed. */
export function settledRefund(refund: Refund): Refund {
  return { ...refund, status: 'succeeded', destination_details: cardDestination('succeeded') };
}

/** A refund the network gave back (or one canceled): the money returns to the balance through `failureTransactionId`. */
export function reversedRefund(
  refund: Refund,
  status: 'failed' | 'canceled',
  failureReason: string,
  failureTransactionId: string,
): Refund {
  return { ...refund, status, failure_reason: failureReason, failure_balance_transaction: failureTransactionId };
}

/** Only refunds waiting for the customer (never card refunds) can be canceled. */
export function assertCancelable(refund: Refund): void {
  if (refund.status === 'requires_action') return;
  throw invalidRequest(
    `You cannot cancel refund ${refund.id} because it has a status of ${refund.status}. Only refunds with a status of requires_action can be canceled; card refunds never need customer action.`,
    { param: 'refund' },
  );
}

/** The charge after a refund of `amount`. */
export function refundedCharge(charge: Charge, amount: number): Charge {
  const amountRefunded = charge.amount_refunded + amount;
  return { ...charge, amount_refunded: amountRefunded, refunded: amountRefunded >= charge.amount };
}

/** The charge after a refund of `amount` failed or was canceled: that amount is no longer refunded. */
export function unrefundedCharge(charge: Charge, amount: number): Charge {
  const amountRefunded = Math.max(0, charge.amount_refunded - amount);
  return { ...charge, amount_refunded: amountRefunded, refunded: amountRefunded >= charge.amount };
}

/** The balance transaction that gives a failed or canceled refund's money back. */
export function refundFailureTransaction(id: string, refund: Refund, now: number): BalanceTransaction {
  return {
    id,
    object: 'balance_transaction',
    amount: refund.amount,
    available_on: now,
    balance_type: 'payments',
    created: now,
    currency: refund.currency,
    description: 'REFUND FAILURE',
    exchange_rate: null,
    fee: 0,
    fee_details: [],
    net: refund.amount,
    reporting_category: 'refund_failure',
    source: refund.id,
    status: 'available',
    type: 'refund_failure',
  } as BalanceTransaction;
}
