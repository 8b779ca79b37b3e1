// The processing fee Kassa records on a charge's balance transaction:
// a percentage of the amount plus a fixed part, Stripe's standard
// 2.9% + 30¢ by default. Operators can set their own rule, e.g.
//   KASSA_FEE_RULE='{"percent_bps":290,"fixed":{"usd":30,"jpy":0},"default_fixed":25}'
import { currency as findCurrency, type Currency } from './currencies.js';

export interface FeeRule {
  /** Percentage part in basis points: 290 = 2.90%. */
  percentBps: number;
  /** Fixed part per currency, in that currency's minor units. */
  fixed: Readonly<Record<string, number>>;
  /** Fixed part for currencies not in `fixed`; when absent, standardFixed() applies. */
  defaultFixed?: number;
}

export interface FeeDetail {
  amount: number;
  application: null;
  currency: string;
  description: string;
  type: 'stripe_fee';
}

export const DEFAULT_FEE_RULE: FeeRule = Object.freeze({ percentBps: 290, fixed: Object.freeze({}) });

/**
 * The standard fixed part: 0.30 in the currency's major unit, rounded down to
 * an amount the currency can actually charge. So 30 for two-decimal
 * currencies, 300 (0.300) for three-decimal ones, and 0 where 0.30 of a unit
 * cannot be charged: zero-decimal currencies and ISK/UGX, which only charge
 * whole units. (Stripe's own JPY pricing has no fixed part either.)
 */
export function standardFixed(c: Currency): number {
  const fixed = Math.round(0.3 * 10 ** c.exponent);
  return fixed - (fixed % c.multipleOf);
}

function fixedPart(c: Currency, rule: FeeRule): number {
  return rule.fixed[c.code] ?? rule.defaultFixed ?? standardFixed(c);
}

/**
 * The fee on a charge of `amount` minor units: percentage rounded half up,
 * plus the fixed part, never negative and never more than the amount.
 */
export function computeFee(amount: number, currencyCode: string, rule: FeeRule = DEFAULT_FEE_RULE): number {
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new RangeError(`fee amount must be a non-negative integer, got ${amount}`);
  const c = findCurrency(currencyCode);
  if (!c) throw new RangeError(`unsupported currency for fees: ${currencyCode}`);
  // BigInt: amount × bps can pass 2^53 for 12-digit amounts.
  const percent = Number((BigInt(amount) * BigInt(rule.percentBps) * 2n + 10_000n) / 20_000n);
  return Math.max(0, Math.min(amount, percent + fixedPart(c, rule)));
}

/** A balance transaction's `fee_details`; empty when there is no fee, as on Stripe. */
export function feeDetails(amount: number, currencyCode: string, rule: FeeRule = DEFAULT_FEE_RULE): FeeDetail[] {
  const fee = computeFee(amount, currencyCode, rule);
  if (fee === 0) return [];
  return [
    {
      amount: fee,
      application: null,
      currency: currencyCode.toLowerCase(),
      description: 'Stripe processing fees',
      type: 'stripe_fee',
    },
  ];
}

/**
 * The fee on a refund's balance transaction: always 0. Stripe does not charge
 * a fee to refund, and by default does not return the original charge's fee
 * either, so the refund debits exactly the refunded amount.
 */
export function refundFee(): number {
  return 0;
}

/** Reads a fee rule from JSON (the KASSA_FEE_RULE value); throws an Error naming what is wrong. */
export function parseFeeRule(json: string): FeeRule {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`Invalid fee rule: not JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(value))
    throw new Error('Invalid fee rule: expected a JSON object like {"percent_bps":290,"fixed":{"usd":30}}');
  const unknown = Object.keys(value).filter((key) => !['percent_bps', 'fixed', 'default_fixed'].includes(key));
  if (unknown.length > 0)
    throw new Error(`Invalid fee rule: unknown key ${unknown.join(', ')} (allowed: percent_bps, fixed, default_fixed)`);

  const rule: FeeRule = { percentBps: DEFAULT_FEE_RULE.percentBps, fixed: {} };
  if (value.percent_bps !== undefined) {
    rule.percentBps = integerIn(value.percent_bps, 'percent_bps', 10_000);
  }
  if (value.default_fixed !== undefined) {
    rule.defaultFixed = integerIn(value.default_fixed, 'default_fixed');
  }
  if (value.fixed !== undefined) {
    if (!isPlainObject(value.fixed))
      throw new Error('Invalid fee rule: fixed must be an object of currency code to minor units');
    const fixed: Record<string, number> = {};
    for (const [code, amount] of Object.entries(value.fixed)) {
      const c = findCurrency(code);
      if (!c) throw new Error(`Invalid fee rule: fixed.${code} is not a supported currency`);
      fixed[c.code] = integerIn(amount, `fixed.${code}`);
    }
    rule.fixed = fixed;
  }
  return rule;
}

/** The rule from KASSA_FEE_RULE, or the default when it is unset or empty. */
export function feeRuleFromEnv(env: NodeJS.ProcessEnv = process.env): FeeRule {
  const json = env.KASSA_FEE_RULE?.trim();
  return json ? parseFeeRule(json) : DEFAULT_FEE_RULE;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function integerIn(value: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new Error(`Invalid fee rule: ${name} must be an integer from 0 to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}
