// Tax rate rules: plain functions from (tax rate, parameters, now) to the new
// tax rate. A rate's percentage and whether it is inclusive never change once
// it is made (Stripe: make a new rate and archive the old one).
import type Stripe from 'stripe';
import { invalidParam } from '../server/errors.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';

export type TaxRate = Stripe.TaxRate;

/** Parameters after the protocol layer checked them. */
export interface TaxRateParams {
  active?: boolean;
  country?: string;
  description?: string;
  display_name?: string;
  jurisdiction?: string;
  metadata?: Metadata | '';
  state?: string;
  tax_type?: string;
}

export interface TaxRateCreateParams extends TaxRateParams {
  display_name: string;
  inclusive: boolean;
  percentage: number;
}

/** Stripe keeps a rate's percentage to four decimal places, between 0 and 100. */
const MAX_DECIMALS = 4;

export function newTaxRate(id: string, params: TaxRateCreateParams, now: number): TaxRate {
  checkPercentage(params.percentage);
  const rate: TaxRate = {
    id,
    object: 'tax_rate',
    active: true,
    country: null,
    created: now,
    description: null,
    display_name: params.display_name,
    effective_percentage: null,
    flat_amount: null,
    inclusive: params.inclusive,
    jurisdiction: null,
    jurisdiction_level: null,
    livemode: false,
    metadata: {},
    percentage: params.percentage,
    rate_type: 'percentage',
    state: null,
    tax_type: null,
  };
  return applyTaxRateParams(rate, params);
}

export function applyTaxRateParams(rate: TaxRate, params: TaxRateParams): TaxRate {
  const next: TaxRate = { ...rate };
  if (params.active !== undefined) next.active = params.active;
  if (params.country !== undefined) next.country = countryCode(params.country);
  if (params.description !== undefined) next.description = params.description || null;
  if (params.display_name !== undefined) next.display_name = displayName(params.display_name);
  if (params.jurisdiction !== undefined) next.jurisdiction = params.jurisdiction || null;
  if (params.metadata !== undefined) next.metadata = applyMetadata(rate.metadata ?? {}, params.metadata);
  if (params.state !== undefined) next.state = params.state || null;
  if (params.tax_type !== undefined) next.tax_type = params.tax_type;
  return next;
}

function checkPercentage(percentage: number): void {
  if (!Number.isFinite(percentage) || percentage < 0 || percentage > 100)
    throw invalidParam('Invalid percentage: must be between 0 and 100.', 'percentage');
  const [, decimals = ''] = String(percentage).split('.');
  if (decimals.length > MAX_DECIMALS || String(percentage).includes('e'))
    throw invalidParam(
      `Invalid decimal: ${percentage}; must contain at maximum ${MAX_DECIMALS} decimal places.`,
      'percentage',
    );
}

function countryCode(country: string): string | null {
  if (country === '') return null;
  if (!/^[A-Za-z]{2}$/.test(country))
    throw invalidParam(
      `Country '${country}' is unknown. Try using a 2-character alphanumeric country code instead, such as 'US', 'EG', or 'GB'.`,
      'country',
    );
  return country.toUpperCase();
}

function displayName(name: string): string {
  if (name.trim() === '') throw invalidParam('The display_name of a tax rate cannot be empty.', 'display_name');
  return name;
}
