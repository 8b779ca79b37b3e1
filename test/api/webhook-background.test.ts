// The webhook dispatcher's background loop, as `kassa serve` runs it
// (startKassa starts it the same way), rather than its step-by-step test
// loop: a delivery goes out when its event commits, not at the next poll;
// retries follow the schedule; chaos mode, resends and the per-endpoint cap
// (32 posts in flight to one endpoint, the rest waiting or, once the endpoint
// has stalled, given back) all work through it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type Stripe from 'stripe';
import { chaosShuffle } from '../../src/webhooks/webhook-chaos.js';
import { originalDeliveryId } from '../../src/webhooks/webhook-delivery.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import { until } from '../support/until.js';
import { WEBHOOK_RETRY_WAITS } from '../support/webhook-schedule.js';
import { sinkPool, type Received, type Sink } from '../support/webhook-sink.js';
import { webhookAttempts } from '../../src/webhooks/attempt-store.js';
import { getJob } from '../../src/jobs/job-store.js';

const eventIdOf = (request: Received) => (JSON.parse(request.body) as Stripe.Event).id;
const chaosPath = (endpoint: string) => `/v1/kassa/webhook_endpoints/${endpoint}/chaos`;

/** A customer.created delivery that fails once (500), then a resend of its event: the sink has both. */
async function failedThenResent(stripe: Stripe, sink: Sink): Promise<{ sink: Sink; event: Stripe.Event }> {
  sink.statuses.push(500);
  const endpoint = await stripe.webhookEndpoints.create({ url: sink.url, enabled_events: ['customer.created'] });
  await stripe.customers.create({ name: 'Resent' });
  const event = await latestEvent(stripe);
  await until('the failed first attempt', async () => sink.received.length === 1);
  await stripe.rawRequest('POST', `/v1/kassa/events/${event.id}/resend`, { endpoint: endpoint.id });
  await until('the resend', async () => sink.received.length === 2);
  return { sink, event };
}

async function latestEvent(stripe: Stripe): Promise<Stripe.Event> {
  return (await stripe.events.list({ limit: 1 })).data[0]!;
}

describeEachStore('the background webhook dispatcher wakes when deliveries commit', (target) => {
  let kassa: TestKassa;
  const sinks = sinkPool();

  before(async () => {
    // It polls once a minute: within a test, only a commit's wake-up can send anything.
    kassa = await startKassa(await target.config(), { jobPollMs: 60_000 });
  });
  after(async () => {
    await kassa.close();
    await sinks.closeAll();
  });

  test('a delivery goes out when its event commits, not at the next poll', async () => {
    const { stripe } = await kassa.freshClient();
    const s = await sinks.open();
    await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Woken' });
    const event = await latestEvent(stripe);
    await until('the delivery', async () => s.received.length === 1);
    assert.equal(eventIdOf(s.received[0]!), event.id);
    await until('pending_webhooks 0', async () => (await stripe.events.retrieve(event.id)).pending_webhooks === 0);
  });

  test('a resend goes out when it commits', async () => {
    const { stripe } = await kassa.freshClient();
    const { sink: s, event } = await failedThenResent(stripe, await sinks.open());
    assert.equal(eventIdOf(s.received[1]!), event.id);
    await until('pending_webhooks 0', async () => (await stripe.events.retrieve(event.id)).pending_webhooks === 0);
  });
});

describeEachStore('the background webhook dispatcher with a test clock', (target) => {
  const POLL_MS = 20;
  const clock = testClock();
  let kassa: TestKassa;
  const sinks = sinkPool();

  before(async () => {
    kassa = await startKassa(await target.config(), { clock, jobPollMs: POLL_MS });
  });
  after(async () => {
    await kassa.close();
    await sinks.closeAll();
  });

  /**
   * Lets the loop take everything due by the clock now and waits until it has
   * been posted and recorded: start() looks at once, stop() waits for what is
   * in flight. Then the loop runs on as before.
   */
  async function everythingDueDone(): Promise<void> {
    await kassa.webhooks.stop();
    kassa.webhooks.start(POLL_MS);
    await kassa.webhooks.stop();
    kassa.webhooks.start(POLL_MS);
  }

  test('a failing delivery is retried 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h and 24 h after each failure, then given up', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const s = await sinks.open();
    s.statuses.push(...Array<number>(10).fill(500));
    await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Failing' });
    const event = await latestEvent(stripe);
    await until('the first attempt', async () => s.received.length === 1);
    for (const [i, wait] of WEBHOOK_RETRY_WAITS.entries()) {
      clock.advance(wait - 1);
      await everythingDueDone();
      assert.equal(s.received.length, i + 1, `no retry ${wait - 1} s after failure ${i + 1}`);
      clock.advance(1);
      await until(`the retry ${wait} s after failure ${i + 1}`, async () => s.received.length === i + 2);
    }
    await everythingDueDone();
    clock.advance(7 * 86400);
    await everythingDueDone();
    assert.equal(s.received.length, 10, 'given up after the tenth attempt');
    const attempts = await webhookAttempts(kassa.store.read, accountId, event.id);
    assert.deepEqual(
      attempts.map((a) => a.status),
      Array<number>(10).fill(500),
    );
    assert.deepEqual(
      attempts.slice(1).map((a, i) => a.attemptedAt - attempts[i]!.attemptedAt),
      WEBHOOK_RETRY_WAITS,
    );
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 1);
  });

  test('chaos: every delivery posted twice, each post after its drawn delay; pending_webhooks counts each once', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const s = await sinks.open();
    const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
    await stripe.rawRequest('POST', chaosPath(endpoint.id), { duplicate_rate: 1, max_delay_ms: 200, seed: 5 });
    for (let i = 0; i < 4; i++) await stripe.customers.create({ name: `Chaos ${i}` });
    const events = (await stripe.events.list({ type: 'customer.created' })).data;
    await until('two posts of each event', async () => s.received.length === 8);
    await everythingDueDone();
    const delays: number[] = [];
    for (const event of events) {
      assert.equal(s.received.filter((r) => eventIdOf(r) === event.id).length, 2);
      assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 0);
      const attempts = await webhookAttempts(kassa.store.read, accountId, event.id);
      assert.deepEqual(
        attempts.map((a) => [a.status, a.chaos?.duplicate]),
        [
          [200, false],
          [200, true],
        ],
      );
      delays.push(...attempts.map((a) => a.chaos!.delay_ms));
    }
    assert.ok(delays.every((d) => d >= 0 && d <= 200));
    assert.ok(new Set(delays).size > 1, 'the delays differ');
  });

  test('chaos: retries that come due together go out one by one in the order the seed shuffles them', async () => {
    const { stripe } = await kassa.freshClient();
    const s = await sinks.open();
    const count = 8;
    s.statuses.push(...Array<number>(count).fill(500));
    const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
    for (let i = 0; i < count; i++) await stripe.customers.create({ name: `Shuffled ${i}` });
    const events = (await stripe.events.list({ type: 'customer.created', limit: count })).data
      .reverse()
      .map((e) => e.id);
    await until('every first attempt', async () => s.received.length === count);
    await everythingDueDone();
    // The retries all fail at the same clock time, so they come due together, 10 s later: one claim, one shuffle.
    await stripe.rawRequest('POST', chaosPath(endpoint.id), { reorder: true, seed: 3 });
    clock.advance(10);
    await until('every retry', async () => s.received.length === 2 * count);
    const expected = chaosShuffle({ duplicate_rate: 0, max_delay_ms: 0, reorder: true, seed: 3 }, events, 0);
    assert.notDeepEqual(expected, events, 'seed 3 does shuffle 8 deliveries');
    // This server's dispatcher shuffles nothing else, so this is its first shuffle.
    assert.deepEqual(s.received.slice(count).map(eventIdOf), expected);
  });

  test('a resend and the original delivery count the delivery done once; the original still retries after its failure', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const { sink: s, event } = await failedThenResent(stripe, await sinks.open());
    await everythingDueDone();
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 0);
    clock.advance(10);
    await until('the retry of the original delivery', async () => s.received.length === 3);
    await everythingDueDone();
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 0, 'counted done once');
    assert.deepEqual(
      (await webhookAttempts(kassa.store.read, accountId, event.id)).map((a) => a.status),
      [500, 200, 200],
    );
  });

  test('at most 32 posts in flight to one endpoint; once it has stalled, further deliveries are given back; all arrive once it answers', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const [hanging, other] = [await sinks.open(), await sinks.open()];
    hanging.holding = true;
    const endpoint = await stripe.webhookEndpoints.create({ url: hanging.url, enabled_events: ['customer.created'] });
    await stripe.webhookEndpoints.create({ url: other.url, enabled_events: ['customer.updated'] });
    // At once, so that the held posts are answered well within the delivery timeout (10 s).
    const created = 40;
    await Promise.all(Array.from({ length: created }, (_, i) => stripe.customers.create({ name: `Capped ${i}` })));
    await until('32 posts held by the endpoint', async () => hanging.received.length >= 32);
    // Every delivery to the hanging endpoint was committed, so claimed, before this one to the other endpoint, which is not held up.
    const marker = await stripe.customers.create({ name: 'Marker' });
    await stripe.customers.update(marker.id, { name: 'Marked' });
    await until('the delivery to the other endpoint', async () => other.received.length === 1);
    assert.equal(hanging.received.length, 32, 'no more than 32 posts in flight to one endpoint');
    assert.ok(hanging.received.every((r) => !r.answered));

    // No outcome for over a second with every slot taken: the endpoint has stalled, and a further delivery is given back for a second.
    await sleep(1100);
    await stripe.customers.create({ name: 'Given back' });
    const givenBack = await latestEvent(stripe);
    const job = await until('the delivery given back', async () => {
      const found = await getJob(kassa.store.read, originalDeliveryId(givenBack.id, endpoint.id));
      return found && found.attempts === 1 && found.claimedUntil === null ? found : undefined;
    });
    assert.deepEqual([job.status, job.runAt], ['pending', clock.now() + 1]);
    assert.equal(hanging.received.length, 32);

    hanging.holding = false;
    hanging.answerHeld();
    clock.advance(1);
    const events = (await stripe.events.list({ type: 'customer.created', limit: 100 })).data;
    assert.equal(events.length, created + 2);
    // A delivery given back again while the held posts' answers were still being recorded waits a second more,
    // as it would in real time: the clock moves on a second at each look until every event has arrived.
    await until('every delivery', async () => {
      if (hanging.received.length === events.length) return true;
      clock.advance(1);
      return false;
    });
    await everythingDueDone();
    assert.deepEqual(hanging.received.map(eventIdOf).sort(), events.map((e) => e.id).sort(), 'each event once');
    for (const event of events) assert.equal((await webhookAttempts(kassa.store.read, accountId, event.id)).length, 1);
  });
});
