// The Events API through the official SDK: what customer writes record, the
// event's shape, retrieve and list (filters, wildcards, cursors), and that an
// event commits or rolls back together with the change it describes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import Stripe from 'stripe';
import { createAccount } from '../../src/accounts/accounts.js';
import { buildEvent } from '../../src/events/events.js';
import { createKassa } from '../../src/kassa.js';
import { openStore, type Queries, type Store } from '../../src/store/store.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import { assertShape } from '../support/shapes.js';
import { insertEvent } from '../../src/events/event-store.js';
import { MIGRATIONS } from '../../src/schema.js';
import { getObjectRow } from '../../src/store/objects.js';

const T0 = 1_760_000_000;
const API_VERSION = '2026-10-28.endive';

/** The object as the API returned it, without the SDK's `lastResponse`. */
function plain<T extends object>(value: T): Omit<T, 'lastResponse'> {
  const { lastResponse: _lastResponse, ...rest } = value as T & { lastResponse?: unknown };
  return rest;
}

async function allEvents(stripe: Stripe, params: Stripe.EventListParams = {}): Promise<Stripe.Event[]> {
  return stripe.events.list({ limit: 100, ...params }).autoPagingToArray({ limit: 10_000 });
}

function isNotFound(param = 'id') {
  return (e: Stripe.errors.StripeError) => {
    assert.ok(
      e instanceof Stripe.errors.StripeInvalidRequestError,
      `expected StripeInvalidRequestError, got ${e.constructor.name}`,
    );
    assert.equal(e.statusCode, 404);
    assert.equal(e.code, 'resource_missing');
    assert.equal(e.param, param);
    return true;
  };
}

/** Checks what every event carries, against the API response that caused it. */
function assertEventOf(
  event: Stripe.Event,
  type: string,
  response: { lastResponse: { requestId: string; idempotencyKey?: string } },
  created: number,
): void {
  assertShape('event', event);
  assert.match(event.id, /^evt_[A-Za-z0-9]{24}$/);
  assert.equal(event.object, 'event');
  assert.equal(event.type, type);
  assert.equal(event.api_version, API_VERSION);
  assert.equal(event.created, created);
  assert.equal(event.livemode, false);
  assert.equal(event.pending_webhooks, 0);
  assert.equal(event.account, undefined);
  assert.deepEqual(event.request, {
    id: response.lastResponse.requestId,
    idempotency_key: response.lastResponse.idempotencyKey ?? null,
  });
}

describeEachStore('events through the official SDK', (target) => {
  const clock = testClock();
  let kassa: TestKassa;

  before(async () => {
    kassa = await startKassa(await target.config(), { clock });
  });
  after(() => kassa.close());

  async function fresh(): Promise<{ stripe: Stripe; accountId: string }> {
    const account = await kassa.newAccount();
    return { stripe: kassa.clientFor(account.secret_key), accountId: account.id };
  }

  test('creating a customer records customer.created with the request id and idempotency key', async () => {
    const { stripe } = await fresh();
    clock.set(T0);
    const customer = await stripe.customers.create({
      email: 'ada@example.com',
      name: 'Ada',
      metadata: { plan: 'pro' },
    });
    const events = await allEvents(stripe);
    assert.equal(events.length, 1);
    const [event] = events;
    assertEventOf(event, 'customer.created', customer, T0);
    // The SDK keys every POST; the key it sent is the one the event names.
    assert.match(event.request!.idempotency_key!, /^stripe-node-retry-/);
    assert.deepEqual(event.data.object, plain(customer));
    assertShape('customer', event.data.object);
    assert.equal('previous_attributes' in event.data, false);

    const retrieved = await stripe.events.retrieve(event.id);
    assert.deepEqual(plain(retrieved), plain(event));
    assert.notEqual(retrieved.lastResponse.requestId, customer.lastResponse.requestId);
  });

  test('a key the caller chooses is on the event, and an idempotent replay records nothing more', async () => {
    const { stripe } = await fresh();
    const first = await stripe.customers.create({ email: 'key@example.com' }, { idempotencyKey: 'create-key-1' });
    const replay = await stripe.customers.create({ email: 'key@example.com' }, { idempotencyKey: 'create-key-1' });
    assert.equal(replay.id, first.id);
    assert.equal(replay.lastResponse.headers['idempotent-replayed'], 'true');
    const events = await allEvents(stripe);
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].request, { id: first.lastResponse.requestId, idempotency_key: 'create-key-1' });
  });

  test('customer.updated holds the old values of only what changed; metadata shows only changed keys', async () => {
    const { stripe } = await fresh();
    clock.set(T0);
    const customer = await stripe.customers.create({
      name: 'Ada',
      email: 'ada@example.com',
      metadata: { keep: 'same', drop: 'x', change: 'old' },
    });
    clock.set(T0 + 60);
    const updated = await stripe.customers.update(customer.id, {
      name: 'Ada King',
      email: 'ada@example.com',
      address: { city: 'London' },
      metadata: { keep: 'same', drop: '', change: 'new', add: 'fresh' },
    });
    const events = await allEvents(stripe, { type: 'customer.updated' });
    assert.equal(events.length, 1);
    const [event] = events;
    assertEventOf(event, 'customer.updated', updated, T0 + 60);
    assert.deepEqual(event.data.object, plain(updated));
    assert.deepEqual(event.data.previous_attributes, {
      name: 'Ada',
      address: null,
      metadata: { drop: 'x', change: 'old', add: null },
    });

    // Unsetting a field: its old value; the untouched email is absent.
    await stripe.customers.update(customer.id, { name: '' });
    const [latest] = await allEvents(stripe, { type: 'customer.updated', limit: 1 });
    assert.deepEqual(latest.data.previous_attributes, { name: 'Ada King' });
  });

  test('an update that changes nothing records no event', async () => {
    const { stripe } = await fresh();
    const customer = await stripe.customers.create({ name: 'Same', metadata: { a: '1' } });
    for (const params of [
      {},
      { name: 'Same' },
      { metadata: { a: '1' } },
      { metadata: { absent: '' } },
    ] as Stripe.CustomerUpdateParams[]) {
      const result = await stripe.customers.update(customer.id, params);
      assert.equal(result.name, 'Same');
    }
    const events = await allEvents(stripe);
    assert.deepEqual(
      events.map((e) => e.type),
      ['customer.created'],
    );
  });

  test('customer.deleted carries the customer as it was', async () => {
    const { stripe } = await fresh();
    const customer = await stripe.customers.create({ email: 'gone@example.com' });
    const updated = await stripe.customers.update(customer.id, { name: 'Last Name', metadata: { k: 'v' } });
    clock.set(T0 + 500);
    const deleted = await stripe.customers.del(customer.id);
    const [event] = await allEvents(stripe, { type: 'customer.deleted' });
    // The SDK sends no idempotency key on DELETE: the event's key is null.
    assertEventOf(event, 'customer.deleted', deleted, T0 + 500);
    assert.equal(event.request!.idempotency_key, null);
    assert.deepEqual(event.data.object, plain(updated));
    assertShape('customer', event.data.object);
    assert.equal('previous_attributes' in event.data, false);
    const types = (await allEvents(stripe)).map((e) => e.type);
    assert.deepEqual(types, ['customer.deleted', 'customer.updated', 'customer.created']);
  });

  test('retrieve: an unknown event and another account’s event are 404', async () => {
    const { stripe } = await fresh();
    const other = await fresh();
    await other.stripe.customers.create({ email: 'theirs@example.com' });
    const [theirs] = await allEvents(other.stripe);
    await assert.rejects(stripe.events.retrieve('evt_000000000000000000000000'), (e: Stripe.errors.StripeError) => {
      isNotFound()(e);
      assert.equal(e.message, "No such event: 'evt_000000000000000000000000'");
      return true;
    });
    await assert.rejects(stripe.events.retrieve(theirs.id), isNotFound());
    assert.equal((await other.stripe.events.retrieve(theirs.id)).id, theirs.id);
    assert.deepEqual(await allEvents(stripe), []);
  });

  /** Five events 10 s apart, newest first: upd a, del b, cre b, upd a, cre a. */
  async function history(stripe: Stripe) {
    clock.set(T0);
    const a = await stripe.customers.create({ name: 'a' });
    clock.set(T0 + 10);
    await stripe.customers.update(a.id, { name: 'a1' });
    clock.set(T0 + 20);
    const b = await stripe.customers.create({ name: 'b' });
    clock.set(T0 + 30);
    await stripe.customers.del(b.id);
    clock.set(T0 + 40);
    await stripe.customers.update(a.id, { name: 'a2' });
    return { a: a.id, b: b.id };
  }
  const summary = (events: Stripe.Event[]) =>
    events.map((e) => `${e.type} ${(e.data.object as { id: string }).id} ${e.created}`);

  test('list: newest first, type, types[], created ranges', async () => {
    const { stripe } = await fresh();
    const { a, b } = await history(stripe);
    const expected = [
      `customer.updated ${a} ${T0 + 40}`,
      `customer.deleted ${b} ${T0 + 30}`,
      `customer.created ${b} ${T0 + 20}`,
      `customer.updated ${a} ${T0 + 10}`,
      `customer.created ${a} ${T0}`,
    ];
    const list = await stripe.events.list();
    assert.equal(list.object, 'list');
    assert.equal(list.url, '/v1/events');
    assert.equal(list.has_more, false);
    assert.deepEqual(summary(list.data), expected);

    assert.deepEqual(summary(await allEvents(stripe, { type: 'customer.created' })), [expected[2], expected[4]]);
    assert.deepEqual(summary(await allEvents(stripe, { type: 'customer.*' })), expected);
    assert.deepEqual(summary(await allEvents(stripe, { type: 'invoice.*' })), []);
    assert.deepEqual(summary(await allEvents(stripe, { types: ['customer.created', 'customer.deleted'] })), [
      expected[1],
      expected[2],
      expected[4],
    ]);
    assert.deepEqual(
      summary(await allEvents(stripe, { created: { gte: T0 + 10, lt: T0 + 40 } })),
      expected.slice(1, 4),
    );
    assert.deepEqual(summary(await allEvents(stripe, { created: { gt: T0 + 30 } })), expected.slice(0, 1));
    assert.deepEqual(summary(await allEvents(stripe, { created: { lte: T0 } })), expected.slice(4));
    assert.deepEqual(summary(await allEvents(stripe, { created: T0 + 20 })), expected.slice(2, 3));
    assert.deepEqual(
      summary(await allEvents(stripe, { type: 'customer.updated', created: { gt: T0 + 10 } })),
      expected.slice(0, 1),
    );
  });

  test('list: limit, starting_after, ending_before, autoPagingEach', async () => {
    const { stripe } = await fresh();
    await history(stripe);
    const all = (await stripe.events.list({ limit: 100 })).data.map((e) => e.id);
    assert.equal(all.length, 5);

    const first = await stripe.events.list({ limit: 2 });
    assert.deepEqual(
      first.data.map((e) => e.id),
      all.slice(0, 2),
    );
    assert.equal(first.has_more, true);
    const second = await stripe.events.list({ limit: 2, starting_after: first.data[1].id });
    assert.deepEqual(
      second.data.map((e) => e.id),
      all.slice(2, 4),
    );
    const last = await stripe.events.list({ limit: 2, starting_after: second.data[1].id });
    assert.deepEqual(
      last.data.map((e) => e.id),
      all.slice(4),
    );
    assert.equal(last.has_more, false);
    const back = await stripe.events.list({ limit: 2, ending_before: all[4] });
    assert.deepEqual(
      back.data.map((e) => e.id),
      all.slice(2, 4),
    );
    assert.equal(back.has_more, true);
    assert.equal((await stripe.events.list()).data.length, 5, 'default limit 10');

    const seen: string[] = [];
    await stripe.events.list({ limit: 2 }).autoPagingEach((event) => {
      seen.push(event.id);
    });
    assert.deepEqual(seen, all);
    const updates: string[] = [];
    await stripe.events.list({ limit: 1, type: 'customer.updated' }).autoPagingEach((event) => {
      updates.push(event.type);
    });
    assert.deepEqual(updates, ['customer.updated', 'customer.updated']);

    const other = await fresh();
    await other.stripe.customers.create({});
    const [theirs] = await allEvents(other.stripe);
    await assert.rejects(
      stripe.events.list({ limit: 0 }),
      (e: Stripe.errors.StripeError) => e.statusCode === 400 && e.param === 'limit',
    );
    await assert.rejects(
      stripe.events.list({ limit: 101 }),
      (e: Stripe.errors.StripeError) => e.statusCode === 400 && e.param === 'limit',
    );
    await assert.rejects(
      stripe.events.list({ starting_after: 'evt_000000000000000000000000' }),
      isNotFound('starting_after'),
    );
    await assert.rejects(stripe.events.list({ starting_after: theirs.id }), isNotFound('starting_after'));
    await assert.rejects(stripe.events.list({ ending_before: theirs.id }), isNotFound('ending_before'));
  });

  test('type wildcards match whole event types only', async () => {
    const { stripe, accountId } = await fresh();
    await stripe.customers.create({});
    // Events of capabilities that Kassa does not have yet, written as they would be.
    const types = [
      'customer.subscription.created',
      'customer_cash_balance_transaction.created',
      'charge.succeeded',
      'customers.odd',
    ];
    await kassa.store.transaction(async (tx) => {
      for (const type of types)
        await insertEvent(
          tx,
          accountId,
          buildEvent(
            type,
            { id: 'obj_1', object: 'thing' },
            { now: clock.now(), request: { id: null, idempotency_key: null } },
          ),
        );
    });
    const typesOf = async (type: string) => (await allEvents(stripe, { type })).map((e) => e.type).sort();
    assert.deepEqual(await typesOf('customer.*'), ['customer.created', 'customer.subscription.created']);
    assert.deepEqual(await typesOf('customer.subscription.*'), ['customer.subscription.created']);
    assert.deepEqual(await typesOf('*.created'), [
      'customer.created',
      'customer.subscription.created',
      'customer_cash_balance_transaction.created',
    ]);
    assert.deepEqual(await typesOf('*'), [...types, 'customer.created'].sort());
    assert.deepEqual(await typesOf('charge.*'), ['charge.succeeded']);
    assert.deepEqual(await typesOf('customer_*'), ['customer_cash_balance_transaction.created']);
  });

  test('a write that fails records no event', async () => {
    const { stripe } = await fresh();
    const customer = await stripe.customers.create({ email: 'ok@example.com' });
    await stripe.customers.del(customer.id);
    const before = await allEvents(stripe);
    const failures: Array<() => Promise<unknown>> = [
      () => stripe.customers.create({ email: 'not-an-email' }),
      () => stripe.customers.create({ bogus: 'x' } as Stripe.CustomerCreateParams),
      () => stripe.customers.create({ payment_method: 'pm_missing' }),
      () => stripe.customers.update('cus_missing0000000', { name: 'x' }),
      () => stripe.customers.update(customer.id, { name: 'after delete' }),
      () => stripe.customers.del('cus_missing0000000'),
      () => stripe.customers.del(customer.id),
    ];
    const live = await stripe.customers.create({ name: 'Live' });
    failures.push(
      () => stripe.customers.update(live.id, { tax_exempt: 'sometimes' as Stripe.CustomerUpdateParams.TaxExempt }),
      () => stripe.customers.update(live.id, { name: 'Changed', email: 'broken' }),
    );
    for (const attempt of failures)
      await assert.rejects(attempt(), (e: Stripe.errors.StripeError) => e.statusCode === 400 || e.statusCode === 404);
    const afterFailures = await allEvents(stripe);
    assert.deepEqual(
      afterFailures.map((e) => e.id).slice(1),
      before.map((e) => e.id),
    );
    assert.deepEqual(
      afterFailures.map((e) => e.type),
      ['customer.created', 'customer.deleted', 'customer.created'],
    );
    assert.equal(((await stripe.customers.retrieve(live.id)) as Stripe.Customer).name, 'Live');
  });

  test('the event and the object commit together: if recording the event fails, neither exists', async () => {
    const store = await openStore(await target.config(), MIGRATIONS);
    let failEvents = false;
    // The real store, except that inserting an event fails while `failEvents` is set.
    const failing: Store = {
      dialect: store.dialect,
      read: store.read,
      close: () => store.close(),
      transaction: (fn) => store.transaction((tx) => fn(failEvents ? withFailingInsertEvent(tx) : tx)),
    };
    const app = createKassa({ store: failing, clock, logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { port } = app.server.address() as { port: number };
      const account = await createAccount(store, { now: clock.now() });
      const stripe = new Stripe(account.secret_key, {
        host: '127.0.0.1',
        port,
        protocol: 'http',
        maxNetworkRetries: 0,
        telemetry: false,
      });
      const isServerError = (e: Stripe.errors.StripeError) => {
        assert.ok(e instanceof Stripe.errors.StripeAPIError, `expected StripeAPIError, got ${e.constructor.name}`);
        assert.equal(e.statusCode, 500);
        return true;
      };
      const liveCustomers = async () =>
        (await store.read.scanObjects(account.id, 'customer', undefined, 100)).map((r) => r.id);
      const storedEventTypes = async () =>
        (await store.read.list({ table: 'events', accountId: account.id, filters: [], limit: 100 })).map(
          (r) => JSON.parse(r.doc).type as string,
        );

      const kept = await stripe.customers.create({ name: 'Kept' });
      failEvents = true;

      await assert.rejects(stripe.customers.create({ name: 'Never' }, { idempotencyKey: 'retry-me' }), isServerError);
      assert.deepEqual(await liveCustomers(), [kept.id]);

      await assert.rejects(stripe.customers.update(kept.id, { name: 'Changed' }), isServerError);
      assert.equal(JSON.parse((await getObjectRow(store.read, account.id, kept.id))!.doc).name, 'Kept');

      await assert.rejects(stripe.customers.del(kept.id), isServerError);
      const row = await getObjectRow(store.read, account.id, kept.id);
      assert.equal(row!.deleted, false);
      assert.equal(JSON.parse(row!.doc).name, 'Kept');

      assert.deepEqual(await storedEventTypes(), ['customer.created']);
      assert.deepEqual(
        (await allEvents(stripe)).map((e) => e.type),
        ['customer.created'],
      );
      assert.deepEqual(
        (await stripe.customers.list()).data.map((c) => c.id),
        [kept.id],
      );

      // Once events can be recorded again, the same key runs the request anew, once.
      failEvents = false;
      const created = await stripe.customers.create({ name: 'Never' }, { idempotencyKey: 'retry-me' });
      assert.equal(created.lastResponse.headers['idempotent-replayed'], undefined);
      await stripe.customers.update(kept.id, { name: 'Changed' });
      assert.deepEqual(await liveCustomers(), [created.id, kept.id]);
      assert.deepEqual(await storedEventTypes(), ['customer.updated', 'customer.created', 'customer.created']);
    } finally {
      await app.close();
      await store.close();
    }
  });

  test('type wildcards do not depend on the database collation', {
    skip: target.name !== 'postgres' && 'PostgreSQL only',
  }, async (t) => {
    const config = await target.config();
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    const own = await startKassa(config, { clock });
    try {
      const found = await client.query<{ collname: string }>(
        "SELECT collname FROM pg_collation WHERE collname IN ('en-x-icu', 'und-x-icu', 'en_US.utf8', 'en_US') ORDER BY collname LIMIT 1",
      );
      if (found.rows.length === 0) return t.skip('no linguistic collation installed');
      // Databases created with a linguistic locale (en_US.UTF-8, the usual default) compare text this way.
      await client.query(`ALTER TABLE events ALTER COLUMN type TYPE TEXT COLLATE "${found.rows[0].collname}"`);
      const customer = await own.stripe.customers.create({ name: 'Collated' });
      await own.stripe.customers.update(customer.id, { name: 'Collated 2' });
      const types = (await allEvents(own.stripe, { type: 'customer.*' })).map((e) => e.type);
      assert.deepEqual(types, ['customer.updated', 'customer.created']);
    } finally {
      await client.end();
      await own.close();
    }
  });
});

function withFailingInsertEvent(tx: Queries): Queries {
  const wrapped = Object.create(tx) as Queries;
  wrapped.run = async (sql, params) => {
    if (sql.startsWith('INSERT INTO events ')) throw new Error('insertEvent failed (injected by the test)');
    return tx.run(sql, params);
  };
  return wrapped;
}
