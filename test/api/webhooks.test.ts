// Webhook endpoints and delivery through real HTTP: the endpoints API as
// Stripe's (the secret shown only on create), events posted to local sinks
// signed so that the official SDK's constructEvent accepts them,
// `pending_webhooks`, enabled_events filtering, disabled and deleted
// endpoints, retries after a failure, and the recorded attempts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { createWebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import { sinkPool } from '../support/webhook-sink.js';
import { webhookAttempts } from '../../src/webhooks/attempt-store.js';
import { getObjectRow } from '../../src/store/objects.js';

function invalidParam(param: string, message?: RegExp) {
  return (e: Stripe.errors.StripeError) => {
    assert.ok(
      e instanceof Stripe.errors.StripeInvalidRequestError,
      `expected StripeInvalidRequestError, got ${e.constructor.name}`,
    );
    assert.equal(e.statusCode, 400);
    assert.equal(e.param, param);
    if (message) assert.match(e.message, message);
    return true;
  };
}

describeEachStore('webhooks', (target) => {
  const clock = testClock();
  let kassa: TestKassa;
  const sinks = sinkPool();

  before(async () => {
    kassa = await startKassa(await target.config(), { clock });
    // Deliveries run only when a test says so.
    await kassa.webhooks.stop();
  });
  after(async () => {
    await kassa.close();
    await sinks.closeAll();
  });

  test('create shows the secret once; retrieve, list, update and delete as Stripe does', async () => {
    const { stripe } = await kassa.freshClient();
    const created = await stripe.webhookEndpoints.create({
      url: 'https://example.com/hooks',
      enabled_events: ['customer.created', 'payment_intent.succeeded'],
      description: 'orders',
      metadata: { team: 'shop' },
    });
    assert.match(created.id, /^we_/);
    assert.equal(created.object, 'webhook_endpoint');
    assert.match(created.secret ?? '', /^whsec_[0-9A-Za-z]{32}$/);
    assert.deepEqual(
      [
        created.application,
        created.api_version,
        created.status,
        created.livemode,
        created.url,
        created.description,
        created.metadata,
        created.enabled_events,
      ],
      [
        null,
        null,
        'enabled',
        false,
        'https://example.com/hooks',
        'orders',
        { team: 'shop' },
        ['customer.created', 'payment_intent.succeeded'],
      ],
    );

    const retrieved = await stripe.webhookEndpoints.retrieve(created.id);
    assert.equal(retrieved.secret, undefined);
    assert.equal(retrieved.url, created.url);
    const listed = await stripe.webhookEndpoints.list();
    assert.deepEqual(
      listed.data.map((e) => e.id),
      [created.id],
    );
    assert.equal(listed.data[0]!.secret, undefined);

    const disabled = await stripe.webhookEndpoints.update(created.id, {
      disabled: true,
      enabled_events: ['*'],
      description: '',
    });
    assert.deepEqual(
      [disabled.status, disabled.enabled_events, disabled.description, disabled.secret],
      ['disabled', ['*'], null, undefined],
    );
    assert.equal((await stripe.webhookEndpoints.update(created.id, { disabled: false })).status, 'enabled');

    const deleted = await stripe.webhookEndpoints.del(created.id);
    assert.deepEqual(
      { id: deleted.id, object: deleted.object, deleted: deleted.deleted },
      { id: created.id, object: 'webhook_endpoint', deleted: true },
    );
    await assert.rejects(
      stripe.webhookEndpoints.retrieve(created.id),
      (e: Stripe.errors.StripeError) => e.statusCode === 404 && e.code === 'resource_missing',
    );
    assert.deepEqual((await stripe.webhookEndpoints.list()).data, []);
    // Stripe records no events about webhook endpoints.
    assert.deepEqual((await stripe.events.list({ type: 'webhook_endpoint.*' })).data, []);
  });

  test('bad input gets Stripe errors', async () => {
    const { stripe } = await kassa.freshClient();
    await assert.rejects(
      stripe.webhookEndpoints.create({ enabled_events: ['*'] } as Stripe.WebhookEndpointCreateParams),
      invalidParam('url', /Missing required param: url/),
    );
    await assert.rejects(
      stripe.webhookEndpoints.create({ url: 'https://example.com' } as Stripe.WebhookEndpointCreateParams),
      invalidParam('enabled_events'),
    );
    for (const url of ['not a url', 'ftp://example.com/hooks', 'example.com/hooks']) {
      await assert.rejects(
        stripe.webhookEndpoints.create({ url, enabled_events: ['*'] }),
        invalidParam('url', /Invalid URL/),
      );
    }
    await assert.rejects(
      stripe.webhookEndpoints.create({
        url: 'https://example.com',
        enabled_events: ['customer.created', 'customer.exploded' as Stripe.WebhookEndpointCreateParams.EnabledEvent],
      }),
      invalidParam('enabled_events[1]', /^Invalid enabled_events\[1\]: must be one of \*, charge\.captured/),
    );
    await assert.rejects(
      stripe.webhookEndpoints.create({
        url: 'https://example.com',
        enabled_events: ['*'],
        api_version: 'yesterday' as Stripe.WebhookEndpointCreateParams['api_version'],
      }),
      invalidParam('api_version'),
    );
    const pinned = await stripe.webhookEndpoints.create({
      url: 'https://example.com',
      enabled_events: ['*'],
      api_version: '2020-08-27' as Stripe.WebhookEndpointCreateParams['api_version'],
    });
    assert.equal(pinned.api_version, '2020-08-27');
    const endpoint = await stripe.webhookEndpoints.create({ url: 'https://example.com', enabled_events: ['*'] });
    await assert.rejects(stripe.webhookEndpoints.update(endpoint.id, { url: 'mailto:a@b.c' }), invalidParam('url'));
    await assert.rejects(
      stripe.webhookEndpoints.update(endpoint.id, {
        enabled_events: ['nope' as Stripe.WebhookEndpointUpdateParams.EnabledEvent],
      }),
      invalidParam('enabled_events[0]'),
    );
    await assert.rejects(
      stripe.webhookEndpoints.retrieve('we_missing'),
      (e: Stripe.errors.StripeError) => e.statusCode === 404 && e.param === 'webhook_endpoint',
    );
  });

  test('an event is posted signed, so that constructEvent accepts it, and pending_webhooks goes from 1 to 0', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const s = await sinks.open();
    const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
    const customer = await stripe.customers.create({ email: 'hook@example.com' });
    const [event] = (await stripe.events.list({ type: 'customer.created' })).data;
    assert.ok(event);
    assert.equal(event.pending_webhooks, 1);

    await kassa.webhooks.runDue();
    assert.equal(s.received.length, 1);
    const { headers, body } = s.received[0]!;
    assert.equal(headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(headers['user-agent'], 'Stripe/1.0 (+https://stripe.com/docs/webhooks)');
    const verified = stripe.webhooks.constructEvent(body, headers['stripe-signature'] as string, endpoint.secret!);
    assert.equal(verified.id, event.id);
    assert.equal(verified.type, 'customer.created');
    assert.equal((verified.data.object as Stripe.Customer).id, customer.id);
    assert.throws(
      () => stripe.webhooks.constructEvent(body, headers['stripe-signature'] as string, 'whsec_wrong'),
      Stripe.errors.StripeSignatureVerificationError,
    );

    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 0);
    const attempts = await webhookAttempts(kassa.store.read, accountId, event.id);
    assert.equal(attempts.length, 1);
    assert.deepEqual(
      [attempts[0]!.endpointId, attempts[0]!.status, attempts[0]!.responseExcerpt, attempts[0]!.error],
      [endpoint.id, 200, 'ok', null],
    );
    // Done is done: nothing is sent again.
    clock.advance(3600);
    await kassa.webhooks.runDue();
    assert.equal(s.received.length, 1);
  });

  test('only endpoints whose enabled_events match, and only enabled ones, receive an event', async () => {
    const { stripe } = await kassa.freshClient();
    const [all, updatesOnly, disabled, deleted] = [
      await sinks.open(),
      await sinks.open(),
      await sinks.open(),
      await sinks.open(),
    ];
    await stripe.webhookEndpoints.create({ url: all.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.create({ url: updatesOnly.url, enabled_events: ['customer.updated'] });
    const off = await stripe.webhookEndpoints.create({ url: disabled.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.update(off.id, { disabled: true });
    const gone = await stripe.webhookEndpoints.create({ url: deleted.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.del(gone.id);

    const customer = await stripe.customers.create({ name: 'First' });
    // Deliveries are scheduled to the matching enabled endpoints only.
    assert.equal((await stripe.events.list({ type: 'customer.created' })).data[0]?.pending_webhooks, 1);
    await kassa.webhooks.runDue();
    assert.deepEqual(
      [all.received.length, updatesOnly.received.length, disabled.received.length, deleted.received.length],
      [1, 0, 0, 0],
    );
    assert.equal((JSON.parse(all.received[0]!.body) as Stripe.Event).type, 'customer.created');

    await stripe.customers.update(customer.id, { name: 'Second' });
    await kassa.webhooks.runDue();
    assert.deepEqual(
      [all.received.length, updatesOnly.received.length, disabled.received.length, deleted.received.length],
      [2, 1, 0, 0],
    );
    const updated = JSON.parse(updatesOnly.received[0]!.body) as Stripe.Event;
    assert.equal(updated.type, 'customer.updated');
    assert.deepEqual(updated.data.previous_attributes, { name: 'First' });
  });

  test('api_version is stored and returned; a connect endpoint is accepted and, with no connected accounts, is sent nothing', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const [own, connect] = [await sinks.open(), await sinks.open()];
    const pinned = await stripe.webhookEndpoints.create({
      url: own.url,
      enabled_events: ['*'],
      api_version: '2024-06-20' as Stripe.WebhookEndpointCreateParams['api_version'],
    });
    assert.equal((await stripe.webhookEndpoints.retrieve(pinned.id)).api_version, '2024-06-20');
    assert.equal((await stripe.webhookEndpoints.list()).data[0]!.api_version, '2024-06-20');
    const platform = await stripe.webhookEndpoints.create({ url: connect.url, enabled_events: ['*'], connect: true });
    // Stripe's object does not show `connect`; Kassa keeps it with the secret.
    assert.equal('connect' in platform, false);
    assert.equal(JSON.parse((await getObjectRow(kassa.store.read, accountId, platform.id))!.private!).connect, true);

    await stripe.customers.create({ name: 'Own event' });
    const [event] = (await stripe.events.list({ limit: 1 })).data;
    assert.equal(event!.pending_webhooks, 1, 'only the account-level endpoint counts');
    await kassa.webhooks.runDue();
    assert.deepEqual([own.received.length, connect.received.length], [1, 0]);
    // Kassa renders events at one API version, whatever the endpoint's.
    assert.equal((JSON.parse(own.received[0]!.body) as Stripe.Event).api_version, event!.api_version);
    // A resend to every matching endpoint leaves the Connect one out as well.
    await stripe.rawRequest('POST', `/v1/kassa/events/${event!.id}/resend`, {});
    await kassa.webhooks.runDue();
    assert.deepEqual([own.received.length, connect.received.length], [2, 0]);
  });

  test('an endpoint disabled after the event, before its delivery runs, is not sent it', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const s = await sinks.open();
    const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['*'] });
    await stripe.customers.create({ name: 'Later' });
    const [event] = (await stripe.events.list()).data;
    assert.equal(event?.pending_webhooks, 1);
    await stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
    clock.advance(60);
    await kassa.webhooks.runDue();
    assert.equal(s.received.length, 0);
    assert.deepEqual(await webhookAttempts(kassa.store.read, accountId, event.id), []);
  });

  test('a failed delivery is retried after 10 seconds, and every attempt is recorded', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const s = await sinks.open();
    s.statuses.push(500);
    const endpoint = await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ email: 'retry@example.com' });
    const [event] = (await stripe.events.list({ type: 'customer.created' })).data;
    assert.ok(event);

    await kassa.webhooks.runDue();
    assert.equal(s.received.length, 1);
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 1);
    clock.advance(9);
    await kassa.webhooks.runDue();
    assert.equal(s.received.length, 1, 'no retry before 10 seconds');
    clock.advance(1);
    await kassa.webhooks.runDue();
    assert.equal(s.received.length, 2);
    assert.equal(s.received[1]!.body, s.received[0]!.body, 'the same event is sent again');
    // Each attempt is signed at its own time.
    const verified = stripe.webhooks.constructEvent(
      s.received[1]!.body,
      s.received[1]!.headers['stripe-signature'] as string,
      endpoint.secret!,
    );
    assert.equal(verified.id, event.id);
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 0);

    const attempts = await webhookAttempts(kassa.store.read, accountId, event.id);
    assert.deepEqual(
      attempts.map((a) => [a.endpointId, a.status, a.responseExcerpt]),
      [
        [endpoint.id, 500, 'failing with 500'],
        [endpoint.id, 200, 'ok'],
      ],
    );
    assert.equal(attempts[1]!.attemptedAt - attempts[0]!.attemptedAt, 10);
  });

  test('a connection error is recorded without a status and retried', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const s = await sinks.open();
    await s.close();
    await stripe.webhookEndpoints.create({ url: s.url, enabled_events: ['*'] });
    await stripe.customers.create({});
    const [event] = (await stripe.events.list()).data;
    assert.ok(event);
    await kassa.webhooks.runDue();
    clock.advance(10);
    await kassa.webhooks.runDue();
    const attempts = await webhookAttempts(kassa.store.read, accountId, event.id);
    assert.equal(attempts.length, 2);
    for (const attempt of attempts) {
      assert.equal(attempt.status, null);
      assert.match(attempt.error ?? '', /ECONNREFUSED/);
    }
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 1);
  });

  test('an endpoint that does not answer in time fails the attempt, which is retried', async () => {
    const { stripe, accountId } = await kassa.freshClient();
    const hanging = await sinks.open();
    hanging.holding = true;
    await stripe.webhookEndpoints.create({ url: hanging.url, enabled_events: ['*'] });
    await stripe.customers.create({});
    const [event] = (await stripe.events.list()).data;
    assert.ok(event);
    // A worker like the server's, with a short delivery timeout.
    const worker = createWebhookDispatcher({
      store: kassa.store,
      clock,
      timeoutMs: 200,
      jitter: () => 0,
      logger: false,
    });
    assert.equal(await worker.runDue(), 1);
    const attempts = await webhookAttempts(kassa.store.read, accountId, event.id);
    assert.deepEqual(
      attempts.map((a) => [a.status, a.error]),
      [[null, 'timed out after 200 ms']],
    );
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 1);
    // The retry is scheduled, 10 seconds later.
    assert.equal(await worker.runDue(), 0);
    clock.advance(10);
    assert.equal(await worker.runDue(), 1);
    assert.equal((await webhookAttempts(kassa.store.read, accountId, event.id)).length, 2);
  });
});
