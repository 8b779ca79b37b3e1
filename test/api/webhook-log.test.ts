// Kassa's webhook extensions through real HTTP: the delivery log
// (GET /v1/kassa/webhook_attempts), resending an event
// (POST /v1/kassa/events/{id}/resend), jitter on retries, and disabling an
// endpoint whose deliveries have failed for days.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { createWebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import { WEBHOOK_RETRY_WAITS } from '../support/webhook-schedule.js';
import { sinkPool } from '../support/webhook-sink.js';
import type { WebhookAttemptObject } from '../../src/webhooks/webhook-attempt-routes.js';
import { webhookAttempts } from '../../src/webhooks/attempt-store.js';
import { getObjectRow } from '../../src/store/objects.js';

interface AttemptList {
  object: string;
  data: WebhookAttemptObject[];
  has_more: boolean;
  url: string;
}

describeEachStore('webhook delivery log, resend, jitter and disabling', (target) => {
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

  async function freshAccount(): Promise<{ stripe: Stripe; key: string; accountId: string }> {
    const account = await kassa.newAccount();
    return { stripe: kassa.clientFor(account.secret_key), key: account.secret_key, accountId: account.id };
  }

  async function call(
    key: string,
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const query = new URLSearchParams(params).toString();
    const response = await fetch(`${kassa.url}${path}${method === 'GET' && query ? `?${query}` : ''}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: method === 'POST' ? query : undefined,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function attempts(key: string, params: Record<string, string> = {}): Promise<AttemptList> {
    const { status, body } = await call(key, 'GET', '/v1/kassa/webhook_attempts', params);
    assert.equal(status, 200, JSON.stringify(body));
    return body as unknown as AttemptList;
  }

  async function latestEvent(stripe: Stripe): Promise<Stripe.Event> {
    const [event] = (await stripe.events.list({ limit: 1 })).data;
    assert.ok(event);
    return event;
  }

  test('the delivery log lists attempts newest first, filters by event and endpoint, and pages with cursors', async () => {
    const { stripe, key } = await freshAccount();
    const [failing, healthy] = [await sinks.open(), await sinks.open()];
    failing.statuses.push(503);
    const a = await stripe.webhookEndpoints.create({ url: failing.url, enabled_events: ['customer.created'] });
    const b = await stripe.webhookEndpoints.create({ url: healthy.url, enabled_events: ['*'] });
    await stripe.customers.create({ name: 'Logged' });
    const created = await latestEvent(stripe);
    await kassa.webhooks.runDue();
    clock.advance(10);
    await kassa.webhooks.runDue();
    await stripe.customers.update((created.data.object as Stripe.Customer).id, { name: 'Again' });
    const updated = await latestEvent(stripe);
    await kassa.webhooks.runDue();

    const all = await attempts(key);
    assert.equal(all.object, 'list');
    assert.equal(all.url, '/v1/kassa/webhook_attempts');
    assert.equal(all.has_more, false);
    // Newest first: the update to b, the retry to a, then the first attempts (to a and b, in either order).
    assert.equal(all.data.length, 4);
    assert.deepEqual(
      all.data.slice(0, 2).map((x) => [x.event, x.endpoint, x.http_status]),
      [
        [updated.id, b.id, 200],
        [created.id, a.id, 200],
      ],
    );
    assert.deepEqual(
      all.data
        .slice(2)
        .map((x) => [x.event, x.endpoint, x.http_status])
        .sort(),
      [
        [created.id, a.id, 503],
        [created.id, b.id, 200],
      ].sort(),
    );
    const failed = all.data.find((x) => x.http_status === 503)!;
    assert.match(failed.id, /^wha_/);
    assert.deepEqual(
      [failed.object, failed.response_body, failed.error, failed.succeeded, failed.livemode],
      ['kassa.webhook_attempt', 'failing with 503', null, false, false],
    );
    assert.equal(typeof failed.latency_ms, 'number');
    assert.equal(all.data[1]!.created - failed.created, 10);

    assert.deepEqual(
      (await attempts(key, { endpoint: a.id })).data.map((x) => x.http_status),
      [200, 503],
    );
    assert.deepEqual(
      (await attempts(key, { event: updated.id })).data.map((x) => x.endpoint),
      [b.id],
    );
    // The official SDK reaches it too, as docs/webhooks.md shows.
    const viaSdk = (await stripe.rawRequest('GET', `/v1/kassa/webhook_attempts?event=${updated.id}`)) as AttemptList;
    assert.deepEqual(
      viaSdk.data.map((x) => [x.object, x.endpoint]),
      [['kassa.webhook_attempt', b.id]],
    );
    assert.deepEqual(
      (await attempts(key, { event: created.id, endpoint: b.id })).data.map((x) => x.http_status),
      [200],
    );

    const first = await attempts(key, { limit: '2' });
    assert.deepEqual([first.data.map((x) => x.id), first.has_more], [all.data.slice(0, 2).map((x) => x.id), true]);
    const second = await attempts(key, { limit: '2', starting_after: first.data[1]!.id });
    assert.deepEqual([second.data.map((x) => x.id), second.has_more], [all.data.slice(2).map((x) => x.id), false]);
    const back = await attempts(key, { limit: '2', ending_before: all.data[3]!.id });
    assert.deepEqual(
      back.data.map((x) => x.id),
      all.data.slice(1, 3).map((x) => x.id),
    );

    // Another account sees none of them.
    assert.deepEqual((await attempts((await freshAccount()).key)).data, []);
    const missing = await call(key, 'GET', '/v1/kassa/webhook_attempts', { starting_after: 'wha_missing' });
    assert.deepEqual([missing.status, (missing.body.error as { param: string }).param], [404, 'starting_after']);
    const bad = await call(key, 'GET', '/v1/kassa/webhook_attempts', { limit: '0' });
    assert.deepEqual([bad.status, (bad.body.error as { param: string }).param], [400, 'limit']);
    const unknown = await call(key, 'GET', '/v1/kassa/webhook_attempts', { colour: 'red' });
    assert.equal(unknown.status, 400);
  });

  test('an endpoint that answers with a NUL character has its attempt logged (the NUL shown as U+FFFD) and its delivery done', async () => {
    const { stripe, key } = await freshAccount();
    const sink = await sinks.open();
    sink.okBody = 'ok\u0000done';
    await stripe.webhookEndpoints.create({ url: sink.url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Nul' });
    await kassa.webhooks.runDue();
    const [attempt] = (await attempts(key)).data;
    assert.deepEqual([attempt?.http_status, attempt?.succeeded, attempt?.response_body], [200, true, 'ok\ufffddone']);
    assert.equal((await latestEvent(stripe)).pending_webhooks, 0);
  });

  test('resend posts the event again, signed, to one endpoint or to every matching enabled one', async () => {
    const { stripe, key } = await freshAccount();
    const [one, two, other, off] = [await sinks.open(), await sinks.open(), await sinks.open(), await sinks.open()];
    two.statuses.push(500);
    const e1 = await stripe.webhookEndpoints.create({ url: one.url, enabled_events: ['customer.created'] });
    await stripe.webhookEndpoints.create({ url: two.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.create({ url: other.url, enabled_events: ['customer.deleted'] });
    const disabled = await stripe.webhookEndpoints.create({ url: off.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.update(disabled.id, { disabled: true });
    await stripe.customers.create({});
    const event = await latestEvent(stripe);
    await kassa.webhooks.runDue();
    assert.deepEqual(
      [one.received.length, two.received.length, other.received.length, off.received.length],
      [1, 1, 0, 0],
    );

    const resent = await call(key, 'POST', `/v1/kassa/events/${event.id}/resend`, { endpoint: e1.id });
    assert.equal(resent.status, 200);
    assert.deepEqual([resent.body.id, resent.body.object], [event.id, 'event']);
    // Scheduled, not sent in the request.
    assert.equal(one.received.length, 1);
    await kassa.webhooks.runDue();
    assert.deepEqual([one.received.length, two.received.length], [2, 1]);
    const verified = stripe.webhooks.constructEvent(
      one.received[1]!.body,
      one.received[1]!.headers['stripe-signature'] as string,
      e1.secret!,
    );
    assert.equal(verified.id, event.id);
    // The endpoint had its delivery already: the one still pending (to `two`, which failed) is still counted.
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 1);

    assert.equal((await call(key, 'POST', `/v1/kassa/events/${event.id}/resend`)).status, 200);
    await kassa.webhooks.runDue();
    assert.deepEqual(
      [one.received.length, two.received.length, other.received.length, off.received.length],
      [3, 2, 0, 0],
    );
    assert.equal((await attempts(key, { event: event.id })).data.length, 5);
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 0, "the resend completed two's delivery");
    // two's own scheduled retry still runs, and does not count twice.
    clock.advance(10);
    await kassa.webhooks.runDue();
    assert.equal(two.received.length, 3);
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 0);

    const noEvent = await call(key, 'POST', '/v1/kassa/events/evt_missing/resend');
    assert.deepEqual([noEvent.status, (noEvent.body.error as { code: string }).code], [404, 'resource_missing']);
    const noEndpoint = await call(key, 'POST', `/v1/kassa/events/${event.id}/resend`, { endpoint: 'we_missing' });
    assert.deepEqual([noEndpoint.status, (noEndpoint.body.error as { param: string }).param], [404, 'endpoint']);
    const toDisabled = await call(key, 'POST', `/v1/kassa/events/${event.id}/resend`, { endpoint: disabled.id });
    assert.deepEqual([toDisabled.status, (toDisabled.body.error as { param: string }).param], [400, 'endpoint']);
  });

  test('a delivery given up after every retry stays pending until a resend succeeds; the endpoint, failing for under 3 days, stays enabled', async () => {
    const { stripe, accountId } = await freshAccount();
    const s = await sinks.open();
    s.statuses.push(...Array<number>(WEBHOOK_RETRY_WAITS.length + 1).fill(500));
    const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['*'] });
    await stripe.customers.create({});
    const event = await latestEvent(stripe);
    await kassa.webhooks.runDue();
    for (const delay of WEBHOOK_RETRY_WAITS) {
      clock.advance(delay);
      await kassa.webhooks.runDue();
    }
    assert.equal(s.received.length, WEBHOOK_RETRY_WAITS.length + 1);
    clock.advance(7 * 86400);
    await kassa.webhooks.runDue();
    assert.equal(s.received.length, WEBHOOK_RETRY_WAITS.length + 1, 'given up: no further attempt');
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 1);
    assert.equal((await stripe.webhookEndpoints.retrieve(endpoint.id)).status, 'enabled');
    const row = await getObjectRow(kassa.store.read, accountId, endpoint.id);
    assert.equal(JSON.parse(row!.private!).disabled_reason, undefined);

    const resent = (await stripe.rawRequest('POST', `/v1/kassa/events/${event.id}/resend`, {
      endpoint: endpoint.id,
    })) as Stripe.Event;
    assert.equal(resent.id, event.id);
    await kassa.webhooks.runDue();
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 0);
  });

  test('an endpoint with no successful delivery for 3 days is disabled when a delivery is given up, with the reason recorded', async () => {
    const { stripe, accountId } = await freshAccount();
    const [s, healthy] = [await sinks.open(), await sinks.open()];
    s.statuses.push(200, ...Array<number>(WEBHOOK_RETRY_WAITS.length + 1).fill(500));
    const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.create({ url: healthy.url, enabled_events: ['*'] });
    await stripe.customers.create({ name: 'Delivered' });
    await kassa.webhooks.runDue();
    const lastSuccess = clock.now();
    clock.advance(86400);
    await stripe.customers.create({ name: 'Never delivered' });
    await kassa.webhooks.runDue();
    for (const delay of WEBHOOK_RETRY_WAITS) {
      assert.equal(
        (await stripe.webhookEndpoints.retrieve(endpoint.id)).status,
        'enabled',
        'enabled while retries remain',
      );
      clock.advance(delay);
      await kassa.webhooks.runDue();
    }
    const disabled = await stripe.webhookEndpoints.retrieve(endpoint.id);
    assert.equal(disabled.status, 'disabled');
    const { disabled_reason: reason, secret } = JSON.parse(
      (await getObjectRow(kassa.store.read, accountId, endpoint.id))!.private!,
    );
    assert.match(secret, /^whsec_/, 'the secret is kept');
    assert.deepEqual(
      [reason.code, reason.disabled_at, reason.last_success_at],
      ['failing_deliveries', clock.now(), lastSuccess],
    );
    assert.match(reason.message, /^Disabled after 3 days without a successful delivery/);

    // Disabled: later events are not scheduled to it; the healthy endpoint is untouched.
    const received = s.received.length;
    await stripe.customers.create({});
    assert.equal((await latestEvent(stripe)).pending_webhooks, 1);
    await kassa.webhooks.runDue();
    assert.equal(s.received.length, received);
    assert.equal((await stripe.webhookEndpoints.list()).data.find((e) => e.url === healthy.url)?.status, 'enabled');
  });

  test('retries come up to 10% early with jitter, so the first one is within 10 seconds', async () => {
    const { stripe, accountId } = await freshAccount();
    const s = await sinks.open();
    s.statuses.push(500, 500);
    await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['*'] });
    await stripe.customers.create({});
    const event = await latestEvent(stripe);
    const worker = createWebhookDispatcher({ store: kassa.store, clock, jitter: () => 0.99, logger: false });
    await worker.runDue();
    clock.advance(8);
    await worker.runDue();
    assert.equal(s.received.length, 1);
    clock.advance(1);
    await worker.runDue();
    assert.equal(s.received.length, 2, 'the first retry comes after 9 seconds, not 10');
    // The second retry: 60 s less 10% (rounded) = 54 s.
    clock.advance(53);
    await worker.runDue();
    assert.equal(s.received.length, 2);
    clock.advance(1);
    await worker.runDue();
    assert.equal(s.received.length, 3);
    const times = (await webhookAttempts(kassa.store.read, accountId, event.id)).map((a) => a.attemptedAt);
    assert.deepEqual([times[1]! - times[0]!, times[2]! - times[1]!], [9, 54]);
  });
});
