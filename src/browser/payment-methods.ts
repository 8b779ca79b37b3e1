// Turning Stripe.js's `payment_method` arguments into a PaymentMethod id:
// an id as it is, `{card: element, billing_details}` through the Element's
// frame (the card goes from the frame to Kassa; the page gets the pm_ id).
import { CardElement } from './element.js';
import type { Elements } from './elements.js';
import { IntegrationError, type StripeJsError } from './stripe-error.js';

export type PaymentMethodArg =
  | string
  | { card?: unknown; billing_details?: Record<string, unknown>; metadata?: Record<string, string> }
  | undefined;

export async function paymentMethodId(arg: PaymentMethodArg): Promise<{ id?: string; error?: StripeJsError }> {
  if (arg === undefined || arg === null) return {};
  if (typeof arg === 'string') return { id: arg };
  if (typeof arg !== 'object')
    throw new IntegrationError('Invalid value for payment_method: expected a PaymentMethod id or {card: element}.');
  if (!(arg.card instanceof CardElement))
    throw new IntegrationError('Invalid value for payment_method.card: expected a mounted card or cardNumber Element.');
  const result = await arg.card.createPaymentMethod({ billing_details: arg.billing_details, metadata: arg.metadata });
  return result.error ? { error: result.error } : { id: String(result.paymentMethod!.id) };
}

export function elementOf(elements: unknown): CardElement {
  const element = (elements as Elements | undefined)?.paymentElement?.();
  if (!element)
    throw new IntegrationError(
      'Invalid value for elements: the Elements group has no mounted Payment Element or card Element.',
    );
  return element;
}

/** `createPaymentMethod({type: 'card', card, billing_details})`, `({elements, params})` or the older `('card', element, data)`. */
export async function createPaymentMethod(
  arg: any,
  element?: unknown,
  data?: Record<string, any>,
): Promise<{ paymentMethod?: Record<string, unknown>; error?: StripeJsError }> {
  if (arg === 'card') return createPaymentMethod({ type: 'card', card: element, ...(data ?? {}) });
  if (!arg || typeof arg !== 'object')
    throw new IntegrationError('Invalid value for createPaymentMethod: expected an object.');
  if (arg.elements) {
    const params = arg.params ?? {};
    return elementOf(arg.elements).createPaymentMethod({
      billing_details: params.billing_details,
      metadata: params.metadata,
      allow_redisplay: params.allow_redisplay,
    });
  }
  if (arg.type !== 'card')
    throw new IntegrationError(`Kassa.js creates PaymentMethods of type card only; got ${JSON.stringify(arg.type)}.`);
  if (!(arg.card instanceof CardElement))
    throw new IntegrationError('Invalid value for createPaymentMethod: card should be a card or cardNumber Element.');
  return arg.card.createPaymentMethod({
    billing_details: arg.billing_details,
    metadata: arg.metadata,
    allow_redisplay: arg.allow_redisplay,
  });
}
