// Balance transactions: every captured charge and every refund moves the
// balance, with the processing fee and the date the funds become available.
import type Stripe from 'stripe';
import { computeFee, feeDetails, refundFee, type FeeRule } from '../money/fees.js';

export type BalanceTransaction = Stripe.BalanceTransaction;

const DAY = 24 * 60 * 60;
/** Card funds become available two days after capture (a day boundary, UTC), as on a standard US account. */
const PENDING_DAYS = 2;

export function availableOn(now: number, immediately: boolean): number {
  if (immediately) return now;
  return Math.floor(now / DAY) * DAY + PENDING_DAYS * DAY;
}

/** `status` follows the clock: pending until `available_on`. */
export function withStatus(txn: BalanceTransaction, now: number): BalanceTransaction {
  const status = txn.available_on <= now ? 'available' : 'pending';
  return txn.status === status ? txn : { ...txn, status };
}

export function chargeTransaction(
  id: string,
  charge: { id: string; currency: string; description: string | null },
  amount: number,
  rule: FeeRule,
  now: number,
  immediately: boolean,
): BalanceTransaction {
  const fee = computeFee(amount, charge.currency, rule);
  return withStatus(
    {
      id,
      object: 'balance_transaction',
      amount,
      available_on: availableOn(now, immediately),
      balance_type: 'payments',
      created: now,
      currency: charge.currency,
      description: charge.description,
      exchange_rate: null,
      fee,
      fee_details: feeDetails(amount, charge.currency, rule) as Stripe.BalanceTransaction.FeeDetail[],
      net: amount - fee,
      reporting_category: 'charge',
      source: charge.id,
      status: 'pending',
      type: 'charge',
    } as BalanceTransaction,
    now,
  );
}

/** A refund takes the amount back; Stripe keeps the original fee. */
export function refundTransaction(
  id: string,
  refund: { id: string; currency: string; amount: number },
  now: number,
): BalanceTransaction {
  const fee = refundFee();
  return {
    id,
    object: 'balance_transaction',
    amount: -refund.amount,
    available_on: now,
    balance_type: 'payments',
    created: now,
    currency: refund.currency,
    description: 'REFUND FOR CHARGE',
    exchange_rate: null,
    fee,
    fee_details: [],
    net: -refund.amount - fee,
    reporting_category: 'refund',
    source: refund.id,
    status: 'available',
    type: 'refund',
  } as BalanceTransaction;
}
