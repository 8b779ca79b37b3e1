// A NUL character (U+0000) in any string of a request is refused the same way
// on both stores (PostgreSQL's text cannot hold one; SQLite's can), wherever it
// comes: a value or a name, in a form, JSON or the query string, nested, in an
// array, in metadata, in expand[], in a path id. And a document stored with one
// (data left by an older version) never breaks a list.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import type { ApiObject } from '../../src/server/resources.js';
import { describeEachStore } from '../support/each-store.js';
import { sendRequest, type RawResponse } from '../support/http.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { rejectsWith } from '../support/rejects.js';
import { getObjectRow, saveObject } from '../../src/store/objects.js';

const NUL = '\u0000';
const JSON_TYPE = 'application/json';

describeEachStore('NUL characters', (target) => {
  let kassa: TestKassa;
  before(async () => {
    kassa = await startKassa(await target.config());
  });
  after(() => kassa.close());

  function assertRefused(response: RawResponse, param: string, label: string): void {
    const shown = `${label}: ${response.status} ${JSON.stringify(response.body)}`;
    assert.equal(response.status, 400, shown);
    assert.match(String(response.headers['request-id']), /^req_/, shown);
    assert.deepEqual(Object.keys(response.body), ['error'], shown);
    assert.equal(response.body.error.type, 'invalid_request_error', shown);
    assert.equal(response.body.error.param, param, shown);
    assert.match(response.body.error.message, /NUL character \(U\+0000\)/, shown);
  }

  describe('in a request', () => {
    test('raw HTTP: in values and names of forms, JSON and query strings, nested, in arrays, metadata, expand[] and path ids', async () => {
      const { stripe, secretKey } = await freshAccount(kassa);
      const cases: Array<{
        label: string;
        path?: string;
        method?: string;
        body?: string;
        contentType?: string;
        param: string;
      }> = [
        { label: 'a form value', body: 'name=a%00b', param: 'name' },
        { label: 'a raw NUL byte in a form', body: `name=a${NUL}b`, param: 'name' },
        { label: 'a form name', body: 'name=x&metadata[k%00]=v', param: `metadata[k${NUL}]` },
        { label: 'a metadata value', body: 'metadata[k]=v%00', param: 'metadata[k]' },
        { label: 'a nested value', body: 'address[line1]=1%00Way', param: 'address[line1]' },
        {
          label: 'an array item',
          body: 'preferred_locales[0]=en&preferred_locales[1]=f%00r',
          param: 'preferred_locales[1]',
        },
        { label: 'an expand[] value', body: 'name=x&expand[0]=sources%00', param: 'expand[0]' },
        { label: 'a JSON value', body: '{"name":"a\\u0000b"}', contentType: JSON_TYPE, param: 'name' },
        {
          label: 'a JSON name',
          body: '{"metadata":{"k\\u0000":"v"}}',
          contentType: JSON_TYPE,
          param: `metadata[k${NUL}]`,
        },
        {
          label: 'a JSON array item',
          body: '{"preferred_locales":["en","f\\u0000r"]}',
          contentType: JSON_TYPE,
          param: 'preferred_locales[1]',
        },
        { label: 'a JSON expand', body: '{"expand":["sources\\u0000"]}', contentType: JSON_TYPE, param: 'expand[0]' },
        { label: 'a query value', path: '/v1/customers?email=a%00@example.com', param: 'email' },
        { label: 'a query name', path: '/v1/customers?limit%00=1', param: `limit${NUL}` },
        { label: 'a list filter', path: '/v1/setup_intents?customer=cus_%00', param: 'customer' },
        {
          label: 'a query string on a write',
          path: '/v1/customers?description=%00',
          body: 'name=x',
          param: 'description',
        },
        { label: 'a path id', path: '/v1/customers/cus_%00x', param: 'customer' },
        { label: 'a path id of an update', path: '/v1/customers/cus_%00x', body: 'name=x', param: 'customer' },
        { label: 'a path id of a delete', path: '/v1/customers/cus_%00x', method: 'DELETE', param: 'customer' },
        { label: 'a nested path id', path: '/v1/customers/cus_x/payment_methods/pm_%00', param: 'payment_method' },
      ];
      for (const c of cases) {
        const response = await sendRequest(`${kassa.url}${c.path ?? '/v1/customers'}`, {
          method: c.method,
          secretKey,
          body: c.body,
          contentType: c.contentType,
        });
        assertRefused(response, c.param, c.label);
      }
      assert.deepEqual((await stripe.customers.list()).data, []);
      assert.deepEqual((await stripe.events.list()).data, []);
    });

    test('the SDK: StripeInvalidRequestError naming the parameter, on every kind of object; nothing is stored', async () => {
      const { stripe } = await freshAccount(kassa);
      const customer = await stripe.customers.create({ name: 'Ada' });
      const refused = (param: string) =>
        rejectsWith({ status: 400, type: 'invalid_request_error', param, message: /NUL character/ });
      await assert.rejects(stripe.customers.create({ name: `Ada${NUL}` }), refused('name'));
      await assert.rejects(
        stripe.customers.update(customer.id, { metadata: { [`k${NUL}`]: 'v' } }),
        refused(`metadata[k${NUL}]`),
      );
      await assert.rejects(
        stripe.customers.update(customer.id, { metadata: { k: `v${NUL}` } }),
        refused('metadata[k]'),
      );
      await assert.rejects(stripe.customers.retrieve(`${customer.id}${NUL}`), refused('customer'));
      await assert.rejects(stripe.customers.retrieve(customer.id, { expand: [`sources${NUL}`] }), refused('expand[0]'));
      await assert.rejects(
        stripe.setupIntents.create({ customer: customer.id, description: `saved${NUL}` }),
        refused('description'),
      );
      await assert.rejects(stripe.setupIntents.list({ customer: `${customer.id}${NUL}` }), refused('customer'));
      await assert.rejects(
        stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: `${customer.id}${NUL}` }),
        refused('customer'),
      );
      await assert.rejects(
        stripe.webhookEndpoints.create({ url: `https://example.com/${NUL}`, enabled_events: ['*'] }),
        refused('url'),
      );
      await assert.rejects(
        stripe.webhookEndpoints.create({ url: 'https://example.com/hook', enabled_events: ['*'], description: NUL }),
        refused('description'),
      );

      assert.deepEqual((await stripe.setupIntents.list({ customer: customer.id })).data, []);
      assert.deepEqual((await stripe.webhookEndpoints.list()).data, []);
      const still = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
      assert.deepEqual(still.metadata, {});
      assert.deepEqual(
        (await stripe.events.list()).data.map((e) => e.type),
        ['customer.created'],
      );
    });
  });

  test('a document stored with a NUL (left by an older version) breaks no list, filtered or not', async () => {
    const { stripe, accountId } = await freshAccount(kassa);
    const customer = await stripe.customers.create({ email: 'legacy@example.com' });
    const setupIntent = await stripe.setupIntents.create({ customer: customer.id });
    const paymentIntent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: customer.id });
    const endpoint = await stripe.webhookEndpoints.create({ url: 'https://example.com/hook', enabled_events: ['*'] });
    const legacy = `left${NUL}behind`;
    await kassa.store.transaction(async (tx) => {
      for (const id of [setupIntent.id, paymentIntent.id, endpoint.id]) {
        const row = await getObjectRow(tx, accountId, id);
        const doc = JSON.parse(row!.doc) as ApiObject;
        await saveObject(tx, accountId, { ...doc, description: legacy } as ApiObject);
      }
    });

    const setupIntents = await stripe.setupIntents.list({ customer: customer.id });
    assert.deepEqual(
      setupIntents.data.map((s) => [s.id, s.description]),
      [[setupIntent.id, legacy]],
    );
    assert.equal((await stripe.setupIntents.list()).data.length, 1);
    const paymentIntents = await stripe.paymentIntents.list({ customer: customer.id });
    assert.deepEqual(
      paymentIntents.data.map((p) => [p.id, p.description]),
      [[paymentIntent.id, legacy]],
    );
    assert.deepEqual(
      (await stripe.webhookEndpoints.list()).data.map((e) => e.description),
      [legacy],
    );
    assert.equal((await stripe.customers.list({ email: 'legacy@example.com' })).data.length, 1);
    assert.equal((await stripe.setupIntents.retrieve(setupIntent.id)).description, legacy);
  });
});

async function freshAccount(kassa: TestKassa): Promise<{ stripe: Stripe; accountId: string; secretKey: string }> {
  const account = await kassa.newAccount();
  return { stripe: kassa.clientFor(account.secret_key), accountId: account.id, secretKey: account.secret_key };
}
