// Two Kassa apps in one process share nothing: each is made from its own
// module list, with its own routes, hooks and registries.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { createAccount } from '../../src/accounts/accounts.js';
import { customersModule } from '../../src/customers/index.js';
import { createKassa } from '../../src/kassa.js';
import type { Store } from '../../src/store/store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { openTestStore, storeTargets } from '../support/stores.js';

const sqlite = (await storeTargets()).find((target) => target.name === 'sqlite')!;

let full: TestKassa;
let store: Store;
let customersOnly: ReturnType<typeof createKassa>;
let stripe: Stripe;

before(async () => {
  full = await startKassa(await sqlite.config());
  store = await openTestStore(sqlite);
  customersOnly = createKassa({ store, logger: false, modules: [customersModule()] });
  await customersOnly.listen({ host: '127.0.0.1', port: 0 });
  const { port } = customersOnly.server.address() as { port: number };
  const account = await createAccount(store, { now: Math.floor(Date.now() / 1000) });
  stripe = new Stripe(account.secret_key, {
    host: '127.0.0.1',
    port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
});

after(async () => {
  await customersOnly.close();
  await store.close();
  await full.close();
});

test('an app made of the customers module alone serves customers and nothing else; the full app beside it is unchanged', async () => {
  const customer = await stripe.customers.create({ email: 'only@example.com' });
  const expanded = await stripe.customers.retrieve(customer.id, { expand: ['tax_ids'] });
  assert.deepEqual((expanded as Stripe.Customer).tax_ids?.data, []);
  await assert.rejects(
    stripe.paymentIntents.create({ amount: 1000, currency: 'usd' }),
    (error: Stripe.errors.StripeError) => error.statusCode === 404,
  );
  // Without the payments module no write hook checks the card (the full app refuses it below); nothing sets it either.
  const updated = await stripe.customers.update(customer.id, {
    invoice_settings: { default_payment_method: 'pm_anything' },
  });
  assert.equal(updated.invoice_settings.default_payment_method, null);

  const intent = await full.stripe.paymentIntents.create({
    amount: 1000,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    confirm: true,
    automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
  });
  assert.equal(intent.status, 'succeeded');
  await assert.rejects(
    full.stripe.customers.update((await full.stripe.customers.create({})).id, {
      invoice_settings: { default_payment_method: 'pm_anything' },
    }),
    (error: Stripe.errors.StripeError) => error.statusCode === 404 && /No such PaymentMethod/.test(error.message),
  );
});
