// Card errors as Stripe sends them: 402, type card_error, with the objects
// involved embedded (the PaymentIntent in full, the charge id, the PaymentMethod).
import { StripeError, type StripeErrorBody } from '../server/errors.js';

export interface CardErrorDetails {
  code: string;
  message: string;
  decline_code?: string | null;
  advice_code?: string | null;
  param?: string | null;
  charge?: string;
  payment_intent?: unknown;
  setup_intent?: unknown;
  payment_method?: unknown;
}

export function cardError(details: CardErrorDetails): StripeError {
  const body: StripeErrorBody = {
    type: 'card_error',
    code: details.code,
    message: details.message,
    doc_url: `https://stripe.com/docs/error-codes/${details.code.replace(/_/g, '-')}`,
  };
  if (details.decline_code) body.decline_code = details.decline_code;
  if (details.advice_code) body.advice_code = details.advice_code;
  if (details.param) body.param = details.param;
  if (details.charge) body.charge = details.charge;
  if (details.payment_intent) body.payment_intent = details.payment_intent;
  if (details.setup_intent) body.setup_intent = details.setup_intent;
  if (details.payment_method) {
    body.payment_method = details.payment_method;
    body.payment_method_type = 'card';
  }
  return new StripeError(402, body);
}
