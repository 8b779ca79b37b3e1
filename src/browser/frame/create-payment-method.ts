// Inside the frame: turns the group's card fields into a card PaymentMethod
// with one request to Kassa (same origin as the frame). Incomplete or invalid
// fields stop it before any request, with Stripe.js's validation error.
import { apiRequest, type ApiSettings } from '../api.js';
import { blockingError } from '../card-fields/change-event.js';
import type { StripeJsError } from '../stripe-error.js';
import type { CardParts } from './siblings.js';

export interface PaymentMethodRequest {
  billing_details?: Record<string, any>;
  metadata?: Record<string, string>;
  allow_redisplay?: string;
}

export type PaymentMethodResult = { paymentMethod: Record<string, unknown> } | { error: StripeJsError };

export function missingPartError(parts: CardParts): StripeJsError | null {
  const missing = !parts.number ? 'cardNumber' : !parts.expiry ? 'cardExpiry' : !parts.cvc ? 'cardCvc' : null;
  if (!missing) return null;
  return {
    type: 'invalid_request_error',
    code: 'parameter_missing',
    message: `The ${missing} Element is not mounted: a card needs a number, an expiry date and a security code.`,
  };
}

export function cardParams(parts: CardParts, request: PaymentMethodRequest): Record<string, unknown> {
  const billing = { ...(request.billing_details ?? {}) };
  if (parts.postal && !parts.postal.empty)
    billing.address = { postal_code: parts.postal.value, ...(billing.address ?? {}) };
  return {
    type: 'card',
    card: {
      number: parts.number!.digits,
      exp_month: parts.expiry!.month,
      exp_year: parts.expiry!.year,
      cvc: parts.cvc!.digits,
    },
    billing_details: Object.keys(billing).length ? billing : undefined,
    metadata: request.metadata,
    allow_redisplay: request.allow_redisplay,
  };
}

export async function createCardPaymentMethod(
  api: ApiSettings,
  parts: CardParts,
  request: PaymentMethodRequest,
): Promise<PaymentMethodResult> {
  const missing = missingPartError(parts);
  if (missing) return { error: missing };
  const fields = [parts.number!, parts.expiry!, parts.cvc!, ...(parts.postal ? [parts.postal] : [])];
  const invalid = blockingError(fields);
  if (invalid) return { error: invalid };
  const result = await apiRequest(api, 'POST', '/v1/payment_methods', cardParams(parts, request));
  return result.error ? { error: result.error } : { paymentMethod: result.body! };
}
