// Kassa.js: the entry of the bundle served at /v3/. It defines
// `window.Stripe`, shaped like Stripe.js, talking to the Kassa that served it
// (the script's own origin).
import { confirmCard, confirmWithElements, handleNextAction } from './confirm.js';
import { Elements } from './elements.js';
import { handleAction, retrieveIntent, type Api } from './intents.js';
import { createPaymentMethod } from './payment-methods.js';
import { PaymentRequest } from './payment-request.js';
import { IntegrationError } from './stripe-error.js';

/** The release train Stripe.js reports; `@stripe/stripe-js` 10 expects it. */
export const VERSION = 'endive';

const script = document.currentScript as HTMLScriptElement | null;
const scriptUrl = script?.src ? new URL(script.src) : null;
const ORIGIN = scriptUrl?.origin ?? window.location.origin;
const TEST_WALLET_BY_URL = scriptUrl?.searchParams.get('kassaTestWallet') === '1';

export interface StripeOptions {
  stripeAccount?: string;
  apiVersion?: string;
  locale?: string;
  betas?: string[];
  /** Kassa's own options: `{testWallet: true}` enables the test wallet for paymentRequest(). */
  kassa?: { testWallet?: boolean };
}

function createStripe(key: string, options: StripeOptions = {}) {
  const api: Api = { origin: ORIGIN, key, stripeAccount: options.stripeAccount, apiVersion: options.apiVersion };
  const testWallet = options.kassa?.testWallet ?? TEST_WALLET_BY_URL;
  const unsupported = (what: string) => async () => ({
    error: {
      type: 'invalid_request_error' as const,
      message: `Kassa.js does not support ${what}; use createPaymentMethod / confirmCardPayment instead.`,
    },
  });
  return {
    elements: (elementsOptions?: Record<string, any>) =>
      new Elements(api, { locale: options.locale, ...(elementsOptions ?? {}) }),
    createPaymentMethod,
    confirmCardPayment: (clientSecret: string, data?: Record<string, any>, opts?: { handleActions?: boolean }) =>
      confirmCard(api, 'payment_intent', clientSecret, data, opts),
    confirmCardSetup: (clientSecret: string, data?: Record<string, any>, opts?: { handleActions?: boolean }) =>
      confirmCard(api, 'setup_intent', clientSecret, data, opts),
    confirmPayment: (args: any) => confirmWithElements(api, 'payment_intent', args),
    confirmSetup: (args: any) => confirmWithElements(api, 'setup_intent', args),
    handleCardAction: (clientSecret: string) => handleAction(api, 'payment_intent', clientSecret),
    handleCardSetup: (clientSecret: string) => handleAction(api, 'setup_intent', clientSecret),
    handleNextAction: (args: { clientSecret: string }) => handleNextAction(api, args),
    retrievePaymentIntent: (clientSecret: string) => retrieveIntent(api, 'payment_intent', clientSecret),
    retrieveSetupIntent: (clientSecret: string) => retrieveIntent(api, 'setup_intent', clientSecret),
    paymentRequest: (requestOptions: Record<string, any>) => new PaymentRequest(api, requestOptions, testWallet),
    createToken: unsupported('tokens (createToken)'),
    createSource: unsupported('sources (createSource)'),
    createConfirmationToken: unsupported('confirmation tokens'),
    registerAppInfo: (_info: unknown) => undefined,
    _registerWrapper: (_wrapper: unknown) => undefined,
  };
}

function Stripe(key: unknown, options?: StripeOptions) {
  if (typeof key !== 'string' || key === '')
    throw new IntegrationError('Please call Stripe() with your publishable key. You used an empty string.');
  if (/^(sk|rk)_/.test(key))
    throw new IntegrationError(
      'You should not use your secret key with Stripe.js. Please pass a publishable key instead.',
    );
  return createStripe(key, options);
}
Stripe.version = VERSION;

const host = window as unknown as { Stripe?: unknown };
if (!host.Stripe) host.Stripe = Stripe;
