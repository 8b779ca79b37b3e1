// GET /v1/customers/search through the official SDK: the query language
// end to end, result pages, total_count, and what search must never find.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import { assertShape } from '../support/shapes.js';

const T0 = 1_750_000_000;

/** The SDK's error, checked to be Stripe's 400 invalid_request_error naming `param`. */
function isInvalid(param: string, code?: string) {
  return (e: Stripe.errors.StripeError) => {
    assert.ok(
      e instanceof Stripe.errors.StripeInvalidRequestError,
      `expected StripeInvalidRequestError, got ${e.constructor.name}: ${e.message}`,
    );
    assert.equal(e.statusCode, 400);
    assert.equal(e.param, param);
    assert.equal(e.code, code);
    return true;
  };
}

const ids = (result: { data: Array<{ id: string }> }) => result.data.map((c) => c.id);

describeEachStore('customer search through the official SDK', (target) => {
  const clock = testClock();
  let kassa: TestKassa;

  before(async () => {
    kassa = await startKassa(await target.config(), { clock });
  });
  after(() => kassa.close());

  /** A client for a new, empty account, so each test's matches are its own. */

  /** Three customers created 100 s apart (ada, bob, cyd), newest last. */
  async function threeCustomers(stripe: Stripe) {
    clock.set(T0);
    const ada = await stripe.customers.create({
      email: 'Ada@Example.com',
      name: 'Ada Lovelace',
      metadata: { tier: 'gold', order_id: '42' },
    });
    clock.set(T0 + 100);
    const bob = await stripe.customers.create({
      email: 'bob@example.org',
      name: 'Bob Babbage',
      phone: '+4711111111',
      metadata: { tier: 'silver' },
    });
    clock.set(T0 + 200);
    const cyd = await stripe.customers.create({ phone: '+4722222222' });
    return { ada: ada.id, bob: bob.id, cyd: cyd.id };
  }

  test('the result envelope, newest first', async () => {
    const stripe = (await kassa.freshClient()).stripe;
    const { ada, bob } = await threeCustomers(stripe);
    const result = await stripe.customers.search({ query: "email~'example'" });
    assert.equal(result.object, 'search_result');
    assert.equal(result.url, '/v1/customers/search');
    assert.equal(result.has_more, false);
    assert.equal(result.next_page, null);
    assert.equal('total_count' in result, false, 'total_count only when expanded');
    assert.deepEqual(ids(result), [bob, ada]);
    assert.ok(result.lastResponse.requestId.startsWith('req_'));
    for (const customer of result.data) assertShape('customer', customer);
    const fetched = (await stripe.customers.retrieve(ada)) as Stripe.Customer;
    assert.deepEqual({ ...result.data[1], lastResponse: undefined }, { ...fetched, lastResponse: undefined });
  });

  test('the query language, end to end', async () => {
    const stripe = (await kassa.freshClient()).stripe;
    const { ada, bob, cyd } = await threeCustomers(stripe);
    const cases: Array<[string, string[]]> = [
      ["email:'ada@example.com'", [ada]],
      ['email:"ADA@EXAMPLE.COM"', [ada]],
      ["email:'ada@example'", []],
      ["name~'lov'", [ada]],
      ["phone~'+47'", [cyd, bob]],
      ["metadata['tier']:'gold'", [ada]],
      ['metadata["tier"]:"silver"', [bob]],
      ["metadata['order_id']:'42'", [ada]],
      ["-metadata['tier']:'gold'", [cyd, bob]],
      ["-email:'ada@example.com'", [cyd, bob]],
      ['phone:null', [ada]],
      ['-phone:null', [cyd, bob]],
      ["metadata['tier']:null", [cyd]],
      [`created>${T0}`, [cyd, bob]],
      [`created>=${T0 + 100}`, [cyd, bob]],
      [`created<${T0 + 100}`, [ada]],
      [`created<=${T0 + 100}`, [bob, ada]],
      [`created:${T0 + 200}`, [cyd]],
      [`created>${T0} AND created<${T0 + 200}`, [bob]],
      ["email~'example' AND metadata['tier']:'silver'", [bob]],
      ["email:'ada@example.com' OR phone:'+4722222222'", [cyd, ada]],
      ["name~'ada' OR name~'bob' OR name~'cyd'", [bob, ada]],
      ["email~'example' -phone:null", [bob]],
    ];
    for (const [query, expected] of cases) {
      assert.deepEqual(ids(await stripe.customers.search({ query })), expected, query);
    }
  });

  test('a missing query is 400 parameter_missing naming query, as Stripe requires it', async () => {
    const stripe = (await kassa.freshClient()).stripe;
    // The SDK's types require `query`, but it sends what it is given.
    await assert.rejects(stripe.customers.search({} as Stripe.CustomerSearchParams), (e: Stripe.errors.StripeError) => {
      isInvalid('query', 'parameter_missing')(e);
      assert.match(e.message, /query/);
      return true;
    });
    await assert.rejects(stripe.customers.search({ query: '' }), isInvalid('query', 'parameter_invalid_empty'));
  });

  test('unsupported fields and malformed queries are 400 naming query', async () => {
    const stripe = (await kassa.freshClient()).stripe;
    await assert.rejects(stripe.customers.search({ query: "description:'x'" }), (e: Stripe.errors.StripeError) => {
      isInvalid('query')(e);
      assert.match(e.message, /description/);
      return true;
    });
    for (const query of [
      'email:ada@example.com',
      "email:'unterminated",
      "name~'ad'",
      "email>'a'",
      "name~'ada' AND phone:null OR name~'bob'",
      Array(11).fill('created>0').join(' AND '),
      "email:'a@b.c' AND",
      '   ',
      'metadata:"gold"',
    ]) {
      await assert.rejects(stripe.customers.search({ query }), isInvalid('query'), query);
    }
  });

  test('pages: limit, next_page, has_more; limit must be 1 to 100', async () => {
    const stripe = (await kassa.freshClient()).stripe;
    const matching: string[] = [];
    for (let i = 0; i < 7; i++) {
      matching.push((await stripe.customers.create({ email: `page${i}@example.com` })).id);
      await stripe.customers.create({ email: `other${i}@example.net` });
    }
    const newestFirst = [...matching].reverse();
    const query = "email~'@example.com'";

    const first = await stripe.customers.search({ query, limit: 3 });
    assert.deepEqual(ids(first), newestFirst.slice(0, 3));
    assert.equal(first.has_more, true);
    assert.equal(typeof first.next_page, 'string');
    const second = await stripe.customers.search({ query, limit: 3, page: first.next_page! });
    assert.deepEqual(ids(second), newestFirst.slice(3, 6));
    assert.equal(second.has_more, true);
    const third = await stripe.customers.search({ query, limit: 3, page: second.next_page! });
    assert.deepEqual(ids(third), newestFirst.slice(6));
    assert.equal(third.has_more, false);
    assert.equal(third.next_page, null);

    const exact = await stripe.customers.search({ query, limit: 7 });
    assert.deepEqual(ids(exact), newestFirst);
    assert.equal(exact.has_more, false, 'a page that holds the last match has no more');
    assert.equal(exact.next_page, null);

    assert.equal((await stripe.customers.search({ query })).data.length, 7, 'default limit 10');
    assert.equal((await stripe.customers.search({ query, limit: 100 })).data.length, 7);
    await assert.rejects(stripe.customers.search({ query, limit: 0 }), isInvalid('limit'));
    await assert.rejects(stripe.customers.search({ query, limit: 101 }), isInvalid('limit'));
    await assert.rejects(stripe.customers.search({ query, page: 'not-a-cursor' }), isInvalid('page'));
  });

  test('expand[]=total_count counts every match, not the page', async () => {
    const stripe = (await kassa.freshClient()).stripe;
    for (let i = 0; i < 12; i++)
      await stripe.customers.create({ email: `count${i}@example.com`, metadata: { even: String(i % 2 === 0) } });
    const result = await stripe.customers.search({
      query: "metadata['even']:'true'",
      limit: 2,
      expand: ['total_count'],
    });
    assert.equal(result.total_count, 6);
    assert.equal(result.data.length, 2);
    assert.equal(result.has_more, true);
    const next = await stripe.customers.search({
      query: "metadata['even']:'true'",
      limit: 2,
      page: result.next_page!,
      expand: ['total_count'],
    });
    assert.equal(next.total_count, 6);
    const none = await stripe.customers.search({ query: "email:'nobody@example.com'", expand: ['total_count'] });
    assert.equal(none.total_count, 0);
    assert.deepEqual(none.data, []);
  });

  test('autoPagingEach walks every match exactly once, newest first', async () => {
    const stripe = (await kassa.freshClient()).stripe;
    const matching: string[] = [];
    for (let i = 0; i < 23; i++) {
      matching.push((await stripe.customers.create({ name: `Walker ${i}`, metadata: { walk: 'yes' } })).id);
      if (i % 4 === 0) await stripe.customers.create({ name: `Stander ${i}` });
    }
    const seen: string[] = [];
    await stripe.customers.search({ query: "metadata['walk']:'yes'", limit: 5 }).autoPagingEach((customer) => {
      seen.push(customer.id);
    });
    assert.deepEqual(seen, [...matching].reverse());
    const all = await stripe.customers.search({ query: "name~'walker'", limit: 4 }).autoPagingToArray({ limit: 100 });
    assert.equal(new Set(all.map((c) => c.id)).size, 23);
  });

  test('finds customers by their current values; deleted customers are not found', async () => {
    const stripe = (await kassa.freshClient()).stripe;
    const kept = await stripe.customers.create({ email: 'gone@example.com', metadata: { batch: 'd' } });
    const gone = await stripe.customers.create({ email: 'gone@example.com', metadata: { batch: 'd' } });
    const renamed = await stripe.customers.create({ email: 'old@example.com', metadata: { batch: 'd' } });
    await stripe.customers.del(gone.id);
    await stripe.customers.update(renamed.id, { email: 'new@example.com' });

    assert.deepEqual(ids(await stripe.customers.search({ query: "email:'gone@example.com'" })), [kept.id]);
    assert.deepEqual(ids(await stripe.customers.search({ query: "email:'old@example.com'" })), []);
    assert.deepEqual(ids(await stripe.customers.search({ query: "email:'new@example.com'" })), [renamed.id]);
    const batch = await stripe.customers.search({ query: "metadata['batch']:'d'", expand: ['total_count'] });
    assert.deepEqual(ids(batch), [renamed.id, kept.id]);
    assert.equal(batch.total_count, 2);
    const everyone = await stripe.customers.search({ query: `created>0`, limit: 100 });
    assert.equal(
      everyone.data.some((c) => c.id === gone.id),
      false,
    );
  });

  test("another account's customers are never found", async () => {
    const mine = (await kassa.freshClient()).stripe;
    const theirs = (await kassa.freshClient()).stripe;
    const own = await mine.customers.create({ email: 'shared@example.com', name: 'Shared Name', metadata: { k: 'v' } });
    for (let i = 0; i < 3; i++)
      await theirs.customers.create({ email: 'shared@example.com', name: 'Shared Name', metadata: { k: 'v' } });

    for (const query of [
      "email:'shared@example.com'",
      "name~'shared'",
      "metadata['k']:'v'",
      'created>0',
      '-phone:null OR phone:null',
    ]) {
      const result = await mine.customers.search({ query, limit: 100, expand: ['total_count'] });
      assert.deepEqual(ids(result), [own.id], query);
      assert.equal(result.total_count, 1, query);
    }
    // A page cursor from one account does not open another's customers.
    const theirPage = await theirs.customers.search({ query: 'created>0', limit: 1 });
    assert.equal(theirPage.has_more, true);
    const viaCursor = await mine.customers.search({ query: 'created>0', page: theirPage.next_page!, limit: 100 });
    assert.equal(
      viaCursor.data.some((c) => c.id !== own.id),
      false,
    );
  });
});
