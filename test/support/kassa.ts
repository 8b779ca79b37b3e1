// Starts a real Kassa server on a random loopback port for a test, with the
// official Stripe SDK pointed at it.
import Stripe from 'stripe';
import { createAccount, type CreatedAccount } from '../../src/accounts/accounts.js';
import type { WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.js';
import type { JobWorker } from '../../src/jobs/worker.js';
import { createKassa, startWorkers } from '../../src/kassa.js';
import type { FeeRule } from '../../src/money/fees.js';
import type { PaymentNetwork } from '../../src/network/network.js';
import type { Clock } from '../../src/server/clock.js';
import type { ServerTimeouts } from '../../src/server/timeouts.js';
import { openStore, type Store, type StoreConfig } from '../../src/store/store.js';
import { MIGRATIONS } from '../../src/schema.js';

export interface TestKassa {
  url: string;
  port: number;
  store: Store;
  account: CreatedAccount;
  /** The official SDK with the account's secret key. */
  stripe: Stripe;
  clientFor(secretKey: string, options?: Stripe.StripeConfig): Stripe;
  newAccount(): Promise<CreatedAccount>;
  /** A new account and the SDK with its secret key, so that a test sees only its own objects. */
  freshClient(): Promise<{ stripe: Stripe; accountId: string }>;
  /** The server's job worker; `jobs.runDueJobs()` runs what is due by the server's clock and resolves when it has. */
  jobs: JobWorker;
  /** The server's webhook dispatcher; `webhooks.runDue()` delivers what is due by the server's clock and resolves when the outcomes are recorded. */
  webhooks: WebhookDispatcher;
  close(): Promise<void>;
}

export const testClock = () => {
  let now = Math.floor(Date.now() / 1000);
  const clock: Clock & { set(t: number): void; advance(s: number): void } = {
    now: () => now,
    set: (t) => (now = t),
    advance: (s) => (now += s),
  };
  return clock;
};

export interface StartOptions {
  clock?: Clock;
  feeRule?: FeeRule;
  /** The job worker's and webhook dispatcher's poll interval in milliseconds (as `kassa serve`, they run in the background). */
  jobPollMs?: number;
  timeouts?: Partial<ServerTimeouts>;
  /** The card network; the simulated one by default. */
  network?: PaymentNetwork;
}

export async function startKassa(config: StoreConfig, options: StartOptions = {}): Promise<TestKassa> {
  const store = await openStore(config, MIGRATIONS);
  // Webhook retries without jitter, so that tests know when they come.
  const app = createKassa({
    store,
    clock: options.clock,
    feeRule: options.feeRule,
    network: options.network,
    logger: false,
    webhookJitter: () => 0,
    timeouts: options.timeouts,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  startWorkers(app, { pollMs: options.jobPollMs ?? 100 });
  const port = (app.server.address() as { port: number }).port;
  const clientFor = (secretKey: string, extra: Stripe.StripeConfig = {}) =>
    new Stripe(secretKey, {
      host: '127.0.0.1',
      port,
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
      ...extra,
    });
  const newAccount = () => createAccount(store, { now: Math.floor(Date.now() / 1000) });
  const account = await newAccount();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    account,
    stripe: clientFor(account.secret_key),
    clientFor,
    newAccount,
    async freshClient() {
      const created = await newAccount();
      return { stripe: clientFor(created.secret_key), accountId: created.id };
    },
    jobs: app.jobs,
    webhooks: app.webhooks,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
