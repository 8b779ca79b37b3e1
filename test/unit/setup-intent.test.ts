// The SetupIntent rules in src/payments/setup-intent.ts, without HTTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CardProfile } from '../../src/network/network.js';
import { newCardPaymentMethod } from '../../src/payments/payment-method.js';
import {
  applySetupIntentParams,
  assertConfirmable,
  assertUpdatable,
  authenticationFailureError,
  cancelSetupIntent,
  declineError,
  failedSetupIntent,
  newSetupAttempt,
  newSetupIntent,
  requestsThreeDSecure,
  requiresActionSetupIntent,
  settleAttempt,
  settleUnconfirmedStatus,
  succeededSetupIntent,
  type SetupIntent,
  type SetupIntentParams,
  type Status,
} from '../../src/payments/setup-intent.js';
import { publicSetupIntent } from '../../src/payments/public-view.js';
import { StripeError } from '../../src/server/errors.js';
import { assertShape } from '../support/shapes.js';

const NOW = 1_750_000_000;
const ALL_STATUSES: Status[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'succeeded',
  'canceled',
];
const OPEN_STATUSES: Status[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

const PROFILE: CardProfile = {
  brand: 'visa',
  display_brand: 'visa',
  funding: 'credit',
  country: 'FR',
  last4: '3155',
  exp_month: 12,
  exp_year: 2030,
  fingerprint: 'abcdEFGH12345678',
  checks: { cvc_check: 'unchecked', address_line1_check: null, address_postal_code_check: null },
  networks: { available: ['visa'], preferred: null },
  three_d_secure_usage: { supported: true },
};
const PM = newCardPaymentMethod('pm_test', PROFILE, {}, NOW);

function setupIntent(params: SetupIntentParams = {}): SetupIntent {
  return newSetupIntent('seti_test', 'seti_test_secret_abc', params, NOW);
}

function inStatus(status: Status, extra: Partial<SetupIntent> = {}): SetupIntent {
  return { ...setupIntent(), status, ...extra };
}

function stripeError(expected: { status?: number; code?: string; param?: string; message?: RegExp }) {
  return (error: unknown) => {
    assert.ok(error instanceof StripeError, String(error));
    assert.equal(error.statusCode, expected.status ?? 400);
    if ('code' in expected) assert.equal(error.body.code, expected.code);
    if ('param' in expected) assert.equal(error.body.param, expected.param);
    if (expected.message) assert.match(error.body.message, expected.message);
    return true;
  };
}

test('a new SetupIntent waits for a payment method, for off-session use by default, in Stripe shape', () => {
  const si = setupIntent();
  assert.equal(si.object, 'setup_intent');
  assert.equal(si.status, 'requires_payment_method');
  assert.equal(si.usage, 'off_session');
  assert.equal(si.client_secret, 'seti_test_secret_abc');
  assert.deepEqual(si.automatic_payment_methods, { allow_redirects: 'always', enabled: true });
  assert.deepEqual(si.payment_method_types, ['card']);
  assert.deepEqual(si.metadata, {});
  assert.equal(si.latest_attempt, null);
  assert.equal(si.created, NOW);
  assertShape('setup_intent', si);
});

test('create parameters: usage, customer, description, metadata', () => {
  const si = setupIntent({
    usage: 'on_session',
    customer: 'cus_1',
    description: 'Save card',
    metadata: { order: '7' },
  });
  assert.equal(si.usage, 'on_session');
  assert.equal(si.customer, 'cus_1');
  assert.equal(si.description, 'Save card');
  assert.deepEqual(si.metadata, { order: '7' });
  const cleared = applySetupIntentParams(si, { customer: '', description: '', metadata: { order: '' } });
  assert.equal(cleared.customer, null);
  assert.equal(cleared.description, null);
  assert.deepEqual(cleared.metadata, {});
});

test('payment method types: explicit types turn automatic payment methods off; both at once are refused; only card is supported', () => {
  assert.equal(setupIntent({ payment_method_types: ['card'] }).automatic_payment_methods, null);
  const allowed = setupIntent({ allowed_payment_method_types: ['card', 'card'] });
  assert.deepEqual(allowed.allowed_payment_method_types, ['card']);
  assert.equal(allowed.automatic_payment_methods, null);
  assert.equal(setupIntent({ automatic_payment_methods: { enabled: false } }).automatic_payment_methods, null);
  assert.deepEqual(
    setupIntent({ automatic_payment_methods: { enabled: true, allow_redirects: 'never' } }).automatic_payment_methods,
    {
      allow_redirects: 'never',
      enabled: true,
    },
  );
  assert.throws(
    () => setupIntent({ payment_method_types: ['card'], automatic_payment_methods: { enabled: true } }),
    stripeError({ param: 'automatic_payment_methods' }),
  );
  assert.throws(
    () => setupIntent({ payment_method_types: ['card', 'sepa_debit'] }),
    stripeError({ param: 'payment_method_types[1]' }),
  );
  assert.throws(
    () => setupIntent({ excluded_payment_method_types: ['card'] }),
    stripeError({ param: 'excluded_payment_method_types' }),
  );
});

test('request_three_d_secure=any asks for 3-D Secure whatever the card needs', () => {
  assert.equal(requestsThreeDSecure(setupIntent()), false);
  const any = setupIntent({ payment_method_options: { card: { request_three_d_secure: 'any' } } });
  assert.equal(any.payment_method_options?.card?.request_three_d_secure, 'any');
  assert.equal(requestsThreeDSecure(any), true);
});

test('a PaymentMethod on an unconfirmed SetupIntent makes it wait for confirmation; removing it goes back', () => {
  const withPm = settleUnconfirmedStatus({ ...setupIntent(), payment_method: 'pm_1' });
  assert.equal(withPm.status, 'requires_confirmation');
  assert.equal(settleUnconfirmedStatus({ ...withPm, payment_method: null }).status, 'requires_payment_method');
  const acting = inStatus('requires_action', { payment_method: null });
  assert.equal(settleUnconfirmedStatus(acting).status, 'requires_action');
});

test('confirm and cancel only while open; otherwise setup_intent_unexpected_state carrying the SetupIntent', () => {
  for (const status of ALL_STATUSES) {
    const si = inStatus(status);
    const open = OPEN_STATUSES.includes(status);
    if (open) {
      assert.doesNotThrow(() => assertConfirmable(si));
      const canceled = cancelSetupIntent(si, 'duplicate');
      assert.equal(canceled.status, 'canceled');
      assert.equal(canceled.cancellation_reason, 'duplicate');
      assert.equal(canceled.next_action, null);
    } else {
      assert.throws(
        () => assertConfirmable(si),
        stripeError({ code: 'setup_intent_unexpected_state', message: new RegExp(`status of ${status}`) }),
      );
      assert.throws(
        () => cancelSetupIntent(si, undefined),
        (error: unknown) => {
          assert.ok(error instanceof StripeError);
          assert.equal(error.body.code, 'setup_intent_unexpected_state');
          assert.equal((error.body.setup_intent as SetupIntent).id, 'seti_test');
          return true;
        },
      );
    }
  }
  assert.equal(cancelSetupIntent(setupIntent(), undefined).cancellation_reason, null);
});

test('once over, only description and metadata may be updated', () => {
  for (const status of ['succeeded', 'canceled', 'processing'] as Status[]) {
    assert.doesNotThrow(() => assertUpdatable(inStatus(status), ['metadata', 'description']));
    assert.throws(
      () => assertUpdatable(inStatus(status), ['metadata', 'customer']),
      stripeError({ code: 'setup_intent_unexpected_state', param: 'customer' }),
    );
  }
  for (const status of OPEN_STATUSES)
    assert.doesNotThrow(() => assertUpdatable(inStatus(status), ['customer', 'payment_method']));
});

test('success, failure and requires_action move the SetupIntent as Stripe does', () => {
  const confirming = inStatus('requires_confirmation', { payment_method: 'pm_test' });
  const ok = succeededSetupIntent(confirming, 'pm_test', 'setatt_1');
  assert.equal(ok.status, 'succeeded');
  assert.equal(ok.latest_attempt, 'setatt_1');
  assert.equal(ok.payment_method, 'pm_test');
  assertShape('setup_intent', ok);

  const error = declineError(
    {
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
      advice_code: 'try_again_later',
    },
    PM,
  );
  const failed = failedSetupIntent(confirming, error, 'setatt_2');
  assert.equal(failed.status, 'requires_payment_method');
  assert.equal(failed.payment_method, null);
  assert.equal(failed.last_setup_error?.code, 'card_declined');
  assert.equal(failed.last_setup_error?.decline_code, 'insufficient_funds');
  assert.equal(failed.last_setup_error?.advice_code, 'try_again_later');
  assert.equal(failed.last_setup_error?.type, 'card_error');
  assert.equal(failed.last_setup_error?.payment_method?.id, 'pm_test');
  assertShape('setup_intent', failed);

  const url = 'http://kassa.test/kassa/3ds/seti_test';
  const sdk = requiresActionSetupIntent(confirming, 'pm_test', 'setatt_3', url, undefined);
  assert.equal(sdk.status, 'requires_action');
  assert.deepEqual(sdk.next_action, {
    type: 'use_stripe_sdk',
    use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url, source: 'seti_test' },
  });
  const redirect = requiresActionSetupIntent(confirming, 'pm_test', 'setatt_3', url, 'https://shop.test/done');
  assert.deepEqual(redirect.next_action, {
    type: 'redirect_to_url',
    redirect_to_url: { url, return_url: 'https://shop.test/done' },
  });
  assertShape('setup_intent', redirect);

  const authFailed = failedSetupIntent(redirect, authenticationFailureError(PM), 'setatt_3');
  assert.equal(authFailed.last_setup_error?.code, 'setup_intent_authentication_failure');
  assert.equal(authFailed.next_action, null);
});

test('a SetupAttempt records the card and the outcome in Stripe shape', () => {
  const si = inStatus('requires_confirmation', { customer: 'cus_1', payment_method: 'pm_test' });
  const waiting = newSetupAttempt('setatt_1', si, PM, PROFILE, NOW, { status: 'requires_action' });
  assert.equal(waiting.object, 'setup_attempt');
  assert.equal(waiting.setup_intent, 'seti_test');
  assert.equal(waiting.customer, 'cus_1');
  assert.equal(waiting.usage, 'off_session');
  assert.equal(waiting.payment_method_details.card?.last4, '3155');
  assertShape('setup_attempt', waiting);
  const done = settleAttempt(waiting, {
    status: 'succeeded',
    checks: { cvc_check: 'pass', address_line1_check: null, address_postal_code_check: null },
    threeDSecure: { authentication_flow: 'challenge', result: 'authenticated', result_reason: null, version: '2.2.0' },
  });
  assert.equal(done.status, 'succeeded');
  assert.equal(done.payment_method_details.card?.checks?.cvc_check, 'pass');
  assert.equal(done.payment_method_details.card?.three_d_secure?.result, 'authenticated');
  assertShape('setup_attempt', done);
  const failed = settleAttempt(waiting, { status: 'failed', setupError: authenticationFailureError(PM) });
  assert.equal(failed.setup_error?.code, 'setup_intent_authentication_failure');
  assertShape('setup_attempt', failed);
});

test('the publishable view leaves out customer and metadata', () => {
  const view = publicSetupIntent(setupIntent({ customer: 'cus_1', metadata: { secret: 'x' } }));
  assert.equal(view.id, 'seti_test');
  assert.equal(view.client_secret, 'seti_test_secret_abc');
  assert.equal('metadata' in view, false);
  assert.equal('customer' in view, false);
  assert.deepEqual(Object.keys(view).sort(), [
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
  ]);
});
