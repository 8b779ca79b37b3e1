// `npm run shop` as a developer runs it: one process starts Kassa and the
// shop, registers the shop's webhook endpoint through Kassa's API, takes a
// paid order end to end, stops on SIGINT, and reuses its keys, endpoint and
// orders on the next start.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import Stripe from 'stripe';
import type { ShopSettings } from '../../examples/shop/setup.js';
import { CUSTOMER } from '../support/shop.js';
import { until } from '../support/until.js';

const START = fileURLToPath(new URL('../../examples/shop/start.ts', import.meta.url));

interface Started {
  child: ChildProcess;
  kassaUrl: string;
  shopUrl: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startShopCommand(dataDir: string): Promise<Started> {
  const env = { ...process.env, KASSA_LOG_LEVEL: 'warn' };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', START, '--port', '0', '--kassa-port', '0', '--data-dir', dataDir],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.once('exit', () => child.kill('SIGKILL'));
  const shopUrl = await until(`the shop to start:\n${output}`, async () => {
    if (child.exitCode !== null) throw new Error(`the shop command exited (${child.exitCode}):\n${output}`);
    return /The shop is open at (http:\/\/\S+)/.exec(output)?.[1];
  });
  const kassaUrl = /Kassa is listening on (http:\/\/\S+)/.exec(output)![1]!;
  return { child, kassaUrl, shopUrl, output: () => output, exited };
}

test('npm run shop: Kassa and the shop in one command, wired by webhook, restartable', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kassa-shop-'));
  const first = await startShopCommand(dataDir);
  let second: Started | undefined;
  t.after(() => {
    for (const started of [first, second])
      if (started && started.child.exitCode === null) started.child.kill('SIGKILL');
  });

  assert.match(first.kassaUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(first.shopUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal((await fetch(`${first.kassaUrl}/healthz`)).status, 200);
  const home = await (await fetch(first.shopUrl)).text();
  assert.match(home, /Harbour Goods/);
  assert.match(home, /href="\/checkout\?product=mug"/);
  const checkout = await (await fetch(`${first.shopUrl}/checkout?product=mug`)).text();
  assert.ok(
    checkout.includes(`<script src="${first.kassaUrl}/v3/"></script>`),
    'the checkout loads Stripe.js from Kassa',
  );

  const settings = JSON.parse(readFileSync(join(dataDir, 'shop-settings.json'), 'utf8')) as ShopSettings;
  const stripe = new Stripe(settings.secret_key, {
    host: '127.0.0.1',
    port: Number(new URL(first.kassaUrl).port),
    protocol: 'http',
    telemetry: false,
  });
  const endpoints = await stripe.webhookEndpoints.list();
  assert.equal(endpoints.data.length, 1);
  assert.equal(endpoints.data[0]!.url, `${first.shopUrl}/webhooks`);
  assert.deepEqual([...endpoints.data[0]!.enabled_events].sort(), [
    'payment_intent.payment_failed',
    'payment_intent.succeeded',
  ]);

  const created = await fetch(`${first.shopUrl}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items: [{ product: 'tote', quantity: 1 }], customer: CUSTOMER }),
  });
  assert.equal(created.status, 201);
  const { order } = (await created.json()) as { order: { id: string } };
  const intent = (await stripe.paymentIntents.list({ limit: 1 })).data[0]!;
  assert.equal(intent.metadata.order_id, order.id);
  await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
  await until('the order to be paid', async () => {
    const current = (await (await fetch(`${first!.shopUrl}/api/orders/${order.id}`)).json()) as { status: string };
    return current.status === 'paid';
  });
  assert.ok(existsSync(join(dataDir, 'orders.json')));

  first.child.kill('SIGINT');
  assert.equal(await first.exited, 0, first.output());
  await assert.rejects(fetch(first.shopUrl));

  // Again on the same data: the same account and keys, the order still paid,
  // and still exactly one endpoint (moved to the new port).
  second = await startShopCommand(dataDir);
  assert.match(second.output(), new RegExp(`account ${settings.account},`));
  const again = new Stripe(settings.secret_key, {
    host: '127.0.0.1',
    port: Number(new URL(second.kassaUrl).port),
    protocol: 'http',
    telemetry: false,
  });
  const moved = await again.webhookEndpoints.list();
  assert.deepEqual(
    moved.data.map((endpoint) => endpoint.url),
    [`${second.shopUrl}/webhooks`],
  );
  const kept = (await (await fetch(`${second.shopUrl}/api/orders/${order.id}`)).json()) as { status: string };
  assert.equal(kept.status, 'paid');
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0, second.output());
});
