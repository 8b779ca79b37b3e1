// Price rules: plain functions from (parameters, now) to a new price, and from
// (price, parameters) to the updated one. No HTTP, no database. Amounts are
// integer minor units; `unit_amount_decimal` is a decimal string kept exact.
// A price's tiers and currency options appear only when expanded, so they are
// kept beside the document (PriceExtras), not in it.
import type Stripe from 'stripe';
import { checkCurrency } from '../money/currencies.js';
import { invalidParam } from '../server/errors.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';

export type Price = Stripe.Price;
/** A decimal amount as the SDK's types spell it (`Stripe.Decimal`); on the wire, and here, a string. */
type Decimal = NonNullable<Stripe.Price['unit_amount_decimal']>;
const asDecimal = (text: string) => text as unknown as Decimal;
type Interval = 'day' | 'week' | 'month' | 'year';
type TaxBehavior = 'exclusive' | 'inclusive' | 'unspecified';

export interface TierParams {
  up_to: number | 'inf';
  unit_amount?: number;
  unit_amount_decimal?: string;
  flat_amount?: number;
  flat_amount_decimal?: string;
}

export interface CurrencyOptionParams {
  custom_unit_amount?: CustomUnitAmountParams;
  tax_behavior?: TaxBehavior;
  tiers?: TierParams[];
  unit_amount?: number;
  unit_amount_decimal?: string;
}

export interface CustomUnitAmountParams {
  enabled: boolean;
  maximum?: number;
  minimum?: number;
  preset?: number;
}

/** What a price is made from, whichever route it came through (prices, plans, a product's default price). */
export interface PriceParams {
  currency: string;
  active?: boolean;
  billing_scheme?: 'per_unit' | 'tiered';
  currency_options?: Record<string, CurrencyOptionParams>;
  custom_unit_amount?: CustomUnitAmountParams;
  lookup_key?: string;
  metadata?: Metadata | '';
  nickname?: string;
  recurring?: {
    interval: Interval;
    interval_count?: number;
    usage_type?: 'licensed' | 'metered';
    trial_period_days?: number;
  };
  tax_behavior?: TaxBehavior;
  tiers?: TierParams[];
  tiers_mode?: 'graduated' | 'volume';
  transform_quantity?: { divide_by: number; round: 'down' | 'up' };
  unit_amount?: number;
  unit_amount_decimal?: string;
}

export interface PriceUpdateParams {
  active?: boolean;
  currency_options?: Record<string, CurrencyOptionParams> | '';
  lookup_key?: string;
  metadata?: Metadata | '';
  nickname?: string;
  tax_behavior?: TaxBehavior;
}

/** What a price shows only when expanded. */
export interface PriceExtras {
  tiers?: Stripe.Price.Tier[];
  currency_options?: Record<string, Stripe.Price.CurrencyOptions>;
}

/** The fields of PriceParams whose request names differ by route. */
export type PriceField =
  | 'unit_amount'
  | 'unit_amount_decimal'
  | 'billing_scheme'
  | 'tiers'
  | 'tiers_mode'
  | 'transform_quantity'
  | 'interval_count'
  | 'trial_period_days'
  | 'custom_unit_amount'
  | 'currency_options'
  | 'currency';

/** How a route names each price field in its requests, for the `param` of errors. */
export type ParamNames = (field: PriceField) => string;

export const PRICE_PARAMS: ParamNames = (field) =>
  field === 'interval_count' || field === 'trial_period_days' ? `recurring[${field}]` : field;

/** The names under a hash parameter: `default_price_data[unit_amount]`. */
export const nestedParams =
  (parent: string, names: ParamNames = PRICE_PARAMS): ParamNames =>
  (field) =>
    names(field).replace(/^([a-z_]+)/, `${parent}[$1]`);

/** Stripe's longest billing interval: one year, in each unit. */
const MAX_INTERVAL_COUNT: Record<Interval, number> = { day: 365, week: 52, month: 12, year: 1 };
const MAX_TRIAL_DAYS = 730;
const DECIMAL = /^\d+(?:\.\d+)?$/;
const MAX_DECIMAL_PLACES = 12;

export function newPrice(
  id: string,
  product: string,
  params: PriceParams,
  now: number,
  names: ParamNames = PRICE_PARAMS,
): { price: Price; extras: PriceExtras } {
  const currency = checkCurrency(params.currency, names('currency')).code;
  const scheme = params.billing_scheme || 'per_unit';
  const recurring = params.recurring ? recurringOf(params.recurring, names) : null;
  const transform = params.transform_quantity ? transformOf(params.transform_quantity, names) : null;
  const amounts = priceAmounts(params, scheme, recurring !== null, transform !== null, names);
  const price: Price = {
    id,
    object: 'price',
    active: params.active ?? true,
    billing_scheme: scheme,
    created: now,
    currency,
    custom_unit_amount: amounts.custom_unit_amount,
    livemode: false,
    lookup_key: params.lookup_key || null,
    metadata: applyMetadata({}, params.metadata),
    nickname: params.nickname || null,
    product,
    recurring,
    tax_behavior: params.tax_behavior || 'unspecified',
    tiers_mode: amounts.tiers_mode,
    transform_quantity: transform,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: amounts.unit_amount,
    unit_amount_decimal: amounts.unit_amount_decimal,
  };
  const extras: PriceExtras = {};
  if (amounts.tiers) extras.tiers = amounts.tiers;
  if (params.currency_options) extras.currency_options = currencyOptions(price, params.currency_options, names);
  return { price, extras };
}

/** Applies what `POST /v1/prices/{price}` may change. A lookup key's transfer is the route's (it touches another price). */
export function applyPriceUpdate(
  price: Price,
  extras: PriceExtras,
  params: PriceUpdateParams,
): { price: Price; extras: PriceExtras } {
  const next: Price = { ...price };
  if (params.active !== undefined) next.active = params.active;
  if (params.lookup_key !== undefined) next.lookup_key = params.lookup_key || null;
  next.metadata = applyMetadata(price.metadata, params.metadata);
  if (params.nickname !== undefined) next.nickname = params.nickname || null;
  if (params.tax_behavior !== undefined && params.tax_behavior !== price.tax_behavior) {
    if (price.tax_behavior !== 'unspecified' && price.tax_behavior !== null) {
      throw invalidParam(
        `Tax behavior cannot be changed once it is set to '${price.tax_behavior}'. You can only set it on a price whose tax behavior is unspecified.`,
        'tax_behavior',
      );
    }
    next.tax_behavior = params.tax_behavior;
  }
  let nextExtras = extras;
  if (params.currency_options !== undefined) {
    const { currency_options: _old, ...rest } = extras;
    nextExtras =
      params.currency_options === ''
        ? rest
        : { ...rest, currency_options: currencyOptions(next, params.currency_options, PRICE_PARAMS) };
  }
  return { price: next, extras: nextExtras };
}

function recurringOf(params: NonNullable<PriceParams['recurring']>, names: ParamNames): Stripe.Price.Recurring {
  const count = params.interval_count ?? 1;
  if (count < 1) {
    throw invalidParam('Invalid interval_count: must be at least 1.', names('interval_count'));
  }
  if (count > MAX_INTERVAL_COUNT[params.interval]) {
    throw invalidParam(
      `The maximum billing interval is one year (1 year, 12 months, 52 weeks or 365 days); ${count} ${params.interval}s is longer.`,
      names('interval_count'),
    );
  }
  const trial = params.trial_period_days;
  if (trial !== undefined && (trial < 0 || trial > MAX_TRIAL_DAYS)) {
    throw invalidParam(
      `Invalid trial_period_days: must be between 0 and ${MAX_TRIAL_DAYS}.`,
      names('trial_period_days'),
    );
  }
  return {
    interval: params.interval,
    interval_count: count,
    meter: null,
    trial_period_days: trial ?? null,
    usage_type: params.usage_type || 'licensed',
  };
}

function transformOf(
  params: NonNullable<PriceParams['transform_quantity']>,
  names: ParamNames,
): Stripe.Price.TransformQuantity {
  if (params.divide_by < 1) {
    throw invalidParam(
      'This value must be greater than or equal to 1.',
      `${names('transform_quantity')}[divide_by]`,
      'parameter_invalid_integer',
    );
  }
  return { divide_by: params.divide_by, round: params.round };
}

interface Amounts {
  unit_amount: number | null;
  unit_amount_decimal: Decimal | null;
  custom_unit_amount: Stripe.Price.CustomUnitAmount | null;
  tiers_mode: Stripe.Price.TiersMode | null;
  tiers?: Stripe.Price.Tier[];
}

function priceAmounts(
  params: PriceParams,
  scheme: 'per_unit' | 'tiered',
  recurring: boolean,
  transform: boolean,
  names: ParamNames,
): Amounts {
  const custom = params.custom_unit_amount?.enabled ? params.custom_unit_amount : undefined;
  if (scheme === 'tiered') {
    for (const field of ['unit_amount', 'unit_amount_decimal', 'custom_unit_amount'] as const) {
      if (params[field] !== undefined) {
        throw invalidParam(
          `You may not pass ${names(field)} when ${names('billing_scheme')} is \`tiered\`: the amounts are in ${names('tiers')}.`,
          names(field),
        );
      }
    }
    if (!params.tiers_mode) throw missing(names('tiers_mode'));
    if (!params.tiers || params.tiers.length === 0) throw missing(names('tiers'));
    if (transform) {
      throw invalidParam(
        `${names('transform_quantity')} cannot be combined with ${names('tiers')}.`,
        names('transform_quantity'),
      );
    }
    return {
      unit_amount: null,
      unit_amount_decimal: null,
      custom_unit_amount: null,
      tiers_mode: params.tiers_mode,
      tiers: tiersOf(params.tiers, names('tiers')),
    };
  }
  if (params.tiers !== undefined) {
    throw invalidParam(
      `You may only pass ${names('tiers')} when ${names('billing_scheme')} is \`tiered\`.`,
      names('tiers'),
    );
  }
  if (params.tiers_mode !== undefined) {
    throw invalidParam(
      `You may only pass ${names('tiers_mode')} when ${names('billing_scheme')} is \`tiered\`.`,
      names('tiers_mode'),
    );
  }
  if (custom) {
    if (recurring) {
      throw invalidParam(
        `${names('custom_unit_amount')} is only supported for one-time prices.`,
        names('custom_unit_amount'),
      );
    }
    for (const field of ['unit_amount', 'unit_amount_decimal'] as const) {
      if (params[field] !== undefined) {
        throw invalidParam(
          `You may only specify one of these parameters: ${names(field)}, ${names('custom_unit_amount')}.`,
          names(field),
        );
      }
    }
    return {
      unit_amount: null,
      unit_amount_decimal: null,
      custom_unit_amount: customUnitAmount(custom, names('custom_unit_amount')),
      tiers_mode: null,
    };
  }
  const amount = unitAmount(params, names('unit_amount'), names('unit_amount_decimal'), true);
  return { ...amount, custom_unit_amount: null, tiers_mode: null };
}

/** `unit_amount` or `unit_amount_decimal` (one of them; `required` says whether neither is an error). */
function unitAmount(
  params: { unit_amount?: number; unit_amount_decimal?: string },
  amountName: string,
  decimalName: string,
  required: boolean,
): { unit_amount: number | null; unit_amount_decimal: Decimal | null } {
  if (params.unit_amount !== undefined && params.unit_amount_decimal !== undefined) {
    throw invalidParam(`You may only specify one of these parameters: ${amountName}, ${decimalName}.`, decimalName);
  }
  if (params.unit_amount !== undefined) {
    nonNegative(params.unit_amount, amountName);
    return { unit_amount: params.unit_amount, unit_amount_decimal: asDecimal(String(params.unit_amount)) };
  }
  if (params.unit_amount_decimal !== undefined) {
    const decimal = exactDecimal(params.unit_amount_decimal, decimalName);
    return { unit_amount: /^\d+$/.test(decimal) ? integerOf(decimal) : null, unit_amount_decimal: asDecimal(decimal) };
  }
  if (required) throw missing(amountName);
  return { unit_amount: null, unit_amount_decimal: null };
}

/**
 * A decimal amount in minor units, as written: digits, and at most 12 after
 * the point. Leading zeros and trailing fractional zeros are dropped, so
 * `0150.50` is `150.5` and `100.00` is `100`; the value never passes through a float.
 */
export function exactDecimal(value: string, param: string): string {
  if (!DECIMAL.test(value)) throw invalidParam(`Invalid decimal: ${value.slice(0, 40)}`, param);
  const [whole, fraction = ''] = value.split('.');
  const trimmedFraction = fraction.replace(/0+$/, '');
  if (trimmedFraction.length > MAX_DECIMAL_PLACES) {
    throw invalidParam(`Invalid decimal: ${value.slice(0, 40)}; at most ${MAX_DECIMAL_PLACES} decimal places.`, param);
  }
  const trimmedWhole = whole.replace(/^0+(?=\d)/, '');
  return trimmedFraction ? `${trimmedWhole}.${trimmedFraction}` : trimmedWhole;
}

function integerOf(digits: string): number | null {
  const number = Number(digits);
  return Number.isSafeInteger(number) ? number : null;
}

function nonNegative(value: number, param: string): void {
  if (value < 0) {
    throw invalidParam('This value must be greater than or equal to 0.', param, 'parameter_invalid_integer');
  }
}

function missing(param: string) {
  return invalidParam(`Missing required param: ${param}.`, param, 'parameter_missing');
}

/**
 * Tiers in order: each `up_to` a positive integer above the one before, the
 * last (and only the last) `inf`; each tier with a unit amount, a flat amount
 * or both, each given as an integer or a decimal string, not both.
 */
export function tiersOf(tiers: readonly TierParams[], name: string): Stripe.Price.Tier[] {
  let previous = 0;
  return tiers.map((tier, index) => {
    const at = `${name}[${index}]`;
    const last = index === tiers.length - 1;
    if (tier.up_to === 'inf') {
      if (!last) {
        throw invalidParam(`Only the last tier may have up_to=inf; ${at}[up_to] is not the last.`, `${at}[up_to]`);
      }
    } else {
      if (last) {
        throw invalidParam(
          `The last tier must have up_to=inf, so that every quantity has a tier; ${at}[up_to] is ${tier.up_to}.`,
          `${at}[up_to]`,
        );
      }
      if (tier.up_to <= previous) {
        throw invalidParam(
          `Tiers must be in increasing order of up_to: ${at}[up_to] must be greater than ${previous}.`,
          `${at}[up_to]`,
        );
      }
      previous = tier.up_to;
    }
    const unit = unitAmount(tier, `${at}[unit_amount]`, `${at}[unit_amount_decimal]`, false);
    const flat = unitAmount(
      { unit_amount: tier.flat_amount, unit_amount_decimal: tier.flat_amount_decimal },
      `${at}[flat_amount]`,
      `${at}[flat_amount_decimal]`,
      false,
    );
    if (unit.unit_amount_decimal === null && flat.unit_amount_decimal === null) {
      throw invalidParam(
        `Each tier needs an amount: pass ${at}[unit_amount], ${at}[flat_amount] or their decimal forms.`,
        `${at}[unit_amount]`,
        'parameter_missing',
      );
    }
    return {
      flat_amount: flat.unit_amount,
      flat_amount_decimal: flat.unit_amount_decimal,
      unit_amount: unit.unit_amount,
      unit_amount_decimal: unit.unit_amount_decimal,
      up_to: tier.up_to === 'inf' ? null : tier.up_to,
    };
  });
}

function customUnitAmount(params: CustomUnitAmountParams, name: string): Stripe.Price.CustomUnitAmount {
  for (const field of ['minimum', 'maximum', 'preset'] as const) {
    const value = params[field];
    if (value !== undefined) nonNegative(value, `${name}[${field}]`);
  }
  const { minimum, maximum, preset } = params;
  if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
    throw invalidParam(`${name}[minimum] must not be greater than ${name}[maximum].`, `${name}[minimum]`);
  }
  if (
    preset !== undefined &&
    ((minimum !== undefined && preset < minimum) || (maximum !== undefined && preset > maximum))
  ) {
    throw invalidParam(`${name}[preset] must be between the minimum and the maximum.`, `${name}[preset]`);
  }
  return { maximum: maximum ?? null, minimum: minimum ?? null, preset: preset ?? null };
}

/**
 * The amounts in other currencies, keyed by currency (expandedCurrencyOptions
 * adds the price's own when the field is expanded). Each option
 * follows the price's billing scheme: tiers for a tiered price, a unit amount otherwise.
 */
function currencyOptions(
  price: Price,
  options: Record<string, CurrencyOptionParams>,
  names: ParamNames,
): Record<string, Stripe.Price.CurrencyOptions> {
  const name = names('currency_options');
  const out: Record<string, Stripe.Price.CurrencyOptions> = {};
  for (const [key, option] of Object.entries(options)) {
    const at = `${name}[${key}]`;
    const code = checkCurrency(key, at).code;
    if (code === price.currency) {
      throw invalidParam(`${at} repeats the price's own currency; its amount is the price's.`, at);
    }
    const entry: Stripe.Price.CurrencyOptions = {
      custom_unit_amount: null,
      tax_behavior: option.tax_behavior || 'unspecified',
      unit_amount: null,
      unit_amount_decimal: null,
    };
    if (price.billing_scheme === 'tiered') {
      if (option.unit_amount !== undefined || option.unit_amount_decimal !== undefined) {
        throw invalidParam(`A tiered price takes ${at}[tiers], not a unit amount.`, `${at}[unit_amount]`);
      }
      if (!option.tiers || option.tiers.length === 0) throw missing(`${at}[tiers]`);
      entry.tiers = tiersOf(option.tiers, `${at}[tiers]`);
    } else {
      if (option.tiers !== undefined) {
        throw invalidParam(`You may only pass ${at}[tiers] for a tiered price.`, `${at}[tiers]`);
      }
      if (option.custom_unit_amount?.enabled) {
        if (price.custom_unit_amount === null) {
          throw invalidParam(
            `${at}[custom_unit_amount] needs a price with custom_unit_amount.`,
            `${at}[custom_unit_amount]`,
          );
        }
        entry.custom_unit_amount = customUnitAmount(option.custom_unit_amount, `${at}[custom_unit_amount]`);
      } else {
        Object.assign(
          entry,
          unitAmount(option, `${at}[unit_amount]`, `${at}[unit_amount_decimal]`, price.custom_unit_amount === null),
        );
      }
    }
    out[code] = entry;
  }
  return out;
}

/** `currency_options` as expanded: the price's own currency first, then the others. */
export function expandedCurrencyOptions(
  price: Price,
  extras: PriceExtras,
): Record<string, Stripe.Price.CurrencyOptions> {
  const own: Stripe.Price.CurrencyOptions = {
    custom_unit_amount: price.custom_unit_amount,
    tax_behavior: price.tax_behavior,
    unit_amount: price.unit_amount,
    unit_amount_decimal: price.unit_amount_decimal,
  };
  if (extras.tiers) own.tiers = extras.tiers;
  return { [price.currency]: own, ...extras.currency_options };
}
