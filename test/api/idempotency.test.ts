// Idempotent POSTs as Stripe does them: replay, parameter mismatch, what is
// and is not stored, scope, concurrency, retention, server faults.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { hashKey, maskKey, newApiKey } from '../../src/accounts/keys.js';
import { createKassa } from '../../src/kassa.js';
import type { Queries, Store } from '../../src/store/store.js';
import { describeEachStore } from '../support/each-store.js';
import { postForm, postTogether, type RawResponse } from '../support/http.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import { findKey, insertKey } from '../../src/accounts/account-store.js';
import { tryLockIdempotencyKey } from '../../src/server/idempotency-store.js';

const DAY = 24 * 60 * 60;

/** A form POST without the SDK, as the test account. */
function rawPost(
  kassa: TestKassa,
  path: string,
  form: Record<string, string>,
  options: { key?: string; secretKey: string },
): Promise<RawResponse> {
  return postForm({ url: `${kassa.url}${path}`, secretKey: options.secretKey, form, idempotencyKey: options.key });
}

async function allCustomers(stripe: Stripe): Promise<Stripe.Customer[]> {
  return stripe.customers.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
}

async function eventsOfType(stripe: Stripe, type: string): Promise<Stripe.Event[]> {
  return stripe.events.list({ type, limit: 100 }).autoPagingToArray({ limit: 1000 });
}

/** The API's `error` object as the SDK received it, without the SDK's additions. */
const errorBody = (e: Stripe.errors.StripeError) => {
  const {
    headers: _headers,
    requestId: _requestId,
    statusCode: _statusCode,
    ...body
  } = e.raw as Record<string, unknown>;
  return body;
};

const isIdempotencyError = (e: Stripe.errors.StripeError) => {
  assert.ok(
    e instanceof Stripe.errors.StripeIdempotencyError,
    `expected StripeIdempotencyError, got ${e.constructor.name}`,
  );
  assert.equal(e.statusCode, 400);
  assert.equal(e.rawType, 'idempotency_error');
  assert.equal(e.code, undefined);
  assert.match(e.message, /same parameters/);
  return true;
};

describeEachStore('idempotent requests', (target) => {
  const clock = testClock();
  let kassa: TestKassa;
  /** A fresh account per test, so counts of customers and events are the test's own. */
  let stripe: Stripe;
  let secretKey: string;

  before(async () => {
    kassa = await startKassa(await target.config(), { clock });
  });
  after(() => kassa.close());

  /** Where the server keeps `key` for the test account (auth.ts: the key's digest, 32 hex digits, names the API key). */
  async function scopeOf(key: string) {
    const owner = (await findKey(kassa.store.read, hashKey(secretKey)))!;
    return { accountId: owner.accountId, keyId: hashKey(secretKey).slice(0, 32), key };
  }

  async function freshAccount(): Promise<void> {
    const account = await kassa.newAccount();
    secretKey = account.secret_key;
    stripe = kassa.clientFor(secretKey);
  }

  test('the same key and parameters replay the first response', async () => {
    await freshAccount();
    const key = randomUUID();
    const first = await stripe.customers.create(
      { email: 'replay@example.com', metadata: { n: '1' } },
      { idempotencyKey: key },
    );
    const second = await stripe.customers.create(
      { email: 'replay@example.com', metadata: { n: '1' } },
      { idempotencyKey: key },
    );

    assert.equal(second.id, first.id);
    assert.deepEqual({ ...second, lastResponse: undefined }, { ...first, lastResponse: undefined });
    assert.equal(second.lastResponse.statusCode, 200);
    assert.equal(first.lastResponse.headers['idempotent-replayed'], undefined);
    assert.equal(second.lastResponse.headers['idempotent-replayed'], 'true');
    assert.equal(second.lastResponse.headers['original-request'], first.lastResponse.requestId);
    assert.equal(second.lastResponse.idempotencyKey, key);
    assert.match(second.lastResponse.requestId, /^req_/);
    assert.notEqual(second.lastResponse.requestId, first.lastResponse.requestId);

    // Raw HTTP sees the very same body bytes.
    const raw = await rawPost(
      kassa,
      '/v1/customers',
      { email: 'replay@example.com', 'metadata[n]': '1' },
      { key, secretKey },
    );
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['idempotent-replayed'], 'true');
    assert.equal(raw.headers['original-request'], first.lastResponse.requestId);
    assert.equal(raw.headers['idempotency-key'], key);
    assert.deepEqual(raw.body, JSON.parse(JSON.stringify({ ...first, lastResponse: undefined })));

    assert.deepEqual(
      (await allCustomers(stripe)).map((c) => c.id),
      [first.id],
    );
    const created = await eventsOfType(stripe, 'customer.created');
    assert.equal(created.length, 1);
    assert.deepEqual(created[0].request, { id: first.lastResponse.requestId, idempotency_key: key });
  });

  test('the same key with other parameters, or on another endpoint, is an idempotency_error', async () => {
    await freshAccount();
    const key = randomUUID();
    const first = await stripe.customers.create({ email: 'one@example.com' }, { idempotencyKey: key });

    await assert.rejects(
      stripe.customers.create({ email: 'two@example.com' }, { idempotencyKey: key }),
      isIdempotencyError,
    );
    await assert.rejects(
      stripe.customers.create({ email: 'one@example.com', name: 'One' }, { idempotencyKey: key }),
      isIdempotencyError,
    );
    await assert.rejects(
      stripe.customers.update(first.id, { email: 'one@example.com' }, { idempotencyKey: key }),
      isIdempotencyError,
    );

    // The refusals did not disturb the stored result.
    const again = await stripe.customers.create({ email: 'one@example.com' }, { idempotencyKey: key });
    assert.equal(again.id, first.id);
    assert.equal(again.lastResponse.headers['idempotent-replayed'], 'true');
    assert.equal((await allCustomers(stripe)).length, 1);
    assert.equal(((await stripe.customers.retrieve(first.id)) as Stripe.Customer).name, null);
  });

  test('a request refused by parameter validation is not stored', async () => {
    await freshAccount();
    const key = randomUUID();
    await assert.rejects(
      stripe.customers.create({ email: 'v@example.com', colour: 'blue' } as Stripe.CustomerCreateParams, {
        idempotencyKey: key,
      }),
      (e: Stripe.errors.StripeError) => e.statusCode === 400 && e.code === 'parameter_unknown',
    );
    // Refused by the customer rules rather than the schema: not stored either.
    await assert.rejects(
      stripe.customers.create({ email: 'v@example.com', invoice_prefix: 'bad prefix' }, { idempotencyKey: key }),
      (e: Stripe.errors.StripeError) => e.statusCode === 400 && e.param === 'invoice_prefix',
    );
    const fixed = await stripe.customers.create({ email: 'v@example.com' }, { idempotencyKey: key });
    assert.equal(fixed.email, 'v@example.com');
    assert.equal(fixed.lastResponse.headers['idempotent-replayed'], undefined);
    assert.deepEqual(
      (await allCustomers(stripe)).map((c) => c.id),
      [fixed.id],
    );

    const replay = await stripe.customers.create({ email: 'v@example.com' }, { idempotencyKey: key });
    assert.equal(replay.id, fixed.id);
    assert.equal(replay.lastResponse.headers['idempotent-replayed'], 'true');
  });

  test('an error raised while executing is stored and replayed with its status', async () => {
    await freshAccount();
    const key = randomUUID();
    const missing = 'cus_missing0000000';
    let firstRequestId = '';
    let firstBody: unknown;
    await assert.rejects(
      stripe.customers.update(missing, { name: 'Nobody' }, { idempotencyKey: key }),
      (e: Stripe.errors.StripeError) => {
        assert.equal(e.statusCode, 404);
        assert.equal(e.code, 'resource_missing');
        assert.equal(e.headers?.['idempotent-replayed'], undefined);
        firstRequestId = e.requestId!;
        firstBody = errorBody(e);
        return true;
      },
    );
    await assert.rejects(
      stripe.customers.update(missing, { name: 'Nobody' }, { idempotencyKey: key }),
      (e: Stripe.errors.StripeError) => {
        assert.equal(e.statusCode, 404);
        assert.equal(e.code, 'resource_missing');
        assert.equal(e.headers?.['idempotent-replayed'], 'true');
        assert.equal(e.headers?.['original-request'], firstRequestId);
        assert.notEqual(e.requestId, firstRequestId);
        assert.deepEqual(errorBody(e), firstBody);
        return true;
      },
    );
  });

  test('keys are scoped per account and per API key', async () => {
    await freshAccount();
    const key = randomUUID();
    const other = await kassa.newAccount();
    const otherStripe = kassa.clientFor(other.secret_key);
    const mine = await stripe.customers.create({ email: 'scope@example.com' }, { idempotencyKey: key });
    const theirs = await otherStripe.customers.create({ email: 'scope@example.com' }, { idempotencyKey: key });
    assert.notEqual(theirs.id, mine.id);
    assert.equal(theirs.lastResponse.headers['idempotent-replayed'], undefined);
    assert.deepEqual(
      (await allCustomers(stripe)).map((c) => c.id),
      [mine.id],
    );
    assert.deepEqual(
      (await allCustomers(otherStripe)).map((c) => c.id),
      [theirs.id],
    );

    // A second secret key of the same account has its own key space (Kassa scopes by key).
    const secondKey = newApiKey('secret');
    const owner = (await findKey(kassa.store.read, hashKey(secretKey)))!.accountId;
    await kassa.store.transaction((tx) =>
      insertKey(tx, {
        hash: hashKey(secondKey),
        accountId: owner,
        kind: 'secret',
        masked: maskKey(secondKey),
        created: clock.now(),
      }),
    );
    const viaSecondKey = await kassa
      .clientFor(secondKey)
      .customers.create({ email: 'scope@example.com' }, { idempotencyKey: key });
    assert.notEqual(viaSecondKey.id, mine.id);
    assert.equal((await allCustomers(stripe)).length, 2);
  });

  test('concurrent requests with one key create one customer; the others replay or get 409', async () => {
    await freshAccount();
    const key = randomUUID();
    const responses = await postTogether(
      Array.from({ length: 20 }, () => ({
        url: `${kassa.url}/v1/customers`,
        secretKey,
        form: { email: 'race@example.com' },
        idempotencyKey: key,
      })),
    );
    const customers = await allCustomers(stripe);
    assert.equal(customers.length, 1);
    const [customer] = customers;

    const executed = responses.filter((r) => r.status === 200 && r.headers['idempotent-replayed'] === undefined);
    assert.equal(executed.length, 1, 'exactly one request executed');
    const originalRequestId = executed[0].headers['request-id'];
    for (const response of responses) {
      if (response.status === 200) {
        assert.equal(response.body.id, customer.id);
        if (response !== executed[0]) assert.equal(response.headers['original-request'], originalRequestId);
      } else {
        assert.equal(response.status, 409, JSON.stringify(response.body));
        assert.equal(response.body.error.type, 'invalid_request_error');
        assert.equal(response.body.error.code, 'idempotency_key_in_use');
      }
    }
    assert.equal((await eventsOfType(stripe, 'customer.created')).length, 1);

    // A 409 is not stored: retrying after the race replays the winner.
    const retry = await rawPost(kassa, '/v1/customers', { email: 'race@example.com' }, { key, secretKey });
    assert.equal(retry.status, 200);
    assert.equal(retry.body.id, customer.id);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
  });

  test('concurrent requests with a key past retention create one new customer', async () => {
    await freshAccount();
    const key = randomUUID();
    const form = { email: 'expired-race@example.com' };
    const first = await rawPost(kassa, '/v1/customers', form, { key, secretKey });
    assert.equal(first.status, 200);
    clock.advance(DAY + 1);
    // Every request finds the expired record; only one may replace it.
    const responses = await postTogether(
      Array.from({ length: 20 }, () => ({ url: `${kassa.url}/v1/customers`, secretKey, form, idempotencyKey: key })),
    );
    const executed = responses.filter((r) => r.status === 200 && r.headers['idempotent-replayed'] === undefined);
    assert.equal(executed.length, 1, 'exactly one request executed');
    assert.equal((await allCustomers(stripe)).length, 2);
    for (const response of responses) {
      if (response.status === 200) assert.equal(response.body.id, executed[0].body.id);
      else
        assert.deepEqual(
          [response.status, response.body.error.code],
          [409, 'idempotency_key_in_use'],
          JSON.stringify(response.body),
        );
    }
  });

  test('a key older than 24 hours no longer replays', async () => {
    await freshAccount();
    const key = randomUUID();
    const first = await stripe.customers.create({ email: 'old@example.com' }, { idempotencyKey: key });

    clock.advance(DAY - 60);
    const within = await stripe.customers.create({ email: 'old@example.com' }, { idempotencyKey: key });
    assert.equal(within.id, first.id);
    assert.equal(within.lastResponse.headers['idempotent-replayed'], 'true');

    clock.advance(61);
    const later = await stripe.customers.create({ email: 'old@example.com' }, { idempotencyKey: key });
    assert.notEqual(later.id, first.id);
    assert.equal(later.lastResponse.headers['idempotent-replayed'], undefined);
    assert.equal((await allCustomers(stripe)).length, 2);

    // The new use starts a new 24 hours: it replays, and other parameters are refused again.
    const replay = await stripe.customers.create({ email: 'old@example.com' }, { idempotencyKey: key });
    assert.equal(replay.id, later.id);
    await assert.rejects(
      stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: key }),
      isIdempotencyError,
    );

    // After expiry, other parameters are a new request, not an idempotency_error.
    clock.advance(DAY + 1);
    const different = await stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: key });
    assert.equal(different.email, 'other@example.com');
    assert.equal((await allCustomers(stripe)).length, 3);
  });

  test('while a request holds its key, another with the key gets 409 (PostgreSQL) or waits its turn (SQLite)', async () => {
    await freshAccount();
    const key = randomUUID();
    const scope = await scopeOf(key);
    let started!: () => void;
    let release!: () => void;
    const isHolding = new Promise<void>((resolve) => (started = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    // Stands for a request with this key that is still running: its transaction holds the key.
    const holding = kassa.store.transaction(async (tx) => {
      assert.equal(await tryLockIdempotencyKey(tx, scope), true);
      started();
      await released;
    });
    await isHolding;
    const second = rawPost(kassa, '/v1/customers', { email: 'second@example.com' }, { key, secretKey });
    if (target.name === 'postgres') {
      const response = await second;
      assert.equal(response.status, 409);
      assert.equal(response.body.error.code, 'idempotency_key_in_use');
      release();
      await holding;
      assert.equal((await allCustomers(stripe)).length, 0);
    } else {
      release();
      await holding;
      assert.equal((await second).status, 200);
      assert.equal((await allCustomers(stripe)).length, 1);
    }
  });

  test('a request that fails with a server fault records nothing: a retry with its key runs it', async () => {
    const own = await startKassa(await target.config(), { clock });
    try {
      let failures = 1;
      const store = own.store;
      const failing: Store = {
        ...store,
        transaction: (fn) =>
          store.transaction((tx) => {
            if (failures === 0) return fn(tx);
            failures--;
            const wrapped = Object.create(tx) as Queries;
            wrapped.run = async (sql, params) => {
              if (sql.startsWith('INSERT INTO events ')) throw new Error('insertEvent failed (injected by the test)');
              return tx.run(sql, params);
            };
            return fn(wrapped);
          }),
      };
      const app = createKassa({ store: failing, clock, logger: false });
      await app.listen({ host: '127.0.0.1', port: 0 });
      try {
        const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
        const key = randomUUID();
        const send = () =>
          postForm({
            url: `${url}/v1/customers`,
            secretKey: own.account.secret_key,
            form: { email: 'fault@example.com' },
            idempotencyKey: key,
          });
        const fault = await send();
        assert.equal(fault.status, 500);
        assert.equal((await allCustomers(own.stripe)).length, 0);
        const retry = await send();
        assert.equal(retry.status, 200);
        assert.equal(retry.headers['idempotent-replayed'], undefined);
        const replay = await send();
        assert.equal(replay.headers['idempotent-replayed'], 'true');
        assert.equal(replay.body.id, retry.body.id);
        assert.deepEqual(
          (await allCustomers(own.stripe)).map((c) => c.id),
          [retry.body.id],
        );
      } finally {
        await app.close();
      }
    } finally {
      await own.close();
    }
  });
});
