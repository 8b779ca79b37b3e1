// Card payments: PaymentMethods, PaymentIntents, charges.
import type { JobHandler } from '../jobs/jobs.js';
import type { Route } from '../server/route.js';
import { balanceJobs } from './balance-ledger.js';
import { balanceRoutes } from './balance-routes.js';
import { chargeRoutes } from './charges-routes.js';
import type { PaymentSettings } from './payment-intent-confirm.js';
import { paymentIntentRoutes } from './payment-intents-routes.js';
import { paymentMethodRoutes } from './payment-methods-routes.js';
import { registerCustomerHooks } from './customer-hooks.js';
import { registerPublicViews } from './public-view.js';
import { refundJobs } from './refund-lifecycle.js';
import { refundRoutes } from './refunds-routes.js';
import { setupIntentRoutes } from './setup-intents-routes.js';

export type { PaymentSettings } from './payment-intent-confirm.js';

registerCustomerHooks();
registerPublicViews();

export function paymentRoutes(settings: PaymentSettings): Route[] {
  return [...paymentMethodRoutes, ...paymentIntentRoutes(settings), ...setupIntentRoutes, ...chargeRoutes, ...refundRoutes, ...balanceRoutes];
}

/** Work done later: refunds settling or failing at the network, funds becoming available. */
export const paymentJobs: JobHandler[] = [...refundJobs, ...balanceJobs];
