// Several real `kassa serve` processes on one database: idempotency keys,
// concurrent updates and new accounts hold across processes. PostgreSQL runs
// three processes on one schema; SQLite two on one file.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { newApiKey } from '../../src/accounts/keys.js';
import { describeEachStore } from '../support/each-store.js';
import { postForm, postTogether } from '../support/http.js';
import { kassaEnv, runKassaCli, spawnServe, type KassaProcess, sdkFor } from '../support/processes.js';

describeEachStore('several kassa serve processes on one database', (target) => {
  const processCount = target.name === 'postgres' ? 3 : 2;
  const secretKey = newApiKey('secret');
  const processes: KassaProcess[] = [];
  let env: NodeJS.ProcessEnv;
  let urls: string[];
  let clients: Stripe[];

  before(async () => {
    env = kassaEnv(await target.config(), {
      KASSA_SECRET_KEY: secretKey,
      KASSA_PUBLISHABLE_KEY: newApiKey('publishable'),
    });
    // Started together, as a process manager would: they race to migrate and to make the default account.
    for (let i = 0; i < processCount; i++) processes.push(spawnServe(env));
    urls = await Promise.all(processes.map((p) => p.ready));
    clients = urls.map((url) => sdkFor(url, secretKey));
  });
  after(() => Promise.all(processes.map((p) => p.stop())));

  test('one idempotency key sent to every process at once creates one customer', async () => {
    const key = randomUUID();
    const form = { email: 'everywhere@example.com' };
    const responses = await postTogether(
      Array.from({ length: processCount * 5 }, (_, i) => ({
        url: `${urls[i % processCount]}/v1/customers`,
        secretKey,
        form,
        idempotencyKey: key,
      })),
    );

    const customers = await clients[0].customers.list({ email: form.email, limit: 100 });
    assert.equal(customers.data.length, 1, 'exactly one customer');
    const id = customers.data[0].id;
    const executed = responses.filter((r) => r.status === 200 && r.headers['idempotent-replayed'] === undefined);
    assert.equal(executed.length, 1, 'exactly one request executed');
    for (const response of responses) {
      if (response.status === 200) assert.equal(response.body.id, id);
      else
        assert.deepEqual(
          [response.status, response.body.error?.code],
          [409, 'idempotency_key_in_use'],
          JSON.stringify(response.body),
        );
    }
    const created = (await clients[0].events.list({ type: 'customer.created', limit: 100 })).data.filter(
      (e) => (e.data.object as Stripe.Customer).id === id,
    );
    assert.equal(created.length, 1);

    // Afterwards every process replays the stored response.
    for (const url of urls) {
      const replay = await postForm({ url: `${url}/v1/customers`, secretKey, form, idempotencyKey: key });
      assert.equal(replay.status, 200);
      assert.equal(replay.body.id, id);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(replay.headers['original-request'], executed[0].headers['request-id']);
    }
  });

  test('concurrent metadata updates from every process lose nothing', async () => {
    const customer = await clients[0].customers.create({ email: 'contended@example.com' });
    const updates = processCount * 5;
    const responses = await postTogether(
      Array.from({ length: updates }, (_, i) => ({
        url: `${urls[i % processCount]}/v1/customers/${customer.id}`,
        secretKey,
        form: { [`metadata[k${i}]`]: `v${i}` },
      })),
    );
    for (const response of responses) assert.equal(response.status, 200, JSON.stringify(response.body));

    const expected = Object.fromEntries(Array.from({ length: updates }, (_, i) => [`k${i}`, `v${i}`]));
    for (const client of clients) {
      const final = (await client.customers.retrieve(customer.id)) as Stripe.Customer;
      assert.deepEqual(final.metadata, expected);
    }

    const eventsFor = async () =>
      (
        await clients[0].events.list({ type: 'customer.updated', limit: 100 }).autoPagingToArray({ limit: 1000 })
      ).filter((e) => (e.data.object as Stripe.Customer).id === customer.id);
    const events = (await eventsFor()).reverse(); // oldest first
    assert.equal(events.length, updates, 'one customer.updated per change');
    // Updates were applied one after the other: each event adds exactly one key to what the previous one saw.
    events.forEach((event, n) => {
      const metadata = (event.data.object as Stripe.Customer).metadata;
      assert.equal(Object.keys(metadata).length, n + 1);
      const previous = event.data.previous_attributes as { metadata?: Record<string, string | null> } | undefined;
      const added = Object.keys(previous?.metadata ?? {});
      assert.deepEqual(
        added.map((k) => previous!.metadata![k]),
        [null],
        'the key did not exist before',
      );
      assert.equal(metadata[added[0]], expected[added[0]]);
    });

    // Setting a value it already has is no change: no event, from any process.
    await Promise.all(clients.map((client) => client.customers.update(customer.id, { metadata: { k0: 'v0' } })));
    assert.equal((await eventsFor()).length, updates);
  });

  test('an account made by `kassa accounts create` is usable at once from every process', async () => {
    const account = JSON.parse(await runKassaCli(['accounts', 'create', '--json'], env)) as {
      id: string;
      secret_key: string;
    };
    assert.match(account.id, /^acct_/);
    const theirs = urls.map((url) => sdkFor(url, account.secret_key));
    const created = await Promise.all(
      theirs.map((client, i) => client.customers.create({ email: `p${i}@example.com` })),
    );
    const ids = created.map((c) => c.id).sort();
    for (const client of theirs) {
      assert.deepEqual((await client.customers.list({ limit: 100 })).data.map((c) => c.id).sort(), ids);
    }
    const defaultAccountIds = new Set((await clients[0].customers.list({ limit: 100 })).data.map((c) => c.id));
    for (const id of ids) assert.equal(defaultAccountIds.has(id), false);
  });
});
