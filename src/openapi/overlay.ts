// Corrections to Stripe's parameter schemas (operations.json, API 2023-08-16):
// parameters Stripe added since, which the current SDK sends, and the card
// data that Stripe.js sends but Stripe's public description leaves out.
import type { ParamSchema } from '../server/params.js';

type Patch = (params: ParamSchema) => ParamSchema;

const unsettableString = (maxLength: number): ParamSchema => ({
  anyOf: [
    { type: 'string', maxLength },
    { type: 'string', enum: [''] },
  ],
});

function addProperties(extra: Record<string, ParamSchema>): Patch {
  return (params) => ({ ...params, properties: { ...params.properties, ...extra } });
}

const CARD_DATA: ParamSchema = {
  anyOf: [
    {
      type: 'object',
      properties: {
        cvc: { type: 'string', maxLength: 5000 },
        exp_month: { type: 'integer' },
        exp_year: { type: 'integer' },
        number: { type: 'string', maxLength: 5000 },
        networks: { type: 'object', properties: { preferred: { type: 'string', maxLength: 5000 } } },
      },
      required: ['exp_month', 'exp_year', 'number'],
    },
    { type: 'object', properties: { token: { type: 'string', maxLength: 5000 } }, required: ['token'] },
  ],
};

/** `payment_method_data[type]=card` with `payment_method_data[card][...]`, as Stripe.js confirms with a card Element. */
const cardPaymentMethodData: Patch = (params) => {
  const data = params.properties?.payment_method_data;
  if (!data?.properties?.type) return params;
  const type = { ...data.properties.type, enum: [...(data.properties.type.enum ?? []), 'card'] };
  return {
    ...params,
    properties: {
      ...params.properties,
      payment_method_data: { ...data, properties: { ...data.properties, type, card: CARD_DATA } },
    },
  };
};

const customerFields = addProperties({
  business_name: unsettableString(150),
  individual_name: unsettableString(150),
  validate: { type: 'boolean' },
});

const PAYMENT_METHOD_TYPES: ParamSchema = { type: 'array', items: { type: 'string', maxLength: 5000 } };

/** API 2026 lets intents name their payment method types with these (SDK v23 no longer types `payment_method_types`). */
const paymentMethodTypeLists = addProperties({
  allowed_payment_method_types: PAYMENT_METHOD_TYPES,
  excluded_payment_method_types: { anyOf: [PAYMENT_METHOD_TYPES, { type: 'string', enum: [''] }] },
});

const MARKETING_FEATURES: ParamSchema = {
  type: 'array',
  items: { type: 'object', properties: { name: { type: 'string', maxLength: 5000 } }, required: ['name'] },
};

/** A product's `features` became `marketing_features` (API 2024-04-10); `type` is what the SDK still sends. */
const productFields =
  (options: { create: boolean }): Patch =>
  (params) => {
    const { features: _renamed, ...properties } = params.properties ?? {};
    const created: Record<string, ParamSchema> = options.create
      ? { type: { type: 'string', enum: ['good', 'service'] } }
      : {};
    const priceData = properties.default_price_data;
    if (priceData?.properties) {
      properties.default_price_data = {
        ...priceData,
        properties: { ...priceData.properties, metadata: { type: 'object', additionalProperties: { type: 'string' } } },
      };
    }
    return {
      ...params,
      properties: {
        ...properties,
        ...created,
        marketing_features: options.create
          ? MARKETING_FEATURES
          : { anyOf: [MARKETING_FEATURES, { type: 'string', enum: [''] }] },
      },
    };
  };

/** Billing meters (API 2025-03-31) replaced `aggregate_usage`; a price's `recurring` takes `trial_period_days`. */
const recurringFields: Patch = (params) => {
  const recurring = params.properties?.recurring;
  if (!recurring?.properties) return params;
  const { aggregate_usage: _removed, ...properties } = recurring.properties;
  return {
    ...params,
    properties: {
      ...params.properties,
      recurring: { ...recurring, properties: { ...properties, trial_period_days: { type: 'integer' } } },
    },
  };
};

/** `aggregate_usage` was removed from plans with it. */
const withoutAggregateUsage: Patch = (params) => {
  const { aggregate_usage: _removed, ...properties } = params.properties ?? {};
  return { ...params, properties };
};

const PATCHES: Record<string, Patch[]> = {
  PostPlans: [withoutAggregateUsage],
  PostPrices: [recurringFields],
  PostProducts: [productFields({ create: true })],
  PostProductsId: [productFields({ create: false })],
  PostCustomers: [customerFields],
  PostCustomersCustomer: [customerFields],
  PostPaymentIntents: [cardPaymentMethodData, paymentMethodTypeLists],
  PostPaymentIntentsIntent: [cardPaymentMethodData, paymentMethodTypeLists],
  PostPaymentIntentsIntentConfirm: [cardPaymentMethodData],
  PostSetupIntents: [cardPaymentMethodData, paymentMethodTypeLists],
  PostSetupIntentsIntent: [cardPaymentMethodData, paymentMethodTypeLists],
  PostSetupIntentsIntentConfirm: [cardPaymentMethodData],
};

export function applyOverlay(operationId: string, params: ParamSchema): ParamSchema {
  return (PATCHES[operationId] ?? []).reduce((schema, patch) => patch(schema), params);
}
