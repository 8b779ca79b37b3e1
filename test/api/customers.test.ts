import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { rejectsWith } from '../support/rejects.js';
import { assertShape } from '../support/shapes.js';

describeEachStore('customers through the official SDK', (target) => {
  let kassa: TestKassa;
  before(async () => {
    kassa = await startKassa(await target.config());
  });
  after(() => kassa.close());

  test('create, retrieve, update, delete', async () => {
    const { stripe } = kassa;
    const created = await stripe.customers.create({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      phone: '+4712345678',
      description: 'first customer',
      address: { line1: '1 Analytical Way', city: 'London', country: 'GB' },
      shipping: { name: 'Ada', address: { line1: '2 Engine St', postal_code: 'N1' } },
      preferred_locales: ['en', 'fr'],
      invoice_prefix: 'ADA123',
      invoice_settings: { footer: 'Thanks', custom_fields: [{ name: 'VAT', value: 'GB1' }] },
      tax_exempt: 'exempt',
      balance: -500,
      metadata: { order: '42' },
    });
    assert.match(created.id, /^cus_[A-Za-z0-9]{14}$/);
    assert.equal(created.object, 'customer');
    assert.equal(created.livemode, false);
    assert.equal(typeof created.created, 'number');
    assert.equal(created.email, 'ada@example.com');
    assert.deepEqual(created.address, {
      line1: '1 Analytical Way',
      line2: null,
      city: 'London',
      state: null,
      postal_code: null,
      country: 'GB',
    });
    assert.deepEqual(created.shipping, {
      name: 'Ada',
      phone: null,
      address: { line1: '2 Engine St', line2: null, city: null, state: null, postal_code: 'N1', country: null },
    });
    assert.deepEqual(created.preferred_locales, ['en', 'fr']);
    assert.equal(created.invoice_prefix, 'ADA123');
    assert.deepEqual(created.invoice_settings.custom_fields, [{ name: 'VAT', value: 'GB1' }]);
    assert.equal(created.tax_exempt, 'exempt');
    assert.equal(created.balance, -500);
    assert.deepEqual(created.metadata, { order: '42' });
    assertShape('customer', created);
    assert.ok(created.lastResponse.requestId.startsWith('req_'));

    const fetched = await stripe.customers.retrieve(created.id);
    assert.deepEqual({ ...fetched, lastResponse: undefined }, { ...created, lastResponse: undefined });

    const updated = await stripe.customers.update(created.id, {
      name: 'Ada King',
      metadata: { order: '', tier: 'gold' },
      phone: '',
    });
    assert.equal(updated.name, 'Ada King');
    assert.equal(updated.phone, null);
    assert.deepEqual(updated.metadata, { tier: 'gold' });
    assert.equal(updated.email, 'ada@example.com');

    const deleted = await stripe.customers.del(created.id);
    assert.deepEqual(
      { id: deleted.id, object: deleted.object, deleted: deleted.deleted },
      { id: created.id, object: 'customer', deleted: true },
    );
    assertShape('deleted_customer', deleted);
    const afterDelete = await stripe.customers.retrieve(created.id);
    assert.equal((afterDelete as Stripe.DeletedCustomer).deleted, true);
    await assert.rejects(
      stripe.customers.del(created.id),
      (e: Stripe.errors.StripeError) => e.statusCode === 404 && e.code === 'resource_missing',
    );
    await assert.rejects(
      stripe.customers.update(created.id, { name: 'x' }),
      (e: Stripe.errors.StripeError) => e.statusCode === 404,
    );
  });

  test('a missing customer is 404 resource_missing naming the id', async () => {
    await assert.rejects(kassa.stripe.customers.retrieve('cus_doesnotexist00'), (e: Stripe.errors.StripeError) => {
      assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
      assert.equal(e.statusCode, 404);
      assert.equal(e.code, 'resource_missing');
      assert.equal(e.param, 'id');
      assert.equal(e.message, "No such customer: 'cus_doesnotexist00'");
      return true;
    });
  });

  test('list: newest first, limit, cursors, email and created filters, autoPagingEach', async () => {
    const account = await kassa.newAccount();
    const stripe = kassa.clientFor(account.secret_key);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++)
      ids.push((await stripe.customers.create({ email: i % 5 === 0 ? 'five@example.com' : `c${i}@example.com` })).id);
    const newestFirst = [...ids].reverse();

    const first = await stripe.customers.list({ limit: 10 });
    assert.equal(first.object, 'list');
    assert.equal(first.url, '/v1/customers');
    assert.equal(first.has_more, true);
    assert.deepEqual(
      first.data.map((c) => c.id),
      newestFirst.slice(0, 10),
    );

    const second = await stripe.customers.list({ limit: 10, starting_after: first.data[9].id });
    assert.deepEqual(
      second.data.map((c) => c.id),
      newestFirst.slice(10, 20),
    );
    const back = await stripe.customers.list({ limit: 5, ending_before: second.data[0].id });
    assert.deepEqual(
      back.data.map((c) => c.id),
      newestFirst.slice(5, 10),
    );
    assert.equal(back.has_more, true);
    const last = await stripe.customers.list({ limit: 10, starting_after: newestFirst[19] });
    assert.equal(last.has_more, false);
    assert.equal(last.data.length, 5);

    const defaultLimit = await stripe.customers.list();
    assert.equal(defaultLimit.data.length, 10);

    const byEmail = await stripe.customers.list({ email: 'five@example.com' });
    assert.equal(byEmail.data.length, 5);

    const seen: string[] = [];
    await stripe.customers.list({ limit: 3 }).autoPagingEach((c) => {
      seen.push(c.id);
    });
    assert.deepEqual(seen, newestFirst);

    const created = (await stripe.customers.retrieve(ids[0])) as Stripe.Customer;
    const future = await stripe.customers.list({ created: { gt: created.created + 1000 } });
    assert.equal(future.data.length, 0);
    const all = await stripe.customers.list({ created: { gte: created.created }, limit: 100 });
    assert.equal(all.data.length, 25);

    await assert.rejects(stripe.customers.list({ limit: 101 }), (e: Stripe.errors.StripeError) => e.param === 'limit');
    await assert.rejects(stripe.customers.list({ limit: 0 }), (e: Stripe.errors.StripeError) => e.param === 'limit');
    await assert.rejects(
      stripe.customers.list({ starting_after: 'cus_nope' }),
      (e: Stripe.errors.StripeError) => e.param === 'starting_after',
    );
  });

  test("a cursor must be one of the listed objects: another type's id or another account's customer is resource_missing", async () => {
    const { stripe } = await kassa.freshClient();
    const customer = await stripe.customers.create({ email: 'cursor@example.com' });
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const foreign = await kassa.stripe.customers.create({ email: 'foreign@example.com' });
    for (const param of ['starting_after', 'ending_before'] as const) {
      for (const id of [intent.id, foreign.id]) {
        await assert.rejects(
          stripe.customers.list({ [param]: id }),
          rejectsWith({
            status: 404,
            code: 'resource_missing',
            param,
            message: new RegExp(`^No such customer: '${id}'$`),
          }),
        );
      }
      await assert.rejects(
        stripe.paymentIntents.list({ [param]: customer.id }),
        rejectsWith({
          status: 404,
          code: 'resource_missing',
          param,
          message: new RegExp(`^No such payment_intent: '${customer.id}'$`),
        }),
      );
    }
    assert.deepEqual((await stripe.customers.list({ ending_before: customer.id })).data, []);
  });

  test('bad input names the parameter and writes nothing', async () => {
    const account = await kassa.newAccount();
    const stripe = kassa.clientFor(account.secret_key);
    const cases: Array<[Record<string, unknown>, string, string | undefined]> = [
      [{ bogus: 'x' }, 'bogus', 'parameter_unknown'],
      [{ address: { planet: 'Mars' } }, 'address[planet]', 'parameter_unknown'],
      [{ balance: 'lots' }, 'balance', 'parameter_invalid_integer'],
      [{ balance: '99999999999999999999' }, 'balance', 'parameter_invalid_integer'],
      [{ tax_exempt: 'sometimes' }, 'tax_exempt', undefined],
      [{ email: 'not-an-email' }, 'email', 'email_invalid'],
      [{ email: 'x'.repeat(600) + '@example.com' }, 'email', undefined],
      [{ metadata: 'flat' }, 'metadata', undefined],
      [{ metadata: { ['k'.repeat(41)]: 'v' } }, `metadata[${'k'.repeat(41)}]`, undefined],
      [{ metadata: { k: 'v'.repeat(501) } }, 'metadata[k]', undefined],
      [{ metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, 'metadata', undefined],
      [{ shipping: { address: { city: 'Oslo' } } }, 'shipping[name]', 'parameter_missing'],
      [{ invoice_prefix: 'lower' }, 'invoice_prefix', undefined],
      [{ payment_method: 'pm_missing' }, 'payment_method', 'resource_missing'],
    ];
    for (const [params, param, code] of cases) {
      await assert.rejects(
        stripe.customers.create(params as Stripe.CustomerCreateParams),
        (e: Stripe.errors.StripeError) => {
          assert.equal(e.type, 'StripeInvalidRequestError', JSON.stringify(params).slice(0, 80));
          assert.equal(e.param, param);
          if (code) assert.equal(e.code, code);
          return true;
        },
      );
    }
    const list = await stripe.customers.list();
    assert.equal(list.data.length, 0);
    const events = await stripe.events.list();
    assert.equal(events.data.length, 0);
  });

  test('expand[] on retrieve, list and write responses', async () => {
    const { stripe } = kassa;
    const customer = await stripe.customers.create({ email: 'x@example.com', expand: ['sources', 'tax_ids'] });
    assert.deepEqual(customer.sources, {
      object: 'list',
      data: [],
      has_more: false,
      url: `/v1/customers/${customer.id}/sources`,
    });
    const plain = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    assert.equal(plain.sources, undefined);
    const expanded = (await stripe.customers.retrieve(customer.id, { expand: ['subscriptions'] })) as Stripe.Customer;
    assert.equal(expanded.subscriptions?.object, 'list');
    const list = await stripe.customers.list({ limit: 1, expand: ['data.tax_ids'] });
    assert.equal(list.data[0].tax_ids?.object, 'list');
    await assert.rejects(
      stripe.customers.retrieve(customer.id, { expand: ['nonsense'] }),
      (e: Stripe.errors.StripeError) => e.param === 'expand',
    );
    await assert.rejects(
      stripe.customers.retrieve(customer.id, { expand: ['a.b.c.d.e'] }),
      (e: Stripe.errors.StripeError) => e.param === 'expand',
    );
  });

  test("one account never sees another's customers", async () => {
    const mine = await kassa.stripe.customers.create({ email: 'mine@example.com' });
    const other = await kassa.newAccount();
    const theirs = kassa.clientFor(other.secret_key);
    for (const attempt of [
      () => theirs.customers.retrieve(mine.id),
      () => theirs.customers.update(mine.id, { name: 'stolen' }),
      () => theirs.customers.del(mine.id),
    ]) {
      await assert.rejects(
        attempt(),
        (e: Stripe.errors.StripeError) => e.statusCode === 404 && e.code === 'resource_missing',
      );
    }
    assert.equal((await theirs.customers.list()).data.length, 0);
    assert.equal((await theirs.customers.search({ query: "email:'mine@example.com'" })).data.length, 0);
    assert.equal((await theirs.events.list()).data.length, 0);
    const still = (await kassa.stripe.customers.retrieve(mine.id)) as Stripe.Customer;
    assert.equal(still.name, null);
  });
});
