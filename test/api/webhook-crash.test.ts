// A webhook delivery survives kill -9: a real `kassa serve` commits an event
// and starts posting it to a local sink, which holds the request open; the
// process is killed with the delivery in flight; a new process on the same
// database takes the delivery over once its claim (the delivery timeout plus
// a margin) runs out, and the event arrives, signed so that the official
// SDK's constructEvent accepts it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type Stripe from 'stripe';
import { newApiKey } from '../../src/accounts/keys.js';
import { describeEachStore } from '../support/each-store.js';
import { kassaEnv, spawnServe, type KassaProcess, sdkFor } from '../support/processes.js';
import { until } from '../support/until.js';
import { sinkPool } from '../support/webhook-sink.js';

/** Short, so that the lease (timeout + 5 s) runs out soon after the kill. */
const TIMEOUT_MS = 2000;

describeEachStore('a webhook delivery in flight survives kill -9', (target) => {
  const started: KassaProcess[] = [];
  const sinks = sinkPool();
  after(async () => {
    for (const p of started) await p.stop();
    await sinks.closeAll();
  });

  test('the server dies while the sink holds the delivery open; the restarted server delivers the event', async () => {
    // The sink holds the first request open (the delivery in flight when the server dies) and answers the rest.
    const sink = await sinks.open();
    sink.holding = true;
    const { received } = sink;

    const secretKey = newApiKey('secret');
    const env = kassaEnv(await target.config(), {
      KASSA_SECRET_KEY: secretKey,
      KASSA_PUBLISHABLE_KEY: newApiKey('publishable'),
      KASSA_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    const first = spawnServe(env);
    started.push(first);
    const stripe = sdkFor(await first.ready, secretKey);
    const endpoint = await stripe.webhookEndpoints.create({ url: sink.url, enabled_events: ['customer.created'] });
    const customer = await stripe.customers.create({ email: 'crash@example.com' });
    const [event] = (await stripe.events.list({ type: 'customer.created', limit: 1 })).data;
    assert.equal(event!.pending_webhooks, 1);

    await until('the first delivery to reach the sink', async () => received.length === 1, 10_000);
    await first.crash();
    sink.holding = false;
    assert.equal(received.length, 1, 'the killed server sent it once');
    assert.equal(received[0]!.answered, false, 'it was in flight at the kill: never answered');

    const second = spawnServe(env);
    started.push(second);
    const restarted = sdkFor(await second.ready, secretKey);
    // The claim of the dead process runs out after the timeout plus the margin; then the new one posts it.
    await until('the delivery after the restart', async () => received.length >= 2, 30_000);
    const delivered = received[1]!;
    const verified = restarted.webhooks.constructEvent(
      delivered.body,
      String(delivered.headers['stripe-signature']),
      endpoint.secret!,
    );
    assert.equal(verified.id, event!.id);
    assert.equal((verified.data.object as Stripe.Customer).id, customer.id);
    await until(
      'pending_webhooks 0',
      async () => (await restarted.events.retrieve(event!.id)).pending_webhooks === 0,
      10_000,
    );
    const log = (await restarted.rawRequest('GET', `/v1/kassa/webhook_attempts?event=${event!.id}`)) as unknown as {
      data: Array<{ http_status: number | null }>;
    };
    assert.deepEqual(
      log.data.map((a) => a.http_status),
      [200],
      'the killed attempt was never recorded; the one that succeeded was',
    );
    assert.equal(received.length, 2, 'delivered once more, not again and again');
  });
});
