// The composition root: the protocol layer with every capability's routes.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { customerRoutes } from './customers/routes.js';
import { eventRoutes } from './events/routes.js';
import { DEFAULT_FEE_RULE, type FeeRule } from './money/fees.js';
import { createSimulatedNetwork, type PaymentNetwork } from './network/network.js';
import { paymentRoutes, type PaymentSettings } from './payments/index.js';
import { registerReceiptPage } from './payments/receipt-page.js';
import { buildApp } from './server/app.js';
import { systemClock, type Clock } from './server/clock.js';
import type { Route } from './server/route.js';
import type { Store } from './store/store.js';

const DEFAULT_SETTINGS: PaymentSettings = { feeRule: DEFAULT_FEE_RULE };

export function kassaRoutes(settings: PaymentSettings = DEFAULT_SETTINGS): Route[] {
  return [...customerRoutes, ...eventRoutes, ...paymentRoutes(settings)];
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
}

export function createKassa(options: KassaOptions): FastifyInstance {
  const app = buildApp({ store: options.store, clock: options.clock ?? systemClock, routes: options.feeRule ? kassaRoutes({ feeRule: options.feeRule }) : ROUTES, network: options.network ?? createSimulatedNetwork(), logger: options.logger });
  registerReceiptPage(app, options.store);
  return app;
}
