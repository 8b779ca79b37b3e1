// How `kassa trigger` causes the tax rate events.
import { TRIGGERED, type TriggerRecipe, type TriggerStep } from '../events/trigger-recipe.js';

const taxRate: TriggerStep = {
  name: 'tax_rate',
  method: 'post',
  path: '/v1/tax_rates',
  params: { display_name: 'VAT', description: TRIGGERED, percentage: 19, inclusive: false, country: 'DE' },
};

export const taxRateTriggerRecipes: Readonly<Record<string, TriggerRecipe>> = {
  'tax_rate.created': { steps: [taxRate] },
  'tax_rate.updated': {
    steps: [
      taxRate,
      {
        name: 'tax_rate_updated',
        method: 'post',
        path: '/v1/tax_rates/${tax_rate:id}',
        params: { metadata: { foo: 'bar' } },
      },
    ],
  },
};
