// Plans, the legacy face of recurring prices: on Stripe a plan is a price
// (same id, same object underneath). Kassa stores one price and shows its plan
// view; these functions translate between the two. No HTTP, no database.
import type Stripe from 'stripe';
import { invalidParam } from '../server/errors.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';
import type { ParamNames, Price, PriceParams, TierParams } from './price.js';

export type Plan = Stripe.Plan;

export interface PlanParams {
  currency: string;
  interval: 'day' | 'week' | 'month' | 'year';
  active?: boolean;
  amount?: number;
  amount_decimal?: string;
  billing_scheme?: 'per_unit' | 'tiered';
  interval_count?: number;
  metadata?: Metadata | '';
  nickname?: string;
  tiers?: TierParams[];
  tiers_mode?: 'graduated' | 'volume';
  transform_usage?: { divide_by: number; round: 'down' | 'up' };
  trial_period_days?: number;
  usage_type?: 'licensed' | 'metered';
}

/** How the plan routes name the price's fields. */
export const PLAN_PARAMS: ParamNames = (field) =>
  field === 'unit_amount'
    ? 'amount'
    : field === 'unit_amount_decimal'
      ? 'amount_decimal'
      : field === 'transform_quantity'
        ? 'transform_usage'
        : field;

/** The price a plan's parameters describe. */
export function priceParamsOfPlan(params: PlanParams): PriceParams {
  return {
    currency: params.currency,
    active: params.active,
    billing_scheme: params.billing_scheme,
    metadata: params.metadata,
    nickname: params.nickname,
    recurring: {
      interval: params.interval,
      interval_count: params.interval_count,
      usage_type: params.usage_type,
      trial_period_days: params.trial_period_days,
    },
    tiers: params.tiers,
    tiers_mode: params.tiers_mode,
    transform_quantity: params.transform_usage,
    unit_amount: params.amount,
    unit_amount_decimal: params.amount_decimal,
  };
}

/** Whether the price has a plan view: only recurring prices are plans. */
export function isPlan(price: Price): boolean {
  return price.type === 'recurring' && price.recurring !== null;
}

/** The plan view of a recurring price, field for field as Stripe shows it. */
export function planOf(price: Price): Plan {
  const recurring = price.recurring as Stripe.Price.Recurring;
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    livemode: price.livemode,
    metadata: price.metadata,
    meter: recurring.meter,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: price.tiers_mode,
    transform_usage: price.transform_quantity,
    trial_period_days: recurring.trial_period_days,
    usage_type: recurring.usage_type,
  };
}

/** What a deleted plan answers to delete. */
export function deletedPlan(id: string): Stripe.DeletedPlan {
  return { id, object: 'plan', deleted: true };
}

/** The stub a deleted price's row keeps. */
export function deletedPrice(id: string): Stripe.DeletedPrice {
  return { id, object: 'price', deleted: true };
}

export interface PlanUpdateParams {
  active?: boolean;
  metadata?: Metadata | '';
  nickname?: string;
  product?: string;
  trial_period_days?: number;
}

const MAX_TRIAL_DAYS = 730;

/** Applies what `POST /v1/plans/{plan}` may change to the plan's price; the route checks that a new `product` exists. */
export function applyPlanUpdate(price: Price, params: PlanUpdateParams): Price {
  const next: Price = { ...price };
  if (params.active !== undefined) next.active = params.active;
  next.metadata = applyMetadata(price.metadata, params.metadata);
  if (params.nickname !== undefined) next.nickname = params.nickname || null;
  if (params.product !== undefined) next.product = params.product;
  const trial = params.trial_period_days;
  if (trial !== undefined && next.recurring) {
    if (trial < 0 || trial > MAX_TRIAL_DAYS) {
      throw invalidParam(`Invalid trial_period_days: must be between 0 and ${MAX_TRIAL_DAYS}.`, 'trial_period_days');
    }
    next.recurring = { ...next.recurring, trial_period_days: trial };
  }
  return next;
}
