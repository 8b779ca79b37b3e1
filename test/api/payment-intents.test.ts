// PaymentIntents with a secret key, through the official SDK: create rules,
// confirm, capture, cancel, declines from the test card table, wrong-state
// actions, events, lists, search and expand.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { TEST_CARDS } from '../../src/network/simulator/test-cards.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { assertShape } from '../support/shapes.js';
import { rejectsWith } from '../support/rejects.js';

type StripeError = Stripe.errors.StripeError;

/** `payment_method_types` is no longer in the SDK's types but Stripe (and Kassa) still take it. */
function cardOnly(params: Stripe.PaymentIntentCreateParams): Stripe.PaymentIntentCreateParams {
  return { ...params, payment_method_types: ['card'] } as Stripe.PaymentIntentCreateParams;
}

/** Every event of the account, oldest first. */
async function allEvents(stripe: Stripe): Promise<Stripe.Event[]> {
  const events: Stripe.Event[] = [];
  await stripe.events.list({ limit: 100 }).autoPagingEach((event) => {
    events.push(event);
  });
  return events.reverse();
}

/** Types of the events about an intent or its charges, oldest first. */
async function eventTypesFor(stripe: Stripe, intentId: string): Promise<string[]> {
  return (await allEvents(stripe))
    .filter((e) => {
      const object = e.data.object as { id?: string; payment_intent?: string };
      return object.id === intentId || object.payment_intent === intentId;
    })
    .map((e) => e.type);
}

function withoutResponse<T>(object: T): T {
  return JSON.parse(JSON.stringify(object, (k, v) => (k === 'lastResponse' ? undefined : v)));
}

// The cards whose first on-session payment is declined: a decline that needs no 3-D Secure attempt, on a card that does not ask for one.
const DECLINING_CARDS = TEST_CARDS.filter(
  (card) =>
    card.decline !== null &&
    card.payment_methods.length > 0 &&
    ['not_enrolled', 'not_supported', 'optional'].includes(card.three_d_secure) &&
    card.decline_when !== 'three_d_secure_attempted',
);

describeEachStore('PaymentIntents through the official SDK', (target) => {
  let kassa: TestKassa;
  let stripe: Stripe;
  before(async () => {
    kassa = await startKassa(await target.config());
    stripe = kassa.stripe;
  });
  after(() => kassa.close());

  test('create: the defaults Stripe applies since 2023-08-16', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 2000, currency: 'USD' });
    assert.match(intent.id, /^pi_[A-Za-z0-9]{24}$/);
    assert.equal(intent.object, 'payment_intent');
    assert.equal(intent.amount, 2000);
    assert.equal(intent.currency, 'usd');
    assert.equal(intent.status, 'requires_payment_method');
    assert.equal(intent.client_secret, `${intent.id}_secret_${intent.client_secret!.slice(intent.id.length + 8)}`);
    assert.match(intent.client_secret!, /^pi_[A-Za-z0-9]{24}_secret_[A-Za-z0-9]{25}$/);
    assert.deepEqual(intent.automatic_payment_methods, { allow_redirects: 'always', enabled: true });
    assert.deepEqual(intent.payment_method_types, ['card']);
    assert.equal(intent.capture_method, 'automatic_async');
    assert.equal(intent.confirmation_method, 'automatic');
    assert.equal(intent.amount_received, 0);
    assert.equal(intent.amount_capturable, 0);
    assert.equal(intent.latest_charge, null);
    assert.equal(intent.payment_method, null);
    assert.equal(intent.customer, null);
    assert.equal(intent.last_payment_error, null);
    assert.equal(intent.next_action, null);
    assert.equal(intent.canceled_at, null);
    assert.equal(intent.livemode, false);
    assert.deepEqual(intent.metadata, {});
    assertShape('payment_intent', intent);

    const fetched = await stripe.paymentIntents.retrieve(intent.id);
    assert.deepEqual(withoutResponse(fetched), withoutResponse(intent));
  });

  test('confirm: a return_url that is not an absolute URL is refused, and the intent is unchanged', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    for (const bad of ['not a url', '/checkout/done', 'https://']) {
      await assert.rejects(
        stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa', return_url: bad }),
        rejectsWith({ status: 400, code: 'url_invalid', param: 'return_url', message: /Not a valid URL/ }),
      );
    }
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, 'requires_payment_method');
    // App deep links are URLs too, as on Stripe.
    const confirmed = await stripe.paymentIntents.confirm(intent.id, {
      payment_method: 'pm_card_visa',
      return_url: 'myshop://checkout/done',
    });
    assert.equal(confirmed.status, 'succeeded');
  });

  test('create: amount and currency are required, and the currency must be one Stripe supports', async () => {
    await assert.rejects(
      stripe.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams),
      rejectsWith({ status: 400, code: 'parameter_missing', param: 'amount', type: 'invalid_request_error' }),
    );
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 2000 } as Stripe.PaymentIntentCreateParams),
      rejectsWith({ status: 400, code: 'parameter_missing', param: 'currency' }),
    );
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 2000, currency: 'xyz' }),
      rejectsWith({ status: 400, param: 'currency', message: /^Invalid currency: xyz/ }),
    );
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 12.5, currency: 'usd' }),
      rejectsWith({ status: 400, code: 'parameter_invalid_integer', param: 'amount' }),
    );
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 0, currency: 'usd' }),
      rejectsWith({ status: 400, param: 'amount' }),
    );
  });

  test('create: minimum and maximum amounts per currency, zero- and three-decimal included', async () => {
    const cases: Array<{ currency: string; amount: number; code?: string; message?: RegExp }> = [
      { currency: 'usd', amount: 49, code: 'amount_too_small', message: /^Amount must be at least \$0\.50 usd$/ },
      { currency: 'usd', amount: 50 },
      { currency: 'usd', amount: 99_999_999 },
      {
        currency: 'usd',
        amount: 100_000_000,
        code: 'amount_too_large',
        message: /^Amount must be no more than \$999,999\.99$/,
      },
      { currency: 'gbp', amount: 29, code: 'amount_too_small' },
      { currency: 'gbp', amount: 30 },
      { currency: 'jpy', amount: 49, code: 'amount_too_small', message: /¥50 jpy/ },
      { currency: 'jpy', amount: 50 },
      { currency: 'jpy', amount: 9_999_999_999 },
      { currency: 'jpy', amount: 10_000_000_000, code: 'amount_too_large' },
      { currency: 'kwd', amount: 5, code: 'amount_too_small' },
      { currency: 'kwd', amount: 10 },
      { currency: 'kwd', amount: 1_005, message: /three decimal/ },
      { currency: 'kwd', amount: 1_000 },
    ];
    for (const c of cases) {
      const attempt = stripe.paymentIntents.create({ amount: c.amount, currency: c.currency });
      if (!c.code && !c.message) {
        const intent = await attempt;
        assert.equal(intent.amount, c.amount, `${c.amount} ${c.currency}`);
        continue;
      }
      await assert.rejects(attempt, (e: StripeError) => {
        assert.equal(e.statusCode, 400, `${c.amount} ${c.currency}`);
        assert.equal(e.param, 'amount');
        if (c.code) assert.equal(e.code, c.code, `${c.amount} ${c.currency}`);
        if (c.message) assert.match(e.message, c.message);
        return true;
      });
    }
  });

  test('create: payment_method_types and automatic_payment_methods', async () => {
    const typed = await stripe.paymentIntents.create(cardOnly({ amount: 1000, currency: 'eur' }));
    assert.deepEqual(typed.payment_method_types, ['card']);
    assert.equal(typed.automatic_payment_methods, null);

    const never = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    assert.deepEqual(never.automatic_payment_methods, { allow_redirects: 'never', enabled: true });

    const off = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      automatic_payment_methods: { enabled: false },
    });
    assert.equal(off.automatic_payment_methods, null);
    assert.deepEqual(off.payment_method_types, ['card']);

    await assert.rejects(
      stripe.paymentIntents.create(
        cardOnly({ amount: 1000, currency: 'eur', automatic_payment_methods: { enabled: true } }),
      ),
      rejectsWith({ status: 400, param: 'automatic_payment_methods', message: /only specify one of/ }),
    );
    await assert.rejects(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'eur',
        payment_method_types: ['card', 'ideal'],
      } as Stripe.PaymentIntentCreateParams),
      rejectsWith({ status: 400, param: 'payment_method_types[1]' }),
    );
  });

  test('create: capture_method, confirmation_method, description, receipt_email, shipping, metadata, setup_future_usage', async () => {
    for (const capture_method of ['automatic', 'automatic_async', 'manual'] as const) {
      assert.equal(
        (await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', capture_method })).capture_method,
        capture_method,
      );
    }
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', capture_method: 'later' as 'manual' }),
      rejectsWith({ status: 400, param: 'capture_method' }),
    );
    const customer = await stripe.customers.create({ email: 'buyer@example.com' });
    const intent = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      confirmation_method: 'manual',
      customer: customer.id,
      description: 'Order 42',
      receipt_email: 'buyer@example.com',
      statement_descriptor_suffix: 'ORDER 42',
      shipping: {
        name: 'Ada',
        phone: '+4712345678',
        address: { line1: '1 Engine St', city: 'London', country: 'GB' },
        carrier: 'DHL',
        tracking_number: 'T1',
      },
      metadata: { order: '42' },
      setup_future_usage: 'off_session',
    });
    assert.equal(intent.confirmation_method, 'manual');
    assert.equal(intent.customer, customer.id);
    assert.equal(intent.description, 'Order 42');
    assert.equal(intent.receipt_email, 'buyer@example.com');
    assert.equal(intent.statement_descriptor_suffix, 'ORDER 42');
    assert.equal(intent.statement_descriptor, null);
    assert.deepEqual(intent.shipping, {
      name: 'Ada',
      phone: '+4712345678',
      carrier: 'DHL',
      tracking_number: 'T1',
      address: { line1: '1 Engine St', line2: null, city: 'London', state: null, postal_code: null, country: 'GB' },
    });
    assert.deepEqual(intent.metadata, { order: '42' });
    assert.equal(intent.setup_future_usage, 'off_session');
    assertShape('payment_intent', intent);

    await assert.rejects(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', receipt_email: 'not-an-email' }),
      rejectsWith({ status: 400, code: 'email_invalid', param: 'receipt_email' }),
    );
    await assert.rejects(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        shipping: { address: { line1: 'x' } } as Stripe.PaymentIntentCreateParams.Shipping,
      }),
      rejectsWith({ status: 400, code: 'parameter_missing', param: 'shipping[name]' }),
    );
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', metadata: { 'a[b]': 'x' } }),
      rejectsWith({ status: 400, param: 'metadata[a[b]]' }),
    );
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', setup_future_usage: 'sometimes' as 'on_session' }),
      rejectsWith({ status: 400, param: 'setup_future_usage' }),
    );
  });

  test('create: statement descriptors follow the card rules', async () => {
    // Stripe refuses a full statement_descriptor on intents that can take cards (since January 2024).
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', statement_descriptor: 'KASSA SHOP' }),
      rejectsWith({ status: 400, param: 'statement_descriptor', message: /statement_descriptor_suffix/ }),
    );
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', statement_descriptor_suffix: 'A'.repeat(23) }),
      rejectsWith({ status: 400, param: 'statement_descriptor_suffix' }),
    );
    for (const bad of ['ORDER <42>', 'SAY "HI"', "IT'S", 'A*B', 'BACK\\SLASH', '12345']) {
      await assert.rejects(
        stripe.paymentIntents.create({ amount: 1000, currency: 'usd', statement_descriptor_suffix: bad }),
        rejectsWith({ status: 400, param: 'statement_descriptor_suffix' }),
        bad,
      );
    }
    const ok = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      statement_descriptor_suffix: 'INV 7',
    });
    assert.equal(ok.statement_descriptor_suffix, 'INV 7');
  });

  test('create: the customer must exist and not be deleted', async () => {
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: 'cus_nonexistent0000' }),
      rejectsWith({
        status: 404,
        code: 'resource_missing',
        param: 'customer',
        message: /No such customer: 'cus_nonexistent0000'/,
      }),
    );
    const gone = await stripe.customers.create({});
    await stripe.customers.del(gone.id);
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: gone.id }),
      rejectsWith({ status: 404, code: 'resource_missing' }),
    );
    const other = (await kassa.freshClient()).stripe;
    const foreign = await other.customers.create({});
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: foreign.id }),
      rejectsWith({ status: 404, code: 'resource_missing' }),
    );
  });

  test('create: a payment method makes the intent wait for confirmation; payment_method_data does too', async () => {
    const withPm = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
    });
    assert.equal(withPm.status, 'requires_confirmation');
    assert.match(withPm.payment_method as string, /^pm_[A-Za-z0-9]{24}$/);
    assert.notEqual(withPm.payment_method, 'pm_card_visa');
    assert.equal((await stripe.paymentMethods.retrieve(withPm.payment_method as string)).card!.last4, '4242');

    const withData = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method_data: {
        type: 'card',
        card: { token: 'tok_mastercard' },
        billing_details: { name: 'Ada' },
      } as Stripe.PaymentIntentCreateParams.PaymentMethodData,
    });
    assert.equal(withData.status, 'requires_confirmation');
    const pm = await stripe.paymentMethods.retrieve(withData.payment_method as string);
    assert.equal(pm.card!.brand, 'mastercard');
    assert.equal(pm.billing_details.name, 'Ada');

    await assert.rejects(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_nonexistent' }),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'payment_method' }),
    );
  });

  test('create: confirm-only parameters are refused without confirm=true, and nothing is created', async () => {
    const client = (await kassa.freshClient()).stripe;
    const cases: Array<[Partial<Stripe.PaymentIntentCreateParams>, string]> = [
      [{ return_url: 'https://example.com/done' }, 'return_url'],
      [{ off_session: true, payment_method: 'pm_card_visa' }, 'off_session'],
      [{ error_on_requires_action: true }, 'error_on_requires_action'],
    ];
    for (const [extra, param] of cases) {
      await assert.rejects(
        client.paymentIntents.create({ amount: 1000, currency: 'usd', ...extra }),
        rejectsWith({ status: 400, param, type: 'invalid_request_error' }),
        param,
      );
      await assert.rejects(
        client.paymentIntents.create({ amount: 1000, currency: 'usd', confirm: false, ...extra }),
        rejectsWith({ status: 400, param }),
        param,
      );
    }
    assert.equal((await client.paymentIntents.list()).data.length, 0);
    assert.equal((await client.paymentMethods.list()).data.length, 0);
    assert.equal((await allEvents(client)).length, 0);
  });

  test('confirm=true in one call: succeeded, with a captured charge and its balance transaction (2.9% + 30)', async () => {
    const client = (await kassa.freshClient()).stripe;
    const intent = await client.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      confirm: true,
      payment_method: 'pm_card_visa',
      return_url: 'https://example.com/done',
      description: 'Tea',
    });
    assert.equal(intent.status, 'succeeded');
    assert.equal(intent.amount_received, 2000);
    assert.equal(intent.amount_capturable, 0);
    assert.match(intent.latest_charge as string, /^ch_/);
    assert.match(intent.payment_method as string, /^pm_/);
    assert.equal(intent.last_payment_error, null);
    assert.equal(intent.next_action, null);
    assertShape('payment_intent', intent);

    const charge = await client.charges.retrieve(intent.latest_charge as string);
    assertShape('charge', charge);
    assert.equal(charge.amount, 2000);
    assert.equal(charge.amount_captured, 2000);
    assert.equal(charge.amount_refunded, 0);
    assert.equal(charge.captured, true);
    assert.equal(charge.paid, true);
    assert.equal(charge.status, 'succeeded');
    assert.equal(charge.currency, 'usd');
    assert.equal(charge.description, 'Tea');
    assert.equal(charge.payment_intent, intent.id);
    assert.equal(charge.payment_method, intent.payment_method);
    assert.equal(charge.failure_code, null);
    assert.equal(charge.outcome!.type, 'authorized');
    assert.equal(charge.outcome!.network_status, 'approved_by_network');
    assert.equal(charge.outcome!.seller_message, 'Payment complete.');
    assert.equal(charge.outcome!.risk_level, 'normal');
    const card = charge.payment_method_details!.card!;
    assert.equal(charge.payment_method_details!.type, 'card');
    assert.equal(card.brand, 'visa');
    assert.equal(card.last4, '4242');
    assert.equal(card.funding, 'credit');
    assert.equal(card.country, 'US');
    assert.deepEqual(card.checks, { cvc_check: 'pass', address_line1_check: null, address_postal_code_check: null });
    assert.equal(card.amount_authorized, 2000);
    assert.match(charge.receipt_url!, new RegExp(`^${kassa.url}/receipts/\\S+$`));

    const txn = await client.balanceTransactions.retrieve(charge.balance_transaction as string);
    assertShape('balance_transaction', txn);
    assert.equal(txn.amount, 2000);
    assert.equal(txn.fee, 88); // 2.9% of 2000 = 58, plus 30
    assert.equal(txn.net, 1912);
    assert.deepEqual(
      txn.fee_details.map((d) => ({ amount: d.amount, currency: d.currency, type: d.type })),
      [{ amount: 88, currency: 'usd', type: 'stripe_fee' }],
    );
    assert.equal(txn.type, 'charge');
    assert.equal(txn.reporting_category, 'charge');
    assert.equal(txn.source, charge.id);
    assert.equal(txn.currency, 'usd');
    assert.equal(txn.status, 'pending');
    assert.ok(txn.available_on > txn.created);

    assert.deepEqual(await eventTypesFor(client, intent.id), [
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
  });

  test('confirm: a saved card of the customer, with payment_method_types=[card] (no return_url needed)', async () => {
    const customer = await stripe.customers.create({ email: 'saved@example.com' });
    const pm = await stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'tok_amex' } as Stripe.PaymentMethodCreateParams.Card,
    });
    await stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    const intent = await stripe.paymentIntents.create(
      cardOnly({ amount: 3000, currency: 'usd', customer: customer.id, payment_method: pm.id }),
    );
    assert.equal(intent.status, 'requires_confirmation');
    const confirmed = await stripe.paymentIntents.confirm(intent.id);
    assert.equal(confirmed.status, 'succeeded');
    assert.equal(confirmed.payment_method, pm.id);
    const charge = await stripe.charges.retrieve(confirmed.latest_charge as string);
    assert.equal(charge.customer, customer.id);
    assert.equal(charge.payment_method_details!.card!.brand, 'amex');
    assert.equal(charge.payment_method_details!.card!.last4, '0005');

    // Another customer's card is refused.
    const stranger = await stripe.customers.create({});
    const other = await stripe.paymentIntents.create(
      cardOnly({ amount: 3000, currency: 'usd', customer: stranger.id }),
    );
    await assert.rejects(
      stripe.paymentIntents.confirm(other.id, { payment_method: pm.id }),
      rejectsWith({ status: 400, param: 'payment_method' }),
    );
    assert.equal((await stripe.paymentIntents.retrieve(other.id)).status, 'requires_payment_method');
  });

  test('setup_future_usage with a customer: the card is saved to the customer after the payment', async () => {
    const client = (await kassa.freshClient()).stripe;
    const customer = await client.customers.create({});
    const intent = await client.paymentIntents.create(
      cardOnly({
        amount: 1000,
        currency: 'usd',
        customer: customer.id,
        setup_future_usage: 'off_session',
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    assert.equal(intent.status, 'succeeded');
    assert.equal(intent.setup_future_usage, 'off_session');
    const pm = await client.paymentMethods.retrieve(intent.payment_method as string);
    assert.equal(pm.customer, customer.id);
    assert.deepEqual(
      (await client.customers.listPaymentMethods(customer.id)).data.map((p) => p.id),
      [pm.id],
    );
    const attached = (await allEvents(client)).filter((e) => e.type === 'payment_method.attached');
    assert.deepEqual(
      attached.map((e) => (e.data.object as Stripe.PaymentMethod).id),
      [pm.id],
    );

    // Then it pays off-session without the customer.
    const later = await client.paymentIntents.create(
      cardOnly({
        amount: 500,
        currency: 'usd',
        customer: customer.id,
        payment_method: pm.id,
        off_session: true,
        confirm: true,
      }),
    );
    assert.equal(later.status, 'succeeded');

    // Without a customer nothing is attached.
    const anonymous = await client.paymentIntents.create(
      cardOnly({
        amount: 1000,
        currency: 'usd',
        setup_future_usage: 'on_session',
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    assert.equal((await client.paymentMethods.retrieve(anonymous.payment_method as string)).customer, null);
  });

  test('confirm: without a payment method is refused', async () => {
    const intent = await stripe.paymentIntents.create(cardOnly({ amount: 1000, currency: 'usd' }));
    await assert.rejects(
      stripe.paymentIntents.confirm(intent.id),
      rejectsWith({ status: 400, code: 'payment_intent_unexpected_state', message: /missing a payment method/ }),
    );
  });

  test('confirm: automatic payment methods that allow redirects need a return_url from a secret key', async () => {
    const client = (await kassa.freshClient()).stripe;
    const intent = await client.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
    });
    const before = withoutResponse(await client.paymentIntents.retrieve(intent.id));
    const eventsBefore = (await allEvents(client)).length;
    await assert.rejects(
      client.paymentIntents.confirm(intent.id),
      rejectsWith({ status: 400, param: 'return_url', message: /return_url.*must|must.*return_url/ }),
    );
    assert.deepEqual(withoutResponse(await client.paymentIntents.retrieve(intent.id)), before);
    assert.equal((await allEvents(client)).length, eventsBefore);
    assert.equal((await client.charges.list()).data.length, 0);

    // In one call too: nothing is created.
    await assert.rejects(
      client.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true }),
      rejectsWith({ status: 400, param: 'return_url' }),
    );
    assert.equal((await client.paymentIntents.list()).data.length, 1);

    const withUrl = await client.paymentIntents.confirm(intent.id, { return_url: 'https://example.com/back' });
    assert.equal(withUrl.status, 'succeeded');
    const never = await client.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    assert.equal(never.status, 'succeeded');
    const typed = await client.paymentIntents.create(
      cardOnly({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true }),
    );
    assert.equal(typed.status, 'succeeded');
  });

  test('manual capture: requires_capture, then capture in full', async () => {
    const client = (await kassa.freshClient()).stripe;
    const intent = await client.paymentIntents.create(
      cardOnly({
        amount: 2000,
        currency: 'usd',
        capture_method: 'manual',
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    assert.equal(intent.status, 'requires_capture');
    assert.equal(intent.amount_capturable, 2000);
    assert.equal(intent.amount_received, 0);
    const held = await client.charges.retrieve(intent.latest_charge as string);
    assert.equal(held.status, 'succeeded');
    assert.equal(held.paid, true);
    assert.equal(held.captured, false);
    assert.equal(held.amount_captured, 0);
    assert.equal(held.balance_transaction, null);
    assertShape('charge', held);

    const captured = await client.paymentIntents.capture(intent.id);
    assert.equal(captured.status, 'succeeded');
    assert.equal(captured.amount_received, 2000);
    assert.equal(captured.amount_capturable, 0);
    const charge = await client.charges.retrieve(intent.latest_charge as string, { expand: ['balance_transaction'] });
    assert.equal(charge.captured, true);
    assert.equal(charge.amount_captured, 2000);
    assert.equal(charge.amount_refunded, 0);
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    assert.equal(txn.amount, 2000);
    assert.equal(txn.fee, 88);
    assert.equal(txn.net, 1912);

    assert.deepEqual(await eventTypesFor(client, intent.id), [
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
      'charge.captured',
      'payment_intent.succeeded',
    ]);
  });

  test('manual capture: a partial capture releases the rest', async () => {
    const intent = await stripe.paymentIntents.create(
      cardOnly({
        amount: 2000,
        currency: 'usd',
        capture_method: 'manual',
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    await assert.rejects(
      stripe.paymentIntents.capture(intent.id, { amount_to_capture: 2001 }),
      rejectsWith({ status: 400, param: 'amount_to_capture' }),
    );
    await assert.rejects(
      stripe.paymentIntents.capture(intent.id, { amount_to_capture: 0 }),
      rejectsWith({ status: 400, param: 'amount_to_capture' }),
    );
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, 'requires_capture');

    const captured = await stripe.paymentIntents.capture(intent.id, {
      amount_to_capture: 1500,
      metadata: { shipped: 'partial' },
    });
    assert.equal(captured.status, 'succeeded');
    assert.equal(captured.amount, 2000);
    assert.equal(captured.amount_received, 1500);
    assert.equal(captured.amount_capturable, 0);
    assert.deepEqual(captured.metadata, { shipped: 'partial' });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string, { expand: ['balance_transaction'] });
    assert.equal(charge.amount, 2000);
    assert.equal(charge.amount_captured, 1500);
    assert.equal(charge.amount_refunded, 500);
    assert.equal(charge.captured, true);
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    assert.equal(txn.amount, 1500);
    assert.equal(txn.fee, 74); // 2.9% of 1500 = 43.5, rounded half up to 44, plus 30
    assert.equal(txn.net, 1426);
  });

  test('cancel: from requires_payment_method, and from requires_capture (the hold is released)', async () => {
    const client = (await kassa.freshClient()).stripe;
    const open = await client.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const canceled = await client.paymentIntents.cancel(open.id, { cancellation_reason: 'abandoned' });
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.cancellation_reason, 'abandoned');
    assert.equal(typeof canceled.canceled_at, 'number');
    assert.ok(canceled.canceled_at! >= open.created);
    assertShape('payment_intent', canceled);
    assert.deepEqual(await eventTypesFor(client, open.id), ['payment_intent.created', 'payment_intent.canceled']);
    const noReason = await client.paymentIntents.cancel(
      (await client.paymentIntents.create({ amount: 1000, currency: 'usd' })).id,
    );
    assert.equal(noReason.cancellation_reason, null);

    const held = await client.paymentIntents.create(
      cardOnly({
        amount: 2000,
        currency: 'usd',
        capture_method: 'manual',
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    const voided = await client.paymentIntents.cancel(held.id, { cancellation_reason: 'requested_by_customer' });
    assert.equal(voided.status, 'canceled');
    assert.equal(voided.amount_capturable, 0);
    assert.equal(voided.amount_received, 0);
    const charge = await client.charges.retrieve(held.latest_charge as string);
    assert.equal(charge.captured, false);
    assert.equal(charge.refunded, true);
    assert.equal(charge.amount_refunded, 2000);
    assert.equal(charge.balance_transaction, null);
    assert.deepEqual(await eventTypesFor(client, held.id), [
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
      'charge.refunded',
      'payment_intent.canceled',
    ]);
    await assert.rejects(
      client.paymentIntents.capture(held.id),
      rejectsWith({ status: 400, code: 'payment_intent_unexpected_state' }),
    );
  });

  test('declines: every declining card of the test table', async () => {
    assert.ok(DECLINING_CARDS.length >= 12, `only ${DECLINING_CARDS.length} declining cards`);
    const client = (await kassa.freshClient()).stripe;
    for (const card of DECLINING_CARDS) {
      const decline = card.decline!;
      const pmId = card.payment_methods[0];
      const intent = await client.paymentIntents.create(
        cardOnly({ amount: 2000, currency: 'usd', metadata: { card: card.id } }),
      );
      let error: Stripe.errors.StripeCardError | undefined;
      await assert.rejects(client.paymentIntents.confirm(intent.id, { payment_method: pmId }), (e: StripeError) => {
        error = e as Stripe.errors.StripeCardError;
        return true;
      });
      assert.ok(error instanceof Stripe.errors.StripeCardError, `${card.id}: ${error?.message}`);
      assert.equal(error.statusCode, 402, card.id);
      assert.equal(error.rawType, 'card_error');
      assert.equal(error.code, decline.code, card.id);
      assert.equal(error.decline_code, decline.decline_code, card.id);
      assert.equal(error.message, decline.message, card.id);
      assert.match(error.charge!, /^ch_/);

      const embedded = error.payment_intent!;
      assert.equal(embedded.id, intent.id);
      assert.equal(embedded.status, 'requires_payment_method');
      assert.equal(embedded.payment_method, null);
      assert.equal(embedded.latest_charge, error.charge);
      assert.deepEqual(embedded.metadata, { card: card.id });
      const lastError = embedded.last_payment_error!;
      assert.equal(lastError.type, 'card_error');
      assert.equal(lastError.code, decline.code);
      assert.equal(lastError.decline_code, decline.decline_code);
      assert.equal(lastError.message, decline.message);
      assert.equal(lastError.charge, error.charge);
      const pm = lastError.payment_method!;
      assert.match(pm.id, /^pm_/);
      assert.equal(pm.card!.last4, card.number.slice(-4));
      assertShape('payment_intent', embedded);

      const stored = await client.paymentIntents.retrieve(intent.id);
      assert.deepEqual(withoutResponse(stored), withoutResponse(embedded));

      const charge = await client.charges.retrieve(error.charge!);
      assertShape('charge', charge);
      assert.equal(charge.status, 'failed', card.id);
      assert.equal(charge.paid, false);
      assert.equal(charge.captured, false);
      assert.equal(charge.balance_transaction, null);
      assert.equal(charge.failure_code, decline.code);
      assert.equal(charge.failure_message, decline.message);
      assert.equal(charge.outcome!.type, decline.outcome.type, card.id);
      assert.equal(charge.outcome!.network_status, decline.outcome.network_status);
      assert.equal(charge.outcome!.reason, decline.outcome.reason);
      assert.equal(charge.outcome!.seller_message, decline.outcome.seller_message);
      assert.equal(charge.outcome!.risk_level, card.risk.level);
      assert.equal(charge.payment_method, pm.id);
      assert.equal(charge.payment_intent, intent.id);

      assert.deepEqual(
        await eventTypesFor(client, intent.id),
        ['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed'],
        card.id,
      );
    }
  });

  test('declines: in one call with confirm=true; then a good card succeeds on the same intent', async () => {
    const client = (await kassa.freshClient()).stripe;
    const error = await client.paymentIntents
      .create(
        cardOnly({
          amount: 2000,
          currency: 'usd',
          payment_method: 'pm_card_visa_chargeDeclinedInsufficientFunds',
          confirm: true,
        }),
      )
      .then(
        () => assert.fail('expected a decline'),
        (e: Stripe.errors.StripeCardError) => e,
      );
    assert.equal(error.statusCode, 402);
    assert.equal(error.decline_code, 'insufficient_funds');
    const intentId = error.payment_intent!.id;
    const failedCharge = error.charge!;
    assert.equal((await client.paymentIntents.retrieve(intentId)).status, 'requires_payment_method');

    const retried = await client.paymentIntents.confirm(intentId, { payment_method: 'pm_card_mastercard' });
    assert.equal(retried.status, 'succeeded');
    assert.equal(retried.last_payment_error, null);
    assert.notEqual(retried.latest_charge, failedCharge);
    assert.equal(retried.amount_received, 2000);
    const charges = await client.charges.list({ payment_intent: intentId });
    assert.deepEqual(
      charges.data.map((c) => c.status),
      ['succeeded', 'failed'],
    );
    assert.deepEqual(await eventTypesFor(client, intentId), [
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
  });

  test('off_session with a card that needs 3-D Secure: 402 authentication_required', async () => {
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'tok_authenticationRequired' } as Stripe.PaymentMethodCreateParams.Card,
    });
    await stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    const error = await stripe.paymentIntents
      .create(
        cardOnly({
          amount: 2000,
          currency: 'eur',
          customer: customer.id,
          payment_method: pm.id,
          off_session: true,
          confirm: true,
        }),
      )
      .then(
        () => assert.fail('expected authentication_required'),
        (e: Stripe.errors.StripeCardError) => e,
      );
    assert.equal(error.statusCode, 402);
    assert.equal(error.rawType, 'card_error');
    assert.equal(error.code, 'authentication_required');
    assert.equal(error.decline_code, 'authentication_required');
    assert.equal(error.payment_intent!.status, 'requires_payment_method');
    assert.equal(error.payment_intent!.last_payment_error!.code, 'authentication_required');
    assert.equal(error.payment_intent!.last_payment_error!.payment_method!.id, pm.id);

    // On session the same card asks for authentication instead.
    const onSession = await stripe.paymentIntents.confirm(error.payment_intent!.id, {
      payment_method: pm.id,
      return_url: 'https://example.com/back',
    });
    assert.equal(onSession.status, 'requires_action');
    assert.equal(onSession.next_action!.type, 'redirect_to_url');
    assert.equal(onSession.next_action!.redirect_to_url!.return_url, 'https://example.com/back');
  });

  test('wrong-state actions: 400 payment_intent_unexpected_state and nothing changes', async () => {
    const client = (await kassa.freshClient()).stripe;
    const succeeded = await client.paymentIntents.create(
      cardOnly({ amount: 2000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { a: '1' } }),
    );
    const open = await client.paymentIntents.create(cardOnly({ amount: 2000, currency: 'usd' }));
    const canceled = await client.paymentIntents.cancel(
      (await client.paymentIntents.create(cardOnly({ amount: 2000, currency: 'usd' }))).id,
    );
    const attempts: Array<[string, string, () => Promise<unknown>, RegExp]> = [
      [
        'confirm a succeeded intent',
        succeeded.id,
        () => client.paymentIntents.confirm(succeeded.id, { payment_method: 'pm_card_visa' }),
        /cannot confirm this PaymentIntent because it has a status of succeeded/,
      ],
      [
        'capture a succeeded intent',
        succeeded.id,
        () => client.paymentIntents.capture(succeeded.id),
        /cannot capture this PaymentIntent because it has a status of succeeded/,
      ],
      [
        'capture an unconfirmed intent',
        open.id,
        () => client.paymentIntents.capture(open.id),
        /status of requires_payment_method/,
      ],
      [
        'cancel a succeeded intent',
        succeeded.id,
        () => client.paymentIntents.cancel(succeeded.id),
        /cannot cancel this PaymentIntent because it has a status of succeeded/,
      ],
      ['cancel a canceled intent', canceled.id, () => client.paymentIntents.cancel(canceled.id), /status of canceled/],
      [
        'confirm a canceled intent',
        canceled.id,
        () => client.paymentIntents.confirm(canceled.id, { payment_method: 'pm_card_visa' }),
        /status of canceled/,
      ],
      [
        'update the amount of a succeeded intent',
        succeeded.id,
        () => client.paymentIntents.update(succeeded.id, { amount: 5000 }),
        /amount could not be updated because it has a status of succeeded/,
      ],
      [
        'update the payment method of a succeeded intent',
        succeeded.id,
        () => client.paymentIntents.update(succeeded.id, { payment_method: 'pm_card_visa', metadata: { b: '2' } }),
        /payment_method could not be updated/,
      ],
      [
        'update the amount of a canceled intent',
        canceled.id,
        () => client.paymentIntents.update(canceled.id, { amount: 5000 }),
        /status of canceled/,
      ],
    ];
    for (const [what, id, attempt, message] of attempts) {
      const before = withoutResponse(await client.paymentIntents.retrieve(id));
      const eventsBefore = (await allEvents(client)).length;
      const chargesBefore = (await client.charges.list({ limit: 100 })).data.length;
      await assert.rejects(
        attempt(),
        (e: StripeError) => {
          rejectsWith({ status: 400, code: 'payment_intent_unexpected_state', type: 'invalid_request_error', message })(
            e,
          );
          if (/cannot (confirm|capture|cancel)/.test(e.message))
            assert.equal(e.payment_intent?.id, id, `${what}: the error carries the intent`);
          return true;
        },
        what,
      );
      assert.deepEqual(withoutResponse(await client.paymentIntents.retrieve(id)), before, what);
      assert.equal((await allEvents(client)).length, eventsBefore, what);
      assert.equal((await client.charges.list({ limit: 100 })).data.length, chargesBefore, what);
    }
  });

  test('update: fields, payment method, and bookkeeping after success', async () => {
    const client = (await kassa.freshClient()).stripe;
    const customer = await client.customers.create({});
    const intent = await client.paymentIntents.create(
      cardOnly({ amount: 1000, currency: 'usd', metadata: { a: '1', b: '2' } }),
    );
    const updated = await client.paymentIntents.update(intent.id, {
      amount: 1500,
      currency: 'eur',
      customer: customer.id,
      description: 'changed',
      metadata: { a: '', c: '3' },
      payment_method: 'pm_card_visa',
    });
    assert.equal(updated.amount, 1500);
    assert.equal(updated.currency, 'eur');
    assert.equal(updated.customer, customer.id);
    assert.equal(updated.description, 'changed');
    assert.deepEqual(updated.metadata, { b: '2', c: '3' });
    assert.equal(updated.status, 'requires_confirmation');
    assert.deepEqual(withoutResponse(await client.paymentIntents.retrieve(intent.id)), withoutResponse(updated));
    // Stripe has no payment_intent.updated event type.
    assert.deepEqual(await eventTypesFor(client, intent.id), ['payment_intent.created']);

    const unset = await client.paymentIntents.update(intent.id, {
      payment_method: '',
    } as Stripe.PaymentIntentUpdateParams);
    assert.equal(unset.payment_method, null);
    assert.equal(unset.status, 'requires_payment_method');
    await assert.rejects(
      client.paymentIntents.update(intent.id, { amount: 10 }),
      rejectsWith({ status: 400, code: 'amount_too_small', param: 'amount' }),
    );
    await assert.rejects(
      client.paymentIntents.update(intent.id, { customer: 'cus_missing000000' }),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'customer' }),
    );

    // Assumption: as on Stripe, bookkeeping fields stay updatable after the payment.
    const paid = await client.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    assert.equal(paid.status, 'succeeded');
    const annotated = await client.paymentIntents.update(intent.id, { metadata: { order: '7' }, description: 'paid' });
    assert.equal(annotated.status, 'succeeded');
    assert.deepEqual(annotated.metadata, { b: '2', c: '3', order: '7' });
    assert.equal(annotated.description, 'paid');
  });

  test('list: newest first, customer and created filters, cursors, autoPagingEach, expand data.latest_charge', async () => {
    const client = (await kassa.freshClient()).stripe;
    const customer = await client.customers.create({});
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const intent = await client.paymentIntents.create(
        cardOnly({ amount: 1000 + i, currency: 'usd', customer: i % 3 === 0 ? customer.id : undefined }),
      );
      ids.push(intent.id);
    }
    const newestFirst = [...ids].reverse();
    const page = await client.paymentIntents.list({ limit: 3 });
    assert.equal(page.url, '/v1/payment_intents');
    assert.equal(page.has_more, true);
    assert.deepEqual(
      page.data.map((p) => p.id),
      newestFirst.slice(0, 3),
    );
    const next = await client.paymentIntents.list({ limit: 3, starting_after: page.data[2].id });
    assert.deepEqual(
      next.data.map((p) => p.id),
      newestFirst.slice(3, 6),
    );
    const back = await client.paymentIntents.list({ limit: 2, ending_before: next.data[0].id });
    assert.deepEqual(
      back.data.map((p) => p.id),
      newestFirst.slice(1, 3),
    );

    const seen: string[] = [];
    await client.paymentIntents.list({ limit: 2 }).autoPagingEach((p) => {
      seen.push(p.id);
    });
    assert.deepEqual(seen, newestFirst);

    const mine = await client.paymentIntents.list({ customer: customer.id });
    assert.deepEqual(
      mine.data.map((p) => p.id),
      [ids[6], ids[3], ids[0]],
    );
    const first = await client.paymentIntents.retrieve(ids[0]);
    assert.equal((await client.paymentIntents.list({ created: { gt: first.created + 1000 } })).data.length, 0);
    assert.equal((await client.paymentIntents.list({ created: { gte: first.created }, limit: 100 })).data.length, 7);

    await client.paymentIntents.confirm(ids[6], { payment_method: 'pm_card_visa' });
    const expanded = await client.paymentIntents.list({ limit: 2, expand: ['data.latest_charge'] });
    assert.equal((expanded.data[0].latest_charge as Stripe.Charge).object, 'charge');
    assert.equal((expanded.data[0].latest_charge as Stripe.Charge).payment_intent, ids[6]);
    assert.equal(expanded.data[1].latest_charge, null);
    await assert.rejects(
      client.paymentIntents.list({ starting_after: 'pi_missing' }),
      rejectsWith({ status: 404, code: 'resource_missing' }),
    );
  });

  test('search: status, amount, currency, customer, metadata', async () => {
    const client = (await kassa.freshClient()).stripe;
    const customer = await client.customers.create({});
    const paid = await client.paymentIntents.create(
      cardOnly({
        amount: 5000,
        currency: 'usd',
        customer: customer.id,
        metadata: { order: 'A1' },
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    const euro = await client.paymentIntents.create(
      cardOnly({ amount: 700, currency: 'eur', metadata: { order: 'B2' } }),
    );
    const canceled = await client.paymentIntents.cancel(
      (await client.paymentIntents.create(cardOnly({ amount: 900, currency: 'usd' }))).id,
    );
    const ids = async (query: string) => (await client.paymentIntents.search({ query })).data.map((p) => p.id).sort();

    assert.deepEqual(await ids("status:'succeeded'"), [paid.id]);
    assert.deepEqual(await ids("status:'canceled'"), [canceled.id]);
    assert.deepEqual(await ids('amount>800'), [paid.id, canceled.id].sort());
    assert.deepEqual(await ids('amount:700'), [euro.id]);
    assert.deepEqual(await ids("currency:'eur'"), [euro.id]);
    assert.deepEqual(await ids(`customer:'${customer.id}'`), [paid.id]);
    assert.deepEqual(await ids("metadata['order']:'B2'"), [euro.id]);
    assert.deepEqual(await ids("currency:'usd' AND -status:'canceled'"), [paid.id]);
    const result = await client.paymentIntents.search({
      query: "currency:'usd'",
      expand: ['total_count'],
    } as Stripe.PaymentIntentSearchParams);
    assert.equal(result.object, 'search_result');
    assert.equal(result.url, '/v1/payment_intents/search');
    assert.equal((result as unknown as { total_count: number }).total_count, 2);
    await assert.rejects(client.paymentIntents.search({ query: "description:'x'" }), rejectsWith({ status: 400 }));
  });

  test('expand: latest_charge, latest_charge.balance_transaction, payment_method, customer', async () => {
    const customer = await stripe.customers.create({ email: 'expand@example.com' });
    const intent = await stripe.paymentIntents.create(
      cardOnly({ amount: 2000, currency: 'usd', customer: customer.id, payment_method: 'pm_card_visa', confirm: true }),
    );
    const expanded = await stripe.paymentIntents.retrieve(intent.id, {
      expand: ['latest_charge.balance_transaction', 'payment_method', 'customer'],
    });
    const charge = expanded.latest_charge as Stripe.Charge;
    assert.equal(charge.id, intent.latest_charge);
    assert.equal((charge.balance_transaction as Stripe.BalanceTransaction).object, 'balance_transaction');
    assert.equal((charge.balance_transaction as Stripe.BalanceTransaction).fee, 88);
    assert.equal((expanded.payment_method as Stripe.PaymentMethod).id, intent.payment_method);
    assert.equal((expanded.customer as Stripe.Customer).email, 'expand@example.com');
    assertShape('payment_intent', expanded);

    const onCreate = await stripe.paymentIntents.create(
      cardOnly({
        amount: 2000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        expand: ['latest_charge'],
      }),
    );
    assert.equal((onCreate.latest_charge as Stripe.Charge).amount_captured, 2000);
    await assert.rejects(
      stripe.paymentIntents.retrieve(intent.id, { expand: ['amount'] }),
      rejectsWith({ status: 400, param: 'expand' }),
    );
  });

  test("retrieve: a missing intent, or another account's, is 404", async () => {
    await assert.rejects(
      stripe.paymentIntents.retrieve('pi_missing'),
      rejectsWith({ status: 404, code: 'resource_missing', message: /No such payment_intent: 'pi_missing'/ }),
    );
    const other = (await kassa.freshClient()).stripe;
    const theirs = await other.paymentIntents.create({ amount: 1000, currency: 'usd' });
    await assert.rejects(
      stripe.paymentIntents.retrieve(theirs.id),
      rejectsWith({ status: 404, code: 'resource_missing' }),
    );
    await assert.rejects(
      stripe.paymentIntents.cancel(theirs.id),
      rejectsWith({ status: 404, code: 'resource_missing' }),
    );
  });

  test('create: allowed_payment_method_types and excluded_payment_method_types, as SDK v23 types them', async () => {
    const allowed = await stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      allowed_payment_method_types: ['card'],
    });
    assert.deepEqual(allowed.allowed_payment_method_types, ['card']);
    assert.deepEqual(allowed.payment_method_types, ['card']);
    assert.equal(allowed.automatic_payment_methods, null);
    const confirmed = await stripe.paymentIntents.confirm(allowed.id, { payment_method: 'pm_card_visa' });
    assert.equal(confirmed.status, 'succeeded');
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 1500, currency: 'usd', allowed_payment_method_types: ['sepa_debit'] }),
      rejectsWith({ status: 400, param: 'allowed_payment_method_types[0]' }),
    );
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 1500, currency: 'usd', excluded_payment_method_types: ['card'] }),
      rejectsWith({ status: 400, param: 'excluded_payment_method_types' }),
    );
  });

  test('a PaymentMethod used without a customer, or detached, may not be used again', async () => {
    const pm = await stripe.paymentMethods.create({
      type: 'card',
      card: { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' },
    });
    const first = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: pm.id,
      confirm: true,
      allowed_payment_method_types: ['card'],
    });
    assert.equal(first.status, 'succeeded');
    await assert.rejects(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: pm.id,
        confirm: true,
        allowed_payment_method_types: ['card'],
      }),
      rejectsWith({ status: 400, param: 'payment_method', message: /may not be used again/ }),
    );
    const customer = await stripe.customers.create({ email: 'reuse@example.com' });
    await assert.rejects(
      stripe.paymentMethods.attach(pm.id, { customer: customer.id }),
      rejectsWith({ status: 400, param: 'payment_method' }),
    );

    // Attached to a customer, it can be used again and again; detached, no more.
    const saved = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    for (let i = 0; i < 2; i++) {
      const paid = await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        customer: customer.id,
        payment_method: saved.id,
        confirm: true,
        allowed_payment_method_types: ['card'],
      });
      assert.equal(paid.status, 'succeeded');
    }
    await stripe.paymentMethods.detach(saved.id);
    await assert.rejects(
      stripe.paymentMethods.attach(saved.id, { customer: customer.id }),
      rejectsWith({ status: 400, param: 'payment_method' }),
    );
    await assert.rejects(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: saved.id,
        confirm: true,
        allowed_payment_method_types: ['card'],
      }),
      rejectsWith({ status: 400, param: 'payment_method' }),
    );
  });
});
