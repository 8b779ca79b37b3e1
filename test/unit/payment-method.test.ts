// PaymentMethod rules (src/payments/payment-method.ts) without HTTP or a
// database: a card PaymentMethod from a network profile, parameter updates,
// the expiry check on update, attach and detach.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { CardInput, CardProfile } from '../../src/network/network.js';
import { createSimulatedNetwork } from '../../src/network/simulator/simulated-network.js';
import {
  applyPaymentMethodParams,
  attachPaymentMethod,
  cardDetails,
  checkExpiryUpdate,
  detachPaymentMethod,
  newCardPaymentMethod,
  type PaymentMethod,
} from '../../src/payments/payment-method.js';
import { StripeError } from '../../src/server/errors.js';
import { assertShape } from '../support/shapes.js';

// 2023-11-14T22:13:20Z
const NOW = 1_700_000_000;
const ID = 'pm_TESTTESTTESTTESTTESTTEST';
const EMPTY_ADDRESS = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

async function profileOf(card: Partial<CardInput> & { number: string }): Promise<CardProfile> {
  const result = await createSimulatedNetwork().tokenize(
    { exp_month: 12, exp_year: 2030, cvc: '987', ...card },
    { fingerprintKey: 'unit-test-key', now: NOW },
  );
  assert.ok(result.ok, JSON.stringify(result));
  return result.profile;
}

function assertRefused(
  apply: () => unknown,
  expected: { status: number; type: string; param: string; code?: string; message?: string },
): void {
  assert.throws(apply, (error: unknown) => {
    assert.ok(error instanceof StripeError, String(error));
    assert.equal(error.statusCode, expected.status);
    assert.equal(error.body.type, expected.type);
    assert.equal(error.body.param, expected.param);
    assert.equal(error.body.code, expected.code);
    if (expected.message) assert.equal(error.body.message, expected.message);
    return true;
  });
}

describe('newCardPaymentMethod', () => {
  let visa: CardProfile;
  before(async () => {
    visa = await profileOf({ number: '4242424242424242', address_line1: '1 Way' });
  });

  test('a card PaymentMethod in Stripe shape, from the profile alone', () => {
    const pm = newCardPaymentMethod(ID, visa, {}, NOW);
    assert.equal(pm.id, ID);
    assert.equal(pm.object, 'payment_method');
    assert.equal(pm.type, 'card');
    assert.equal(pm.created, NOW);
    assert.equal(pm.customer, null);
    assert.equal(pm.livemode, false);
    assert.equal(pm.allow_redisplay, 'unspecified');
    assert.deepEqual(pm.metadata, {});
    assert.deepEqual(pm.billing_details, {
      address: EMPTY_ADDRESS,
      email: null,
      name: null,
      phone: null,
      tax_id: null,
    });
    assert.deepEqual(pm.card, {
      brand: 'visa',
      checks: { cvc_check: 'unchecked', address_line1_check: 'unchecked', address_postal_code_check: null },
      country: 'US',
      display_brand: 'visa',
      exp_month: 12,
      exp_year: 2030,
      fingerprint: visa.fingerprint,
      funding: 'credit',
      generated_from: null,
      last4: '4242',
      networks: { available: ['visa'], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    });
    assertShape('payment_method', pm);
  });

  test('keeps nothing of the profile that is not in the API: no test card id, no number', () => {
    const pm = newCardPaymentMethod(ID, visa, {}, NOW);
    assert.equal(visa.networkRef, 'visa', 'the profile knows its test card');
    const json = JSON.stringify(pm);
    assert.ok(!json.includes('networkRef'));
    assert.ok(!json.includes('4242424242424242'));
    assert.ok(!json.includes('"987"'));
  });

  test("copies the profile's nested objects: changing the PaymentMethod leaves the profile alone", () => {
    const pm = newCardPaymentMethod(ID, visa, {}, NOW);
    pm.card!.checks!.cvc_check = 'pass';
    pm.card!.networks!.available.push('cartes_bancaires');
    assert.equal(visa.checks.cvc_check, 'unchecked');
    assert.deepEqual(visa.networks.available, ['visa']);
    const details = cardDetails(visa);
    assert.notEqual(details.checks, visa.checks);
    assert.notEqual(details.networks!.available, visa.networks.available);
  });

  test('billing details, metadata and allow_redisplay from the parameters; empty strings are null', () => {
    const pm = newCardPaymentMethod(
      ID,
      visa,
      {
        billing_details: {
          name: 'Ada',
          email: '',
          phone: '+4712345678',
          address: { line1: '1 Way', city: '', country: 'GB' },
        },
        metadata: { order: '42', empty: '' },
        allow_redisplay: 'always',
      },
      NOW,
    );
    assert.deepEqual(pm.billing_details, {
      address: { ...EMPTY_ADDRESS, line1: '1 Way', country: 'GB' },
      email: null,
      name: 'Ada',
      phone: '+4712345678',
      tax_id: null,
    });
    assert.deepEqual(pm.metadata, { order: '42' });
    assert.equal(pm.allow_redisplay, 'always');
    assertShape('payment_method', pm);
  });

  test('brand details come through for other brands', async () => {
    const amex = newCardPaymentMethod(ID, await profileOf({ number: '378282246310005', cvc: '9876' }), {}, NOW);
    assert.deepEqual(
      [amex.card!.brand, amex.card!.display_brand, amex.card!.last4, amex.card!.three_d_secure_usage!.supported],
      ['amex', 'american_express', '0005', false],
    );
    const prepaid = newCardPaymentMethod(ID, await profileOf({ number: '5105105105105100', cvc: null }), {}, NOW);
    assert.deepEqual(
      [prepaid.card!.brand, prepaid.card!.funding, prepaid.card!.checks!.cvc_check],
      ['mastercard', 'prepaid', null],
    );
  });
});

describe('applyPaymentMethodParams', () => {
  let pm: PaymentMethod;
  before(async () => {
    const profile = await profileOf({ number: '5555555555554444' });
    pm = newCardPaymentMethod(
      ID,
      profile,
      {
        billing_details: { name: 'Ada', email: 'ada@example.com', address: { line1: '1 Way', city: 'London' } },
        metadata: { a: '1', b: '2' },
      },
      NOW,
    );
  });

  test('returns a new object and leaves the given one as it was', () => {
    const before = structuredClone(pm);
    const next = applyPaymentMethodParams(pm, {
      billing_details: { name: 'Grace', address: { city: 'Paris' } },
      metadata: { c: '3' },
      card: { exp_month: 1 },
    });
    assert.notEqual(next, pm);
    assert.deepEqual(pm, before);
    assert.equal(next.billing_details.name, 'Grace');
    assert.equal(next.card!.exp_month, 1);
  });

  test('billing details: given fields change, others stay; an address is replaced as a whole; empty strings unset', () => {
    const next = applyPaymentMethodParams(pm, {
      billing_details: { phone: '+1555', email: '', address: { city: 'Paris', postal_code: '' } },
    });
    assert.deepEqual(next.billing_details, {
      address: { ...EMPTY_ADDRESS, city: 'Paris' },
      email: null,
      name: 'Ada',
      phone: '+1555',
      tax_id: null,
    });
    assert.deepEqual(
      applyPaymentMethodParams(pm, { billing_details: { address: '' } }).billing_details.address,
      EMPTY_ADDRESS,
    );
    assert.deepEqual(applyPaymentMethodParams(pm, {}).billing_details, pm.billing_details);
  });

  test('metadata merges; an empty value removes a key; an empty metadata removes all', () => {
    assert.deepEqual(applyPaymentMethodParams(pm, { metadata: { a: '', c: '3' } }).metadata, { b: '2', c: '3' });
    assert.deepEqual(applyPaymentMethodParams(pm, { metadata: '' }).metadata, {});
    assertRefused(() => applyPaymentMethodParams(pm, { metadata: { 'a[b]': 'x' } }), {
      status: 400,
      type: 'invalid_request_error',
      param: 'metadata[a[b]]',
    });
  });

  test('card: only the expiry changes; the rest of the card stays', () => {
    const next = applyPaymentMethodParams(pm, { card: { exp_month: 4, exp_year: 2031 } });
    assert.deepEqual(next.card, { ...pm.card, exp_month: 4, exp_year: 2031 });
    assert.deepEqual(applyPaymentMethodParams(pm, { card: { exp_year: 2032 } }).card, { ...pm.card, exp_year: 2032 });
    assert.deepEqual(applyPaymentMethodParams(pm, { card: {} }).card, pm.card);
  });
});

describe('checkExpiryUpdate', () => {
  let card: PaymentMethod['card'];
  before(async () => {
    card = newCardPaymentMethod(ID, await profileOf({ number: '4242424242424242' }), {}, NOW).card;
  });

  const invalidMonth = {
    status: 402,
    type: 'card_error',
    code: 'invalid_expiry_month',
    param: 'card[exp_month]',
    message: "Your card's expiration month is invalid.",
  };
  const invalidYear = {
    status: 402,
    type: 'card_error',
    code: 'invalid_expiry_year',
    param: 'card[exp_year]',
    message: "Your card's expiration year is invalid.",
  };

  test('a real month, this month or later, up to 50 years ahead, passes', () => {
    checkExpiryUpdate(card!, { exp_month: 1, exp_year: 2031 }, NOW);
    checkExpiryUpdate(card!, { exp_month: 11, exp_year: 2023 }, NOW); // NOW is in November 2023
    checkExpiryUpdate(card!, { exp_month: 12, exp_year: 2073 }, NOW);
    checkExpiryUpdate(card!, { exp_month: 6 }, NOW); // with the stored year, 2030
    checkExpiryUpdate(card!, {}, NOW);
  });

  test('month 13 or 0 is invalid_expiry_month', () => {
    assertRefused(() => checkExpiryUpdate(card!, { exp_month: 13 }, NOW), invalidMonth);
    assertRefused(() => checkExpiryUpdate(card!, { exp_month: 0 }, NOW), invalidMonth);
    assertRefused(() => checkExpiryUpdate(card!, { exp_month: '' }, NOW), invalidMonth);
  });

  test('a past year, or too far ahead, is invalid_expiry_year', () => {
    assertRefused(() => checkExpiryUpdate(card!, { exp_year: 2022 }, NOW), invalidYear);
    assertRefused(() => checkExpiryUpdate(card!, { exp_year: 2074 }, NOW), invalidYear);
    assertRefused(() => checkExpiryUpdate(card!, { exp_year: '' }, NOW), invalidYear);
  });

  test('an earlier month of this year is invalid_expiry_month, checked against the stored half too', () => {
    assertRefused(() => checkExpiryUpdate(card!, { exp_month: 10, exp_year: 2023 }, NOW), invalidMonth);
    const expiringThisYear = { ...card!, exp_month: 12, exp_year: 2023 };
    assertRefused(() => checkExpiryUpdate(expiringThisYear, { exp_month: 3 }, NOW), invalidMonth);
  });
});

describe('attach and detach', () => {
  let pm: PaymentMethod;
  before(async () => {
    pm = newCardPaymentMethod(ID, await profileOf({ number: '4242424242424242' }), {}, NOW);
  });

  test('attach sets the customer on a copy; attaching again to the same customer is allowed', () => {
    const attached = attachPaymentMethod(pm, 'cus_A');
    assert.equal(attached.customer, 'cus_A');
    assert.equal(pm.customer, null);
    assert.deepEqual({ ...attached, customer: null }, pm);
    assert.equal(attachPaymentMethod(attached, 'cus_A').customer, 'cus_A');
  });

  test('attaching a PaymentMethod saved to another customer is refused', () => {
    const attached = attachPaymentMethod(pm, 'cus_A');
    assertRefused(() => attachPaymentMethod(attached, 'cus_B'), {
      status: 400,
      type: 'invalid_request_error',
      param: 'customer',
      message: 'The payment method you provided has already been attached to a customer.',
    });
  });

  test('detach clears the customer on a copy; detaching an unattached PaymentMethod is refused', () => {
    const attached = attachPaymentMethod(pm, 'cus_A');
    const detached = detachPaymentMethod(attached);
    assert.equal(detached.customer, null);
    assert.equal(attached.customer, 'cus_A');
    assertRefused(() => detachPaymentMethod(detached), {
      status: 400,
      type: 'invalid_request_error',
      param: 'payment_method',
      message: 'The payment method you provided is not attached to a customer so detachment is impossible.',
    });
  });
});
