// The webhook dispatcher through real HTTP: deliveries go out in the
// background as soon as their event commits, a hanging endpoint does not hold
// up the others, claims are leases of the delivery timeout plus a margin,
// `pending_webhooks` stays right when a resend comes before the first attempt
// and when two successes of one delivery are recorded at once (PostgreSQL).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type Stripe from 'stripe';
import {
  originalDeliveryId,
  scheduleResends,
  WEBHOOK_DELIVERY_JOB,
  recordDelivery,
  type DeliveryPayload,
} from '../../src/webhooks/webhook-delivery.js';
import { createWebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';
import { openStore, type StoreConfig } from '../../src/store/store.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import { sinkPool } from '../support/webhook-sink.js';
import { until } from '../support/until.js';
import { webhookAttempts } from '../../src/webhooks/attempt-store.js';
import { claimDueJobs } from '../../src/jobs/job-store.js';
import { MIGRATIONS } from '../../src/schema.js';

describeEachStore('webhook dispatcher', (target) => {
  let kassa: TestKassa;
  let config: StoreConfig;
  const sinks = sinkPool();

  before(async () => {
    config = await target.config();
    // The background dispatcher runs, with its clock the system's.
    kassa = await startKassa(config);
  });
  after(async () => {
    await kassa.close();
    await sinks.closeAll();
  });

  test('an event is delivered in the background once it commits, with nothing driving the dispatcher', async () => {
    const { stripe } = await kassa.freshClient();
    const s = await sinks.open();
    const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
    const customer = await stripe.customers.create({ name: 'Background' });
    await until('the delivery', async () => s.received.length === 1);
    const event = stripe.webhooks.constructEvent(
      s.received[0]!.body,
      s.received[0]!.headers['stripe-signature'] as string,
      endpoint.secret!,
    );
    assert.equal((event.data.object as Stripe.Customer).id, customer.id);
    await until('pending_webhooks 0', async () => (await stripe.events.retrieve(event.id)).pending_webhooks === 0);
  });

  test('an endpoint that hangs does not hold up deliveries to another endpoint', async () => {
    const { stripe } = await kassa.freshClient();
    const [hanging, healthy] = [await sinks.open(), await sinks.open()];
    hanging.holding = true;
    await stripe.webhookEndpoints.create({ url: hanging.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.create({ url: healthy.url, enabled_events: ['*'] });
    const events = 40;
    for (let i = 0; i < events; i++) await stripe.customers.create({ name: `Customer ${i}` });
    await until('every delivery to the healthy endpoint', async () => healthy.received.length === events);
    // All the while, the hanging endpoint holds requests open: it never answered one.
    assert.ok(hanging.received.length > 0);
    assert.ok(hanging.received.every((r) => !r.answered));
    hanging.holding = false;
    hanging.answerHeld();
  });

  test('a delivery claimed by a process that died is taken over when the lease (timeout + margin) runs out', async () => {
    const clock = testClock();
    const { stripe, accountId } = await kassa.freshClient();
    const s = await sinks.open();
    await kassa.webhooks.stop();
    try {
      await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
      await stripe.customers.create({ name: 'Orphaned' });
      const [event] = (await stripe.events.list({ limit: 1 })).data;
      const timeoutMs = 2000;
      const lease = 7; // 2 s + 5 s
      // The delivery is due when its event was created, by the server's clock: a slow machine may have passed a second since this test's clock began.
      clock.set(Math.max(clock.now(), event!.created));
      const now = clock.now();
      // A dispatcher that claims the delivery and dies before posting it.
      const claimed = await kassa.store.transaction((tx) =>
        claimDueJobs(tx, now, now + lease, 100, { only: WEBHOOK_DELIVERY_JOB }),
      );
      assert.ok(
        claimed.some(
          (job) =>
            job.id === originalDeliveryId(event!.id, (JSON.parse(job.payload) as DeliveryPayload).endpoint) &&
            job.accountId === accountId,
        ),
      );
      const survivor = createWebhookDispatcher({
        store: kassa.store,
        clock,
        timeoutMs,
        jitter: () => 0,
        logger: false,
      });
      await survivor.runDue(now + lease - 1);
      assert.equal(s.received.length, 0);
      await survivor.runDue(now + lease);
      assert.equal(s.received.length, 1);
      assert.equal((await stripe.events.retrieve(event!.id)).pending_webhooks, 0);
    } finally {
      kassa.webhooks.start(100);
    }
  });

  test('a resend that comes before the first attempt: both are sent, and pending_webhooks counts the delivery done once', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const [s, other] = [await sinks.open(), await sinks.open()];
    await kassa.webhooks.stop();
    try {
      const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['*'] });
      other.statuses.push(500);
      await stripe.webhookEndpoints.create({ url: other.url, enabled_events: ['*'] });
      await stripe.customers.create({});
      const [event] = (await stripe.events.list({ limit: 1 })).data;
      assert.equal(event!.pending_webhooks, 2);
      await stripe.rawRequest('POST', `/v1/kassa/events/${event!.id}/resend`, { endpoint: endpoint.id });
      await kassa.webhooks.runDue();
      assert.equal(s.received.length, 2);
      // The endpoint's delivery is done; the other endpoint's, which failed, is still pending.
      assert.equal((await stripe.events.retrieve(event!.id)).pending_webhooks, 1);
      const attempts = await webhookAttempts(kassa.store.read, accountId, event!.id);
      assert.deepEqual(
        attempts.filter((a) => a.endpointId === endpoint.id).map((a) => a.status),
        [200, 200],
      );
    } finally {
      kassa.webhooks.start(100);
    }
  });

  test('two dispatchers on one database (two connection pools on PostgreSQL) deliver each event once', async () => {
    const { stripe } = await kassa.freshClient();
    const s = await sinks.open();
    await kassa.webhooks.stop();
    // PostgreSQL: a store of its own, as another process has; SQLite: the same store (see jobs.test.ts).
    const other = target.name === 'postgres' ? await openStore(config, MIGRATIONS) : kassa.store;
    try {
      await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
      const events = 60;
      for (let i = 0; i < events; i++) await stripe.customers.create({ name: `Shared ${i}` });
      const dispatchers = [kassa.store, other].map((store) =>
        createWebhookDispatcher({
          store,
          clock: { now: () => Math.floor(Date.now() / 1000) },
          jitter: () => 0,
          logger: false,
        }),
      );
      const counts = await Promise.all(dispatchers.map((d) => d.runDue()));
      const ids = s.received.map((r) => (JSON.parse(r.body) as Stripe.Event).id);
      assert.equal(ids.length, events);
      assert.equal(new Set(ids).size, events, 'no event was sent twice');
      assert.ok(counts[0]! + counts[1]! >= events);
    } finally {
      if (other !== kassa.store) await other.close();
      kassa.webhooks.start(100);
    }
  });

  if (target.name === 'postgres') {
    test('two processes recording successes of one delivery at once count it done once', async () => {
      const { stripe, accountId } = await kassa.freshClient();
      const [a, b] = [await sinks.open(), await sinks.open()];
      await kassa.webhooks.stop();
      const [one, two] = [await openStore(config, MIGRATIONS), await openStore(config, MIGRATIONS)];
      try {
        const endpoint = await stripe.webhookEndpoints.create({ url: a.url, enabled_events: ['*'] });
        await stripe.webhookEndpoints.create({ url: b.url, enabled_events: ['*'] });
        await stripe.customers.create({});
        const [event] = (await stripe.events.list({ limit: 1 })).data;
        assert.equal(event!.pending_webhooks, 2);
        const now = Math.floor(Date.now() / 1000);
        await kassa.store.transaction((tx) => scheduleResends(tx, accountId, event!.id, [endpoint.id], now));
        const jobs = (
          await kassa.store.transaction((tx) => claimDueJobs(tx, now, now + 60, 100, { only: WEBHOOK_DELIVERY_JOB }))
        )
          .map((job) => ({ job, payload: JSON.parse(job.payload) as DeliveryPayload }))
          .filter(({ payload }) => payload.event === event!.id && payload.endpoint === endpoint.id);
        assert.equal(jobs.length, 2, 'the original delivery and the resend');
        const success = {
          skipped: false as const,
          posts: [{ status: 200, latencyMs: 1, excerpt: 'ok', error: null, chaos: null }],
        };
        // The first records its success and holds its transaction open while the second records its own.
        let second: Promise<boolean> | undefined;
        await one.transaction(async (tx) => {
          assert.equal(await recordDelivery(tx, jobs[0]!.job, jobs[0]!.payload, success, now, () => 0), true);
          second = two.transaction((tx2) => recordDelivery(tx2, jobs[1]!.job, jobs[1]!.payload, success, now, () => 0));
          await sleep(300);
        });
        assert.equal(await second, true);
        assert.equal(
          (await stripe.events.retrieve(event!.id)).pending_webhooks,
          1,
          "only b's delivery is still pending",
        );
        assert.equal(
          (await webhookAttempts(kassa.store.read, accountId, event!.id)).filter((x) => x.endpointId === endpoint.id)
            .length,
          2,
        );
      } finally {
        await one.close();
        await two.close();
        // b's delivery is left to the background.
        kassa.webhooks.start(100);
      }
    });
  }
});
