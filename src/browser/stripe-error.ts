// Errors as Stripe.js returns them in `{error}` results, and the exception it
// throws for integration mistakes (a bad argument, a missing element).

export interface StripeJsError {
  type:
    | 'api_connection_error'
    | 'api_error'
    | 'authentication_error'
    | 'card_error'
    | 'idempotency_error'
    | 'invalid_request_error'
    | 'rate_limit_error'
    | 'validation_error';
  code?: string;
  decline_code?: string;
  message?: string;
  param?: string;
  payment_intent?: Record<string, unknown>;
  setup_intent?: Record<string, unknown>;
  payment_method?: Record<string, unknown>;
  [key: string]: unknown;
}

export class IntegrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrationError';
  }
}

export function connectionError(): StripeJsError {
  return {
    type: 'api_connection_error',
    message: 'An error occurred with our connection to Kassa. Request was retried 0 times.',
  };
}
