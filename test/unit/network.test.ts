import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { AuthorizeRequest, AuthorizeResult, CardInput, CardProfile, Declined } from '../../src/network/network.js';
import { createSimulatedNetwork } from '../../src/network/simulator/simulated-network.js';
import { TEST_CARDS } from '../../src/network/simulator/test-cards.js';

const network = createSimulatedNetwork();
// 15 June 2026, 12:00 UTC
const NOW = Date.UTC(2026, 5, 15, 12) / 1000;
const context = { fingerprintKey: 'acct_key_one', now: NOW };

async function profileOf(
  card: Partial<CardInput> & { number: string },
  key = context.fingerprintKey,
): Promise<CardProfile> {
  const result = await network.tokenize(
    { exp_month: 12, exp_year: 2030, cvc: '123', ...card },
    { ...context, fingerprintKey: key },
  );
  assert.ok(result.ok, `tokenize ${card.number}: ${JSON.stringify(result)}`);
  return result.profile;
}

async function testProfile(id: string): Promise<CardProfile> {
  const profile = await network.profileForTestId(id, context);
  assert.ok(profile, id);
  return profile;
}

/** Each call is a new attempt (a new idempotency key) unless `options` names one. */
function authorize(profile: CardProfile, options: Partial<AuthorizeRequest> = {}): Promise<AuthorizeResult> {
  return network.authorize({
    idempotencyKey: randomUUID(),
    amount: 2000,
    currency: 'usd',
    profile,
    captureMethod: 'automatic',
    offSession: false,
    authenticated: false,
    ...options,
  });
}

function assertDeclined(result: AuthorizeResult, declineCode: string): asserts result is Declined {
  assert.equal(result.status, 'declined', JSON.stringify(result));
  assert.equal((result as Declined).decline_code, declineCode);
}

test('tokenize keeps what Stripe shows of a card', async () => {
  const profile = await profileOf({ number: '4242424242424242', exp_month: 8, exp_year: 2031 });
  assert.deepEqual(
    { ...profile, fingerprint: undefined },
    {
      brand: 'visa',
      display_brand: 'visa',
      funding: 'credit',
      country: 'US',
      last4: '4242',
      exp_month: 8,
      exp_year: 2031,
      fingerprint: undefined,
      checks: { cvc_check: 'unchecked', address_line1_check: null, address_postal_code_check: null },
      networks: { available: ['visa'], preferred: null },
      three_d_secure_usage: { supported: true },
      networkRef: 'visa',
    },
  );
  assert.match(profile.fingerprint, /^[0-9A-Za-z]{16}$/);

  const amex = await profileOf({ number: '3782 822463 10005', cvc: '1234' });
  assert.deepEqual([amex.brand, amex.display_brand, amex.last4], ['amex', 'american_express', '0005']);
  assert.equal(amex.three_d_secure_usage.supported, false);

  const debit = await profileOf({
    number: '4000-0566-5566-5556',
    cvc: null,
    address_postal_code: '94107',
    address_line1: '',
  });
  assert.equal(debit.funding, 'debit');
  assert.deepEqual(debit.checks, {
    cvc_check: null,
    address_line1_check: null,
    address_postal_code_check: 'unchecked',
  });

  const cb = await profileOf({ number: '4000002500001001' });
  assert.deepEqual([cb.country, cb.networks.available], ['FR', ['cartes_bancaires', 'visa']]);
});

test('any other Luhn-valid number is a US credit card of the brand its digits say', async () => {
  const cases: Array<[string, string, string]> = [
    ['4111111111111111', 'visa', 'visa'],
    ['5425233430109903', 'mastercard', 'mastercard'],
    ['374245455400126', 'amex', 'american_express'],
    ['1234567812345670', 'unknown', 'other'],
  ];
  for (const [number, brand, display] of cases) {
    const profile = await profileOf({ number, cvc: brand === 'amex' ? '1234' : '123' });
    assert.deepEqual(
      [profile.brand, profile.display_brand, profile.funding, profile.country, profile.networkRef],
      [brand, display, 'credit', 'US', undefined],
      number,
    );
    const result = await authorize(profile);
    assert.equal(result.status, 'approved', number);
  }
});

test('tokenize errors carry Stripe code, param and message', async () => {
  const base = { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' };
  const cases: Array<[Partial<CardInput>, string, string, string]> = [
    [{ number: '4242424242424241' }, 'incorrect_number', 'number', 'Your card number is incorrect.'],
    [{ number: '4242 4242 4242 4240' }, 'incorrect_number', 'number', 'Your card number is incorrect.'],
    [{ number: '4242' }, 'invalid_number', 'number', 'Your card number is invalid.'],
    [{ number: '424242424242424242424' }, 'invalid_number', 'number', 'Your card number is invalid.'],
    [{ number: '4242x24242424242' }, 'invalid_number', 'number', 'Your card number is invalid.'],
    [{ number: '' }, 'invalid_number', 'number', 'Your card number is invalid.'],
    [{ exp_month: 13 }, 'invalid_expiry_month', 'exp_month', "Your card's expiration month is invalid."],
    [{ exp_month: 0 }, 'invalid_expiry_month', 'exp_month', "Your card's expiration month is invalid."],
    [{ exp_month: 'ab' }, 'invalid_expiry_month', 'exp_month', "Your card's expiration month is invalid."],
    [{ exp_year: 95 }, 'invalid_expiry_year', 'exp_year', "Your card's expiration year is invalid."],
    [{ exp_year: 2025 }, 'invalid_expiry_year', 'exp_year', "Your card's expiration year is invalid."],
    [{ exp_year: 2200 }, 'invalid_expiry_year', 'exp_year', "Your card's expiration year is invalid."],
    [{ exp_year: 2026, exp_month: 5 }, 'invalid_expiry_month', 'exp_month', "Your card's expiration month is invalid."],
    [{ cvc: '99' }, 'invalid_cvc', 'cvc', "Your card's security code is invalid."],
    [{ cvc: '1234' }, 'invalid_cvc', 'cvc', "Your card's security code is invalid."],
    [{ cvc: '12a' }, 'invalid_cvc', 'cvc', "Your card's security code is invalid."],
    [{ number: '378282246310005', cvc: '123' }, 'invalid_cvc', 'cvc', "Your card's security code is invalid."],
  ];
  for (const [change, code, param, message] of cases) {
    const result = await network.tokenize({ ...base, ...change } as CardInput, context);
    assert.deepEqual(result, { ok: false, error: { code, param, message } }, JSON.stringify(change));
  }
});

test('expiry: this month still valid, two-digit years read as the nearest century', async () => {
  assert.equal((await profileOf({ number: '4242424242424242', exp_month: 6, exp_year: 2026 })).exp_year, 2026);
  assert.equal((await profileOf({ number: '4242424242424242', exp_month: '07', exp_year: '30' })).exp_year, 2030);
  assert.equal((await profileOf({ number: '4242424242424242', exp_year: 26, exp_month: 6 })).exp_month, 6);
});

test('fingerprints: same card and key give the same value, another key another', async () => {
  const a = await profileOf({ number: '4242424242424242', exp_month: 1, exp_year: 2029, cvc: '111' });
  const b = await profileOf({ number: '4242 4242 4242 4242', exp_month: 9, exp_year: 2035, cvc: null });
  const other = await profileOf({ number: '4242424242424242' }, 'acct_key_two');
  const otherCard = await profileOf({ number: '4000056655665556' });
  assert.equal(a.fingerprint, b.fingerprint);
  assert.notEqual(a.fingerprint, other.fingerprint);
  assert.notEqual(a.fingerprint, otherCard.fingerprint);
  assert.equal((await testProfile('pm_card_visa')).fingerprint, a.fingerprint);
});

test('a profile never contains the full number or the CVC', async () => {
  for (const entry of TEST_CARDS) {
    const cvc = entry.brand === 'amex' ? '8317' : '831';
    const result = await network.tokenize({ number: entry.number, exp_month: 11, exp_year: 2031, cvc }, context);
    assert.ok(result.ok, entry.number);
    const serialized = JSON.stringify(result);
    assert.ok(!serialized.includes(entry.number), entry.number);
    assert.ok(!serialized.includes(entry.number.slice(0, 12)), entry.number);
    assert.ok(!serialized.includes(cvc), `${entry.number}: ${serialized}`);
    assert.ok(!('number' in result.profile) && !('cvc' in result.profile));
  }
});

test('test ids resolve to profiles of their card', async () => {
  const visa = await testProfile('pm_card_visa');
  assert.deepEqual(
    [visa.last4, visa.brand, visa.networkRef, visa.exp_month, visa.exp_year],
    ['4242', 'visa', 'visa', 6, 2027],
  );
  assert.equal(visa.checks.cvc_check, 'unchecked');
  assert.equal((await testProfile('tok_amex')).last4, '0005');
  assert.equal((await testProfile('pm_card_chargeDeclined')).networkRef, 'charge_declined');
  assert.equal((await testProfile('pm_card_jp')).country, 'JP');
  assert.equal(await network.profileForTestId('pm_card_nope', context), null);
  assert.equal(await network.profileForTestId('card_123', context), null);
  for (const entry of TEST_CARDS) {
    for (const id of [...entry.payment_methods, ...entry.tokens]) {
      const profile = await testProfile(id);
      assert.deepEqual(
        [profile.networkRef, profile.last4, profile.brand, profile.country, profile.funding],
        [entry.id, entry.number.slice(-4), entry.brand, entry.country, entry.funding],
        id,
      );
    }
  }
});

test('an approved authorization', async () => {
  const result = await authorize(await testProfile('pm_card_visa'));
  assert.equal(result.status, 'approved');
  assert.match(result.authorizationId, /^auth_[0-9A-Za-z]{24}$/);
  assert.match(result.networkTransactionId, /^\d{15}$/);
  assert.deepEqual(result.outcome, {
    network_status: 'approved_by_network',
    reason: null,
    risk_level: 'normal',
    risk_score: 20,
    seller_message: 'Payment complete.',
    type: 'authorized',
  });
  assert.deepEqual(result.checks, { cvc_check: 'pass', address_line1_check: null, address_postal_code_check: null });
  assert.equal(result.captured, true);
  assert.equal(result.availableImmediately, false);
  assert.equal(result.threeDSecure, null);
  assert.equal(result.dispute, null);

  const manual = await authorize(await testProfile('pm_card_visa'), { captureMethod: 'manual' });
  assert.equal(manual.status === 'approved' && manual.captured, false);
  const bypass = await authorize(await testProfile('pm_card_bypassPending'));
  assert.equal(bypass.status === 'approved' && bypass.availableImmediately, true);
  const disputed = await authorize(await testProfile('pm_card_createDispute'));
  assert.deepEqual(disputed.status === 'approved' && disputed.dispute, { kind: 'chargeback', reason: 'fraudulent' });
});

test('issuer declines', async () => {
  const cases: Array<[string, string, string, string, string | null, string | null]> = [
    [
      'pm_card_visa_chargeDeclined',
      'card_declined',
      'generic_decline',
      'Your card was declined.',
      'try_again_later',
      null,
    ],
    [
      'pm_card_chargeDeclinedInsufficientFunds',
      'card_declined',
      'insufficient_funds',
      'Your card has insufficient funds.',
      'try_again_later',
      null,
    ],
    [
      'pm_card_visa_chargeDeclinedLostCard',
      'card_declined',
      'lost_card',
      'Your card was declined.',
      'do_not_try_again',
      null,
    ],
    [
      'pm_card_visa_chargeDeclinedStolenCard',
      'card_declined',
      'stolen_card',
      'Your card was declined.',
      'do_not_try_again',
      null,
    ],
    [
      'pm_card_chargeDeclinedExpiredCard',
      'expired_card',
      'expired_card',
      'Your card has expired.',
      'confirm_card_data',
      'exp_month',
    ],
    [
      'pm_card_chargeDeclinedIncorrectCvc',
      'incorrect_cvc',
      'incorrect_cvc',
      "Your card's security code is incorrect.",
      'confirm_card_data',
      'cvc',
    ],
    [
      'pm_card_chargeDeclinedProcessingError',
      'processing_error',
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
      'try_again_later',
      null,
    ],
    [
      'pm_card_visa_chargeDeclinedVelocityLimitExceeded',
      'card_declined',
      'card_velocity_exceeded',
      'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
      'try_again_later',
      null,
    ],
    [
      'pm_card_chargeCustomerFail',
      'card_declined',
      'generic_decline',
      'Your card was declined.',
      'try_again_later',
      null,
    ],
  ];
  for (const [id, code, declineCode, message, advice, param] of cases) {
    const result = await authorize(await testProfile(id));
    assertDeclined(result, declineCode);
    assert.deepEqual(
      [result.code, result.message, result.advice_code, result.param],
      [code, message, advice, param],
      id,
    );
    assert.equal(result.outcome.network_status, 'declined_by_network', id);
    assert.equal(result.outcome.type, 'issuer_declined', id);
    assert.equal(result.outcome.reason, declineCode, id);
  }
  const generic = await authorize(await testProfile('pm_card_chargeDeclined'));
  assert.equal(
    generic.status === 'declined' && generic.outcome.seller_message,
    'The bank did not return any further details with this decline.',
  );
  const funds = await authorize(await profileOf({ number: '4000000000009995' }));
  assert.equal(
    funds.status === 'declined' && funds.outcome.seller_message,
    'The bank returned the decline code `insufficient_funds`.',
  );
});

test('Radar blocks the highest-risk cards before the network sees them', async () => {
  for (const id of ['pm_card_radarBlock', 'tok_chargeDeclinedFraudulent', 'pm_card_riskLevelHighest']) {
    const result = await authorize(await testProfile(id));
    assertDeclined(result, 'fraudulent');
    assert.equal(result.code, 'card_declined');
    assert.equal(result.message, 'Your card was declined.');
    assert.deepEqual(
      result.outcome,
      {
        network_status: 'not_sent_to_network',
        reason: 'highest_risk_level',
        risk_level: 'highest',
        risk_score: 90,
        seller_message: 'Stripe blocked this payment as too risky.',
        type: 'blocked',
      },
      id,
    );
  }
  const elevated = await authorize(await testProfile('pm_card_riskLevelElevated'));
  assert.equal(elevated.status, 'approved');
  assert.equal(elevated.status === 'approved' && elevated.outcome.risk_level, 'elevated');
});

test('the CVC-check card fails only when a CVC was given', async () => {
  const withCvc = await authorize(await profileOf({ number: '4000000000000101', cvc: '123' }));
  assertDeclined(withCvc, 'incorrect_cvc');
  assert.equal(withCvc.checks.cvc_check, 'fail');
  assert.equal(withCvc.param, 'cvc');

  const withoutCvc = await authorize(await profileOf({ number: '4000000000000101', cvc: null }));
  assert.equal(withoutCvc.status, 'approved');
  assert.equal(withoutCvc.checks.cvc_check, null);

  assertDeclined(await authorize(await testProfile('pm_card_cvcCheckFail')), 'incorrect_cvc');
});

test('address checks report results only for what was given', async () => {
  const address = { address_line1: '1 Main St', address_postal_code: '94107' };
  const cases: Array<[string, string, string]> = [
    ['4000000000000010', 'fail', 'fail'],
    ['4000000000000028', 'fail', 'pass'],
    ['4000000000000036', 'pass', 'fail'],
    ['4000000000000044', 'unavailable', 'unavailable'],
    ['4242424242424242', 'pass', 'pass'],
  ];
  for (const [number, line1, postal] of cases) {
    const result = await authorize(await profileOf({ number, ...address }));
    assert.equal(result.status, 'approved', number);
    assert.deepEqual(
      result.status === 'approved' && result.checks,
      { cvc_check: 'pass', address_line1_check: line1, address_postal_code_check: postal },
      number,
    );
  }
  const bare = await authorize(await profileOf({ number: '4000000000000010' }));
  assert.deepEqual(bare.status === 'approved' && bare.checks, {
    cvc_check: 'pass',
    address_line1_check: null,
    address_postal_code_check: null,
  });
  const magic = await authorize(await testProfile('pm_card_avsZipFail'));
  assert.equal(magic.status === 'approved' && magic.checks.address_postal_code_check, 'fail');
});

test('3-D Secure cards ask for authentication until it is done', async () => {
  for (const id of [
    'pm_card_authenticationRequiredOnSetup',
    'pm_card_authenticationRequired',
    'pm_card_authenticationRequiredSetupForOffSession',
    'pm_card_threeDSecure2Required',
    'pm_card_threeDSecureRequired',
  ]) {
    const profile = await testProfile(id);
    const first = await authorize(profile);
    assert.equal(first.status, 'authentication_required', id);
    assert.equal(first.status === 'authentication_required' && first.flow, 'challenge', id);
    const second = await authorize(profile, { authenticated: true });
    assert.equal(second.status, 'approved', id);
    assert.deepEqual(
      second.status === 'approved' && second.threeDSecure,
      { authentication_flow: 'challenge', result: 'authenticated', result_reason: null, version: '2.2.0' },
      id,
    );
  }
  const us = await authorize(await profileOf({ number: '4000008400000027' }));
  assert.equal(us.status, 'authentication_required');
});

test('3-D Secure off-session: set up, always, already set up', async () => {
  const onSetup = await testProfile('pm_card_authenticationRequiredOnSetup');
  const notSetUp = await authorize(onSetup, { offSession: true });
  assert.deepEqual(notSetUp, {
    status: 'authentication_required',
    kind: 'required_unless_setup',
    flow: 'challenge',
    offSession: true,
  });
  assert.equal((await authorize(onSetup, { offSession: true, setupForOffSession: true })).status, 'approved');

  const always = await testProfile('pm_card_authenticationRequired');
  assert.equal(
    (await authorize(always, { offSession: true, setupForOffSession: true })).status,
    'authentication_required',
  );

  const alreadySetUp = await testProfile('pm_card_authenticationRequiredSetupForOffSession');
  assert.equal((await authorize(alreadySetUp, { offSession: true })).status, 'approved');
});

test('3-D Secure cards that decline after or during authentication', async () => {
  const funds = await testProfile('pm_card_authenticationRequiredChargeDeclinedInsufficientFunds');
  assert.equal((await authorize(funds)).status, 'authentication_required');
  assertDeclined(await authorize(funds, { authenticated: true }), 'insufficient_funds');
  assertDeclined(await authorize(funds, { offSession: true, setupForOffSession: true }), 'insufficient_funds');

  const declined = await testProfile('pm_card_threeDSecureRequiredChargeDeclined');
  assert.equal((await authorize(declined)).status, 'authentication_required');
  const afterAuth = await authorize(declined, { authenticated: true });
  assertDeclined(afterAuth, 'generic_decline');
  assert.equal(afterAuth.code, 'card_declined');

  const lookupError = await authorize(await testProfile('pm_card_threeDSecureRequiredProcessingError'));
  assertDeclined(lookupError, 'generic_decline');
  assert.equal(lookupError.code, 'card_declined');
});

test('optional 3-D Secure runs only when requested', async () => {
  const optional = await testProfile('pm_card_threeDSecureOptional');
  assert.equal((await authorize(optional)).status, 'approved');
  assert.equal((await authorize(optional, { requestThreeDSecure: true })).status, 'authentication_required');
  assert.equal((await authorize(optional, { requestThreeDSecure: true, authenticated: true })).status, 'approved');

  const erroring = await testProfile('pm_card_threeDSecureOptionalProcessingError');
  assert.equal((await authorize(erroring)).status, 'approved');
  const attempted = await authorize(erroring, { requestThreeDSecure: true });
  assertDeclined(attempted, 'processing_error');
  assert.equal(attempted.code, 'processing_error');

  const unenrolled = await authorize(await testProfile('pm_card_visa'), { requestThreeDSecure: true });
  assert.equal(unenrolled.status, 'approved');
  assert.equal(unenrolled.status === 'approved' && unenrolled.threeDSecure?.result, 'attempt_acknowledged');

  const unsupported = await authorize(await testProfile('pm_card_amex_threeDSecureNotSupported'), {
    requestThreeDSecure: true,
  });
  assert.equal(unsupported.status, 'approved');
  assert.equal(unsupported.status === 'approved' && unsupported.threeDSecure, null);
});

test('frictionless 3-D Secure', async () => {
  const profile = await profileOf({ number: '4000000032200000' });
  assert.deepEqual(await authorize(profile), {
    status: 'authentication_required',
    kind: 'frictionless',
    flow: 'frictionless',
    offSession: false,
  });
  const done = await authorize(profile, { authenticated: true });
  assert.equal(done.status === 'approved' && done.threeDSecure?.authentication_flow, 'frictionless');
});

test('verify: issuer-decline cards cannot be attached; decline-after-attaching cards can', async () => {
  assert.equal((await network.verify({ profile: await testProfile('pm_card_visa') })).status, 'approved');
  const declined = await network.verify({ profile: await testProfile('pm_card_chargeDeclinedInsufficientFunds') });
  assert.equal(declined.status === 'declined' && declined.decline_code, 'insufficient_funds');
  assert.equal((await network.verify({ profile: await testProfile('pm_card_chargeCustomerFail') })).status, 'approved');
  assert.equal(
    (await network.verify({ profile: await testProfile('pm_card_authenticationRequiredOnSetup') })).status,
    'authentication_required',
  );
  assert.equal(
    (await network.verify({ profile: await testProfile('pm_card_authenticationRequiredOnSetup'), authenticated: true }))
      .status,
    'approved',
  );
  assert.equal(
    (await network.verify({ profile: await testProfile('pm_card_authenticationRequiredSetupForOffSession') })).status,
    'approved',
  );
});

test('capture, void and refunds per the card table', async () => {
  assert.deepEqual(await network.capture('auth_x', 1500), { status: 'succeeded', amount: 1500 });
  assert.deepEqual(await network.void('auth_x'), { status: 'succeeded' });
  const refund = async (id: string) =>
    network.refund({
      idempotencyKey: `re_${id}`,
      authorizationId: 'auth_x',
      amount: 500,
      profile: await testProfile(id),
    });
  assert.deepEqual(await refund('pm_card_visa'), { status: 'succeeded' });
  assert.deepEqual(await refund('pm_card_pendingRefund'), {
    status: 'pending',
    later: { status: 'succeeded', failure_reason: null },
  });
  assert.deepEqual(await refund('pm_card_refundFail'), {
    status: 'succeeded',
    later: { status: 'failed', failure_reason: 'expired_or_canceled_card' },
  });
  const unknown = await network.refund({
    idempotencyKey: 're_unknown',
    authorizationId: 'auth_x',
    amount: 500,
    profile: await profileOf({ number: '4111111111111111' }),
  });
  assert.deepEqual(unknown, { status: 'succeeded' });
  assert.deepEqual(
    await refund('pm_card_pendingRefund'),
    await refund('pm_card_pendingRefund'),
    'the same refund asked again gets the same answer',
  );
});

test('authorize is idempotent by its key: the same key, the same answer; another key, another authorization', async () => {
  for (const id of [
    'pm_card_visa',
    'pm_card_createDispute',
    'pm_card_chargeDeclined',
    'pm_card_authenticationRequired',
  ]) {
    const profile = await testProfile(id);
    const first = await authorize(profile, { idempotencyKey: `ch_${id}` });
    const again = await authorize(structuredClone(profile), { idempotencyKey: `ch_${id}` });
    assert.deepEqual(again, first, id);
  }
  const visa = await testProfile('pm_card_visa');
  const one = await authorize(visa, { idempotencyKey: 'ch_one' });
  const other = await authorize(visa, { idempotencyKey: 'ch_other' });
  assert.ok(one.status === 'approved' && other.status === 'approved');
  assert.match(one.authorizationId, /^auth_[0-9A-Za-z]{24}$/);
  assert.match(one.networkTransactionId, /^\d{15}$/);
  assert.notEqual(one.authorizationId, other.authorizationId);
  assert.notEqual(one.networkTransactionId, other.networkTransactionId);
  // Another network instance (another process, after a restart) answers the same.
  assert.deepEqual(
    await createSimulatedNetwork().authorize({
      idempotencyKey: 'ch_one',
      amount: 2000,
      currency: 'usd',
      profile: visa,
      captureMethod: 'automatic',
      offSession: false,
      authenticated: false,
    }),
    one,
  );
});

test('network.ts is the interface alone: it imports nothing of the simulator', () => {
  const source = readFileSync(new URL('../../src/network/network.ts', import.meta.url), 'utf8');
  const imports = [
    ...source.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'/gm),
    ...source.matchAll(/import\('([^']+)'\)/g),
  ].map((m) => m[1]);
  assert.ok(imports.includes('./card-brands.js'), 'the imports were read');
  assert.deepEqual(
    imports.filter((name) => /simulator|test-cards/.test(name)),
    [],
  );
});
