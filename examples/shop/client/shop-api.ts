// The browser's side of the shop's own API (shared by the plain and the
// React checkout).
import { formatMoney } from '../pages/html.js';

export interface CustomerDetails {
  name: string;
  email: string;
  address: { line1: string; city: string; postal_code: string; country: string };
}

export interface OrderRequest {
  items: Array<{ product: string; quantity: number }>;
  customer: CustomerDetails;
}

export interface CreatedOrder {
  order: { id: string; amount: number; currency: string };
  client_secret: string;
}

/** The shop refused the order; `field` names the form field at fault. */
export class OrderError extends Error {
  constructor(
    message: string,
    readonly field: string | undefined,
  ) {
    super(message);
  }
}

async function postOrder(request: OrderRequest): Promise<CreatedOrder> {
  let response: Response;
  try {
    response = await fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch {
    throw new OrderError('Could not reach the shop. Check your connection and try again.', undefined);
  }
  const body = (await response.json().catch(() => ({}))) as {
    error?: { message: string; field?: string };
  } & Partial<CreatedOrder>;
  if (!response.ok || !body.client_secret)
    throw new OrderError(body.error?.message ?? 'Something went wrong. Please try again.', body.error?.field);
  return body as CreatedOrder;
}

/**
 * One order per checkout: paying again after a declined card reuses the
 * order and its PaymentIntent, unless the cart or the details changed.
 */
export function orderKeeper(): (request: OrderRequest) => Promise<CreatedOrder> {
  let current: { key: string; created: CreatedOrder } | undefined;
  return async (request) => {
    const key = JSON.stringify(request);
    if (current?.key !== key) current = { key, created: await postOrder(request) };
    return current.created;
  };
}

export function priceLabel(unitPrice: number, quantity: number, currency: string): string {
  return formatMoney(unitPrice * quantity, currency);
}

/**
 * What to tell the customer about a failed confirmation. Card errors and
 * validation errors carry messages meant for customers (Stripe says so);
 * other errors are for developers, so the shop words them itself.
 */
export function paymentErrorMessage(error: { type?: string; code?: string; message?: string }): string {
  if ((error.type === 'card_error' || error.type === 'validation_error') && error.message) return error.message;
  if (error.code === 'payment_intent_authentication_failure')
    return "We couldn't confirm this payment with your bank. Please try again, or use another card.";
  return 'Your payment could not be completed. Please try again.';
}
