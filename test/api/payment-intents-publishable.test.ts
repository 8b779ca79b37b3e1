// PaymentIntents with a publishable key, as Stripe.js calls them: raw form
// requests carrying `key=pk_...` and the intent's `client_secret`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { PUBLIC_PAYMENT_INTENT_FIELDS as PUBLIC_FIELDS } from '../support/public-fields.js';
import { assertShape } from '../support/shapes.js';

const CARD = {
  'payment_method_data[type]': 'card',
  'payment_method_data[card][number]': '4242424242424242',
  'payment_method_data[card][exp_month]': '12',
  'payment_method_data[card][exp_year]': String(new Date().getUTCFullYear() + 2),
  'payment_method_data[card][cvc]': '123',
  'payment_method_data[billing_details][name]': 'Ada Lovelace',
  'payment_method_data[billing_details][address][postal_code]': '94103',
};

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the parsed JSON answer, read field by field in the tests
  body: any;
}

function cardOnly(params: Stripe.PaymentIntentCreateParams): Stripe.PaymentIntentCreateParams {
  return { ...params, payment_method_types: ['card'] } as Stripe.PaymentIntentCreateParams;
}

describeEachStore('PaymentIntents with a publishable key (Stripe.js requests)', (target) => {
  let kassa: TestKassa;
  let stripe: Stripe;
  let pk: string;
  before(async () => {
    kassa = await startKassa(await target.config());
    stripe = kassa.stripe;
    pk = kassa.account.publishable_key;
  });
  after(() => kassa.close());

  /** A Stripe.js-style request: the key in the form (query for GET), no Authorization header. */
  async function publishable(
    method: 'GET' | 'POST',
    path: string,
    form: Record<string, string> = {},
    key = pk,
  ): Promise<Answer> {
    const encoded = new URLSearchParams({ key, ...form }).toString();
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

  async function newIntent(extra: Partial<Stripe.PaymentIntentCreateParams> = {}): Promise<Stripe.PaymentIntent> {
    const customer = await stripe.customers.create({ email: 'private@example.com' });
    return stripe.paymentIntents.create(
      cardOnly({
        amount: 2500,
        currency: 'usd',
        customer: customer.id,
        metadata: { internal: 'secret-note' },
        ...extra,
      }),
    );
  }

  function assertNothingRevealed(answer: Answer, intent: Stripe.PaymentIntent): void {
    assert.deepEqual(Object.keys(answer.body), ['error']);
    assert.equal(answer.body.error.payment_intent, undefined);
    const text = JSON.stringify(answer.body);
    assert.ok(!text.includes(intent.client_secret!), 'the client secret leaked');
    assert.ok(!text.includes('secret-note'), 'metadata leaked');
    assert.ok(!text.includes('private@example.com'), 'the customer leaked');
  }

  test('retrieve with the client_secret: only the public fields', async () => {
    const intent = await newIntent({ description: 'Tea', receipt_email: 'r@example.com' });
    const answer = await publishable('GET', `/v1/payment_intents/${intent.id}`, {
      client_secret: intent.client_secret!,
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(Object.keys(answer.body).sort(), PUBLIC_FIELDS);
    assert.equal(answer.body.id, intent.id);
    assert.equal(answer.body.amount, 2500);
    assert.equal(answer.body.status, 'requires_payment_method');
    assert.equal(answer.body.client_secret, intent.client_secret);
    assert.equal(answer.body.description, 'Tea');
    assert.equal(answer.body.metadata, undefined);
    assert.equal(answer.body.customer, undefined);
    assertShape('payment_intent', answer.body);

    // The key may also come as a Bearer token; expanding the customer is refused and shows nothing of it (publishable-expand.test.ts tries every path).
    const bearer = await fetch(
      `${kassa.url}/v1/payment_intents/${intent.id}?client_secret=${intent.client_secret}&expand[]=customer`,
      {
        headers: { authorization: `Bearer ${pk}` },
      },
    );
    assert.equal(bearer.status, 400);
    const text = await bearer.text();
    assert.equal(JSON.parse(text).error.param, 'expand');
    assert.ok(!text.includes('private@example.com'));
    assert.ok(!text.includes('secret-note'));
  });

  test('retrieve with a wrong or missing client_secret: an error, nothing revealed', async () => {
    const intent = await newIntent();
    const other = await newIntent();
    const wrong = await publishable('GET', `/v1/payment_intents/${intent.id}`, {
      client_secret: `${intent.id}_secret_wrongwrongwrongwrongwrong`,
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.type, 'invalid_request_error');
    assert.equal(wrong.body.error.param, 'client_secret');
    assertNothingRevealed(wrong, intent);

    const someoneElses = await publishable('GET', `/v1/payment_intents/${intent.id}`, {
      client_secret: other.client_secret!,
    });
    assert.equal(someoneElses.status, 400);
    assertNothingRevealed(someoneElses, intent);

    const missing = await publishable('GET', `/v1/payment_intents/${intent.id}`);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'parameter_missing');
    assert.equal(missing.body.error.param, 'client_secret');
    assertNothingRevealed(missing, intent);

    // Another account's publishable key does not find it at all.
    const stranger = await kassa.newAccount();
    const foreign = await publishable(
      'GET',
      `/v1/payment_intents/${intent.id}`,
      { client_secret: intent.client_secret! },
      stranger.publishable_key,
    );
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.code, 'resource_missing');
    assertNothingRevealed(foreign, intent);
  });

  test('confirm with the client_secret and card data (payment_method_data): succeeded', async () => {
    const intent = await newIntent();
    const answer = await publishable('POST', `/v1/payment_intents/${intent.id}/confirm`, {
      client_secret: intent.client_secret!,
      ...CARD,
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(Object.keys(answer.body).sort(), PUBLIC_FIELDS);
    assert.equal(answer.body.status, 'succeeded');
    assert.match(answer.body.payment_method, /^pm_/);

    const full = await stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge', 'payment_method'] });
    assert.equal(full.status, 'succeeded');
    assert.equal(full.amount_received, 2500);
    assert.deepEqual(full.metadata, { internal: 'secret-note' });
    const pm = full.payment_method as Stripe.PaymentMethod;
    assert.equal(pm.id, answer.body.payment_method);
    assert.equal(pm.card!.last4, '4242');
    assert.equal(pm.billing_details.name, 'Ada Lovelace');
    const charge = full.latest_charge as Stripe.Charge;
    assert.equal(charge.status, 'succeeded');
    assert.deepEqual(charge.payment_method_details!.card!.checks, {
      cvc_check: 'pass',
      address_line1_check: null,
      address_postal_code_check: 'pass',
    });
    assert.equal(charge.billing_details.name, 'Ada Lovelace');
  });

  test("confirm with a test PaymentMethod id, and with a saved card of the intent's customer", async () => {
    const intent = await newIntent();
    const answer = await publishable('POST', `/v1/payment_intents/${intent.id}/confirm`, {
      client_secret: intent.client_secret!,
      payment_method: 'pm_card_mastercard',
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.status, 'succeeded');

    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const mine = await stripe.paymentIntents.create(
      cardOnly({ amount: 1000, currency: 'usd', customer: customer.id, capture_method: 'manual' }),
    );
    const held = await publishable('POST', `/v1/payment_intents/${mine.id}/confirm`, {
      client_secret: mine.client_secret!,
      payment_method: pm.id,
    });
    assert.equal(held.status, 200, JSON.stringify(held.body));
    assert.equal(held.body.status, 'requires_capture');
    assert.equal(held.body.payment_method, pm.id);
  });

  test('confirm: a declined card answers 402 with the public view of the intent', async () => {
    const intent = await newIntent();
    const answer = await publishable('POST', `/v1/payment_intents/${intent.id}/confirm`, {
      client_secret: intent.client_secret!,
      ...CARD,
      'payment_method_data[card][number]': '4000000000000002',
    });
    assert.equal(answer.status, 402);
    const error = answer.body.error;
    assert.equal(error.type, 'card_error');
    assert.equal(error.code, 'card_declined');
    assert.equal(error.decline_code, 'generic_decline');
    assert.equal(error.message, 'Your card was declined.');
    assert.deepEqual(Object.keys(error.payment_intent).sort(), PUBLIC_FIELDS);
    assert.equal(error.payment_intent.status, 'requires_payment_method');
    assert.equal(error.payment_intent.last_payment_error.decline_code, 'generic_decline');
    assert.ok(!JSON.stringify(answer.body).includes('secret-note'));

    // The failed attempt is kept; the customer may try again with another card.
    assert.equal((await stripe.charges.retrieve(error.charge)).status, 'failed');
    const retry = await publishable('POST', `/v1/payment_intents/${intent.id}/confirm`, {
      client_secret: intent.client_secret!,
      ...CARD,
    });
    assert.equal(retry.status, 200);
    assert.equal(retry.body.status, 'succeeded');
    assert.equal(retry.body.last_payment_error, null);
  });

  test('confirm: invalid card data is a card_error naming the field; the intent is unchanged', async () => {
    const intent = await newIntent();
    const cases: Array<[Record<string, string>, string, string]> = [
      [
        { 'payment_method_data[card][number]': '4242424242424241' },
        'incorrect_number',
        'payment_method_data[card][number]',
      ],
      [
        { 'payment_method_data[card][exp_month]': '13' },
        'invalid_expiry_month',
        'payment_method_data[card][exp_month]',
      ],
      [{ 'payment_method_data[card][exp_year]': '2001' }, 'invalid_expiry_year', 'payment_method_data[card][exp_year]'],
      [{ 'payment_method_data[card][cvc]': '12' }, 'invalid_cvc', 'payment_method_data[card][cvc]'],
    ];
    for (const [change, code, param] of cases) {
      const answer = await publishable('POST', `/v1/payment_intents/${intent.id}/confirm`, {
        client_secret: intent.client_secret!,
        ...CARD,
        ...change,
      });
      assert.equal(answer.status, 402, code);
      assert.equal(answer.body.error.type, 'card_error');
      assert.equal(answer.body.error.code, code);
      assert.equal(answer.body.error.param, param);
    }
    const after = await stripe.paymentIntents.retrieve(intent.id);
    assert.equal(after.status, 'requires_payment_method');
    assert.equal(after.latest_charge, null);
    assert.equal(
      (await stripe.paymentMethods.list()).data.filter(
        (pm) => pm.created >= intent.created && pm.card?.last4 === '4241',
      ).length,
      0,
    );
  });

  test('confirm without or with a wrong client_secret is refused and changes nothing', async () => {
    const intent = await newIntent();
    const missing = await publishable('POST', `/v1/payment_intents/${intent.id}/confirm`, {
      payment_method: 'pm_card_visa',
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.param, 'client_secret');
    assertNothingRevealed(missing, intent);
    const wrong = await publishable('POST', `/v1/payment_intents/${intent.id}/confirm`, {
      client_secret: 'pi_x_secret_y',
      payment_method: 'pm_card_visa',
    });
    assert.equal(wrong.status, 400);
    assertNothingRevealed(wrong, intent);
    const after = await stripe.paymentIntents.retrieve(intent.id);
    assert.equal(after.status, 'requires_payment_method');
    assert.equal(after.payment_method, null);
  });

  test('confirmation_method=manual: only the server may confirm', async () => {
    const intent = await newIntent({ confirmation_method: 'manual', payment_method: 'pm_card_visa' });
    assert.equal(intent.status, 'requires_confirmation');
    const answer = await publishable('POST', `/v1/payment_intents/${intent.id}/confirm`, {
      client_secret: intent.client_secret!,
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.type, 'invalid_request_error');
    assert.match(answer.body.error.message, /manual/);
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, 'requires_confirmation');
    assert.equal((await stripe.paymentIntents.confirm(intent.id)).status, 'succeeded');
  });

  test('confirm of a succeeded intent: payment_intent_unexpected_state', async () => {
    const intent = await newIntent({ payment_method: 'pm_card_visa', confirm: true });
    assert.equal(intent.status, 'succeeded');
    const answer = await publishable('POST', `/v1/payment_intents/${intent.id}/confirm`, {
      client_secret: intent.client_secret!,
      payment_method: 'pm_card_visa',
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 'payment_intent_unexpected_state');
    assert.equal(answer.body.error.payment_intent.id, intent.id, 'the error carries the intent, as Stripe does');
    assert.equal(answer.body.error.payment_intent.metadata, undefined, 'in its public view');
    assert.ok(!JSON.stringify(answer.body).includes('secret-note'));
    assert.equal((await stripe.charges.list({ payment_intent: intent.id })).data.length, 1);
  });

  test('a card that needs 3-D Secure: requires_action with a next action for Stripe.js', async () => {
    const intent = await newIntent();
    const answer = await publishable('POST', `/v1/payment_intents/${intent.id}/confirm`, {
      client_secret: intent.client_secret!,
      payment_method: 'pm_card_threeDSecure2Required',
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.status, 'requires_action');
    assert.equal(answer.body.next_action.type, 'use_stripe_sdk');
  });

  test('a publishable key cannot create, update, capture, cancel, list or search (401 secret_key_required)', async () => {
    const intent = await newIntent({ capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    const secret = { client_secret: intent.client_secret! };
    const calls: Array<[string, 'GET' | 'POST', string, Record<string, string>]> = [
      ['create', 'POST', '/v1/payment_intents', { amount: '1000', currency: 'usd' }],
      ['update', 'POST', `/v1/payment_intents/${intent.id}`, { ...secret, description: 'x' }],
      ['capture', 'POST', `/v1/payment_intents/${intent.id}/capture`, secret],
      ['cancel', 'POST', `/v1/payment_intents/${intent.id}/cancel`, secret],
      ['list', 'GET', '/v1/payment_intents', {}],
      ['search', 'GET', '/v1/payment_intents/search', { query: "status:'requires_capture'" }],
      ['charge', 'GET', `/v1/charges/${intent.latest_charge}`, {}],
      ['charges', 'GET', '/v1/charges', {}],
      ['charge update', 'POST', `/v1/charges/${intent.latest_charge}`, { description: 'x' }],
    ];
    for (const [what, method, path, form] of calls) {
      const answer = await publishable(method, path, form);
      assert.equal(answer.status, 401, what);
      assert.equal(answer.body.error.code, 'secret_key_required', what);
      assert.equal(answer.body.error.type, 'invalid_request_error', what);
      assertNothingRevealed(answer, intent);
    }
    const after = await stripe.paymentIntents.retrieve(intent.id);
    assert.equal(after.status, 'requires_capture');
    assert.equal(after.description, null);
    assert.equal(
      (await stripe.paymentIntents.list({ limit: 100 })).data.filter(
        (p) => p.amount === 1000 && p.created >= intent.created && !p.customer,
      ).length,
      0,
    );
  });
});
