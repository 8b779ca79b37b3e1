// `stripe.elements(options)`: one group of Elements sharing a client secret,
// appearance, fonts and locale. Split card fields of a group combine their
// data inside Kassa's frames.
import { CardElement, type ElementsContext } from './element.js';
import { uniqueId } from './messaging.js';
import { PaymentRequestButton } from './payment-request-button.js';
import type { PaymentRequest } from './payment-request.js';
import { IntegrationError, type StripeJsError } from './stripe-error.js';
import type { ApiSettings } from './api.js';

const CARD_TYPES = ['card', 'cardNumber', 'cardExpiry', 'cardCvc', 'payment'];
const SUPPORTED = [...CARD_TYPES, 'paymentRequestButton'];

export type AnyElement = CardElement | PaymentRequestButton;

export class Elements {
  private readonly context: ElementsContext;
  private readonly created = new Map<string, AnyElement>();
  readonly clientSecret: string | undefined;

  constructor(
    api: ApiSettings & { origin: string },
    private options: Record<string, any> = {},
  ) {
    this.clientSecret = typeof options.clientSecret === 'string' ? options.clientSecret : undefined;
    this.context = {
      api,
      group: uniqueId('grp'),
      locale: options.locale,
      appearance: options.appearance,
      fonts: options.fonts,
    };
  }

  create(type: string, options: Record<string, any> = {}): AnyElement {
    if (!SUPPORTED.includes(type))
      throw new IntegrationError(
        `Kassa.js does not support Elements of type ${JSON.stringify(type)} yet. Supported: ${SUPPORTED.join(', ')}.`,
      );
    if (this.created.has(type)) throw new IntegrationError(`Can only create one Element of type ${type}.`);
    if (type === 'card' && ['cardNumber', 'cardExpiry', 'cardCvc'].some((t) => this.created.has(t)))
      throw new IntegrationError(
        'Do not mix the card Element with split card Elements (cardNumber, cardExpiry, cardCvc) in one Elements group.',
      );
    const element: AnyElement =
      type === 'paymentRequestButton'
        ? new PaymentRequestButton(options as { paymentRequest: PaymentRequest }, () => this.created.delete(type))
        : new CardElement(type, this.context, options, () => this.created.delete(type));
    this.created.set(type, element);
    return element;
  }

  /** By type, or by a @stripe/react-stripe-js component (`getElement(CardElement)`), which names its type in `__elementType`. */
  getElement(type: string | { __elementType?: string }): AnyElement | null {
    const name = typeof type === 'string' ? type : type?.__elementType;
    return (name && this.created.get(name)) || null;
  }

  async update(options: Record<string, any>): Promise<void> {
    this.options = { ...this.options, ...options };
    if (options.appearance) {
      this.context.appearance = options.appearance;
      for (const element of this.created.values())
        if (element instanceof CardElement) element.updateAppearance(options.appearance);
    }
    if (options.locale) this.context.locale = options.locale;
  }

  async fetchUpdates(): Promise<Record<string, never>> {
    return {};
  }

  /** Validates the form before confirming (deferred-intent integrations call it first). */
  async submit(): Promise<{ error?: StripeJsError; selectedPaymentMethod?: string }> {
    const element = this.paymentElement();
    if (!element)
      throw new IntegrationError(
        'elements.submit() needs a mounted Payment Element (or card Element) in this Elements group.',
      );
    const { error } = await element.validate();
    return error ? { error } : { selectedPaymentMethod: 'card' };
  }

  /** The Element that collects the card for `confirmPayment({elements})`. */
  paymentElement(): CardElement | null {
    for (const type of ['payment', 'card', 'cardNumber']) {
      const element = this.created.get(type);
      if (element instanceof CardElement && element.isMounted) return element;
    }
    return null;
  }

  on(_event: string, _handler: unknown): this {
    return this;
  }
}
