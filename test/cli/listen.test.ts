// `kassa listen` as a user runs it (a real bin/kassa.js process) against a
// real Kassa: it prints the listen secret, forwards events signed with it
// (checked with the official SDK's constructEvent), filters by --events,
// prints one line per event and per response, and reconnects, missing
// nothing, when the server restarts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import type { FastifyInstance } from 'fastify';
import { createAccount, type CreatedAccount } from '../../src/accounts/accounts.js';
import { createKassa, startWorkers } from '../../src/kassa.js';
import { openStore, type Store } from '../../src/store/store.js';
import { describeEachStore } from '../support/each-store.js';
import { testClock } from '../support/kassa.js';
import { kassaListen, stripeListen, type Listener } from '../support/listeners.js';
import { until } from '../support/until.js';
import { startSink, type Sink } from '../support/webhook-sink.js';
import { MIGRATIONS } from '../../src/schema.js';

const verifier = new Stripe('sk_test_unused_for_verification');

function eventsAt(sink: Sink): Array<{ id: string; type: string; data: { object: { id: string } } }> {
  return sink.received.map((r) => JSON.parse(r.body));
}

describeEachStore('kassa listen', (target) => {
  const clock = testClock();
  let store: Store;
  let app: FastifyInstance;
  let port: number;
  let account: CreatedAccount;
  let stripe: Stripe;
  const listeners: Listener[] = [];
  const sinks: Sink[] = [];

  /** A Kassa server on `port` (0: any), as `kassa serve` runs one. */
  async function serve(onPort: number): Promise<void> {
    app = createKassa({ store, logger: false, clock });
    await app.listen({ host: '127.0.0.1', port: onPort });
    startWorkers(app, { pollMs: 100 });
    port = (app.server.address() as { port: number }).port;
  }

  before(async () => {
    store = await openStore(await target.config(), MIGRATIONS);
    await serve(0);
    account = await createAccount(store, { now: Math.floor(Date.now() / 1000) });
    stripe = new Stripe(account.secret_key, {
      host: '127.0.0.1',
      port,
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
  });
  after(async () => {
    for (const listener of listeners) await listener.stop();
    await app.close();
    await store.close();
    for (const sink of sinks) await sink.close();
  });

  const base = () => `http://127.0.0.1:${port}`;

  function listen(args: string[], key = account.secret_key): Listener {
    const listener = kassaListen(base(), key, args);
    listeners.push(listener);
    return listener;
  }

  async function newSink(): Promise<Sink> {
    const sink = await startSink();
    sinks.push(sink);
    return sink;
  }

  test("--print-secret prints the account's listen secret, the same one `stripe listen --print-secret` prints", async () => {
    const ours = listen(['--print-secret']);
    assert.equal(await ours.exited, 0, ours.output());
    const theirs = stripeListen(base(), account.secret_key, ['--print-secret']);
    listeners.push(theirs);
    assert.equal(await theirs.exited, 0, theirs.output());
    assert.match(ours.output().trim(), /^whsec_[0-9a-f]{64}$/);
    assert.equal(ours.output().trim(), theirs.output().trim());
  });

  test('forwards events signed with the listen secret, only those of --events, printing each with the response status', async () => {
    const sink = await newSink();
    sink.statuses.push(500); // the first forward fails; the line says so
    const listener = listen(['--forward-to', sink.url, '--events', 'customer.created,customer.updated']);
    const [, secret] = await listener.waitFor(/Your webhook signing secret is (whsec_[0-9a-f]+)/);

    await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const customer = await stripe.customers.create({ email: 'kassa-listen@example.com' });
    await stripe.customers.update(customer.id, { name: 'Forwarded' });

    await until('two forwarded events at the sink', async () => sink.received.length >= 2);
    const events = eventsAt(sink);
    assert.deepEqual(events.map((e) => e.type).sort(), ['customer.created', 'customer.updated']);
    for (const request of sink.received) {
      const event = verifier.webhooks.constructEvent(
        request.body,
        String(request.headers['stripe-signature']),
        secret!,
      );
      assert.equal((event.data.object as { id: string }).id, customer.id);
    }
    const created = events.find((e) => e.type === 'customer.created')!;
    const updated = events.find((e) => e.type === 'customer.updated')!;
    await listener.waitFor(new RegExp(`<--  \\[200\\] POST ${sink.url} \\[${updated.id}\\]`));
    await listener.waitFor(new RegExp(`<--  \\[500\\] POST ${sink.url} \\[${created.id}\\]`));
    assert.match(
      listener.output(),
      new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d   --> customer\\.created \\[${created.id}\\]$`, 'm'),
    );
    assert.doesNotMatch(listener.output(), /payment_intent/);
  });

  test('reconnects when the server restarts and forwards what was committed meanwhile', async () => {
    const sink = await newSink();
    const listener = listen(['--forward-to', sink.url]);
    await listener.waitFor(/Ready!/);
    const before = await stripe.customers.create({ email: 'before-restart@example.com' });
    await until("the first customer's event at the sink", async () =>
      eventsAt(sink).some((e) => e.data.object.id === before.id),
    );

    await app.close();
    await listener.waitFor(/Lost the connection/);
    // Committed while no server runs (as another process sharing the database would).
    const { eventRecorder, buildEvent } = await import('../../src/events/events.js');
    const recordEvent = eventRecorder([]);
    const meanwhile = { id: `cus_meanwhile${Date.now()}`, object: 'customer' };
    await store.transaction((tx) =>
      recordEvent(
        tx,
        account.id,
        buildEvent('customer.updated', meanwhile, {
          now: Math.floor(Date.now() / 1000),
          request: { id: null, idempotency_key: null },
        }),
      ),
    );
    await serve(port);
    const afterRestart = await stripe.customers.create({ email: 'after-restart@example.com' });

    await until('the events committed during and after the restart at the sink', async () =>
      [meanwhile.id, afterRestart.id].every((id) => eventsAt(sink).some((e) => e.data.object.id === id)),
    );
    assert.match(listener.output(), /Reconnected\./);
    // Nothing twice.
    const ids = eventsAt(sink).map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('starts a new session when its session has expired across a restart', async () => {
    const sink = await newSink();
    const listener = listen(['--forward-to', sink.url]);
    await listener.waitFor(/Ready!/);
    const now = clock.now();
    try {
      clock.advance(24 * 3600 + 60); // the session id no longer admits connections
      await app.close();
      await listener.waitFor(/Lost the connection/);
      await serve(port);
      await listener.waitFor(/Reconnected\./);
      const customer = await stripe.customers.create({ email: 'renewed@example.com' });
      await until("the new customer's event at the sink", async () =>
        eventsAt(sink).some((e) => e.data.object.id === customer.id),
      );
    } finally {
      clock.set(now);
    }
  });

  test("a bad key is refused with the API's message and exit code 1", async () => {
    const listener = listen(['--forward-to', 'http://127.0.0.1:9/none'], 'sk_test_not_a_real_key_456');
    assert.equal(await listener.exited, 1);
    assert.match(listener.output(), /kassa listen: Invalid API Key provided/);
  });

  test('an unknown --events type is refused, naming the parameter', async () => {
    const listener = listen(['--forward-to', 'http://127.0.0.1:9/none', '--events', 'customer.created,no.such_event']);
    assert.equal(await listener.exited, 1);
    assert.match(listener.output(), /kassa listen: .*events\[1\]/);
  });
});
