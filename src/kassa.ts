// The composition root: the protocol layer with every capability's routes.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { customerRoutes } from './customers/routes.js';
import { eventRoutes } from './events/routes.js';
import { WEBHOOK_DELIVERY_JOB, type JitterSource } from './webhooks/webhook-delivery.js';
import { createWebhookDispatcher, type WebhookDispatcher } from './webhooks/webhook-dispatcher.js';
import { stripeCliRoutes } from './listen/stripe-cli-routes.js';
import { registerStripeCliSocket } from './listen/stripe-cli-socket.js';
import { webhookAttemptRoutes } from './webhooks/webhook-attempt-routes.js';
import { webhookChaosRoutes } from './webhooks/webhook-chaos-routes.js';
import { webhookEndpointRoutes } from './webhooks/webhook-endpoint-routes.js';
import type { JobHandler } from './jobs/jobs.js';
import { createJobWorker, type JobWorker } from './jobs/worker.js';
import { registerKassaJs } from './kassa-js/routes.js';
import { DEFAULT_FEE_RULE, type FeeRule } from './money/fees.js';
import { createSimulatedNetwork, type PaymentNetwork } from './network/network.js';
import { paymentJobs, paymentRoutes, type PaymentSettings } from './payments/index.js';
import { registerChallengePage } from './payments/challenge-page.js';
import { paymentIntentFinisher } from './payments/payment-intent-confirm.js';
import { setupIntentFinisher } from './payments/setup-intent-confirm.js';
import { registerReceiptPage } from './payments/receipt-page.js';
import { buildApp } from './server/app.js';
import { systemClock, type Clock } from './server/clock.js';
import type { Route } from './server/route.js';
import type { ServerTimeouts } from './server/timeouts.js';
import type { Store } from './store/store.js';

const DEFAULT_SETTINGS: PaymentSettings = { feeRule: DEFAULT_FEE_RULE };

export function kassaRoutes(settings: PaymentSettings = DEFAULT_SETTINGS): Route[] {
  return [...customerRoutes, ...eventRoutes, ...webhookEndpointRoutes, ...webhookAttemptRoutes, ...webhookChaosRoutes, ...stripeCliRoutes, ...paymentRoutes(settings)];
}

/** Every capability's handlers for scheduled work, by kind (webhook deliveries have their own dispatcher). */
export function kassaJobs(): JobHandler[] {
  return [...paymentJobs];
}

/** The route table (with default settings): what docs/coverage.md is made from. */
export const ROUTES: Route[] = kassaRoutes();

export interface KassaOptions {
  store: Store;
  clock?: Clock;
  /** The processing fee on charges; 2.9% + 30 cents by default. */
  feeRule?: FeeRule;
  /** The card network; the simulated one by default. */
  network?: PaymentNetwork;
  logger?: Logger | false;
  /** How long a webhook delivery waits for the endpoint's response; 10 s by default. */
  webhookTimeoutMs?: number;
  /** Jitter on webhook retries, a number in [0, 1); random by default (tests pass `() => 0`). */
  webhookJitter?: JitterSource;
  /** How long a client may take to send headers, a whole request, and stay idle; DEFAULT_TIMEOUTS by default. */
  timeouts?: Partial<ServerTimeouts>;
}

export function createKassa(options: KassaOptions): FastifyInstance {
  const clock = options.clock ?? systemClock;
  const network = options.network ?? createSimulatedNetwork();
  const app = buildApp({ store: options.store, clock, routes: options.feeRule ? kassaRoutes({ feeRule: options.feeRule }) : ROUTES, network, logger: options.logger, timeouts: options.timeouts });
  // The worker runs only once startWorkers() is called; closing the app stops it.
  const jobs = createJobWorker({ store: options.store, clock, network, handlers: kassaJobs(), logger: options.logger, kinds: { except: [WEBHOOK_DELIVERY_JOB] } });
  app.decorate('jobs', jobs);
  app.addHook('onClose', () => jobs.stop());
  const webhooks = createWebhookDispatcher({ store: options.store, clock, timeoutMs: options.webhookTimeoutMs, jitter: options.webhookJitter, logger: options.logger });
  app.decorate('webhooks', webhooks);
  app.addHook('onClose', () => webhooks.stop());
  registerReceiptPage(app, options.store);
  const settings: PaymentSettings = options.feeRule ? { feeRule: options.feeRule } : DEFAULT_SETTINGS;
  registerStripeCliSocket(app, { store: options.store, clock, logger: options.logger });
  registerChallengePage(app, { store: options.store, clock, network, finishers: { payment_intent: paymentIntentFinisher(settings), setup_intent: setupIntentFinisher } });
  registerKassaJs(app);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's job worker (scheduled work such as refunds settling later). */
    jobs: JobWorker;
    /** The app's webhook dispatcher. */
    webhooks: WebhookDispatcher;
  }
}

/**
 * Starts a Kassa app's background work: the job worker and the webhook
 * dispatcher, polling every `pollMs` milliseconds (1 s by default; the
 * dispatcher also wakes at once on this process's commits). `kassa serve` and
 * the test harness call it; closing the app stops it.
 */
export function startWorkers(app: FastifyInstance, options: { pollMs?: number } = {}): void {
  app.jobs.start(options.pollMs);
  app.webhooks.start(options.pollMs);
}
