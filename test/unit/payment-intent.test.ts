// The PaymentIntent rules in src/payments/payment-intent.ts, without HTTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Stripe from 'stripe';
import {
  applyIntentParams,
  approvedIntent,
  assertConfirmable,
  assertUpdatable,
  cancelIntent,
  captureAmount,
  capturedIntent,
  declinedIntent,
  newPaymentIntent,
  settleUnconfirmedStatus,
  type IntentParams,
  type PaymentIntent,
  type Status,
} from '../../src/payments/payment-intent.js';
import { StripeError } from '../../src/server/errors.js';
import { assertShape } from '../support/shapes.js';

const NOW = 1_750_000_000;
const ALL_STATUSES: Status[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'succeeded',
  'canceled',
];

function intent(params: IntentParams = {}): PaymentIntent {
  return newPaymentIntent('pi_test', 'pi_test_secret_abc', { amount: 2000, currency: 'usd', ...params }, NOW);
}

function inStatus(status: Status, extra: Partial<PaymentIntent> = {}): PaymentIntent {
  return { ...intent(), status, ...extra };
}

function stripeError(expected: { status?: number; code?: string; param?: string; message?: RegExp }) {
  return (error: unknown) => {
    assert.ok(error instanceof StripeError, String(error));
    assert.equal(error.statusCode, expected.status ?? 400);
    assert.equal(error.body.type, 'invalid_request_error');
    if ('code' in expected) assert.equal(error.body.code, expected.code);
    if ('param' in expected) assert.equal(error.body.param, expected.param);
    if (expected.message) assert.match(error.body.message, expected.message);
    return true;
  };
}

test("newPaymentIntent: Stripe's defaults for a new intent", () => {
  const pi = intent({ currency: 'EUR' });
  assert.equal(pi.id, 'pi_test');
  assert.equal(pi.client_secret, 'pi_test_secret_abc');
  assert.equal(pi.created, NOW);
  assert.equal(pi.currency, 'eur');
  assert.equal(pi.status, 'requires_payment_method');
  assert.deepEqual(pi.automatic_payment_methods, { allow_redirects: 'always', enabled: true });
  assert.deepEqual(pi.payment_method_types, ['card']);
  assert.equal(pi.capture_method, 'automatic_async');
  assert.equal(pi.confirmation_method, 'automatic');
  assert.equal(pi.amount_received, 0);
  assert.equal(pi.amount_capturable, 0);
  assert.deepEqual(pi.metadata, {});
  for (const field of [
    'customer',
    'description',
    'receipt_email',
    'shipping',
    'statement_descriptor',
    'setup_future_usage',
    'latest_charge',
    'payment_method',
  ] as const) {
    assert.equal(pi[field], null, field);
  }
  assertShape('payment_intent', pi);
});

test('newPaymentIntent: amount and currency are required', () => {
  assert.throws(
    () => newPaymentIntent('pi_x', 's', { currency: 'usd' }, NOW),
    stripeError({ code: 'parameter_missing', param: 'amount' }),
  );
  assert.throws(
    () => newPaymentIntent('pi_x', 's', { amount: 100 }, NOW),
    stripeError({ code: 'parameter_missing', param: 'currency' }),
  );
  assert.throws(
    () => intent({ currency: 'abc' }),
    stripeError({ param: 'currency', message: /^Invalid currency: abc/ }),
  );
});

test('newPaymentIntent: amount limits by currency', () => {
  assert.throws(() => intent({ amount: 49 }), stripeError({ code: 'amount_too_small', param: 'amount' }));
  assert.throws(() => intent({ amount: 100_000_000 }), stripeError({ code: 'amount_too_large', param: 'amount' }));
  assert.equal(intent({ amount: 50, currency: 'jpy' }).amount, 50);
  assert.throws(() => intent({ amount: 49, currency: 'jpy' }), stripeError({ code: 'amount_too_small' }));
  assert.equal(intent({ amount: 9_999_999_999, currency: 'jpy' }).amount, 9_999_999_999);
  assert.equal(intent({ amount: 1230, currency: 'kwd' }).amount, 1230);
  assert.throws(
    () => intent({ amount: 1235, currency: 'kwd' }),
    stripeError({ param: 'amount', message: /evenly divisible by 10/ }),
  );
});

test('newPaymentIntent: payment_method_types, automatic_payment_methods', () => {
  const typed = intent({ payment_method_types: ['card', 'card'] });
  assert.deepEqual(typed.payment_method_types, ['card']);
  assert.equal(typed.automatic_payment_methods, null);
  assert.deepEqual(
    intent({ automatic_payment_methods: { enabled: true, allow_redirects: 'never' } }).automatic_payment_methods,
    { allow_redirects: 'never', enabled: true },
  );
  const off = intent({ automatic_payment_methods: { enabled: false } });
  assert.equal(off.automatic_payment_methods, null);
  assert.deepEqual(off.payment_method_types, ['card']);
  assert.throws(
    () => intent({ payment_method_types: ['card'], automatic_payment_methods: { enabled: true } }),
    stripeError({ param: 'automatic_payment_methods', message: /only specify one of these parameters/ }),
  );
  assert.throws(
    () => intent({ payment_method_types: ['card', 'sepa_debit'] }),
    stripeError({ param: 'payment_method_types[1]' }),
  );
  // An empty list is as if none were given.
  assert.deepEqual(intent({ payment_method_types: [] }).automatic_payment_methods, {
    allow_redirects: 'always',
    enabled: true,
  });
});

test('newPaymentIntent: the fields it takes', () => {
  const pi = intent({
    customer: 'cus_1',
    description: 'Tea',
    receipt_email: 'a@example.com',
    statement_descriptor_suffix: 'ORDER 1',
    shipping: { name: 'Ada', address: { line1: '1 Way', country: 'GB', city: '' } },
    metadata: { k: 'v' },
    setup_future_usage: 'on_session',
    capture_method: 'manual',
    confirmation_method: 'manual',
    transfer_group: 'g1',
  });
  assert.equal(pi.customer, 'cus_1');
  assert.equal(pi.description, 'Tea');
  assert.equal(pi.receipt_email, 'a@example.com');
  assert.equal(pi.statement_descriptor_suffix, 'ORDER 1');
  assert.deepEqual(pi.shipping, {
    name: 'Ada',
    address: { city: null, country: 'GB', line1: '1 Way', line2: null, postal_code: null, state: null },
    carrier: null,
    phone: null,
    tracking_number: null,
  });
  assert.deepEqual(pi.metadata, { k: 'v' });
  assert.equal(pi.setup_future_usage, 'on_session');
  assert.equal(pi.capture_method, 'manual');
  assert.equal(pi.confirmation_method, 'manual');
  assert.equal(pi.transfer_group, 'g1');
  assertShape('payment_intent', pi);
  assert.throws(
    () => intent({ receipt_email: 'nope' }),
    stripeError({ code: 'email_invalid', param: 'receipt_email' }),
  );
});

test('statement descriptors: no full descriptor on card intents; suffix rules', () => {
  assert.throws(
    () => intent({ statement_descriptor: 'MY SHOP' }),
    stripeError({ param: 'statement_descriptor', message: /not supported for the payment_method_type `card`/ }),
  );
  assert.equal(intent({ statement_descriptor: '' }).statement_descriptor, null);
  assert.throws(
    () => intent({ statement_descriptor_suffix: 'X'.repeat(23) }),
    stripeError({ param: 'statement_descriptor_suffix', message: /at most 22/ }),
  );
  assert.equal(intent({ statement_descriptor_suffix: 'X'.repeat(22) }).statement_descriptor_suffix, 'X'.repeat(22));
  for (const bad of ['<b>', 'a"b', "a'b", 'a*b', 'a\\b', '>', '2024']) {
    assert.throws(
      () => intent({ statement_descriptor_suffix: bad }),
      stripeError({ param: 'statement_descriptor_suffix' }),
      bad,
    );
  }
});

test('applyIntentParams: changes a copy; empty strings unset', () => {
  const before = intent({
    customer: 'cus_1',
    description: 'd',
    metadata: { a: '1', b: '2' },
    shipping: { name: 'A', address: {} },
    setup_future_usage: 'off_session',
  });
  const snapshot = structuredClone(before);
  const after = applyIntentParams(before, {
    customer: '',
    description: '',
    metadata: { a: '' },
    shipping: '',
    setup_future_usage: '',
    receipt_email: '',
  });
  assert.deepEqual(before, snapshot);
  assert.equal(after.customer, null);
  assert.equal(after.description, null);
  assert.deepEqual(after.metadata, { b: '2' });
  assert.equal(after.shipping, null);
  assert.equal(after.setup_future_usage, null);
  assert.equal(after.receipt_email, null);
  assert.deepEqual(applyIntentParams(before, { metadata: '' }).metadata, {});
});

test('applyIntentParams: a new currency re-checks the amount; types replace automatic payment methods', () => {
  const pi = intent({ amount: 1000 });
  assert.throws(
    () => applyIntentParams(pi, { currency: 'czk' }),
    stripeError({ code: 'amount_too_small', param: 'amount' }),
  );
  assert.equal(applyIntentParams(pi, { currency: 'czk', amount: 1500 }).amount, 1500);
  assert.equal(applyIntentParams(pi, { currency: 'gbp' }).currency, 'gbp');
  const typed = applyIntentParams(pi, { payment_method_types: ['card'] });
  assert.equal(typed.automatic_payment_methods, null);
  assert.deepEqual(typed.payment_method_types, ['card']);
});

test('assertUpdatable: everything before confirmation, only bookkeeping after', () => {
  for (const status of ['requires_payment_method', 'requires_confirmation', 'requires_action'] as const) {
    assert.doesNotThrow(
      () => assertUpdatable(inStatus(status), ['amount', 'currency', 'payment_method', 'metadata']),
      status,
    );
  }
  for (const status of ['processing', 'requires_capture', 'succeeded', 'canceled'] as const) {
    assert.doesNotThrow(
      () => assertUpdatable(inStatus(status), ['metadata', 'description', 'receipt_email', 'shipping']),
      status,
    );
    assert.throws(
      () => assertUpdatable(inStatus(status), ['metadata', 'amount']),
      stripeError({
        code: 'payment_intent_unexpected_state',
        param: 'amount',
        message: new RegExp(
          `^This PaymentIntent's amount could not be updated because it has a status of ${status}\\. You may only update the amount of a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action\\.$`,
        ),
      }),
      status,
    );
    assert.throws(
      () => assertUpdatable(inStatus(status), ['payment_method']),
      stripeError({ param: 'payment_method' }),
      status,
    );
  }
});

test('assertConfirmable: only intents that still wait for a payment', () => {
  for (const status of ALL_STATUSES) {
    const open = ['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(status);
    if (open) assert.doesNotThrow(() => assertConfirmable(inStatus(status)), status);
    else {
      assert.throws(
        () => assertConfirmable(inStatus(status)),
        stripeError({
          code: 'payment_intent_unexpected_state',
          message: new RegExp(`^You cannot confirm this PaymentIntent because it has a status of ${status}\\.`),
        }),
        status,
      );
    }
  }
});

test('settleUnconfirmedStatus: a payment method means requires_confirmation, none means requires_payment_method', () => {
  assert.equal(
    settleUnconfirmedStatus(inStatus('requires_payment_method', { payment_method: 'pm_1' })).status,
    'requires_confirmation',
  );
  assert.equal(
    settleUnconfirmedStatus(inStatus('requires_confirmation', { payment_method: null })).status,
    'requires_payment_method',
  );
  assert.equal(settleUnconfirmedStatus(inStatus('succeeded', { payment_method: null })).status, 'succeeded');
  assert.equal(
    settleUnconfirmedStatus(inStatus('requires_action', { payment_method: null })).status,
    'requires_action',
  );
});

test('cancelIntent: from the open statuses and requires_capture; never after success', () => {
  for (const status of [
    'requires_payment_method',
    'requires_confirmation',
    'requires_action',
    'requires_capture',
  ] as const) {
    const canceled = cancelIntent(
      inStatus(status, {
        amount_capturable: 2000,
        next_action: { type: 'redirect_to_url' } as Stripe.PaymentIntent.NextAction,
      }),
      'duplicate',
      NOW + 5,
    );
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.canceled_at, NOW + 5);
    assert.equal(canceled.cancellation_reason, 'duplicate');
    assert.equal(canceled.amount_capturable, 0);
    assert.equal(canceled.next_action, null);
  }
  assert.equal(cancelIntent(inStatus('requires_payment_method'), undefined, NOW).cancellation_reason, null);
  for (const status of ['succeeded', 'canceled'] as const) {
    assert.throws(
      () => cancelIntent(inStatus(status), undefined, NOW),
      stripeError({
        code: 'payment_intent_unexpected_state',
        message: new RegExp(
          `^You cannot cancel this PaymentIntent because it has a status of ${status}\\. Only a PaymentIntent with one of the following statuses may be canceled: `,
        ),
      }),
    );
  }
});

test('captureAmount: all that is capturable, or less; never more, never zero', () => {
  const held = inStatus('requires_capture', { amount_capturable: 2000 });
  assert.equal(captureAmount(held, undefined), 2000);
  assert.equal(captureAmount(held, 1500), 1500);
  assert.equal(captureAmount(held, 2000), 2000);
  assert.throws(() => captureAmount(held, 2001), stripeError({ code: 'amount_too_large', param: 'amount_to_capture' }));
  assert.throws(() => captureAmount(held, 0), stripeError({ param: 'amount_to_capture' }));
  for (const status of ALL_STATUSES.filter((s) => s !== 'requires_capture')) {
    assert.throws(
      () => captureAmount(inStatus(status), undefined),
      stripeError({ code: 'payment_intent_unexpected_state', message: /You cannot capture this PaymentIntent/ }),
      status,
    );
  }
});

test('approvedIntent, capturedIntent, declinedIntent', () => {
  const automatic = approvedIntent(
    inStatus('requires_confirmation', {
      last_payment_error: { type: 'card_error' } as Stripe.PaymentIntent.LastPaymentError,
    }),
    'ch_1',
    'pm_1',
  );
  assert.equal(automatic.status, 'succeeded');
  assert.equal(automatic.amount_received, 2000);
  assert.equal(automatic.amount_capturable, 0);
  assert.equal(automatic.latest_charge, 'ch_1');
  assert.equal(automatic.payment_method, 'pm_1');
  assert.equal(automatic.last_payment_error, null);

  const manual = approvedIntent({ ...inStatus('requires_confirmation'), capture_method: 'manual' }, 'ch_2', 'pm_2');
  assert.equal(manual.status, 'requires_capture');
  assert.equal(manual.amount_capturable, 2000);
  assert.equal(manual.amount_received, 0);

  const captured = capturedIntent(manual, 1200);
  assert.equal(captured.status, 'succeeded');
  assert.equal(captured.amount_received, 1200);
  assert.equal(captured.amount_capturable, 0);
  assert.equal(captured.amount, 2000);

  const error = {
    type: 'card_error',
    code: 'card_declined',
    decline_code: 'generic_decline',
    message: 'Your card was declined.',
  } as Stripe.PaymentIntent.LastPaymentError;
  const declined = declinedIntent(
    inStatus('requires_confirmation', { payment_method: 'pm_3', latest_charge: 'ch_old' }),
    error,
    'ch_3',
  );
  assert.equal(declined.status, 'requires_payment_method');
  assert.equal(declined.payment_method, null);
  assert.equal(declined.latest_charge, 'ch_3');
  assert.deepEqual(declined.last_payment_error, error);
  // Without a charge (authentication failed before one was made) the latest charge stays.
  assert.equal(
    declinedIntent(inStatus('requires_confirmation', { latest_charge: 'ch_old' }), error, null).latest_charge,
    'ch_old',
  );
});
