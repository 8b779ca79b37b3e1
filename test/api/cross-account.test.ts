// Another account's objects do not exist for an account: acting on them, or
// naming them as a parameter, answers Stripe's 404 resource_missing naming the
// parameter, and leaves them as they were. Two accounts on one Kassa, each
// through the official SDK with its own keys.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { rejectsWith } from '../support/rejects.js';

/** Cards only: a confirm with a secret key needs no return_url. */
const NO_REDIRECTS = { enabled: true, allow_redirects: 'never' } as const;

/** Stripe's answer to an id the account does not have: 404 resource_missing naming `param` and the id. */
const missing = (param: string, id: string) =>
  rejectsWith({
    status: 404,
    code: 'resource_missing',
    type: 'invalid_request_error',
    param,
    message: new RegExp(`^No such [\\w ]+: '${id}'$`, 'i'),
  });

/** What an object is, without the SDK's response metadata. */
const plain = <T>(object: T): T =>
  JSON.parse(JSON.stringify(object, (key, value) => (key === 'lastResponse' ? undefined : value)));

describeEachStore('cross-account access', (target) => {
  let kassa: TestKassa;
  /** The account whose objects the other one tries to reach. */
  let owner: Stripe;
  let other: Stripe;
  let otherPublishable: Stripe;
  let customer: Stripe.Customer;

  before(async () => {
    kassa = await startKassa(await target.config());
    owner = (await kassa.freshClient()).stripe;
    const otherAccount = await kassa.newAccount();
    other = kassa.clientFor(otherAccount.secret_key);
    otherPublishable = kassa.clientFor(otherAccount.publishable_key);
    customer = await owner.customers.create({ email: 'owner@example.com', metadata: { account: 'owner' } });
  });
  after(() => kassa?.close());

  const unattachedCard = (client: Stripe) =>
    client.paymentMethods.create({
      type: 'card',
      card: { token: 'tok_visa' } as Stripe.PaymentMethodCreateParams.Card,
    });

  test('a foreign PaymentIntent can be neither refunded, captured, confirmed, canceled, updated nor retrieved', async () => {
    const paid = await owner.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: NO_REDIRECTS,
    });
    const held = await owner.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: NO_REDIRECTS,
    });
    const pending = await owner.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      automatic_payment_methods: NO_REDIRECTS,
    });
    assert.deepEqual(
      [paid.status, held.status, pending.status],
      ['succeeded', 'requires_capture', 'requires_confirmation'],
    );
    const chargeId = paid.latest_charge as string;
    const intentsBefore = await Promise.all([paid, held, pending].map((pi) => owner.paymentIntents.retrieve(pi.id)));
    const chargeBefore = await owner.charges.retrieve(chargeId);

    // A refund names what it refunds by parameter: the PaymentIntent or the charge.
    await assert.rejects(other.refunds.create({ payment_intent: paid.id }), missing('payment_intent', paid.id));
    await assert.rejects(other.refunds.create({ charge: chargeId }), missing('charge', chargeId));
    await assert.rejects(other.paymentIntents.capture(held.id), missing('intent', held.id));
    await assert.rejects(other.paymentIntents.cancel(held.id), missing('intent', held.id));
    await assert.rejects(other.paymentIntents.confirm(pending.id), missing('intent', pending.id));
    await assert.rejects(
      other.paymentIntents.update(pending.id, { amount: 1, metadata: { taken: 'yes' } }),
      missing('intent', pending.id),
    );
    await assert.rejects(other.paymentIntents.retrieve(pending.id), missing('intent', pending.id));
    await assert.rejects(
      otherPublishable.paymentIntents.retrieve(pending.id, { client_secret: pending.client_secret! }),
      missing('intent', pending.id),
    );
    await assert.rejects(
      otherPublishable.paymentIntents.confirm(pending.id, {
        client_secret: pending.client_secret!,
      } as Stripe.PaymentIntentConfirmParams),
      missing('intent', pending.id),
    );
    await assert.rejects(other.charges.retrieve(chargeId), missing('charge', chargeId));

    const intentsAfter = await Promise.all([paid, held, pending].map((pi) => owner.paymentIntents.retrieve(pi.id)));
    assert.deepEqual(plain(intentsAfter), plain(intentsBefore));
    assert.deepEqual(plain(await owner.charges.retrieve(chargeId)), plain(chargeBefore));
    assert.equal((await owner.refunds.list({ limit: 100 })).data.length, 0);
    for (const list of [
      other.paymentIntents.list(),
      other.charges.list(),
      other.refunds.list(),
      other.balanceTransactions.list(),
    ])
      assert.deepEqual((await list).data, []);
  });

  test('a foreign SetupIntent can be neither retrieved, found by a list filter, updated, confirmed nor canceled', async () => {
    const saved = await owner.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const setupIntent = await owner.setupIntents.create({
      customer: customer.id,
      payment_method: saved.id,
      automatic_payment_methods: NO_REDIRECTS,
      metadata: { account: 'owner' },
    });
    assert.equal(setupIntent.status, 'requires_confirmation');
    const before = await owner.setupIntents.retrieve(setupIntent.id);

    await assert.rejects(other.setupIntents.retrieve(setupIntent.id), missing('intent', setupIntent.id));
    await assert.rejects(
      otherPublishable.setupIntents.retrieve(setupIntent.id, { client_secret: setupIntent.client_secret! }),
      missing('intent', setupIntent.id),
    );
    for (const filter of [{ customer: customer.id }, { payment_method: saved.id }, {}]) {
      assert.deepEqual((await other.setupIntents.list(filter)).data, [], JSON.stringify(filter));
    }
    await assert.rejects(
      other.setupIntents.update(setupIntent.id, { metadata: { taken: 'yes' } }),
      missing('intent', setupIntent.id),
    );
    await assert.rejects(other.setupIntents.confirm(setupIntent.id), missing('intent', setupIntent.id));
    await assert.rejects(other.setupIntents.cancel(setupIntent.id), missing('intent', setupIntent.id));

    assert.deepEqual(plain(await owner.setupIntents.retrieve(setupIntent.id)), plain(before));
    assert.deepEqual(
      (await owner.setupIntents.list({ customer: customer.id })).data.map((si) => si.id),
      [setupIntent.id],
    );
  });

  test('a foreign webhook endpoint can be neither retrieved, listed, updated nor deleted', async () => {
    const endpoint = await owner.webhookEndpoints.create({
      url: 'https://owner.example.com/hooks',
      enabled_events: ['payment_intent.succeeded'],
      description: 'owner',
    });
    const before = await owner.webhookEndpoints.retrieve(endpoint.id);

    await assert.rejects(other.webhookEndpoints.retrieve(endpoint.id), missing('webhook_endpoint', endpoint.id));
    assert.deepEqual((await other.webhookEndpoints.list()).data, []);
    await assert.rejects(
      other.webhookEndpoints.update(endpoint.id, {
        url: 'https://attacker.example.com/hooks',
        enabled_events: ['*'],
        disabled: true,
      }),
      missing('webhook_endpoint', endpoint.id),
    );
    await assert.rejects(other.webhookEndpoints.del(endpoint.id), missing('webhook_endpoint', endpoint.id));

    assert.deepEqual(plain(await owner.webhookEndpoints.retrieve(endpoint.id)), plain(before));
    assert.deepEqual(
      (await owner.webhookEndpoints.list()).data.map((e) => e.id),
      [endpoint.id],
    );
  });

  test('a foreign id is no parameter: customer and payment_method are refused as missing', async () => {
    const card = await unattachedCard(owner);
    const cardBefore = await owner.paymentMethods.retrieve(card.id);
    const customerBefore = await owner.customers.retrieve(customer.id);
    const ownCard = await unattachedCard(other);
    const ownCustomer = await other.customers.create({ email: 'other@example.com' });
    const ownIntent = await other.paymentIntents.create({
      amount: 700,
      currency: 'usd',
      automatic_payment_methods: NO_REDIRECTS,
    });
    const ownSetupIntent = await other.setupIntents.create({ automatic_payment_methods: NO_REDIRECTS });

    // `customer`
    await assert.rejects(
      other.paymentIntents.create({ amount: 500, currency: 'usd', customer: customer.id }),
      missing('customer', customer.id),
    );
    await assert.rejects(other.setupIntents.create({ customer: customer.id }), missing('customer', customer.id));
    await assert.rejects(
      other.paymentMethods.attach(ownCard.id, { customer: customer.id }),
      missing('customer', customer.id),
    );
    // `payment_method`
    await assert.rejects(
      other.paymentIntents.create({ amount: 500, currency: 'usd', payment_method: card.id }),
      missing('payment_method', card.id),
    );
    await assert.rejects(
      other.paymentIntents.create({
        amount: 500,
        currency: 'usd',
        payment_method: card.id,
        confirm: true,
        automatic_payment_methods: NO_REDIRECTS,
      }),
      missing('payment_method', card.id),
    );
    await assert.rejects(
      other.paymentIntents.confirm(ownIntent.id, { payment_method: card.id }),
      missing('payment_method', card.id),
    );
    await assert.rejects(
      other.paymentIntents.update(ownIntent.id, { payment_method: card.id }),
      missing('payment_method', card.id),
    );
    await assert.rejects(
      other.setupIntents.confirm(ownSetupIntent.id, { payment_method: card.id }),
      missing('payment_method', card.id),
    );
    await assert.rejects(
      other.paymentMethods.attach(card.id, { customer: ownCustomer.id }),
      missing('payment_method', card.id),
    );
    await assert.rejects(
      other.customers.create({ email: 'thief@example.com', payment_method: card.id }),
      missing('payment_method', card.id),
    );

    // The owner's card and customer are as they were, and the card is still unused: its owner can pay with it.
    assert.deepEqual(plain(await owner.paymentMethods.retrieve(card.id)), plain(cardBefore));
    assert.deepEqual(plain(await owner.customers.retrieve(customer.id)), plain(customerBefore));
    const paid = await owner.paymentIntents.create({
      amount: 900,
      currency: 'usd',
      payment_method: card.id,
      confirm: true,
      automatic_payment_methods: NO_REDIRECTS,
    });
    assert.equal(paid.status, 'succeeded');
    // Nothing of the other account's moved either.
    assert.equal((await other.paymentMethods.retrieve(ownCard.id)).customer, null);
    const intent = await other.paymentIntents.retrieve(ownIntent.id);
    assert.deepEqual(
      [intent.status, intent.payment_method, intent.latest_charge],
      ['requires_payment_method', null, null],
    );
    assert.deepEqual(
      (await other.paymentIntents.list()).data.map((pi) => pi.id),
      [ownIntent.id],
    );
    assert.deepEqual(
      (await other.customers.list()).data.map((c) => c.id),
      [ownCustomer.id],
    );
    assert.equal((await other.setupIntents.retrieve(ownSetupIntent.id)).status, 'requires_payment_method');
  });
});
