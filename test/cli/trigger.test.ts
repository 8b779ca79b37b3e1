// `kassa trigger` and `kassa events resend` as a user runs them: real CLI
// processes against a real Kassa, checked through the official SDK and a
// real webhook sink.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { TRIGGER_EVENTS, TRIGGER_RECIPES } from '../../src/cli/trigger-recipes.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { clientEnv, freePort, kassaCli, type CliResult } from '../support/processes.js';
import { until } from '../support/until.js';
import { startSink, type Sink } from '../support/webhook-sink.js';

let kassa: TestKassa;
const sinks: Sink[] = [];

before(async () => {
  kassa = await startKassa({ sqlitePath: join(mkdtempSync(join(tmpdir(), 'kassa-trigger-')), 'kassa.db') });
});
after(async () => {
  await kassa.close();
  for (const sink of sinks) await sink.close();
});

/** A fresh account, so that each test sees only the events its own commands caused. */
async function freshAccount(): Promise<{ key: string; stripe: Stripe }> {
  const account = await kassa.newAccount();
  return { key: account.secret_key, stripe: kassa.clientFor(account.secret_key) };
}

function trigger(args: string[], env = clientEnv()): Promise<CliResult> {
  return kassaCli(['trigger', ...args], env);
}

function assertNoStack(result: CliResult): void {
  assert.doesNotMatch(result.stderr, /\n\s+at /, result.stderr);
}

describe('kassa trigger causes each event it lists with real API calls', () => {
  for (const event of TRIGGER_EVENTS) {
    test(event, async () => {
      const { key, stripe } = await freshAccount();
      const result = await trigger([event, '--api-base', kassa.url, '--api-key', key]);
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      const calls = result.stdout.split('\n').filter((line) => /^(GET|POST|DELETE) \/v1\/\S+ {2}\w+_\w+/.test(line));
      assert.equal(calls.length, TRIGGER_RECIPES[event]!.steps.length, result.stdout);
      assert.match(result.stdout, /Trigger succeeded! Check the events/);

      // Some events come later (a refund the bank refuses): wait for it, boundedly.
      const found = await until(`a ${event} event`, async () => (await stripe.events.list({ type: event })).data[0]);
      const object = found.data.object as unknown as Record<string, unknown>;
      const related = [object.id, object.payment_intent, object.customer].filter(
        (id): id is string => typeof id === 'string',
      );
      assert.ok(
        related.some((id) => result.stdout.includes(id)),
        `the ${event} event is about what the trigger printed (${related.join(', ')}):\n${result.stdout}`,
      );
    });
  }
});

describe('kassa trigger: keys and errors', () => {
  test('the key comes from --api-key, then KASSA_SECRET_KEY, then STRIPE_API_KEY', async () => {
    const { key, stripe } = await freshAccount();
    const wrong = `sk_test_${'x'.repeat(24)}`;
    const runs = [
      await trigger(['customer.created', '--api-base', kassa.url], clientEnv({ STRIPE_API_KEY: key })),
      await trigger(
        ['customer.created', '--api-base', kassa.url],
        clientEnv({ KASSA_SECRET_KEY: key, STRIPE_API_KEY: wrong }),
      ),
      await trigger(
        ['customer.created', '--api-base', kassa.url, '--api-key', key],
        clientEnv({ KASSA_SECRET_KEY: wrong, STRIPE_API_KEY: wrong }),
      ),
    ];
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    assert.equal((await stripe.customers.list()).data.length, 3);
  });

  test('no key at all: a clear message, exit code 1, no request', async () => {
    const result = await trigger(['customer.created', '--api-base', kassa.url]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^kassa trigger: no API key: pass --api-key sk_test_\.\.\., or set KASSA_SECRET_KEY \(or STRIPE_API_KEY\)\n$/,
    );
    assertNoStack(result);
  });

  test('an unknown event lists the supported ones and exits 1; so does a missing one', async () => {
    const { key, stripe } = await freshAccount();
    const unknown = await trigger(['customer.exploded', '--api-base', kassa.url, '--api-key', key]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^kassa trigger: event 'customer\.exploded' is not supported\./);
    for (const event of TRIGGER_EVENTS)
      assert.ok(unknown.stderr.includes(`\n  ${event}\n`) || unknown.stderr.endsWith(`\n  ${event}\n`), event);
    const missing = await trigger(['--api-base', kassa.url, '--api-key', key]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Usage: kassa trigger EVENT/);
    const help = await trigger(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Supported events:\n {2}charge\.captured\n/);
    assert.equal((await stripe.events.list()).data.length, 0, 'nothing was called');
  });

  test("an API error prints Stripe's message and exits 1", async () => {
    const result = await trigger([
      'customer.created',
      '--api-base',
      kassa.url,
      '--api-key',
      `sk_test_${'n'.repeat(24)}`,
    ]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      'kassa trigger: POST /v1/customers failed (401): Invalid API Key provided: sk_test_****nnnn\n',
    );
    assert.equal(result.stdout, '');

    const account = await kassa.newAccount();
    const publishable = await trigger([
      'payment_method.attached',
      '--api-base',
      kassa.url,
      '--api-key',
      account.publishable_key,
    ]);
    assert.equal(publishable.code, 1);
    assert.match(publishable.stderr, /^kassa trigger: POST \/v1\/customers failed \(401 secret_key_required\): /);
  });

  test('an unreachable server: a message naming the address, exit 1', async () => {
    const port = await freePort();
    const { key } = await freshAccount();
    const result = await trigger(['customer.created', '--api-base', `http://127.0.0.1:${port}`, '--api-key', key]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `kassa trigger: cannot reach Kassa at http://127.0.0.1:${port} (ECONNREFUSED); is \`kassa serve\` running there?\n`,
    );
    assertNoStack(result);
  });
});

describe('kassa events resend', () => {
  async function sink(): Promise<Sink> {
    const s = await startSink();
    sinks.push(s);
    return s;
  }

  test('delivers the event again, signed, to the endpoint named or to every subscribed endpoint', async () => {
    const { key, stripe } = await freshAccount();
    const subscribed = await sink();
    const other = await sink();
    const endpoint = await stripe.webhookEndpoints.create({
      url: subscribed.url,
      enabled_events: ['customer.created'],
    });
    const otherEndpoint = await stripe.webhookEndpoints.create({
      url: other.url,
      enabled_events: ['charge.succeeded'],
    });

    assert.equal((await trigger(['customer.created', '--api-base', kassa.url, '--api-key', key])).code, 0);
    await until('the first delivery', async () => subscribed.received.length === 1);
    const event = JSON.parse(subscribed.received[0]!.body) as Stripe.Event;
    assert.equal(event.type, 'customer.created');

    const toEndpoint = await kassaCli(
      ['events', 'resend', event.id, '--endpoint', endpoint.id, '--api-base', kassa.url, '--api-key', key],
      clientEnv(),
    );
    assert.equal(toEndpoint.code, 0, toEndpoint.stderr);
    assert.match(
      toEndpoint.stdout,
      new RegExp(`^Resending ${event.id} \\(customer\\.created\\) to ${endpoint.id}\\.\n`),
    );
    await until('the resent delivery', async () => subscribed.received.length === 2);
    const resent = subscribed.received[1]!;
    const verified = kassa.stripe.webhooks.constructEvent(
      resent.body,
      resent.headers['stripe-signature'] as string,
      endpoint.secret!,
    );
    assert.equal(verified.id, event.id);
    // The same event; only pending_webhooks has moved on (the first delivery succeeded).
    assert.deepEqual({ ...verified, pending_webhooks: 0 }, { ...event, pending_webhooks: 0 });

    // An endpoint named explicitly gets it even if it does not subscribe to the type.
    assert.equal(
      (
        await kassaCli(
          ['events', 'resend', event.id, '--endpoint', otherEndpoint.id, '--api-base', kassa.url],
          clientEnv({ KASSA_SECRET_KEY: key }),
        )
      ).code,
      0,
    );
    await until('the delivery to the endpoint named', async () => other.received.length === 1);
    assert.equal((JSON.parse(other.received[0]!.body) as Stripe.Event).id, event.id);

    // Without --endpoint: every enabled endpoint subscribed to the type, and only those.
    const toAll = await kassaCli(
      ['events', 'resend', event.id, '--api-base', kassa.url],
      clientEnv({ STRIPE_API_KEY: key }),
    );
    assert.equal(toAll.code, 0, toAll.stderr);
    assert.match(toAll.stdout, /to every enabled endpoint subscribed to customer\.created\./);
    await until('the delivery to subscribers', async () => subscribed.received.length === 3);
    const attempts = (await stripe.rawRequest(
      'GET',
      `/v1/kassa/webhook_attempts?event=${event.id}&limit=100`,
    )) as unknown as { data: Array<{ endpoint: string; succeeded: boolean }> };
    assert.deepEqual(
      attempts.data.map((a) => a.endpoint).sort(),
      [endpoint.id, endpoint.id, endpoint.id, otherEndpoint.id].sort(),
    );
    assert.equal(other.received.length, 1);
  });

  test("errors: Kassa's message for an unknown event or endpoint, usage for a missing id, exit 1", async () => {
    const { key, stripe } = await freshAccount();
    const unknownEvent = await kassaCli(
      ['events', 'resend', 'evt_missing', '--api-base', kassa.url, '--api-key', key],
      clientEnv(),
    );
    assert.equal(unknownEvent.code, 1);
    assert.equal(
      unknownEvent.stderr,
      "kassa events: POST /v1/kassa/events/evt_missing/resend failed (404 resource_missing): No such event: 'evt_missing'\n",
    );

    await stripe.customers.create({});
    const [event] = (await stripe.events.list()).data;
    const unknownEndpoint = await kassaCli(
      ['events', 'resend', event!.id, '--endpoint', 'we_missing', '--api-base', kassa.url, '--api-key', key],
      clientEnv(),
    );
    assert.equal(unknownEndpoint.code, 1);
    assert.match(
      unknownEndpoint.stderr,
      /^kassa events: POST \/v1\/kassa\/events\/evt_\w+\/resend failed \(404 resource_missing\): No such webhook_endpoint: 'we_missing'\n$/,
    );

    for (const args of [['events', 'resend'], ['events', 'replay', event!.id], ['events']]) {
      const usage = await kassaCli([...args, '--api-base', kassa.url, '--api-key', key], clientEnv());
      assert.equal(usage.code, 1, args.join(' '));
      assert.match(usage.stderr, /^Usage: kassa events resend EVT/);
    }
    assertNoStack(unknownEndpoint);
  });
});
