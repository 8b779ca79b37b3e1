// Charges through the official SDK: the record of every payment attempt,
// retrieve, list, update, search and expand.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { assertShape } from '../support/shapes.js';
import { rejectsWith } from '../support/rejects.js';

function cardOnly(params: Stripe.PaymentIntentCreateParams): Stripe.PaymentIntentCreateParams {
  return { ...params, payment_method_types: ['card'] } as Stripe.PaymentIntentCreateParams;
}

function withoutResponse<T>(object: T): T {
  return JSON.parse(JSON.stringify(object, (k, v) => (k === 'lastResponse' ? undefined : v)));
}

describeEachStore('charges through the official SDK', (target) => {
  let kassa: TestKassa;
  let stripe: Stripe;
  before(async () => {
    kassa = await startKassa(await target.config());
    stripe = kassa.stripe;
  });
  after(() => kassa.close());

  async function pay(
    client: Stripe,
    params: Partial<Stripe.PaymentIntentCreateParams> = {},
  ): Promise<Stripe.PaymentIntent> {
    return client.paymentIntents.create(
      cardOnly({ amount: 2000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, ...params }),
    );
  }

  async function decline(client: Stripe, params: Partial<Stripe.PaymentIntentCreateParams> = {}): Promise<string> {
    const error = await pay(client, { payment_method: 'pm_card_chargeDeclined', ...params }).then(
      () => assert.fail('expected a decline'),
      (e: Stripe.errors.StripeCardError) => e,
    );
    return error.charge!;
  }

  test("retrieve: a succeeded charge in Stripe's shape, with its receipt URL", async () => {
    const intent = await pay(stripe, {
      description: 'Coffee',
      receipt_email: 'r@example.com',
      statement_descriptor_suffix: 'ORDER 42',
      metadata: { order: '42' },
    });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    assertShape('charge', charge);
    assert.match(charge.id, /^ch_[A-Za-z0-9]{24}$/);
    assert.equal(charge.object, 'charge');
    assert.equal(charge.livemode, false);
    assert.equal(charge.created, intent.created);
    assert.equal(charge.amount, 2000);
    assert.equal(charge.description, 'Coffee');
    assert.equal(charge.receipt_email, 'r@example.com');
    assert.equal(charge.statement_descriptor_suffix, 'ORDER 42');
    assert.equal(charge.calculated_statement_descriptor, 'KASSA* ORDER 42');
    // The intent's metadata stays on the intent.
    assert.deepEqual(charge.metadata, {});
    assert.equal(charge.disputed, false);
    assert.equal(charge.refunded, false);
    assert.deepEqual(charge.fraud_details, {});
    assert.equal(charge.payment_method_details!.card!.network, 'visa');
    assert.equal(typeof charge.payment_method_details!.card!.exp_year, 'number');
    assert.match(charge.payment_method_details!.card!.fingerprint!, /^[A-Za-z0-9]{16}$/);
    const receipt = new URL(charge.receipt_url!);
    assert.equal(receipt.origin, kassa.url);
    assert.match(receipt.pathname, new RegExp(`^/receipts/[^/]+/${charge.id}/[A-Za-z0-9]{20,}$`));
    const second = await stripe.charges.retrieve((await pay(stripe)).latest_charge as string);
    assert.notEqual(new URL(second.receipt_url!).pathname.split('/').pop(), receipt.pathname.split('/').pop());
    assert.equal(second.calculated_statement_descriptor, 'KASSA');

    await assert.rejects(
      stripe.charges.retrieve('ch_missing'),
      rejectsWith({ status: 404, code: 'resource_missing', message: /No such charge: 'ch_missing'/ }),
    );
    const other = (await kassa.freshClient()).stripe;
    await assert.rejects(other.charges.retrieve(charge.id), rejectsWith({ status: 404, code: 'resource_missing' }));
  });

  test('retrieve: a failed charge keeps the decline', async () => {
    const id = await decline(stripe);
    const charge = await stripe.charges.retrieve(id);
    assertShape('charge', charge);
    assert.equal(charge.status, 'failed');
    assert.equal(charge.paid, false);
    assert.equal(charge.failure_code, 'card_declined');
    assert.equal(charge.failure_message, 'Your card was declined.');
    assert.equal(charge.outcome!.type, 'issuer_declined');
    assert.equal(charge.outcome!.reason, 'generic_decline');
    assert.equal(charge.amount_captured, 0);
    assert.equal(charge.balance_transaction, null);
  });

  test('list: newest first, payment_intent and customer filters, cursors, autoPagingEach', async () => {
    const client = (await kassa.freshClient()).stripe;
    const customer = await client.customers.create({});
    const retried = await client.paymentIntents.create(
      cardOnly({ amount: 1500, currency: 'usd', customer: customer.id }),
    );
    const failed = await client.paymentIntents.confirm(retried.id, { payment_method: 'pm_card_chargeDeclined' }).then(
      () => assert.fail('expected a decline'),
      (e: Stripe.errors.StripeCardError) => e.charge!,
    );
    const succeeded = (await client.paymentIntents.confirm(retried.id, { payment_method: 'pm_card_visa' }))
      .latest_charge as string;
    const others: string[] = [];
    for (let i = 0; i < 4; i++) others.push((await pay(client, { amount: 1000 + i })).latest_charge as string);
    const newestFirst = [...others].reverse().concat([succeeded, failed]);

    const all = await client.charges.list({ limit: 100 });
    assert.equal(all.url, '/v1/charges');
    assert.deepEqual(
      all.data.map((c) => c.id),
      newestFirst,
    );
    const byIntent = await client.charges.list({ payment_intent: retried.id });
    assert.deepEqual(
      byIntent.data.map((c) => c.id),
      [succeeded, failed],
    );
    const byCustomer = await client.charges.list({ customer: customer.id });
    assert.deepEqual(
      byCustomer.data.map((c) => c.id),
      [succeeded, failed],
    );

    const page = await client.charges.list({ limit: 2 });
    assert.equal(page.has_more, true);
    const next = await client.charges.list({ limit: 2, starting_after: page.data[1].id });
    assert.deepEqual(
      next.data.map((c) => c.id),
      newestFirst.slice(2, 4),
    );
    const seen: string[] = [];
    await client.charges.list({ limit: 4 }).autoPagingEach((c) => {
      seen.push(c.id);
    });
    assert.deepEqual(seen, newestFirst);
    const first = await client.charges.retrieve(failed);
    assert.equal((await client.charges.list({ created: { lt: first.created } })).data.length, 0);

    const expanded = await client.charges.list({
      limit: 1,
      expand: ['data.balance_transaction', 'data.payment_intent'],
    });
    assert.equal((expanded.data[0].balance_transaction as Stripe.BalanceTransaction).object, 'balance_transaction');
    assert.equal((expanded.data[0].payment_intent as Stripe.PaymentIntent).latest_charge, expanded.data[0].id);
  });

  test('update: description, metadata, receipt_email, shipping; charge.updated with the previous values', async () => {
    const client = (await kassa.freshClient()).stripe;
    const id = (await pay(client)).latest_charge as string;
    const updated = await client.charges.update(id, {
      description: 'Refillable',
      metadata: { order: '7', note: 'x' },
      receipt_email: 'later@example.com',
      shipping: { name: 'Ada', address: { line1: '1 Engine St' }, tracking_number: 'TRK1' },
    });
    assert.equal(updated.description, 'Refillable');
    assert.deepEqual(updated.metadata, { order: '7', note: 'x' });
    assert.equal(updated.receipt_email, 'later@example.com');
    assert.equal(updated.shipping!.tracking_number, 'TRK1');
    assertShape('charge', updated);
    assert.deepEqual(withoutResponse(await client.charges.retrieve(id)), withoutResponse(updated));

    const again = await client.charges.update(id, { metadata: { note: '' } });
    assert.deepEqual(again.metadata, { order: '7' });

    const events = (await client.events.list({ type: 'charge.updated' })).data.reverse();
    assert.equal(events.length, 2);
    assert.equal((events[0].data.object as Stripe.Charge).id, id);
    assert.equal((events[0].data.previous_attributes as { description: unknown }).description, null);
    assert.deepEqual((events[0].data.previous_attributes as { metadata: unknown }).metadata, {
      order: null,
      note: null,
    });
    assert.equal((events[0].data.previous_attributes as { receipt_email: unknown }).receipt_email, null);
    assert.deepEqual(events[1].data.previous_attributes, { metadata: { note: 'x' } });

    // An update that changes nothing records no event.
    await client.charges.update(id, { description: 'Refillable' });
    assert.equal((await client.events.list({ type: 'charge.updated' })).data.length, 2);

    await assert.rejects(
      client.charges.update(id, { amount: 5 } as Stripe.ChargeUpdateParams),
      rejectsWith({ status: 400, code: 'parameter_unknown', param: 'amount' }),
    );
    await assert.rejects(
      client.charges.update('ch_missing', { description: 'x' }),
      rejectsWith({ status: 404, code: 'resource_missing' }),
    );
  });

  test('update: a customer may be set on a charge that has none, not changed', async () => {
    const client = (await kassa.freshClient()).stripe;
    const customer = await client.customers.create({});
    const id = (await pay(client)).latest_charge as string;
    await assert.rejects(
      client.charges.update(id, { customer: 'cus_missing000000' }),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'customer' }),
    );
    const set = await client.charges.update(id, { customer: customer.id });
    assert.equal(set.customer, customer.id);
    const another = await client.customers.create({});
    await assert.rejects(
      client.charges.update(id, { customer: another.id }),
      rejectsWith({ status: 400, param: 'customer' }),
    );
    assert.equal((await client.charges.retrieve(id)).customer, customer.id);
  });

  test('search: status, amount, currency, customer, payment_intent, metadata', async () => {
    const client = (await kassa.freshClient()).stripe;
    const customer = await client.customers.create({});
    const big = await pay(client, { amount: 9000, customer: customer.id });
    const euro = await pay(client, { amount: 800, currency: 'eur' });
    const failed = await decline(client, { amount: 700 });
    await client.charges.update(euro.latest_charge as string, { metadata: { order: 'E1' } });
    const ids = async (query: string) => (await client.charges.search({ query })).data.map((c) => c.id).sort();

    assert.deepEqual(await ids("status:'failed'"), [failed]);
    assert.deepEqual(await ids("status:'succeeded'"), [big.latest_charge, euro.latest_charge].sort());
    assert.deepEqual(await ids('amount>=9000'), [big.latest_charge]);
    assert.deepEqual(await ids("currency:'eur'"), [euro.latest_charge]);
    assert.deepEqual(await ids(`customer:'${customer.id}'`), [big.latest_charge]);
    assert.deepEqual(await ids(`payment_intent:'${euro.id}'`), [euro.latest_charge]);
    assert.deepEqual(await ids("metadata['order']:'E1'"), [euro.latest_charge]);
    assert.deepEqual(await ids("amount<1000 AND status:'succeeded'"), [euro.latest_charge]);
    const result = await client.charges.search({ query: "status:'succeeded'", limit: 1 });
    assert.equal(result.url, '/v1/charges/search');
    assert.equal(result.has_more, true);
    const rest = await client.charges.search({ query: "status:'succeeded'", limit: 1, page: result.next_page! });
    assert.equal(rest.data.length, 1);
    assert.notEqual(rest.data[0].id, result.data[0].id);
    await assert.rejects(client.charges.search({ query: "description:'x'" }), rejectsWith({ status: 400 }));
  });

  test('expand: balance_transaction, payment_intent, customer, balance_transaction.source', async () => {
    const customer = await stripe.customers.create({ email: 'charge-expand@example.com' });
    const intent = await pay(stripe, { customer: customer.id });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string, {
      expand: ['balance_transaction.source', 'payment_intent', 'customer'],
    });
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    assert.equal(txn.object, 'balance_transaction');
    assert.equal(txn.fee, 88);
    assert.equal((txn.source as Stripe.Charge).id, charge.id);
    assert.equal((charge.payment_intent as Stripe.PaymentIntent).id, intent.id);
    assert.equal((charge.customer as Stripe.Customer).email, 'charge-expand@example.com');

    const plain = await stripe.charges.update(charge.id, { description: 'x' });
    assert.equal(plain.balance_transaction, txn.id);
    const viaParams = await stripe.charges.update(charge.id, { description: 'y', expand: ['balance_transaction'] });
    assert.equal((viaParams.balance_transaction as Stripe.BalanceTransaction).id, txn.id);
  });
});
