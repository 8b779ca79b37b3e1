// The example shop (examples/shop) wired to a test Kassa: the official SDK
// with the account's keys, and a webhook endpoint registered through
// Kassa's API for the events the shop handles.
import type Stripe from 'stripe';
import { HANDLED_EVENTS } from '../../examples/shop/fulfilment.js';
import { createShop, type Shop } from '../../examples/shop/server.js';
import type { TestKassa } from './kassa.js';

export interface TestShop {
  url: string;
  shop: Shop;
  endpoint: Stripe.WebhookEndpoint;
  webhookSecret: string;
  close(): Promise<void>;
}

export async function startShop(kassa: TestKassa): Promise<TestShop> {
  const shop = await createShop({
    stripe: kassa.stripe,
    publishableKey: kassa.account.publishable_key,
    kassaUrl: kassa.url,
  });
  const url = await shop.listen(0);
  const endpoint = await kassa.stripe.webhookEndpoints.create({
    url: `${url}/webhooks`,
    enabled_events: [...HANDLED_EVENTS],
  });
  shop.setWebhookSecret(endpoint.secret!);
  return { url, shop, endpoint, webhookSecret: endpoint.secret!, close: () => shop.close() };
}

export const CUSTOMER = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  address: { line1: 'Havenstraat 7', city: 'Amsterdam', postal_code: '1011 AB', country: 'NL' },
};
