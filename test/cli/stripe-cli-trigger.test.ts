// The official Stripe CLI (npm @stripe/cli) runs its `stripe trigger`
// fixtures against Kassa: every fixture of a resource Kassa implements
// succeeds and its event is recorded. The CLI gets a fresh HOME, telemetry
// off and a dead proxy for anything not on loopback (stripeCliEnv), and is
// pointed at Kassa on 127.0.0.1 with --api-base.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { stripeCliBinary, stripeCliEnv } from '../support/listeners.js';
import { until } from '../support/until.js';

/** The Stripe CLI 1.52 trigger fixtures whose event Kassa emits (docs/cli.md lists the rest and why). */
const SUPPORTED_FIXTURES = [
  'charge.captured',
  'charge.failed',
  'charge.refund.updated',
  'charge.refunded',
  'charge.succeeded',
  'customer.created',
  'customer.deleted',
  'customer.updated',
  'payment_intent.amount_capturable_updated',
  'payment_intent.canceled',
  'payment_intent.created',
  'payment_intent.payment_failed',
  'payment_intent.requires_action',
  'payment_intent.succeeded',
  'payment_method.attached',
  'payment_method.detached',
  'plan.created',
  'plan.deleted',
  'plan.updated',
  'price.created',
  'price.updated',
  'product.created',
  'product.deleted',
  'product.updated',
  'setup_intent.canceled',
  'setup_intent.created',
  'setup_intent.setup_failed',
  'setup_intent.succeeded',
  'tax_rate.created',
  'tax_rate.updated',
];

/**
 * Fixtures that confirm a SetupIntent with neither payment_method_types nor a
 * return_url: they assume an account on an API version before 2023-08-16. On
 * a current version, Stripe and Kassa alike ask for a return_url; given one,
 * they succeed.
 */
const RETURN_URL = ['--add', 'setup_intent:return_url=https://example.com/return'];
const FIXTURES_NEEDING_RETURN_URL = ['payment_method.updated', 'setup_intent.requires_action'];

let kassa: TestKassa;

before(async () => {
  kassa = await startKassa({ sqlitePath: join(mkdtempSync(join(tmpdir(), 'kassa-stripe-trigger-')), 'kassa.db') });
});
after(() => kassa.close());

function stripeTrigger(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      stripeCliBinary(),
      ['trigger', ...args],
      { env: stripeCliEnv(), timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}

for (const event of SUPPORTED_FIXTURES) {
  test(`stripe trigger ${event}`, async () => {
    const account = await kassa.newAccount();
    const stripe = kassa.clientFor(account.secret_key);
    const result = await stripeTrigger([event, '--api-base', kassa.url, '--api-key', account.secret_key]);
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /Trigger succeeded!/);
    await until(`a ${event} event`, async () => (await stripe.events.list({ type: event })).data.length > 0);
  });
}

for (const event of FIXTURES_NEEDING_RETURN_URL) {
  test(`stripe trigger ${event} asks for a return_url as on a current API version, and succeeds with one`, async () => {
    const account = await kassa.newAccount();
    const stripe = kassa.clientFor(account.secret_key);
    const bare = await stripeTrigger([event, '--api-base', kassa.url, '--api-key', account.secret_key]);
    assert.notEqual(bare.code, 0);
    assert.match(bare.output, /Trigger failed: .*status=400.*you must provide a `return_url`.*"param":"return_url"/);

    const result = await stripeTrigger([
      event,
      '--api-base',
      kassa.url,
      '--api-key',
      account.secret_key,
      ...RETURN_URL,
    ]);
    assert.equal(result.code, 0, result.output);
    await until(`a ${event} event`, async () => (await stripe.events.list({ type: event })).data.length > 0);
  });
}

test('a fixture for a resource Kassa lacks fails with the message naming the operation', async () => {
  const account = await kassa.newAccount();
  const result = await stripeTrigger(['coupon.created', '--api-base', kassa.url, '--api-key', account.secret_key]);
  assert.notEqual(result.code, 0);
  assert.match(result.output, /Trigger failed: .*status=404.*Kassa does not implement POST \/v1\/coupons yet/);
});
