// Customer rules: plain functions from (customer, parameters, now) to the new
// customer. No HTTP, no database.
import type Stripe from 'stripe';
import { invalidParam } from '../server/errors.js';
import { randomString } from '../server/ids.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';

export type Customer = Stripe.Customer;
type Address = Stripe.Address;

/** Parameters after the protocol layer checked them: `''` means "unset". */
export interface CustomerParams {
  address?: Partial<Address> | '';
  balance?: number | '';
  business_name?: string;
  description?: string;
  email?: string;
  individual_name?: string;
  invoice_prefix?: string;
  invoice_settings?: {
    custom_fields?: Array<{ name: string; value: string }> | '';
    default_payment_method?: string;
    footer?: string;
    rendering_options?: { amount_tax_display?: string; template?: string } | '';
  };
  metadata?: Metadata | '';
  name?: string;
  next_invoice_sequence?: number | '';
  phone?: string;
  preferred_locales?: string[];
  shipping?: { address: Partial<Address>; name: string; phone?: string } | '';
  tax_exempt?: Stripe.Customer.TaxExempt | '';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INVOICE_PREFIX = /^[A-Z0-9]{3,12}$/;

export function newCustomer(id: string, params: CustomerParams, now: number): Customer {
  const blank: Customer = {
    id,
    object: 'customer',
    address: null,
    balance: 0,
    created: now,
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: randomString(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
  return applyCustomerParams(blank, params);
}

export function applyCustomerParams(customer: Customer, params: CustomerParams): Customer {
  const next: Customer = { ...customer, invoice_settings: { ...customer.invoice_settings } };
  if (params.address !== undefined) next.address = params.address === '' ? null : address(params.address);
  if (params.balance !== undefined) next.balance = params.balance === '' ? 0 : params.balance;
  if (params.description !== undefined) next.description = params.description || null;
  if (params.email !== undefined) next.email = email(params.email);
  if (params.name !== undefined) next.name = params.name || null;
  if (params.phone !== undefined) next.phone = params.phone || null;
  for (const field of ['business_name', 'individual_name'] as const) {
    const value = params[field];
    if (value === '') delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  if (params.invoice_prefix !== undefined && params.invoice_prefix !== '') {
    if (!INVOICE_PREFIX.test(params.invoice_prefix)) {
      throw invalidParam('Invoice prefix must be 3-12 uppercase letters or numbers.', 'invoice_prefix');
    }
    next.invoice_prefix = params.invoice_prefix;
  }
  if (params.invoice_settings) applyInvoiceSettings(next.invoice_settings, params.invoice_settings);
  next.metadata = applyMetadata(customer.metadata, params.metadata);
  if (params.next_invoice_sequence !== undefined && params.next_invoice_sequence !== '') {
    if (params.next_invoice_sequence < 1)
      throw invalidParam('next_invoice_sequence must be at least 1.', 'next_invoice_sequence');
    next.next_invoice_sequence = params.next_invoice_sequence;
  }
  if (params.preferred_locales !== undefined) next.preferred_locales = params.preferred_locales;
  if (params.shipping !== undefined) {
    next.shipping =
      params.shipping === ''
        ? null
        : {
            address: address(params.shipping.address),
            name: params.shipping.name,
            phone: params.shipping.phone || null,
          };
  }
  if (params.tax_exempt !== undefined) next.tax_exempt = params.tax_exempt === '' ? 'none' : params.tax_exempt;
  return next;
}

function applyInvoiceSettings(
  settings: Stripe.Customer.InvoiceSettings,
  params: NonNullable<CustomerParams['invoice_settings']>,
): void {
  if (params.custom_fields !== undefined)
    settings.custom_fields = params.custom_fields === '' ? null : params.custom_fields;
  if (params.footer !== undefined) settings.footer = params.footer || null;
  if (params.rendering_options !== undefined) {
    settings.rendering_options =
      params.rendering_options === ''
        ? null
        : {
            amount_tax_display: params.rendering_options.amount_tax_display || null,
            template: params.rendering_options.template ?? null,
          };
  }
}

function address(params: Partial<Address>): Address {
  return {
    city: params.city || null,
    country: params.country || null,
    line1: params.line1 || null,
    line2: params.line2 || null,
    postal_code: params.postal_code || null,
    state: params.state || null,
  };
}

function email(value: string): string | null {
  if (value === '') return null;
  if (!EMAIL.test(value)) throw invalidParam(`Invalid email address: ${value}`, 'email', 'email_invalid');
  return value;
}

/** What a deleted customer answers to retrieve and delete. */
export function deletedCustomer(id: string): Stripe.DeletedCustomer {
  return { id, object: 'customer', deleted: true };
}
