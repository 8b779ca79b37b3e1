// What `npm run shop` needs from Kassa before the shop can take orders: an
// account with keys, and a webhook endpoint for the shop. Both are kept in
// a small JSON file so that later starts reuse them (Kassa stores keys
// hashed and shows an endpoint's secret only when it is created).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Stripe from 'stripe';
import { createAccount } from '../../src/accounts/accounts.js';
import type { Store } from '../../src/store/store.js';
import { HANDLED_EVENTS } from './fulfilment.js';

export interface ShopSettings {
  account: string;
  secret_key: string;
  publishable_key: string;
  webhook?: { id: string; url: string; secret: string };
}

function readSettings(path: string): ShopSettings | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as ShopSettings;
}

function writeSettings(path: string, settings: ShopSettings): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(settings, null, 2), { mode: 0o600 });
}

export function kassaClient(secretKey: string, kassaUrl: string): Stripe {
  const url = new URL(kassaUrl);
  return new Stripe(secretKey, { host: url.hostname, port: Number(url.port), protocol: 'http', telemetry: false });
}

/** The saved keys if the Kassa at `kassaUrl` still accepts them, else a new account (saved). */
export async function ensureKeys(
  store: Store,
  path: string,
  kassaUrl: string,
): Promise<{ settings: ShopSettings; created: boolean }> {
  const saved = readSettings(path);
  if (saved) {
    const works = await kassaClient(saved.secret_key, kassaUrl)
      .webhookEndpoints.list({ limit: 1 })
      .then(() => true)
      .catch((error: unknown) => {
        if (error instanceof Stripe.errors.StripeAuthenticationError) return false;
        throw error;
      });
    if (works) return { settings: saved, created: false };
  }
  const account = await createAccount(store, { now: Math.floor(Date.now() / 1000) });
  const settings: ShopSettings = {
    account: account.id,
    secret_key: account.secret_key,
    publishable_key: account.publishable_key,
  };
  writeSettings(path, settings);
  return { settings, created: true };
}

/**
 * The shop's webhook endpoint at `url`, subscribed to the events the shop
 * handles: the saved one if it still exists with that URL, else a new one
 * (an old endpoint for another URL is deleted).
 */
export async function ensureWebhookEndpoint(
  stripe: Stripe,
  path: string,
  url: string,
): Promise<{ secret: string; id: string; created: boolean }> {
  const settings = readSettings(path)!;
  const saved = settings.webhook;
  if (saved) {
    const existing = await stripe.webhookEndpoints.retrieve(saved.id).catch(() => undefined);
    if (existing && existing.url === url && existing.status === 'enabled')
      return { secret: saved.secret, id: saved.id, created: false };
    if (existing) await stripe.webhookEndpoints.del(saved.id);
  }
  const endpoint = await stripe.webhookEndpoints.create({
    url,
    enabled_events: [...HANDLED_EVENTS],
    description: 'Harbour Goods example shop',
  });
  writeSettings(path, { ...settings, webhook: { id: endpoint.id, url, secret: endpoint.secret! } });
  return { secret: endpoint.secret!, id: endpoint.id, created: true };
}
