// Card payments: PaymentMethods, PaymentIntents, charges.
import type { Route } from '../server/route.js';
import { chargeRoutes } from './charges-routes.js';
import type { PaymentSettings } from './confirm.js';
import { paymentIntentRoutes } from './intents-routes.js';
import { paymentMethodRoutes } from './payment-methods-routes.js';

export type { PaymentSettings } from './confirm.js';

export function paymentRoutes(settings: PaymentSettings): Route[] {
  return [...paymentMethodRoutes, ...paymentIntentRoutes(settings), ...chargeRoutes];
}
