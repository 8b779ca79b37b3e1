// PaymentMethod rules: a card PaymentMethod from a network profile, billing
// details, attach and detach. Plain functions; no HTTP, no database.
import type Stripe from 'stripe';
import type { CardProfile } from '../network/network.js';
import { invalidRequest, type StripeError } from '../server/errors.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';
import { cardError } from './card-error.js';

export type PaymentMethod = Stripe.PaymentMethod;

/** What Kassa keeps about a PaymentMethod outside the API: the card's network profile. */
export interface PaymentMethodSecret {
  card: CardProfile;
  /** The card completed authentication for later off-session use (a SetupIntent or setup_future_usage). */
  setupForOffSession?: boolean;
  /** Used for a payment without being attached to a customer, or detached: Stripe lets it be used no more. */
  spent?: boolean;
}

/** Stripe's rule: to use a PaymentMethod more than once, attach it to a customer first. The error when it may not be used, or null. */
export function reuseError(pm: PaymentMethod, secret: PaymentMethodSecret): StripeError | null {
  if (!secret.spent) return null;
  return invalidRequest(
    `The provided PaymentMethod ${pm.id} was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.`,
    { param: 'payment_method' },
  );
}

export function assertReusable(pm: PaymentMethod, secret: PaymentMethodSecret): void {
  const error = reuseError(pm, secret);
  if (error) throw error;
}

type AddressParams = Partial<Stripe.Address> | '';

export interface BillingDetailsParams {
  address?: AddressParams;
  email?: string;
  name?: string;
  phone?: string;
  tax_id?: string;
}

export interface PaymentMethodParams {
  billing_details?: BillingDetailsParams;
  metadata?: Metadata | '';
  allow_redisplay?: Stripe.PaymentMethod.AllowRedisplay;
}

const EMPTY_ADDRESS: Stripe.Address = {
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
};

export function newCardPaymentMethod(
  id: string,
  profile: CardProfile,
  params: PaymentMethodParams,
  now: number,
): PaymentMethod {
  const pm: PaymentMethod = {
    id,
    object: 'payment_method',
    allow_redisplay: params.allow_redisplay ?? 'unspecified',
    billing_details: { address: { ...EMPTY_ADDRESS }, email: null, name: null, phone: null, tax_id: null },
    card: cardDetails(profile),
    created: now,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
  return applyPaymentMethodParams(pm, params);
}

export function cardDetails(profile: CardProfile): Stripe.PaymentMethod.Card {
  return {
    brand: profile.brand,
    checks: { ...profile.checks },
    country: profile.country,
    display_brand: profile.display_brand,
    exp_month: profile.exp_month,
    exp_year: profile.exp_year,
    fingerprint: profile.fingerprint,
    funding: profile.funding,
    generated_from: null,
    last4: profile.last4,
    networks: { available: [...profile.networks.available], preferred: profile.networks.preferred },
    regulated_status: 'unregulated',
    three_d_secure_usage: { supported: profile.three_d_secure_usage.supported },
    wallet: null,
  } as Stripe.PaymentMethod.Card;
}

export function applyPaymentMethodParams(
  pm: PaymentMethod,
  params: PaymentMethodParams & { card?: { exp_month?: number; exp_year?: number } },
): PaymentMethod {
  const next: PaymentMethod = { ...pm, billing_details: { ...pm.billing_details } };
  const billing = params.billing_details;
  if (billing) {
    if (billing.address !== undefined) {
      next.billing_details.address =
        billing.address === '' ? { ...EMPTY_ADDRESS } : { ...EMPTY_ADDRESS, ...blankToNull(billing.address) };
    }
    for (const field of ['email', 'name', 'phone', 'tax_id'] as const) {
      if (billing[field] !== undefined)
        (next.billing_details as unknown as Record<string, unknown>)[field] = billing[field] || null;
    }
  }
  if (params.metadata !== undefined) next.metadata = applyMetadata(pm.metadata ?? {}, params.metadata);
  if (params.allow_redisplay) next.allow_redisplay = params.allow_redisplay;
  if (params.card && next.card) {
    next.card = { ...next.card };
    if (params.card.exp_month !== undefined) next.card.exp_month = params.card.exp_month;
    if (params.card.exp_year !== undefined) next.card.exp_year = params.card.exp_year;
  }
  return next;
}

/** How far ahead an expiry year may lie (as when the card is tokenized). */
const MAX_YEARS_AHEAD = 50;

/** An expiry update is checked as the card's data is at creation: a real month, not in the past, not too far ahead. */
export function checkExpiryUpdate(
  card: Stripe.PaymentMethod.Card,
  update: { exp_month?: number | ''; exp_year?: number | '' },
  now: number,
): void {
  const month = update.exp_month ?? card.exp_month;
  const year = update.exp_year ?? card.exp_year;
  const today = new Date(now * 1000);
  const thisYear = today.getUTCFullYear();
  const invalidMonth = () =>
    cardError({
      code: 'invalid_expiry_month',
      message: "Your card's expiration month is invalid.",
      param: 'card[exp_month]',
    });
  if (typeof month !== 'number' || month < 1 || month > 12) throw invalidMonth();
  if (typeof year !== 'number' || year < thisYear || year > thisYear + MAX_YEARS_AHEAD) {
    throw cardError({
      code: 'invalid_expiry_year',
      message: "Your card's expiration year is invalid.",
      param: 'card[exp_year]',
    });
  }
  if (year === thisYear && month < today.getUTCMonth() + 1) throw invalidMonth();
}

function blankToNull(address: Partial<Stripe.Address>): Partial<Stripe.Address> {
  return Object.fromEntries(Object.entries(address).map(([k, v]) => [k, v === '' ? null : v]));
}

export function attachPaymentMethod(pm: PaymentMethod, customerId: string): PaymentMethod {
  if (pm.customer && pm.customer !== customerId) {
    throw invalidRequest('The payment method you provided has already been attached to a customer.', {
      param: 'customer',
    });
  }
  return { ...pm, customer: customerId };
}

export function detachPaymentMethod(pm: PaymentMethod): PaymentMethod {
  if (!pm.customer) {
    throw invalidRequest('The payment method you provided is not attached to a customer so detachment is impossible.', {
      param: 'payment_method',
    });
  }
  return { ...pm, customer: null };
}
