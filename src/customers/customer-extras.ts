// What a customer shows only when expanded: its tax settings, cash balance
// and tax ids. Rules as plain functions; the routes store and list them.
import type Stripe from 'stripe';

/** What Kassa keeps about a customer outside its API shape. */
export interface CustomerSecret {
  tax_ip_address?: string | null;
  reconciliation_mode?: 'automatic' | 'manual' | 'merchant_default';
}

export interface ExtrasParams {
  tax?: { ip_address?: string | '' };
  cash_balance?: { settings?: { reconciliation_mode?: CustomerSecret['reconciliation_mode'] } };
}

export function applyExtras(secret: CustomerSecret, params: ExtrasParams): CustomerSecret {
  const next = { ...secret };
  if (params.tax?.ip_address !== undefined) next.tax_ip_address = params.tax.ip_address || null;
  const mode = params.cash_balance?.settings?.reconciliation_mode;
  if (mode) next.reconciliation_mode = mode;
  return next;
}

/** `customer.tax`: Stripe Tax's view of where the customer is. */
export function customerTax(customer: Stripe.Customer, secret: CustomerSecret): Stripe.Customer.Tax {
  const country = customer.address?.country ?? customer.shipping?.address?.country ?? null;
  return {
    automatic_tax: country ? 'supported' : 'unrecognized_location',
    ip_address: secret.tax_ip_address ?? null,
    location: country
      ? {
          country,
          source: customer.address?.country ? 'billing_address' : 'shipping_destination',
          state: customer.address?.state ?? null,
        }
      : null,
    provider: 'stripe',
  } as Stripe.Customer.Tax;
}

export function cashBalance(customer: Stripe.Customer, secret: CustomerSecret): Stripe.CashBalance {
  const mode = secret.reconciliation_mode ?? 'merchant_default';
  return {
    object: 'cash_balance',
    available: null,
    customer: customer.id,
    customer_account: null,
    livemode: false,
    settings: {
      reconciliation_mode: mode === 'merchant_default' ? 'automatic' : mode,
      using_merchant_default: mode === 'merchant_default',
    },
  } as Stripe.CashBalance;
}

const EU = new Set(['eu_vat', 'eu_oss_vat']);

/** A tax id from `tax_id_data[]`. The country comes from the type (`gb_vat` -> GB) or, for EU VAT, the number's prefix. */
export function newTaxId(
  id: string,
  customerId: string,
  data: { type: string; value: string },
  now: number,
): Stripe.TaxId {
  const prefix = data.type.split('_')[0];
  const country = EU.has(data.type)
    ? data.value.slice(0, 2).toUpperCase()
    : prefix.length === 2
      ? prefix.toUpperCase()
      : null;
  return {
    id,
    object: 'tax_id',
    country,
    created: now,
    customer: customerId,
    customer_account: null,
    livemode: false,
    owner: { account: null, application: null, customer: customerId, type: 'customer' },
    type: data.type,
    value: data.value,
    verification: EU.has(data.type) ? { status: 'pending', verified_address: null, verified_name: null } : null,
  } as unknown as Stripe.TaxId;
}
