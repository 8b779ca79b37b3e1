// The charge rules in src/payments/charge.ts and the charge balance
// transaction, without HTTP. Network answers come from the simulated network.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_FEE_RULE } from '../../src/money/fees.js';
import type { Approved, AuthorizeResult, CardProfile, Declined } from '../../src/network/network.js';
import { createSimulatedNetwork } from '../../src/network/simulator/simulated-network.js';
import { availableOn, chargeTransaction, withStatus } from '../../src/payments/balance-transaction.js';
import {
  approvedCharge,
  capturedCharge,
  failedCharge,
  lastPaymentError,
  releasedCharge,
  type ChargeAttempt,
} from '../../src/payments/charge.js';
import { newPaymentIntent, type IntentParams } from '../../src/payments/payment-intent.js';
import { newCardPaymentMethod } from '../../src/payments/payment-method.js';
import { assertShape } from '../support/shapes.js';

const network = createSimulatedNetwork();
// 15 June 2026, 12:00 UTC
const NOW = Date.UTC(2026, 5, 15, 12) / 1000;
const DAY = 86_400;

async function profile(testId: string): Promise<CardProfile> {
  const found = await network.profileForTestId(testId, { fingerprintKey: 'key', now: NOW });
  assert.ok(found, testId);
  return found;
}

async function attemptWith(testId: string, params: IntentParams = {}): Promise<ChargeAttempt> {
  const card = await profile(testId);
  const intent = newPaymentIntent(
    'pi_unit',
    'pi_unit_secret_x',
    { amount: 2000, currency: 'usd', description: 'Tea', ...params },
    NOW,
  );
  const pm = newCardPaymentMethod('pm_unit', card, { billing_details: { name: 'Ada' } }, NOW);
  return {
    id: 'ch_unit',
    intent,
    pm,
    profile: card,
    receiptUrl: 'http://127.0.0.1/receipts/acct_1/ch_unit/token',
    now: NOW,
  };
}

async function authorize(
  attempt: ChargeAttempt,
  captureMethod: 'automatic' | 'manual' = 'automatic',
): Promise<AuthorizeResult> {
  return network.authorize({
    idempotencyKey: attempt.id,
    amount: attempt.intent.amount,
    currency: attempt.intent.currency,
    profile: attempt.profile,
    captureMethod,
    offSession: false,
    authenticated: false,
  });
}

async function approved(
  testId: string,
  params: IntentParams = {},
): Promise<{ attempt: ChargeAttempt; result: Approved }> {
  const attempt = await attemptWith(testId, params);
  const result = await authorize(attempt);
  assert.equal(result.status, 'approved', testId);
  return { attempt, result: result as Approved };
}

async function declined(testId: string): Promise<{ attempt: ChargeAttempt; result: Declined }> {
  const attempt = await attemptWith(testId);
  const result = await authorize(attempt);
  assert.equal(result.status, 'declined', testId);
  return { attempt, result: result as Declined };
}

test("approvedCharge: a captured charge in Stripe's shape", async () => {
  const { attempt, result } = await approved('pm_card_visa', {
    customer: 'cus_1',
    receipt_email: 'r@example.com',
    statement_descriptor_suffix: 'order 9',
  });
  const charge = approvedCharge(attempt, result, true);
  assertShape('charge', charge);
  assert.equal(charge.id, 'ch_unit');
  assert.equal(charge.status, 'succeeded');
  assert.equal(charge.paid, true);
  assert.equal(charge.captured, true);
  assert.equal(charge.amount, 2000);
  assert.equal(charge.amount_captured, 2000);
  assert.equal(charge.amount_refunded, 0);
  assert.equal(charge.currency, 'usd');
  assert.equal(charge.customer, 'cus_1');
  assert.equal(charge.description, 'Tea');
  assert.equal(charge.receipt_email, 'r@example.com');
  assert.equal(charge.receipt_url, attempt.receiptUrl);
  assert.equal(charge.payment_intent, 'pi_unit');
  assert.equal(charge.payment_method, 'pm_unit');
  assert.equal(charge.billing_details.name, 'Ada');
  assert.equal(charge.calculated_statement_descriptor, 'KASSA* ORDER 9');
  assert.equal(charge.balance_transaction, null);
  assert.equal(charge.failure_code, null);
  assert.deepEqual(charge.outcome, {
    ...result.outcome,
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
  });
  const card = charge.payment_method_details!.card!;
  assert.equal(card.brand, 'visa');
  assert.equal(card.last4, '4242');
  assert.equal(card.amount_authorized, 2000);
  assert.equal(card.authorization_code, result.authorizationId.slice(-6).toUpperCase());
  assert.equal(card.network_transaction_id, result.networkTransactionId);
  assert.deepEqual(card.checks, result.checks);
  assert.deepEqual(card.checks, { cvc_check: 'pass', address_line1_check: null, address_postal_code_check: null });
});

test('approvedCharge: held for a manual capture', async () => {
  const { attempt, result } = await approved('pm_card_mastercard');
  const held = approvedCharge(attempt, result, false);
  assertShape('charge', held);
  assert.equal(held.status, 'succeeded');
  assert.equal(held.paid, true);
  assert.equal(held.captured, false);
  assert.equal(held.amount_captured, 0);
  assert.equal(held.payment_method_details!.card!.brand, 'mastercard');
});

test('failedCharge: the decline as failure_code, failure_message and outcome', async () => {
  const { attempt, result } = await declined('pm_card_visa_chargeDeclinedInsufficientFunds');
  const charge = failedCharge(attempt, result);
  assertShape('charge', charge);
  assert.equal(charge.status, 'failed');
  assert.equal(charge.paid, false);
  assert.equal(charge.captured, false);
  assert.equal(charge.amount_captured, 0);
  assert.equal(charge.failure_code, 'card_declined');
  assert.equal(charge.failure_message, 'Your card has insufficient funds.');
  assert.equal(charge.outcome!.type, 'issuer_declined');
  assert.equal(charge.outcome!.reason, 'insufficient_funds');
  assert.equal(charge.outcome!.network_status, 'declined_by_network');
  assert.equal(charge.outcome!.advice_code, 'try_again_later');

  const radar = await declined('pm_card_radarBlock');
  const blocked = failedCharge(radar.attempt, radar.result);
  assert.equal(blocked.outcome!.type, 'blocked');
  assert.equal(blocked.outcome!.network_status, 'not_sent_to_network');
  assert.equal(blocked.outcome!.risk_level, 'highest');
});

test('lastPaymentError: what the intent keeps of a decline', async () => {
  const { attempt, result } = await declined('pm_card_chargeDeclinedExpiredCard');
  const error = lastPaymentError(result, 'ch_unit', attempt.pm);
  assert.equal(error.type, 'card_error');
  assert.equal(error.code, 'expired_card');
  assert.equal(error.decline_code, 'expired_card');
  assert.equal(error.message, 'Your card has expired.');
  assert.equal(error.charge, 'ch_unit');
  assert.equal(error.doc_url, 'https://stripe.com/docs/error-codes/expired-card');
  assert.equal((error.payment_method as { id: string }).id, 'pm_unit');
  assert.equal(lastPaymentError(result, null, attempt.pm).charge, undefined);
});

test('capturedCharge and releasedCharge', async () => {
  const { attempt, result } = await approved('pm_card_visa');
  const held = approvedCharge(attempt, result, false);
  const full = capturedCharge(held, 2000, 'txn_1');
  assert.equal(full.captured, true);
  assert.equal(full.amount_captured, 2000);
  assert.equal(full.amount_refunded, 0);
  assert.equal(full.balance_transaction, 'txn_1');
  const partial = capturedCharge(held, 1500, 'txn_2');
  assert.equal(partial.amount_captured, 1500);
  assert.equal(partial.amount_refunded, 500);
  assert.equal(partial.refunded, false);
  assertShape('charge', partial);
  const released = releasedCharge(held);
  assert.equal(released.captured, false);
  assert.equal(released.amount_refunded, 2000);
  assert.equal(released.refunded, true);
  assert.equal(held.amount_refunded, 0, 'the original is not changed');
});

test('chargeTransaction: 2.9% + 30 by default, pending for two days', () => {
  const txn = chargeTransaction(
    'txn_1',
    { id: 'ch_1', currency: 'usd', description: 'Tea' },
    2000,
    DEFAULT_FEE_RULE,
    NOW,
    false,
  );
  assertShape('balance_transaction', txn);
  assert.equal(txn.amount, 2000);
  assert.equal(txn.fee, 88);
  assert.equal(txn.net, 1912);
  assert.deepEqual(txn.fee_details, [
    { amount: 88, application: null, currency: 'usd', description: 'Stripe processing fees', type: 'stripe_fee' },
  ]);
  assert.equal(txn.type, 'charge');
  assert.equal(txn.reporting_category, 'charge');
  assert.equal(txn.source, 'ch_1');
  assert.equal(txn.description, 'Tea');
  assert.equal(txn.created, NOW);
  assert.equal(txn.available_on, Math.floor(NOW / DAY) * DAY + 2 * DAY);
  assert.equal(txn.status, 'pending');
  assert.equal(withStatus(txn, txn.available_on).status, 'available');
  assert.equal(withStatus(txn, txn.available_on - 1).status, 'pending');

  const immediate = chargeTransaction(
    'txn_2',
    { id: 'ch_2', currency: 'usd', description: null },
    1000,
    DEFAULT_FEE_RULE,
    NOW,
    true,
  );
  assert.equal(immediate.available_on, NOW);
  assert.equal(immediate.status, 'available');
  assert.equal(immediate.fee, 59);
  assert.equal(availableOn(NOW, true), NOW);

  const yen = chargeTransaction(
    'txn_3',
    { id: 'ch_3', currency: 'jpy', description: null },
    1000,
    DEFAULT_FEE_RULE,
    NOW,
    false,
  );
  assert.equal(yen.fee, 29); // no fixed part in a zero-decimal currency
  assert.equal(yen.net, 971);
  const custom = chargeTransaction(
    'txn_4',
    { id: 'ch_4', currency: 'usd', description: null },
    1000,
    { percentBps: 150, fixed: { usd: 10 } },
    NOW,
    false,
  );
  assert.equal(custom.fee, 25);
  assert.equal(custom.net, 975);
});
