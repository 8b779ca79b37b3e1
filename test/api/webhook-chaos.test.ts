// Chaos mode (a Kassa extension) through real HTTP: the settings API at
// /v1/kassa/webhook_endpoints/{id}/chaos, and a real sink that, with a fixed
// seed, receives duplicates (same event id, each signed), delayed posts and
// events out of the order they happened in; with chaos off, none of these.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { chaosShuffle, type ChaosObject, type ChaosSettings } from '../../src/webhooks/webhook-chaos.js';
import { createWebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import { rejectsWith } from '../support/rejects.js';
import { sinkPool } from '../support/webhook-sink.js';
import { webhookAttempts } from '../../src/webhooks/attempt-store.js';

describeEachStore('webhook chaos mode', (target) => {
  const clock = testClock();
  let kassa: TestKassa;
  const sinks = sinkPool();

  before(async () => {
    kassa = await startKassa(await target.config(), { clock });
    await kassa.webhooks.stop();
  });
  after(async () => {
    await kassa.close();
    await sinks.closeAll();
  });

  const chaosPath = (endpoint: string) => `/v1/kassa/webhook_endpoints/${endpoint}/chaos`;

  /** Creates customers one by one and returns their events, oldest first. */
  async function customerEvents(stripe: Stripe, count: number): Promise<Stripe.Event[]> {
    for (let i = 0; i < count; i++) await stripe.customers.create({ name: `Chaos ${i}` });
    return (await stripe.events.list({ type: 'customer.created', limit: count })).data.reverse();
  }

  test('settings: off by default, set, changed in part, read back, turned off; bad input gets errors naming the parameter', async () => {
    const { stripe } = await kassa.freshClient();
    const endpoint = await stripe.webhookEndpoints.create({ url: 'https://example.com/hooks', enabled_events: ['*'] });
    const off = (await stripe.rawRequest('GET', chaosPath(endpoint.id))) as unknown as ChaosObject;
    assert.deepEqual(
      { ...off, lastResponse: undefined },
      {
        object: 'kassa.webhook_chaos',
        endpoint: endpoint.id,
        enabled: false,
        duplicate_rate: 0,
        max_delay_ms: 0,
        reorder: false,
        seed: null,
        lastResponse: undefined,
      },
    );
    const on = (await stripe.rawRequest('POST', chaosPath(endpoint.id), {
      duplicate_rate: 0.25,
      max_delay_ms: 1500,
      reorder: true,
      seed: 42,
    })) as unknown as ChaosObject;
    assert.deepEqual(
      [on.enabled, on.duplicate_rate, on.max_delay_ms, on.reorder, on.seed],
      [true, 0.25, 1500, true, 42],
    );
    const changed = (await stripe.rawRequest('POST', chaosPath(endpoint.id), {
      max_delay_ms: 0,
    })) as unknown as ChaosObject;
    assert.deepEqual(
      [changed.enabled, changed.duplicate_rate, changed.max_delay_ms, changed.reorder, changed.seed],
      [true, 0.25, 0, true, 42],
    );
    const read = (await stripe.rawRequest('GET', chaosPath(endpoint.id))) as unknown as ChaosObject;
    assert.deepEqual(
      [read.enabled, read.duplicate_rate, read.max_delay_ms, read.reorder, read.seed],
      [true, 0.25, 0, true, 42],
    );
    // The endpoint object itself is Stripe's, unchanged.
    assert.equal('chaos' in (await stripe.webhookEndpoints.retrieve(endpoint.id)), false);

    for (const [params, param] of [
      [{ duplicate_rate: 1.5 }, 'duplicate_rate'],
      [{ duplicate_rate: 'often' }, 'duplicate_rate'],
      [{ max_delay_ms: 60_001 }, 'max_delay_ms'],
      [{ max_delay_ms: -1 }, 'max_delay_ms'],
      [{ reorder: 'maybe' }, 'reorder'],
      [{ seed: -3 }, 'seed'],
      [{ colour: 'red' }, 'colour'],
    ] as const) {
      await assert.rejects(
        stripe.rawRequest('POST', chaosPath(endpoint.id), params as Record<string, unknown>),
        rejectsWith({ status: 400, param }),
        JSON.stringify(params),
      );
    }
    // Nothing half-written: the settings are as they were.
    assert.equal(
      ((await stripe.rawRequest('GET', chaosPath(endpoint.id))) as unknown as ChaosObject).duplicate_rate,
      0.25,
    );

    const deleted = (await stripe.rawRequest('DELETE', chaosPath(endpoint.id))) as unknown as ChaosObject;
    assert.deepEqual([deleted.enabled, deleted.duplicate_rate, deleted.reorder, deleted.seed], [false, 0, false, null]);
    await stripe.rawRequest('POST', chaosPath(endpoint.id), { duplicate_rate: 1 });
    assert.equal(
      ((await stripe.rawRequest('POST', chaosPath(endpoint.id), { enabled: false })) as unknown as ChaosObject).enabled,
      false,
    );

    await assert.rejects(
      stripe.rawRequest('GET', chaosPath('we_missing')),
      rejectsWith({ status: 404, code: 'resource_missing' }),
    );
    const other = await kassa.freshClient();
    await assert.rejects(
      other.stripe.rawRequest('POST', chaosPath(endpoint.id), { duplicate_rate: 1 }),
      rejectsWith({ status: 404, code: 'resource_missing' }),
    );
  });

  test('duplicates: every delivery posted twice, same event, each signed; pending_webhooks and the delivery log stay right', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const s = await sinks.open();
    const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
    await stripe.rawRequest('POST', chaosPath(endpoint.id), { duplicate_rate: 1, seed: 7 });
    const events = await customerEvents(stripe, 5);
    await kassa.webhooks.runDue();
    assert.equal(s.received.length, 10);
    const ids = s.received.map(
      (r) => stripe.webhooks.constructEvent(r.body, r.headers['stripe-signature'] as string, endpoint.secret!).id,
    );
    for (const event of events) {
      assert.equal(ids.filter((id) => id === event.id).length, 2, `${event.id} arrives twice`);
      assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 0);
      const attempts = await webhookAttempts(kassa.store.read, accountId, event.id);
      assert.deepEqual(
        attempts.map((a) => [a.status, a.chaos?.duplicate]),
        [
          [200, false],
          [200, true],
        ],
      );
    }
    // The delivery log shows it.
    const log = (await stripe.rawRequest('GET', `/v1/kassa/webhook_attempts?event=${events[0]!.id}`)) as unknown as {
      data: Array<{ chaos: { duplicate: boolean } | null }>;
    };
    assert.deepEqual(log.data.map((a) => a.chaos?.duplicate).sort(), [false, true]);
  });

  test('delays: each post waits its drawn delay, recorded in the delivery log', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const s = await sinks.open();
    const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
    await stripe.rawRequest('POST', chaosPath(endpoint.id), { max_delay_ms: 400, seed: 11 });
    const events = await customerEvents(stripe, 6);
    const started = Date.now();
    await kassa.webhooks.runDue();
    assert.equal(s.received.length, 6);
    const delays: number[] = [];
    for (const event of events) {
      const [attempt] = await webhookAttempts(kassa.store.read, accountId, event.id);
      const delay = attempt!.chaos!.delay_ms;
      assert.ok(delay >= 0 && delay <= 400);
      const arrived = s.received.find((r) => (JSON.parse(r.body) as Stripe.Event).id === event.id)!;
      assert.ok(
        arrived.at - started >= delay,
        `${event.id} arrived ${arrived.at - started} ms after the run began, before its ${delay} ms delay`,
      );
      delays.push(delay);
    }
    assert.ok(
      delays.some((d) => d > 0),
      'some post was delayed',
    );
    assert.ok(new Set(delays).size > 1, 'the delays differ');
  });

  test('reorder: deliveries due together arrive in a shuffled order, the same for the same seed', async () => {
    const { stripe } = await kassa.freshClient();
    const s = await sinks.open();
    const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
    const settings: ChaosSettings = { duplicate_rate: 0, max_delay_ms: 0, reorder: true, seed: 3 };
    await stripe.rawRequest('POST', chaosPath(endpoint.id), { reorder: true, seed: 3 });
    const events = (await customerEvents(stripe, 8)).map((e) => e.id);
    const expected = chaosShuffle(settings, events, 0);
    assert.notDeepEqual(expected, events, 'seed 3 does shuffle 8 deliveries');
    // A fresh dispatcher, so that this is its first shuffle.
    const dispatcher = createWebhookDispatcher({ store: kassa.store, clock, jitter: () => 0, logger: false });
    await dispatcher.runDue();
    assert.deepEqual(
      s.received.map((r) => (JSON.parse(r.body) as Stripe.Event).id),
      expected,
    );
  });

  test('chaos off: each event once, at once, in a post of its own', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const s = await sinks.open();
    const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
    await stripe.rawRequest('POST', chaosPath(endpoint.id), { duplicate_rate: 1, max_delay_ms: 1000, reorder: true });
    await stripe.rawRequest('DELETE', chaosPath(endpoint.id));
    const events = await customerEvents(stripe, 6);
    await kassa.webhooks.runDue();
    const ids = s.received.map((r) => (JSON.parse(r.body) as Stripe.Event).id);
    assert.deepEqual([...ids].sort(), events.map((e) => e.id).sort(), 'each event exactly once');
    for (const event of events) {
      const attempts = await webhookAttempts(kassa.store.read, accountId, event.id);
      assert.deepEqual(
        attempts.map((a) => [a.status, a.chaos]),
        [[200, null]],
      );
    }
  });
});
