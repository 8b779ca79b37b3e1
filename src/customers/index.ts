// Customers: the resource, its tax ids, and the write hooks other capabilities join.
import type { KassaModule } from '../module.js';
import { customerIncludables, customerRoutes } from './routes.js';
import { customerTriggerRecipes } from './trigger-recipes.js';

export function customersModule(): KassaModule {
  return {
    name: 'customers',
    eventTypes: ['customer.created', 'customer.deleted', 'customer.tax_id.created', 'customer.updated'],
    idPrefixes: ['cus', 'txi'],
    triggerRecipes: customerTriggerRecipes,
    setup: ({ writeHooks }) => ({ routes: customerRoutes(writeHooks), includables: customerIncludables }),
  };
}
