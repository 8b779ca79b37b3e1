// SetupIntents through the official SDK (secret key) and as Stripe.js calls
// them (publishable key + client_secret): saving cards, declines, 3-D Secure
// (finished directly through finishSetupAuthentication), wrong-state actions,
// events, lists, and the off-session payments a completed setup enables.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { eventRecorder } from '../../src/events/events.js';
import { createSimulatedNetwork } from '../../src/network/simulator/simulated-network.js';
import type { SetupIntent } from '../../src/payments/setup-intent.js';
import { finishSetupAuthentication } from '../../src/payments/setup-intent-confirm.js';
import { CallOut } from '../../src/server/call-out.js';
import { writeContextFactory } from '../../src/server/write-context.js';
import type { Queries } from '../../src/store/store.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { assertShape } from '../support/shapes.js';
import { rejectsWith } from '../support/rejects.js';
import { getObjectRow } from '../../src/store/objects.js';

type StripeError = Stripe.errors.StripeError;

function withoutResponse<T>(object: T): T {
  return JSON.parse(JSON.stringify(object, (k, v) => (k === 'lastResponse' ? undefined : v)));
}

/** Card-only SetupIntents need no return_url when confirmed with a secret key. */
const CARD_ONLY = { payment_method_types: ['card'] } as Partial<Stripe.SetupIntentCreateParams>;

const CARD_DATA = (number: string): Record<string, string> => ({
  'payment_method_data[type]': 'card',
  'payment_method_data[card][number]': number,
  'payment_method_data[card][exp_month]': '12',
  'payment_method_data[card][exp_year]': String(new Date().getUTCFullYear() + 2),
  'payment_method_data[card][cvc]': '123',
});

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the parsed JSON answer, read field by field in the tests
  body: any;
}

describeEachStore('SetupIntents', (target) => {
  let kassa: TestKassa;
  let stripe: Stripe;
  before(async () => {
    kassa = await startKassa(await target.config());
    stripe = kassa.stripe;
  });
  after(() => kassa.close());

  /** Types of the events about one object, oldest first. */
  async function eventTypesFor(id: string): Promise<string[]> {
    const events: Stripe.Event[] = [];
    await stripe.events.list({ limit: 100 }).autoPagingEach((event) => {
      events.push(event);
    });
    return events
      .reverse()
      .filter((e) => (e.data.object as { id?: string }).id === id)
      .map((e) => e.type);
  }

  /** What the 3-D Secure challenge page will do when the customer completes or fails it: the answer, the issuer's check, its record. */
  async function finish(id: string, outcome: 'complete' | 'fail'): Promise<SetupIntent> {
    const accountId = kassa.account.id;
    const now = Math.floor(Date.now() / 1000);
    const contextOf = (tx: Queries) => ({
      ...writeContextFactory(eventRecorder([]))({ db: tx, accountId, now }),
      baseUrl: kassa.url,
    });
    const answered = await kassa.store.transaction(async (tx) => {
      const row = await getObjectRow(tx, accountId, id, { forUpdate: true });
      assert.ok(row);
      return finishSetupAuthentication(
        contextOf(tx),
        JSON.parse(row.doc) as SetupIntent,
        outcome,
        createSimulatedNetwork(),
      );
    });
    if (!(answered instanceof CallOut)) return answered;
    const answer = await answered.call();
    return kassa.store.transaction((tx) => answered.record(contextOf(tx), answer));
  }

  async function offSessionPayment(customer: string, paymentMethod: string): Promise<Stripe.PaymentIntent> {
    return stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      customer,
      payment_method: paymentMethod,
      confirm: true,
      off_session: true,
      payment_method_types: ['card'],
    } as Stripe.PaymentIntentCreateParams);
  }

  test('create: defaults in Stripe shape, client secret, setup_intent.created; retrieve', async () => {
    const si = await stripe.setupIntents.create({ metadata: { order: '42' }, description: 'Save a card' });
    assert.match(si.id, /^seti_[0-9A-Za-z]{24}$/);
    assert.match(si.client_secret!, new RegExp(`^${si.id}_secret_[0-9A-Za-z]+$`));
    assert.equal(si.status, 'requires_payment_method');
    assert.equal(si.usage, 'off_session');
    assert.deepEqual(si.automatic_payment_methods, { allow_redirects: 'always', enabled: true });
    assert.deepEqual(si.payment_method_types, ['card']);
    assert.deepEqual(si.metadata, { order: '42' });
    assert.equal(si.latest_attempt, null);
    assertShape('setup_intent', si);
    assert.deepEqual(withoutResponse(await stripe.setupIntents.retrieve(si.id)), withoutResponse(si));
    assert.deepEqual(await eventTypesFor(si.id), ['setup_intent.created']);
    await assert.rejects(
      stripe.setupIntents.retrieve('seti_missing'),
      rejectsWith({ status: 404, code: 'resource_missing' }),
    );
  });

  test('create checks its parameters', async () => {
    await assert.rejects(
      stripe.setupIntents.create({ customer: 'cus_missing' }),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'customer' }),
    );
    await assert.rejects(
      stripe.setupIntents.create({ usage: 'sometimes' as 'on_session' }),
      rejectsWith({ status: 400, param: 'usage' }),
    );
    await assert.rejects(
      stripe.setupIntents.create({ return_url: 'https://shop.test/back' }),
      rejectsWith({ status: 400, param: 'return_url', message: /confirm=true/ }),
    );
    await assert.rejects(
      stripe.setupIntents.create({ ...CARD_ONLY, automatic_payment_methods: { enabled: true } }),
      rejectsWith({ status: 400, param: 'automatic_payment_methods' }),
    );
    await assert.rejects(
      stripe.setupIntents.create({ payment_method_types: ['card', 'sepa_debit'] } as Stripe.SetupIntentCreateParams),
      rejectsWith({ status: 400, param: 'payment_method_types[1]' }),
    );
    const allowed = await stripe.setupIntents.create({ allowed_payment_method_types: ['card'], usage: 'on_session' });
    assert.deepEqual(allowed.allowed_payment_method_types, ['card']);
    assert.equal(allowed.automatic_payment_methods, null);
    assert.equal(allowed.usage, 'on_session');
  });

  test('confirm: a return_url that is not an absolute URL is refused', async () => {
    const setupIntent = await stripe.setupIntents.create({
      payment_method_types: ['card'],
    } as Stripe.SetupIntentCreateParams);
    await assert.rejects(
      stripe.setupIntents.confirm(setupIntent.id, { payment_method: 'pm_card_visa', return_url: 'checkout/done' }),
      rejectsWith({ status: 400, code: 'url_invalid', param: 'return_url' }),
    );
    assert.equal((await stripe.setupIntents.retrieve(setupIntent.id)).status, 'requires_payment_method');
  });

  test('update: a payment method makes it requires_confirmation; metadata merges; no event', async () => {
    const customer = await stripe.customers.create();
    const si = await stripe.setupIntents.create({ metadata: { a: '1' } });
    const updated = await stripe.setupIntents.update(si.id, {
      payment_method: 'pm_card_visa',
      customer: customer.id,
      metadata: { b: '2' },
    });
    assert.equal(updated.status, 'requires_confirmation');
    assert.match(updated.payment_method as string, /^pm_/);
    assert.equal(updated.customer, customer.id);
    assert.deepEqual(updated.metadata, { a: '1', b: '2' });
    const cleared = await stripe.setupIntents.update(si.id, { payment_method: '' } as Stripe.SetupIntentUpdateParams);
    assert.equal(cleared.status, 'requires_payment_method');
    assert.equal(cleared.payment_method, null);
    assert.deepEqual(await eventTypesFor(si.id), ['setup_intent.created']);
  });

  test('confirm with a customer: succeeded, the card attached and a SetupAttempt as latest_attempt', async () => {
    const customer = await stripe.customers.create();
    const si = await stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: 'pm_card_visa',
    });
    assert.equal(si.status, 'requires_confirmation');
    const done = await stripe.setupIntents.confirm(si.id, { expand: ['latest_attempt'] });
    assert.equal(done.status, 'succeeded');
    assert.equal(done.payment_method, si.payment_method);
    assert.equal(done.last_setup_error, null);
    assert.equal(done.next_action, null);
    assertShape('setup_intent', {
      ...withoutResponse(done),
      latest_attempt: (done.latest_attempt as Stripe.SetupAttempt).id,
    });
    const attempt = done.latest_attempt as Stripe.SetupAttempt;
    assert.match(attempt.id, /^setatt_/);
    assert.equal(attempt.object, 'setup_attempt');
    assert.equal(attempt.status, 'succeeded');
    assert.equal(attempt.setup_intent, si.id);
    assert.equal(attempt.customer, customer.id);
    assert.equal(attempt.payment_method, si.payment_method);
    assert.equal(attempt.payment_method_details.card?.last4, '4242');
    assertShape('setup_attempt', withoutResponse(attempt));
    const pm = await stripe.paymentMethods.retrieve(si.payment_method as string);
    assert.equal(pm.customer, customer.id);
    assert.deepEqual(await eventTypesFor(si.id), ['setup_intent.created', 'setup_intent.succeeded']);
    assert.deepEqual(await eventTypesFor(pm.id), ['payment_method.attached']);
    // Expanding an attempt that exists; confirming again is a wrong-state action that changes nothing.
    await assert.rejects(
      stripe.setupIntents.confirm(si.id),
      rejectsWith({ status: 400, code: 'setup_intent_unexpected_state' }),
    );
    assert.equal((await stripe.setupIntents.retrieve(si.id)).status, 'succeeded');
  });

  test('create with confirm=true; automatic payment methods need a return_url with a secret key', async () => {
    await assert.rejects(
      stripe.setupIntents.create({ payment_method: 'pm_card_visa', confirm: true }),
      rejectsWith({ status: 400, param: 'return_url' }),
    );
    const si = await stripe.setupIntents.create({
      payment_method: 'pm_card_visa',
      confirm: true,
      return_url: 'https://shop.test/back',
    });
    assert.equal(si.status, 'succeeded');
    assert.match(si.latest_attempt as string, /^setatt_/);
    const pm = await stripe.paymentMethods.retrieve(si.payment_method as string);
    assert.equal(pm.customer, null);
  });

  test('a declined card: 402 card_declined, requires_payment_method with last_setup_error, setup_failed, the card not attached', async () => {
    const customer = await stripe.customers.create();
    const si = await stripe.setupIntents.create({ ...CARD_ONLY, customer: customer.id });
    let pmId = '';
    await assert.rejects(
      stripe.setupIntents.confirm(si.id, { payment_method: 'pm_card_chargeDeclinedInsufficientFunds' }),
      (e: StripeError) => {
        assert.equal(e.statusCode, 402);
        assert.equal(e.rawType, 'card_error');
        assert.equal(e.code, 'card_declined');
        assert.equal(e.decline_code, 'insufficient_funds');
        const embedded = (e.raw as { setup_intent: Stripe.SetupIntent }).setup_intent;
        assert.equal(embedded.id, si.id);
        assert.equal(embedded.status, 'requires_payment_method');
        pmId = (e.raw as { payment_method: { id: string } }).payment_method.id;
        return true;
      },
    );
    const failed = await stripe.setupIntents.retrieve(si.id, { expand: ['latest_attempt'] });
    assert.equal(failed.status, 'requires_payment_method');
    assert.equal(failed.payment_method, null);
    assert.equal(failed.last_setup_error?.code, 'card_declined');
    assert.equal(failed.last_setup_error?.decline_code, 'insufficient_funds');
    assert.equal(failed.last_setup_error?.payment_method?.id, pmId);
    const attempt = failed.latest_attempt as Stripe.SetupAttempt;
    assert.equal(attempt.status, 'failed');
    assert.equal(attempt.setup_error?.code, 'card_declined');
    assert.equal((await stripe.paymentMethods.retrieve(pmId)).customer, null);
    assert.deepEqual(await eventTypesFor(si.id), ['setup_intent.created', 'setup_intent.setup_failed']);
    // Another card then succeeds.
    const retried = await stripe.setupIntents.confirm(si.id, { payment_method: 'pm_card_visa' });
    assert.equal(retried.status, 'succeeded');
    assert.equal(retried.last_setup_error, null);
  });

  test('confirm without a payment method, or with one of another customer, is refused', async () => {
    const si = await stripe.setupIntents.create(CARD_ONLY);
    await assert.rejects(
      stripe.setupIntents.confirm(si.id),
      rejectsWith({ status: 400, code: 'setup_intent_unexpected_state', message: /missing a payment method/ }),
    );
    const other = await stripe.customers.create();
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: other.id });
    const mine = await stripe.customers.create();
    const owned = await stripe.setupIntents.create({ ...CARD_ONLY, customer: mine.id });
    await assert.rejects(
      stripe.setupIntents.confirm(owned.id, { payment_method: pm.id }),
      rejectsWith({ status: 400, param: 'payment_method' }),
    );
    assert.equal((await stripe.setupIntents.retrieve(owned.id)).status, 'requires_payment_method');
  });

  test('3-D Secure: requires_action with next_action as a PaymentIntent has, pointing at the challenge page', async () => {
    const si = await stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
    });
    assert.equal(si.status, 'requires_action');
    const challengeUrl = new RegExp(`^${kassa.url}/kassa/3ds/acct_[A-Za-z0-9]+/payatt_[A-Za-z0-9]+/[A-Za-z0-9]+$`);
    const sdk = si.next_action!.use_stripe_sdk as { type: string; stripe_js: string; source: string };
    assert.equal(si.next_action!.type, 'use_stripe_sdk');
    assert.equal(sdk.type, 'three_d_secure_redirect');
    assert.match(sdk.stripe_js, challengeUrl);
    assert.equal(sdk.source, si.id);
    assertShape('setup_intent', si);
    const attempts = await stripe.setupAttempts.list({ setup_intent: si.id });
    assert.deepEqual(
      attempts.data.map((a) => [a.id, a.status]),
      [[si.latest_attempt, 'requires_action']],
    );
    assertShape('setup_attempt', withoutResponse(attempts.data[0]));
    assert.deepEqual(await eventTypesFor(si.id), ['setup_intent.created', 'setup_intent.requires_action']);

    const redirect = await stripe.setupIntents.create({
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
      return_url: 'https://shop.test/back',
    });
    assert.equal(redirect.next_action!.type, 'redirect_to_url');
    assert.equal(redirect.next_action!.redirect_to_url!.return_url, 'https://shop.test/back');
    assert.match(redirect.next_action!.redirect_to_url!.url!, challengeUrl);
    assert.equal(
      (await fetch(redirect.next_action!.redirect_to_url!.url!)).status,
      200,
      'the challenge page is served',
    );
  });

  test('payment_method_options[card][request_three_d_secure]=any challenges a card that would pass without', async () => {
    const plain = await stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_threeDSecureOptional',
      confirm: true,
    });
    assert.equal(plain.status, 'succeeded');
    const asked = await stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_threeDSecureOptional',
      payment_method_options: { card: { request_three_d_secure: 'any' } },
      confirm: true,
    });
    assert.equal(asked.status, 'requires_action');
    assert.equal(asked.payment_method_options?.card?.request_three_d_secure, 'any');
    assert.equal((await finish(asked.id, 'complete')).status, 'succeeded');
  });

  test('completing the challenge sets the card up: attached, and later off-session payments with 4000002500003155 succeed', async () => {
    const customer = await stripe.customers.create();
    const si = await stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
    });
    assert.equal(si.status, 'requires_action');
    const pmId = si.payment_method as string;
    assert.equal((await stripe.paymentMethods.retrieve(pmId)).customer, null);

    const done = await finish(si.id, 'complete');
    assert.equal(done.status, 'succeeded');
    const retrieved = await stripe.setupIntents.retrieve(si.id, { expand: ['latest_attempt'] });
    assert.equal(retrieved.status, 'succeeded');
    assert.equal(retrieved.next_action, null);
    const attempt = retrieved.latest_attempt as Stripe.SetupAttempt;
    assert.equal(attempt.status, 'succeeded');
    assert.equal(attempt.payment_method_details.card?.three_d_secure?.result, 'authenticated');
    assertShape('setup_attempt', withoutResponse(attempt));
    assert.equal((await stripe.paymentMethods.retrieve(pmId)).customer, customer.id);
    assert.deepEqual(await eventTypesFor(si.id), [
      'setup_intent.created',
      'setup_intent.requires_action',
      'setup_intent.succeeded',
    ]);

    const payment = await offSessionPayment(customer.id, pmId);
    assert.equal(payment.status, 'succeeded');
    await assert.rejects(finish(si.id, 'complete'), /setup_intent|SetupIntent/);
  });

  test('the same card saved without a setup (or set up for on-session use) still needs authentication off-session', async () => {
    const customer = await stripe.customers.create();
    const attached = await stripe.paymentMethods.attach('pm_card_authenticationRequiredOnSetup', {
      customer: customer.id,
    });
    await assert.rejects(
      offSessionPayment(customer.id, attached.id),
      rejectsWith({ status: 402, code: 'authentication_required' }),
    );

    const onSession = await stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      usage: 'on_session',
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
    });
    assert.equal((await finish(onSession.id, 'complete')).status, 'succeeded');
    await assert.rejects(
      offSessionPayment(customer.id, onSession.payment_method as string),
      rejectsWith({ status: 402, code: 'authentication_required' }),
    );
  });

  test('failing the challenge: requires_payment_method with setup_intent_authentication_failure, setup_failed, nothing attached', async () => {
    const customer = await stripe.customers.create();
    const si = await stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
    });
    const failed = await finish(si.id, 'fail');
    assert.equal(failed.status, 'requires_payment_method');
    const retrieved = await stripe.setupIntents.retrieve(si.id, { expand: ['latest_attempt'] });
    assert.equal(retrieved.status, 'requires_payment_method');
    assert.equal(retrieved.payment_method, null);
    assert.equal(retrieved.next_action, null);
    assert.equal(retrieved.last_setup_error?.code, 'setup_intent_authentication_failure');
    assert.equal((retrieved.latest_attempt as Stripe.SetupAttempt).status, 'failed');
    assert.equal((await stripe.paymentMethods.retrieve(si.payment_method as string)).customer, null);
    assert.deepEqual(await eventTypesFor(si.id), [
      'setup_intent.created',
      'setup_intent.requires_action',
      'setup_intent.setup_failed',
    ]);
  });

  test('a card declined after authentication: the challenge completes into a failed setup', async () => {
    const si = await stripe.setupIntents
      .create({ ...CARD_ONLY, payment_method: 'pm_card_threeDSecureRequiredProcessingError', confirm: true })
      .catch((e: StripeError) => e);
    // This card is declined as soon as 3-D Secure is attempted.
    assert.equal((si as StripeError).statusCode, 402);
    const pending = await stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    assert.equal(pending.status, 'requires_action');
    assert.equal((await finish(pending.id, 'complete')).status, 'succeeded');
  });

  test('cancel: reasons, only while open; wrong-state actions change nothing', async () => {
    const si = await stripe.setupIntents.create({ metadata: { keep: 'me' } });
    const canceled = await stripe.setupIntents.cancel(si.id, { cancellation_reason: 'requested_by_customer' });
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.cancellation_reason, 'requested_by_customer');
    assertShape('setup_intent', canceled);
    assert.deepEqual(await eventTypesFor(si.id), ['setup_intent.created', 'setup_intent.canceled']);
    await assert.rejects(
      stripe.setupIntents.cancel(si.id),
      rejectsWith({ status: 400, code: 'setup_intent_unexpected_state' }),
    );
    await assert.rejects(
      stripe.setupIntents.confirm(si.id, { payment_method: 'pm_card_visa' }),
      rejectsWith({ status: 400, code: 'setup_intent_unexpected_state' }),
    );
    await assert.rejects(
      stripe.setupIntents.update(si.id, { payment_method: 'pm_card_visa' }),
      rejectsWith({ status: 400, code: 'setup_intent_unexpected_state', param: 'payment_method' }),
    );
    await assert.rejects(
      stripe.setupIntents.cancel(si.id, { cancellation_reason: 'bored' as 'abandoned' }),
      rejectsWith({ status: 400, param: 'cancellation_reason' }),
    );
    assert.deepEqual(withoutResponse(await stripe.setupIntents.retrieve(si.id)), withoutResponse(canceled));
    assert.deepEqual(await eventTypesFor(si.id), ['setup_intent.created', 'setup_intent.canceled']);
    // Bookkeeping stays updatable.
    assert.deepEqual((await stripe.setupIntents.update(si.id, { metadata: { note: 'x' } })).metadata, {
      keep: 'me',
      note: 'x',
    });

    const succeeded = await stripe.setupIntents.create({ ...CARD_ONLY, payment_method: 'pm_card_visa', confirm: true });
    await assert.rejects(
      stripe.setupIntents.cancel(succeeded.id),
      rejectsWith({ status: 400, code: 'setup_intent_unexpected_state' }),
    );
    for (const reason of ['abandoned', 'duplicate'] as const) {
      const open = await stripe.setupIntents.create(CARD_ONLY);
      assert.equal(
        (await stripe.setupIntents.cancel(open.id, { cancellation_reason: reason })).cancellation_reason,
        reason,
      );
    }
  });

  test('list: newest first, filtered by customer, payment_method and created', async () => {
    const account = await kassa.newAccount();
    const own = kassa.clientFor(account.secret_key);
    const customer = await own.customers.create();
    const first = await own.setupIntents.create({ ...CARD_ONLY, customer: customer.id });
    const second = await own.setupIntents.create({ ...CARD_ONLY, payment_method: 'pm_card_visa' });
    const third = await own.setupIntents.create({ ...CARD_ONLY, customer: customer.id });
    assert.deepEqual(
      (await own.setupIntents.list()).data.map((s) => s.id),
      [third.id, second.id, first.id],
    );
    assert.deepEqual(
      (await own.setupIntents.list({ customer: customer.id })).data.map((s) => s.id),
      [third.id, first.id],
    );
    assert.deepEqual(
      (await own.setupIntents.list({ payment_method: second.payment_method as string })).data.map((s) => s.id),
      [second.id],
    );
    assert.deepEqual((await own.setupIntents.list({ created: { gt: first.created + 100000 } })).data, []);
    const page = await own.setupIntents.list({ limit: 2 });
    assert.equal(page.has_more, true);
    assert.equal(page.url, '/v1/setup_intents');
  });
});

describeEachStore('SetupIntents with a publishable key (Stripe.js requests)', (target) => {
  let kassa: TestKassa;
  let stripe: Stripe;
  let pk: string;
  before(async () => {
    kassa = await startKassa(await target.config());
    stripe = kassa.stripe;
    pk = kassa.account.publishable_key;
  });
  after(() => kassa.close());

  async function publishable(method: 'GET' | 'POST', path: string, form: Record<string, string> = {}): Promise<Answer> {
    const encoded = new URLSearchParams({ key: pk, ...form }).toString();
    const response =
      method === 'GET'
        ? await fetch(`${kassa.url}${path}?${encoded}`)
        : await fetch(`${kassa.url}${path}`, {
            method,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: encoded,
          });
    return { status: response.status, body: await response.json() };
  }

  async function newSetupIntent(): Promise<Stripe.SetupIntent> {
    const customer = await stripe.customers.create({ email: 'private@example.com' });
    return stripe.setupIntents.create({ customer: customer.id, metadata: { internal: 'yes' } });
  }

  test('retrieve with the client secret: the public view, without customer or metadata', async () => {
    const si = await newSetupIntent();
    const answer = await publishable('GET', `/v1/setup_intents/${si.id}`, { client_secret: si.client_secret! });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.id, si.id);
    assert.equal(answer.body.status, 'requires_payment_method');
    assert.equal('metadata' in answer.body, false);
    assert.equal('customer' in answer.body, false);
    const missing = await publishable('GET', `/v1/setup_intents/${si.id}`);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.param, 'client_secret');
    const wrong = await publishable('GET', `/v1/setup_intents/${si.id}`, { client_secret: `${si.id}_secret_wrong` });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.param, 'client_secret');
  });

  test('confirm with card data and the client secret: succeeded, the card attached to the customer', async () => {
    const si = await newSetupIntent();
    const answer = await publishable('POST', `/v1/setup_intents/${si.id}/confirm`, {
      client_secret: si.client_secret!,
      ...CARD_DATA('4242424242424242'),
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.status, 'succeeded');
    assert.equal('metadata' in answer.body, false);
    const pm = await stripe.paymentMethods.retrieve(answer.body.payment_method);
    assert.equal(pm.customer, si.customer);
    assert.equal(pm.card?.last4, '4242');
  });

  test('confirm with a declined card: 402 with the public view of the SetupIntent', async () => {
    const si = await newSetupIntent();
    const answer = await publishable('POST', `/v1/setup_intents/${si.id}/confirm`, {
      client_secret: si.client_secret!,
      ...CARD_DATA('4000000000000002'),
    });
    assert.equal(answer.status, 402);
    assert.equal(answer.body.error.code, 'card_declined');
    assert.equal(answer.body.error.setup_intent.status, 'requires_payment_method');
    assert.equal('metadata' in answer.body.error.setup_intent, false);
    assert.equal((await stripe.setupIntents.retrieve(si.id)).last_setup_error?.code, 'card_declined');
  });

  test('confirm without the right client secret changes nothing', async () => {
    const si = await newSetupIntent();
    const wrong = await publishable('POST', `/v1/setup_intents/${si.id}/confirm`, {
      client_secret: 'seti_other_secret_x',
      ...CARD_DATA('4242424242424242'),
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.param, 'client_secret');
    assert.equal((await stripe.setupIntents.retrieve(si.id)).status, 'requires_payment_method');
  });

  test('create, update, cancel and list need a secret key', async () => {
    const si = await newSetupIntent();
    const calls: Array<['GET' | 'POST', string, Record<string, string>]> = [
      ['POST', '/v1/setup_intents', {}],
      ['POST', `/v1/setup_intents/${si.id}`, { client_secret: si.client_secret!, description: 'x' }],
      ['POST', `/v1/setup_intents/${si.id}/cancel`, { client_secret: si.client_secret! }],
      ['GET', '/v1/setup_intents', {}],
    ];
    for (const [method, path, form] of calls) {
      const answer = await publishable(method, path, form);
      assert.equal(answer.status, 401, `${method} ${path}`);
      assert.equal(answer.body.error.code, 'secret_key_required');
    }
    const after = await stripe.setupIntents.retrieve(si.id);
    assert.equal(after.status, 'requires_payment_method');
    assert.equal(after.description, null);
  });
});
