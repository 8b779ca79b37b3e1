// Stripe.js's confirm calls. Each resolves to `{paymentIntent}` /
// `{setupIntent}` or `{error}`; only integration mistakes throw.
import {
  confirmIntent,
  handleAction,
  kindOfSecret,
  returnUrlWith,
  type Api,
  type IntentKind,
  type IntentResult,
} from './intents.js';
import { elementOf, paymentMethodId, type PaymentMethodArg } from './payment-methods.js';
import type { Elements } from './elements.js';
import { IntegrationError } from './stripe-error.js';

interface CardConfirmData {
  payment_method?: PaymentMethodArg;
  return_url?: string;
  [param: string]: unknown;
}

/** confirmCardPayment / confirmCardSetup. With handleActions a challenge shows in the modal (use_stripe_sdk) whether or not there is a return_url. */
export async function confirmCard(
  api: Api,
  kind: IntentKind,
  clientSecret: string,
  data: CardConfirmData = {},
  options: { handleActions?: boolean } = {},
): Promise<IntentResult> {
  const handleActions = options.handleActions !== false;
  const { payment_method, return_url, ...params } = data;
  const pm = await paymentMethodId(payment_method);
  if (pm.error) return { error: pm.error };
  return confirmIntent(api, kind, clientSecret, { ...params, payment_method: pm.id, return_url }, handleActions);
}

interface ConfirmWithElements {
  elements?: Elements;
  clientSecret?: string;
  confirmParams?: {
    return_url?: string;
    payment_method_data?: {
      billing_details?: Record<string, unknown>;
      metadata?: Record<string, string>;
      allow_redisplay?: string;
    };
    payment_method?: string;
    [param: string]: unknown;
  };
  redirect?: 'always' | 'if_required';
}

/**
 * confirmPayment / confirmSetup. With `redirect: 'always'` (the default) the
 * customer goes to return_url after any challenge, with the intent's id,
 * client secret and redirect_status in its query, and the promise resolves
 * only on error.
 */
export async function confirmWithElements(
  api: Api,
  kind: IntentKind,
  args: ConfirmWithElements,
): Promise<IntentResult> {
  if (!args || typeof args !== 'object')
    throw new IntegrationError('Invalid value for confirmPayment: expected an object with elements or clientSecret.');
  const clientSecret = args.clientSecret ?? args.elements?.clientSecret;
  if (!clientSecret)
    throw new IntegrationError(
      'Missing value for confirmPayment: clientSecret should be passed, or the Elements group created with a clientSecret.',
    );
  if (kindOfSecret(clientSecret) !== kind)
    throw new IntegrationError(
      `Invalid value for clientSecret: use ${kind === 'payment_intent' ? 'confirmSetup' : 'confirmPayment'} for this intent.`,
    );
  const redirect = args.redirect ?? 'always';
  const { return_url, payment_method_data, payment_method, ...params } = args.confirmParams ?? {};
  if (redirect === 'always' && !return_url)
    throw new IntegrationError(
      'Missing value for confirmParams: return_url should be specified (or pass redirect: "if_required").',
    );
  let pmId = payment_method;
  if (args.elements) {
    const created = await elementOf(args.elements).createPaymentMethod({
      billing_details: payment_method_data?.billing_details,
      metadata: payment_method_data?.metadata,
      allow_redisplay: payment_method_data?.allow_redisplay,
    });
    if (created.error) return { error: created.error };
    pmId = String(created.paymentMethod!.id);
  }
  const result = await confirmIntent(api, kind, clientSecret, { ...params, payment_method: pmId, return_url }, true);
  if (result.error || redirect !== 'always') return result;
  const intent = result[kind === 'payment_intent' ? 'paymentIntent' : 'setupIntent'] as Record<string, unknown>;
  window.location.assign(returnUrlWith(return_url!, kind, intent, clientSecret));
  return new Promise(() => {});
}

export function handleNextAction(api: Api, args: { clientSecret?: string }): Promise<IntentResult> {
  if (!args?.clientSecret)
    throw new IntegrationError('Missing value for handleNextAction: clientSecret should be specified.');
  return handleAction(api, kindOfSecret(args.clientSecret), args.clientSecret);
}
