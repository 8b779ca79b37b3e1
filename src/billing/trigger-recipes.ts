// How `kassa trigger` causes the catalog's events.
import { TRIGGERED, type TriggerRecipe, type TriggerStep } from '../events/trigger-recipe.js';

const product: TriggerStep = {
  name: 'product',
  method: 'post',
  path: '/v1/products',
  params: { name: 'myproduct', description: TRIGGERED },
};

const price: TriggerStep = {
  name: 'price',
  method: 'post',
  path: '/v1/prices',
  params: { product: '${product:id}', unit_amount: 1500, currency: 'usd' },
};

const plan: TriggerStep = {
  name: 'plan',
  method: 'post',
  path: '/v1/plans',
  params: { product: { name: 'myproduct' }, amount: 2000, currency: 'usd', interval: 'month' },
};

export const billingTriggerRecipes: Readonly<Record<string, TriggerRecipe>> = {
  'plan.created': { steps: [plan] },
  'plan.deleted': { steps: [plan, { name: 'plan_deleted', method: 'delete', path: '/v1/plans/${plan:id}' }] },
  'plan.updated': {
    steps: [
      plan,
      { name: 'plan_updated', method: 'post', path: '/v1/plans/${plan:id}', params: { metadata: { foo: 'bar' } } },
    ],
  },
  'price.created': { steps: [product, price] },
  // Prices are deleted only with their plan.
  'price.deleted': { steps: [plan, { name: 'plan_deleted', method: 'delete', path: '/v1/plans/${plan:id}' }] },
  'price.updated': {
    steps: [
      product,
      price,
      { name: 'price_updated', method: 'post', path: '/v1/prices/${price:id}', params: { metadata: { foo: 'bar' } } },
    ],
  },
  'product.created': { steps: [product] },
  'product.deleted': {
    steps: [product, { name: 'product_deleted', method: 'delete', path: '/v1/products/${product:id}' }],
  },
  'product.updated': {
    steps: [
      product,
      {
        name: 'product_updated',
        method: 'post',
        path: '/v1/products/${product:id}',
        params: { metadata: { foo: 'bar' } },
      },
    ],
  },
};
