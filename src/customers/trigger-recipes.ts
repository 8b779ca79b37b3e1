// How `kassa trigger` causes the customer events.
import { TRIGGERED, type TriggerRecipe, type TriggerStep } from '../events/trigger-recipe.js';

const customer: TriggerStep = {
  name: 'customer',
  method: 'post',
  path: '/v1/customers',
  params: { description: TRIGGERED },
};

export const customerTriggerRecipes: Readonly<Record<string, TriggerRecipe>> = {
  'customer.created': { steps: [customer] },
  'customer.deleted': {
    steps: [customer, { name: 'customer_deleted', method: 'delete', path: '/v1/customers/${customer:id}' }],
  },
  'customer.tax_id.created': {
    steps: [
      { ...customer, params: { description: TRIGGERED, tax_id_data: [{ type: 'eu_vat', value: 'DE123456789' }] } },
    ],
  },
  'customer.updated': {
    steps: [
      customer,
      {
        name: 'customer_updated',
        method: 'post',
        path: '/v1/customers/${customer:id}',
        params: { metadata: { foo: 'bar' } },
      },
    ],
  },
};
