import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Stripe from 'stripe';
import { StripeError } from '../../src/server/errors.js';
import {
  assertCancelable,
  assertRefundable,
  newRefund,
  refundAmount,
  refundedCharge,
  refundFailureTransaction,
  reversedRefund,
  settledRefund,
  unrefundedCharge,
} from '../../src/payments/refund.js';

function charge(fields: Partial<Stripe.Charge> = {}): Stripe.Charge {
  return {
    id: 'ch_1',
    object: 'charge',
    amount: 1000,
    amount_captured: 1000,
    amount_refunded: 0,
    captured: true,
    currency: 'usd',
    customer: 'cus_1',
    payment_intent: 'pi_1',
    payment_method: 'pm_1',
    refunded: false,
    status: 'succeeded',
    ...fields,
  } as Stripe.Charge;
}

function stripeError(check: (body: StripeError['body'], status: number) => void) {
  return (error: unknown) => {
    assert.ok(error instanceof StripeError, String(error));
    check(error.body, error.statusCode);
    return true;
  };
}

test('refundable: succeeded and captured, with something left', () => {
  assert.doesNotThrow(() => assertRefundable(charge(), 'charge'));
  assert.doesNotThrow(() => assertRefundable(charge({ amount_refunded: 999 }), 'payment_intent'));
  assert.throws(
    () => assertRefundable(charge({ amount_refunded: 1000, refunded: true }), 'charge'),
    stripeError((body, status) => {
      assert.equal(status, 400);
      assert.equal(body.code, 'charge_already_refunded');
      assert.equal(body.message, 'Charge ch_1 has already been refunded.');
    }),
  );
  assert.throws(
    () => assertRefundable(charge({ status: 'failed', captured: false, amount_captured: 0 }), 'charge'),
    stripeError((body) => {
      assert.equal(body.message, 'This PaymentIntent (pi_1) does not have a successful charge to refund.');
      assert.equal(body.param, 'charge');
    }),
  );
  assert.throws(
    () => assertRefundable(charge({ captured: false, amount_captured: 0 }), 'payment_intent'),
    stripeError((body) => {
      assert.match(
        body.message,
        /^This uncaptured Charge was created by a PaymentIntent \(pi_1\)\. You must cancel the PaymentIntent/,
      );
      assert.equal(body.param, 'payment_intent');
    }),
  );
  // A hold released by canceling its intent shows as refunded; there was never a payment.
  assert.throws(
    () =>
      assertRefundable(
        charge({ captured: false, amount_captured: 0, amount_refunded: 1000, refunded: true }),
        'charge',
      ),
    stripeError((body) => assert.match(body.message, /does not have a successful charge to refund/)),
  );
});

test("refund amount: what remains by default, never more, in the currency's format", () => {
  assert.equal(refundAmount(charge({ amount_refunded: 300 }), undefined), 700);
  assert.equal(refundAmount(charge({ amount_refunded: 300 }), 700), 700);
  assert.equal(refundAmount(charge(), 1), 1);
  assert.throws(
    () => refundAmount(charge({ amount_refunded: 300 }), 701),
    stripeError((body) => {
      assert.equal(body.code, 'amount_too_large');
      assert.equal(body.param, 'amount');
      assert.equal(body.message, 'Refund amount ($7.01) is greater than unrefunded amount on charge ($7.00)');
    }),
  );
  assert.throws(
    () => refundAmount(charge({ currency: 'jpy', amount: 5000 }), 5001),
    stripeError((body) =>
      assert.equal(body.message, 'Refund amount (¥5,001) is greater than unrefunded amount on charge (¥5,000)'),
    ),
  );
  for (const bad of [0, -5])
    assert.throws(
      () => refundAmount(charge(), bad),
      stripeError((body) => assert.equal(body.param, 'amount')),
    );
});

test('the charge counts refunds, and stops counting a refund that failed', () => {
  const once = refundedCharge(charge(), 400);
  assert.deepEqual([once.amount_refunded, once.refunded], [400, false]);
  const full = refundedCharge(once, 600);
  assert.deepEqual([full.amount_refunded, full.refunded], [1000, true]);
  const back = unrefundedCharge(full, 600);
  assert.deepEqual([back.amount_refunded, back.refunded], [400, false]);
});

test("a refund's later states", () => {
  const base = {
    id: 're_1',
    charge: charge(),
    amount: 500,
    reason: undefined,
    metadata: {},
    balanceTransactionId: 'txn_1',
    now: 100,
  };
  const pending = newRefund({ ...base, status: 'pending' });
  assert.deepEqual(
    [pending.status, pending.customer, pending.payment_intent, pending.payment_method, pending.reason],
    ['pending', 'cus_1', 'pi_1', 'pm_1', null],
  );
  assert.equal(pending.destination_details?.card?.reference, undefined);
  const settled = settledRefund(pending);
  assert.equal(settled.status, 'succeeded');
  assert.equal(settled.destination_details?.card?.type, 'refund');
  assert.match(settled.destination_details?.card?.reference ?? '', /^\d{23}$/);

  const txn = refundFailureTransaction('txn_2', settled, 200);
  assert.deepEqual(
    [txn.type, txn.amount, txn.net, txn.fee, txn.source, txn.available_on, txn.status],
    ['refund_failure', 500, 500, 0, 're_1', 200, 'available'],
  );
  const failed = reversedRefund(settled, 'failed', 'expired_or_canceled_card', txn.id);
  assert.deepEqual(
    [failed.status, failed.failure_reason, failed.failure_balance_transaction],
    ['failed', 'expired_or_canceled_card', 'txn_2'],
  );
});

test('only a refund waiting for customer action can be canceled', () => {
  const refund = newRefund({
    id: 're_1',
    charge: charge(),
    amount: 500,
    reason: 'duplicate',
    metadata: {},
    balanceTransactionId: 'txn_1',
    status: 'succeeded',
    now: 1,
  });
  for (const status of ['succeeded', 'pending', 'failed', 'canceled']) {
    assert.throws(
      () => assertCancelable({ ...refund, status }),
      stripeError((body) => assert.match(body.message, new RegExp(`status of ${status}`))),
    );
  }
  assert.doesNotThrow(() => assertCancelable({ ...refund, status: 'requires_action' }));
});
