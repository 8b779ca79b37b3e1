// The one way to produce an API error: `throw new StripeError(...)` or one of
// the helpers below. The error handler turns it into Stripe's error JSON.

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  [extra: string]: unknown;
}

export class StripeError extends Error {
  readonly statusCode: number;
  readonly body: StripeErrorBody;
  /** Errors raised before a request starts executing are not stored for idempotent replay. */
  readonly beforeExecution: boolean;

  constructor(statusCode: number, body: StripeErrorBody, options: { beforeExecution?: boolean } = {}) {
    super(body.message);
    this.statusCode = statusCode;
    this.body = body;
    this.beforeExecution = options.beforeExecution ?? false;
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;

export function invalidRequest(
  message: string,
  options: { param?: string; code?: string; status?: number } = {},
): StripeError {
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (options.code) {
    body.code = options.code;
    body.doc_url = docUrl(options.code);
  }
  if (options.param) body.param = options.param;
  return new StripeError(options.status ?? 400, body);
}

/** A parameter failed validation: never stored as an idempotent result. */
export function invalidParam(message: string, param: string, code?: string): StripeError {
  const error = invalidRequest(message, { param, code });
  return new StripeError(error.statusCode, error.body, { beforeExecution: true });
}

export function resourceMissing(kind: string, id: string, param = 'id'): StripeError {
  return invalidRequest(`No such ${kind}: '${id}'`, { param, code: 'resource_missing', status: 404 });
}

export function authenticationError(message: string): StripeError {
  return new StripeError(401, { type: 'invalid_request_error', message }, { beforeExecution: true });
}

export function permissionError(message: string): StripeError {
  return new StripeError(403, { type: 'invalid_request_error', message }, { beforeExecution: true });
}

export function idempotencyError(message: string): StripeError {
  return new StripeError(400, { type: 'idempotency_error', message }, { beforeExecution: true });
}

export function apiError(message = 'An unexpected error occurred while processing your request.'): StripeError {
  return new StripeError(500, { type: 'api_error', message });
}

export function errorResponse(error: StripeError): { error: StripeErrorBody } {
  return { error: error.body };
}
