// The official Stripe CLI (npm @stripe/cli) runs `stripe listen` against
// Kassa: it starts a session (POST /v1/stripecli/sessions), connects to the
// session's websocket and forwards the account's events to a local sink,
// signed so that the official SDK's constructEvent accepts them with the
// secret the CLI prints.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import WebSocket from 'ws';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import { stripeListen, type Listener } from '../support/listeners.js';
import { rejectsWith } from '../support/rejects.js';
import { until } from '../support/until.js';
import { sinkPool, type Sink } from '../support/webhook-sink.js';

interface Session {
  object: string;
  websocket_url: string;
  websocket_id: string;
  websocket_authorized_feature: string;
  secret: string;
  reconnect_delay: number;
  default_version: string;
}

const verifier = new Stripe('sk_test_unused_for_verification');

function eventsAt(sink: Sink): Array<{ id: string; type: string; data: { object: { id: string } } }> {
  return sink.received.map((r) => JSON.parse(r.body));
}

describeEachStore('stripe listen (the Stripe CLI) against Kassa', (target) => {
  const clock = testClock();
  let kassa: TestKassa;
  const listeners: Listener[] = [];
  const sinks = sinkPool();

  before(async () => {
    kassa = await startKassa(await target.config(), { clock });
  });
  after(async () => {
    for (const listener of listeners) await listener.stop();
    await kassa.close();
    await sinks.closeAll();
  });

  function listen(key: string, args: string[]): Listener {
    const listener = stripeListen(kassa.url, key, args);
    listeners.push(listener);
    return listener;
  }

  async function createSession(stripe: Stripe, params: Record<string, unknown> = {}): Promise<Session> {
    const response = await stripe.rawRequest('POST', '/v1/stripecli/sessions', {
      device_name: 'test',
      websocket_features: ['webhooks'],
      ...params,
    });
    return JSON.parse(JSON.stringify(response)) as Session;
  }

  test('a session names the websocket and a listen secret that is stable per account', async () => {
    const first = await createSession(kassa.stripe);
    const second = await createSession(kassa.stripe);
    assert.equal(first.object, 'stripe_cli_session');
    assert.match(first.secret, /^whsec_[0-9a-f]{64}$/);
    assert.equal(second.secret, first.secret);
    assert.notEqual(second.websocket_id, first.websocket_id);
    assert.equal(first.websocket_url, `ws://127.0.0.1:${kassa.port}/kassa/stripecli/websocket`);
    assert.equal(first.websocket_authorized_feature, 'webhook-payloads');
    assert.ok(first.reconnect_delay > 0);

    const other = await kassa.newAccount();
    const otherSession = await createSession(kassa.clientFor(other.secret_key));
    assert.notEqual(otherSession.secret, first.secret);
  });

  test("`stripe listen --print-secret` prints the account's listen secret", async () => {
    const session = await createSession(kassa.stripe);
    const listener = listen(kassa.account.secret_key, ['--print-secret']);
    assert.equal(await listener.exited, 0, listener.output());
    assert.equal(listener.output().trim(), session.secret);
  });

  test('events are forwarded to the sink, signed so that constructEvent accepts them with the printed secret; --events filters', async () => {
    const sink = await sinks.open();
    const listener = listen(kassa.account.secret_key, [
      '--forward-to',
      sink.url,
      '--events',
      'customer.created,customer.updated',
    ]);
    const [, secret] = await listener.waitFor(/Your webhook signing secret is (whsec_[0-9a-f]+)/);

    // Filtered out by --events (the CLI drops it), then two that pass.
    await kassa.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const customer = await kassa.stripe.customers.create({ email: 'listen@example.com' });
    await kassa.stripe.customers.update(customer.id, { name: 'Listened To' });

    await until('two forwarded events at the sink', async () => sink.received.length >= 2);
    const types = eventsAt(sink)
      .map((e) => e.type)
      .sort();
    assert.deepEqual(types, ['customer.created', 'customer.updated']);
    for (const request of sink.received) {
      const event = verifier.webhooks.constructEvent(
        request.body,
        String(request.headers['stripe-signature']),
        secret!,
      );
      assert.equal(event.data.object && (event.data.object as { id: string }).id, customer.id);
      assert.equal(request.headers['content-type'], 'application/json; charset=utf-8');
    }
    // A wrong secret is refused: the signature is really checked.
    assert.throws(() =>
      verifier.webhooks.constructEvent(
        sink.received[0]!.body,
        String(sink.received[0]!.headers['stripe-signature']),
        'whsec_wrong',
      ),
    );

    const [created] = eventsAt(sink).filter((e) => e.type === 'customer.created');
    await listener.waitFor(new RegExp(`<--\\s+\\[200\\] POST ${sink.url} \\[${created!.id}\\]`));
    assert.match(listener.output(), new RegExp(`--> customer.created \\[${created!.id}\\]`));
    assert.doesNotMatch(listener.output(), /payment_intent\.created/);
  });

  test("a second account's events never reach the first account's listener", async () => {
    const sink = await sinks.open();
    const listener = listen(kassa.account.secret_key, ['--forward-to', sink.url, '--all-snapshot']);
    await listener.waitFor(/Ready!/);
    const other = await kassa.newAccount();
    const foreign = await kassa.clientFor(other.secret_key).customers.create({ email: 'foreign@example.com' });
    const marker = await kassa.stripe.customers.create({ email: 'marker@example.com' });
    await until("the marker customer's event at the sink", async () =>
      eventsAt(sink).some((e) => e.data.object.id === marker.id),
    );
    assert.equal(eventsAt(sink).filter((e) => e.data.object.id === foreign.id).length, 0);
  });

  test("bad keys get Stripe's 401; the CLI reports the failure and exits", async () => {
    await assert.rejects(createSession(kassa.clientFor('sk_test_not_a_real_key_123')), rejectsWith({ status: 401 }));
    const listener = listen('sk_test_not_a_real_key_123', ['--print-secret']);
    assert.notEqual(await listener.exited, 0);
    assert.match(listener.output(), /Invalid API Key|401/i);
  });

  test('unknown event types in events[] get a parameter error', async () => {
    await assert.rejects(
      createSession(kassa.stripe, { events: ['customer.created', 'not.an_event'] }),
      rejectsWith({ status: 400, param: 'events[1]' }),
    );
  });

  test('the websocket refuses a forged or foreign session id with "Unknown WebSocket ID."', async () => {
    const session = await createSession(kassa.stripe);
    const [payload, mac] = session.websocket_id.split('.');
    const other = await kassa.newAccount();
    // The other account's id with this account's MAC: the MAC no longer matches.
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const forged = `${Buffer.from(JSON.stringify({ ...claims, a: other.id })).toString('base64url')}.${mac}`;
    for (const id of [forged, 'garbage', `${payload}.AAAA`]) {
      const refusal = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const ws = new WebSocket(
          `${session.websocket_url}?websocket_feature=webhook-payloads`,
          'stripecli-devproxy-v1',
          { headers: { 'Websocket-Id': id } },
        );
        ws.on('open', () => reject(new Error(`connected with ${id}`)));
        ws.on('error', () => undefined);
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
      });
      assert.equal(refusal.status, 401);
      assert.equal(JSON.parse(refusal.body).error.message, 'Unknown WebSocket ID.');
    }
  });

  test('a session id admits connections for a day, then "Unknown WebSocket ID." (the CLI then starts a new session)', async () => {
    const session = await createSession(kassa.stripe);
    const connect = () =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(
          `${session.websocket_url}?websocket_feature=webhook-payloads`,
          'stripecli-devproxy-v1',
          { headers: { 'Websocket-Id': session.websocket_id } },
        );
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
      });
    const now = clock.now();
    try {
      assert.equal(await connect(), 101);
      clock.advance(24 * 3600 + 60);
      assert.equal(await connect(), 401);
    } finally {
      clock.set(now);
    }
  });
});
