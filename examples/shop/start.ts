// `npm run shop`: starts Kassa (SQLite in the data directory) and the example
// shop together, wires the shop's webhook endpoint, and prints both
// addresses. Ctrl-C stops both.
//
//   --port P / SHOP_PORT         the shop's port (default 4343)
//   --kassa-port P / KASSA_PORT  Kassa's port (default 4242)
//   --data-dir D / SHOP_DATA_DIR where Kassa's database, the shop's keys and orders live (default .shop)
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createKassa, startWorkers } from '../../src/kassa.js';
import { MIGRATIONS } from '../../src/schema.js';
import { openStore } from '../../src/store/store.js';
import { OrderStore } from './order-store.js';
import { createShop } from './server.js';
import { ensureKeys, ensureWebhookEndpoint, kassaClient } from './setup.js';

const HOST = '127.0.0.1';

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`invalid ${name}: '${value}'`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'kassa-port': { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  const shopPort = port(values.port ?? process.env.SHOP_PORT, 4343, 'shop port');
  const kassaPort = port(values['kassa-port'] ?? process.env.KASSA_PORT, 4242, 'Kassa port');
  const dataDir = resolve(values['data-dir'] ?? process.env.SHOP_DATA_DIR ?? '.shop');
  const settingsPath = join(dataDir, 'shop-settings.json');

  const store = await openStore({ sqlitePath: join(dataDir, 'kassa.db') }, MIGRATIONS);
  const kassa = createKassa({ store, logger: pino({ level: process.env.KASSA_LOG_LEVEL || 'warn' }) });
  const kassaAddress = await kassa.listen({ host: HOST, port: kassaPort });
  startWorkers(kassa);
  const kassaUrl = kassaAddress.replace('localhost', HOST);

  const { settings, created } = await ensureKeys(store, settingsPath, kassaUrl);
  const stripe = kassaClient(settings.secret_key, kassaUrl);
  const shop = await createShop({
    stripe,
    publishableKey: settings.publishable_key,
    kassaUrl,
    orders: new OrderStore(join(dataDir, 'orders.json')),
    log: (line) => console.log(`[shop] ${line}`),
  });
  const shopUrl = await shop.listen(shopPort, HOST);
  const webhook = await ensureWebhookEndpoint(stripe, settingsPath, `${shopUrl}/webhooks`);
  shop.setWebhookSecret(webhook.secret);

  console.log(`Kassa is listening on ${kassaUrl} (SQLite ${join(dataDir, 'kassa.db')})`);
  console.log(
    `  account ${settings.account}${created ? ' (new)' : ''}, secret key ${settings.secret_key}, publishable key ${settings.publishable_key}`,
  );
  console.log(`  webhook endpoint ${webhook.id} -> ${shopUrl}/webhooks${webhook.created ? ' (new)' : ''}`);
  console.log(`The shop is open at ${shopUrl}`);
  console.log(
    `  React checkout: ${shopUrl}/react/checkout?product=mug   orders: ${shopUrl}/orders   (Ctrl-C stops both)`,
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await shop.close();
    await kassa.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`shop: ${(error as Error).message}`);
  process.exit(1);
});
