// PaymentIntents and SetupIntents through the publishable key and client
// secret: retrieve, confirm, and run a `requires_action` next action in the
// challenge modal, resolving as Stripe.js does (`{paymentIntent}` or `{error}`).
import { apiRequest, type ApiSettings } from './api.js';
import { IntegrationError, type StripeJsError } from './stripe-error.js';
import { showChallenge } from './three-d-secure-modal.js';

export type IntentKind = 'payment_intent' | 'setup_intent';
type Intent = Record<string, any>;
export type IntentResult = { [key: string]: unknown; error?: StripeJsError };
export type Api = ApiSettings & { origin: string };

const KIND = {
  payment_intent: {
    path: '/v1/payment_intents',
    prefix: 'pi_',
    result: 'paymentIntent',
    lastError: 'last_payment_error',
    name: 'PaymentIntent',
  },
  setup_intent: {
    path: '/v1/setup_intents',
    prefix: 'seti_',
    result: 'setupIntent',
    lastError: 'last_setup_error',
    name: 'SetupIntent',
  },
} as const;

export function kindOfSecret(clientSecret: unknown): IntentKind {
  if (typeof clientSecret === 'string' && clientSecret.startsWith('seti_')) return 'setup_intent';
  return 'payment_intent';
}

export function intentId(kind: IntentKind, clientSecret: unknown): string {
  const { prefix, name } = KIND[kind];
  const match =
    typeof clientSecret === 'string' ? /^([a-z]+_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/.exec(clientSecret) : null;
  if (!match || !match[1]!.startsWith(prefix))
    throw new IntegrationError(
      `Invalid value for the ${name} client secret: expected ${prefix}..._secret_..., got ${JSON.stringify(clientSecret)}.`,
    );
  return match[1]!;
}

export async function retrieveIntent(api: Api, kind: IntentKind, clientSecret: string): Promise<IntentResult> {
  const id = intentId(kind, clientSecret);
  const result = await apiRequest<Intent>(api, 'GET', `${KIND[kind].path}/${id}`, { client_secret: clientSecret });
  return result.error ? { error: result.error } : { [KIND[kind].result]: result.body };
}

/** The intent as the caller sees it: its failure (last_*_error) becomes `{error}` with the intent inside. */
export function outcome(kind: IntentKind, intent: Intent): IntentResult {
  const lastError = intent[KIND[kind].lastError] as StripeJsError | null;
  if (intent.status === 'requires_payment_method' && lastError) return { error: { ...lastError, [kind]: intent } };
  return { [KIND[kind].result]: intent };
}

export async function confirmIntent(
  api: Api,
  kind: IntentKind,
  clientSecret: string,
  params: Record<string, unknown>,
  handleActions: boolean,
): Promise<IntentResult> {
  const id = intentId(kind, clientSecret);
  const result = await apiRequest<Intent>(api, 'POST', `${KIND[kind].path}/${id}/confirm`, {
    ...params,
    client_secret: clientSecret,
    use_stripe_sdk: handleActions ? true : undefined,
  });
  if (result.error) return { error: result.error };
  if (!handleActions) return outcome(kind, result.body!);
  return runNextAction(api, kind, clientSecret, result.body!);
}

/** Shows the challenge of an intent in `requires_action`, then reads the intent back. */
export async function runNextAction(
  api: Api,
  kind: IntentKind,
  clientSecret: string,
  intent: Intent,
): Promise<IntentResult> {
  if (intent.status !== 'requires_action') return outcome(kind, intent);
  const action = intent.next_action ?? {};
  const url: string | undefined = action.use_stripe_sdk?.stripe_js ?? action.redirect_to_url?.url;
  if (!url) return outcome(kind, intent);
  if (new URL(url, api.origin).origin !== api.origin) {
    // Not Kassa's own challenge page: go there as a redirect, as Stripe.js does for redirect_to_url.
    window.location.assign(url);
    return new Promise(() => {});
  }
  await showChallenge(url, api.origin);
  const after = await retrieveIntent(api, kind, clientSecret);
  if (after.error) return after;
  return outcome(kind, after[KIND[kind].result] as Intent);
}

export async function handleAction(api: Api, kind: IntentKind, clientSecret: string): Promise<IntentResult> {
  const current = await retrieveIntent(api, kind, clientSecret);
  if (current.error) return current;
  const intent = current[KIND[kind].result] as Intent;
  if (intent.status !== 'requires_action') {
    return {
      error: {
        type: 'invalid_request_error',
        code: `${kind}_unexpected_state`,
        message: `The ${KIND[kind].name} has status ${intent.status}; handling an action needs status requires_action.`,
        [kind]: intent,
      },
    };
  }
  return runNextAction(api, kind, clientSecret, intent);
}

/** Where a redirect-flavoured confirm (`confirmPayment` with `redirect: 'always'`) sends the customer afterwards. */
export function returnUrlWith(returnUrl: string, kind: IntentKind, intent: Intent, clientSecret: string): string {
  const url = new URL(returnUrl, window.location.href);
  url.searchParams.set(kind, String(intent.id));
  url.searchParams.set(`${kind}_client_secret`, clientSecret);
  url.searchParams.set(
    'redirect_status',
    intent.status === 'succeeded' || intent.status === 'processing' || intent.status === 'requires_capture'
      ? 'succeeded'
      : 'failed',
  );
  return url.toString();
}
