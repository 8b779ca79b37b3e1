// Billing, its first slice: the product catalog and tax rates. Products,
// prices, and plans (the legacy face of recurring prices: one stored price,
// shown as a plan). Pure rules in product.ts, price.ts, plan.ts and
// tax-rate.ts; what the catalog's routes share (loading, storing a price with
// its events, lookup keys) in catalog.ts; the routes in *-routes.ts.
import type { KassaModule } from '../module.js';
import { billingMigrations } from './billing-migrations.js';
import { planRoutes } from './plans-routes.js';
import { priceIncludables, priceRoutes } from './prices-routes.js';
import { productRoutes } from './products-routes.js';
import { taxRateTriggerRecipes } from './tax-rate-trigger-recipes.js';
import { taxRateRoutes } from './tax-rates-routes.js';
import { billingTriggerRecipes } from './trigger-recipes.js';

export function billingModule(): KassaModule {
  return {
    name: 'billing',
    eventTypes: [
      'plan.created',
      'plan.deleted',
      'plan.updated',
      'price.created',
      'price.deleted',
      'price.updated',
      'product.created',
      'product.deleted',
      'product.updated',
      'tax_rate.created',
      'tax_rate.updated',
    ],
    // Plans made without an id get `price_` ids, as Stripe's now do; `plan` is claimed for the ones it once made.
    idPrefixes: ['prod', 'price', 'plan', 'txr'],
    migrations: billingMigrations,
    triggerRecipes: { ...billingTriggerRecipes, ...taxRateTriggerRecipes },
    setup: () => ({
      routes: [...productRoutes, ...priceRoutes, ...planRoutes, ...taxRateRoutes],
      includables: priceIncludables,
    }),
  };
}
