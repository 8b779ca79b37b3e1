// SetupIntent rules: Stripe's state machine for saving a card for later, as
// plain functions over plain objects. The network's answers come in as
// arguments; nothing here does I/O.
import type Stripe from 'stripe';
import type { CardProfile, Checks, Declined, ThreeDSecureResult } from '../network/network.js';
import { invalidParam, invalidRequest, type StripeError } from '../server/errors.js';
import { applyTypeParams, requestedTypes, SUPPORTED_TYPES } from './payment-method-types.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';
import type { PaymentMethod } from './payment-method.js';

export type SetupIntent = Stripe.SetupIntent;
export type SetupAttempt = Stripe.SetupAttempt;
export type Status = Stripe.SetupIntent.Status;
export type Usage = 'on_session' | 'off_session';

/** Create and update parameters, as checked by the protocol layer ('' = unset). */
export interface SetupIntentParams {
  customer?: string | '';
  description?: string | '';
  metadata?: Metadata | '';
  usage?: Usage;
  payment_method_types?: string[];
  /** The newer form of payment_method_types (what SDK v23 types offer). */
  allowed_payment_method_types?: string[];
  excluded_payment_method_types?: string[] | '';
  automatic_payment_methods?: { enabled: boolean; allow_redirects?: 'always' | 'never' };
  payment_method_options?: { card?: { request_three_d_secure?: 'any' | 'automatic' | 'challenge' } };
}

export const OPEN: readonly Status[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
/** Fields that stay updatable after the setup is over: bookkeeping, not the setup itself. */
const UPDATABLE_IN_ANY_STATE = new Set(['description', 'metadata']);

export function newSetupIntent(id: string, clientSecret: string, params: SetupIntentParams, now: number): SetupIntent {
  const explicitTypes = requestedTypes(params) !== undefined;
  if (explicitTypes && params.automatic_payment_methods?.enabled) {
    throw invalidParam(
      'You may only specify one of these parameters: automatic_payment_methods, payment_method_types.',
      'automatic_payment_methods',
    );
  }
  const automatic = !explicitTypes && params.automatic_payment_methods?.enabled !== false;
  const setupIntent = {
    id,
    object: 'setup_intent',
    allowed_payment_method_types: null,
    application: null,
    automatic_payment_methods: automatic
      ? { allow_redirects: params.automatic_payment_methods?.allow_redirects ?? 'always', enabled: true }
      : null,
    cancellation_reason: null,
    client_secret: clientSecret,
    created: now,
    customer: null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: [...SUPPORTED_TYPES],
    single_use_mandate: null,
    status: 'requires_payment_method',
    usage: params.usage ?? 'off_session',
  } as SetupIntent;
  return applySetupIntentParams(setupIntent, params);
}

/** Fields that create, update and confirm share. */
export function applySetupIntentParams(setupIntent: SetupIntent, params: SetupIntentParams): SetupIntent {
  const next: SetupIntent = { ...setupIntent };
  if (params.customer !== undefined) next.customer = params.customer || null;
  if (params.description !== undefined) next.description = params.description || null;
  if (params.metadata !== undefined) next.metadata = applyMetadata(setupIntent.metadata ?? {}, params.metadata);
  if (params.usage !== undefined) next.usage = params.usage;
  applyTypeParams(next as unknown as Parameters<typeof applyTypeParams>[0], params);
  const threeDSecure = params.payment_method_options?.card?.request_three_d_secure;
  if (threeDSecure) {
    const card = next.payment_method_options?.card ?? {
      mandate_options: null,
      network: null,
      request_three_d_secure: 'automatic',
    };
    next.payment_method_options = {
      ...next.payment_method_options,
      card: { ...card, request_three_d_secure: threeDSecure },
    };
  }
  return next;
}

/** Whether the merchant asks for 3-D Secure whatever the card needs. */
export function requestsThreeDSecure(setupIntent: SetupIntent): boolean {
  const asked = setupIntent.payment_method_options?.card?.request_three_d_secure;
  return asked === 'any' || asked === 'challenge';
}

/** Stripe's error for an action in the wrong state; like Stripe's, it carries the SetupIntent. */
export function unexpectedState(setupIntent: SetupIntent, action: string, allowed: readonly Status[]): StripeError {
  const past = action === 'cancel' ? 'canceled' : action.endsWith('e') ? `${action}d` : `${action}ed`;
  const error = invalidRequest(
    `You cannot ${action} this SetupIntent because it has a status of ${setupIntent.status}. Only a SetupIntent with one of the following statuses may be ${past}: ${allowed.join(', ')}.`,
    { code: 'setup_intent_unexpected_state' },
  );
  error.body.setup_intent = setupIntent;
  return error;
}

export function assertConfirmable(setupIntent: SetupIntent): void {
  if (!OPEN.includes(setupIntent.status)) throw unexpectedState(setupIntent, 'confirm', OPEN);
}

/** Once a setup is over only bookkeeping fields may change. */
export function assertUpdatable(setupIntent: SetupIntent, fields: readonly string[]): void {
  if (OPEN.includes(setupIntent.status)) return;
  const field = fields.find((name) => !UPDATABLE_IN_ANY_STATE.has(name));
  if (field === undefined) return;
  throw invalidRequest(
    `This SetupIntent's ${field} could not be updated because it has a status of ${setupIntent.status}. You may only update the ${field} of a SetupIntent with one of the following statuses: ${OPEN.join(', ')}.`,
    { code: 'setup_intent_unexpected_state', param: field },
  );
}

/** After create or update: a PaymentMethod on an unconfirmed SetupIntent makes it wait for confirmation. */
export function settleUnconfirmedStatus(setupIntent: SetupIntent): SetupIntent {
  if (setupIntent.status !== 'requires_payment_method' && setupIntent.status !== 'requires_confirmation')
    return setupIntent;
  return { ...setupIntent, status: setupIntent.payment_method ? 'requires_confirmation' : 'requires_payment_method' };
}

export function cancelSetupIntent(
  setupIntent: SetupIntent,
  reason: Stripe.SetupIntent.CancellationReason | undefined,
): SetupIntent {
  if (!OPEN.includes(setupIntent.status)) throw unexpectedState(setupIntent, 'cancel', OPEN);
  return { ...setupIntent, status: 'canceled', cancellation_reason: reason ?? null, next_action: null };
}

/** The card is set up: ready for later payments. */
export function succeededSetupIntent(
  setupIntent: SetupIntent,
  paymentMethodId: string,
  attemptId: string,
): SetupIntent {
  return {
    ...setupIntent,
    status: 'succeeded',
    payment_method: paymentMethodId,
    latest_attempt: attemptId,
    last_setup_error: null,
    next_action: null,
  };
}

/** The card was declined or failed authentication: the SetupIntent waits for another PaymentMethod. */
export function failedSetupIntent(
  setupIntent: SetupIntent,
  error: Stripe.SetupIntent.LastSetupError,
  attemptId: string,
): SetupIntent {
  return {
    ...setupIntent,
    status: 'requires_payment_method',
    payment_method: null,
    latest_attempt: attemptId,
    last_setup_error: error,
    next_action: null,
  };
}

/** The customer must authenticate with the issuer (3-D Secure) at `challengeUrl`; the next action is shaped as a PaymentIntent's. */
export function requiresActionSetupIntent(
  setupIntent: SetupIntent,
  paymentMethodId: string,
  attemptId: string,
  challengeUrl: string,
  returnUrl: string | undefined,
): SetupIntent {
  const nextAction = returnUrl
    ? { type: 'redirect_to_url', redirect_to_url: { url: challengeUrl, return_url: returnUrl } }
    : {
        type: 'use_stripe_sdk',
        use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: challengeUrl, source: setupIntent.id },
      };
  return {
    ...setupIntent,
    status: 'requires_action',
    payment_method: paymentMethodId,
    latest_attempt: attemptId,
    last_setup_error: null,
    next_action: nextAction as Stripe.SetupIntent.NextAction,
  };
}

/** `last_setup_error` (and a SetupAttempt's `setup_error`) for a declined card. */
export function declineError(
  result: Pick<Declined, 'code' | 'decline_code' | 'message' | 'advice_code'>,
  pm: PaymentMethod,
): Stripe.SetupIntent.LastSetupError {
  const error: Record<string, unknown> = {
    code: result.code,
    decline_code: result.decline_code,
    doc_url: `https://stripe.com/docs/error-codes/${result.code.replace(/_/g, '-')}`,
    message: result.message,
    payment_method: pm,
    payment_method_type: 'card',
    type: 'card_error',
  };
  if (result.advice_code) error.advice_code = result.advice_code;
  return error as unknown as Stripe.SetupIntent.LastSetupError;
}

/** The customer failed (or abandoned) the 3-D Secure challenge. */
export function authenticationFailureError(pm: PaymentMethod): Stripe.SetupIntent.LastSetupError {
  return {
    code: 'setup_intent_authentication_failure',
    doc_url: 'https://stripe.com/docs/error-codes/setup-intent-authentication-failure',
    message:
      'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
    payment_method: pm,
    payment_method_type: 'card',
    type: 'invalid_request_error',
  } as unknown as Stripe.SetupIntent.LastSetupError;
}

export type AttemptStatus = 'requires_action' | 'succeeded' | 'failed' | 'abandoned';

export interface AttemptOutcome {
  status: AttemptStatus;
  checks?: Checks | null;
  threeDSecure?: ThreeDSecureResult | null;
  setupError?: Stripe.SetupIntent.LastSetupError | null;
}

/** A SetupAttempt (`setatt_`): one confirmation of a SetupIntent with one PaymentMethod. */
export function newSetupAttempt(
  id: string,
  setupIntent: SetupIntent,
  pm: PaymentMethod,
  profile: CardProfile,
  now: number,
  outcome: AttemptOutcome,
): SetupAttempt {
  const attempt = {
    id,
    object: 'setup_attempt',
    application: null,
    created: now,
    customer: setupIntent.customer,
    customer_account: null,
    flow_directions: null,
    livemode: false,
    on_behalf_of: null,
    payment_method: pm.id,
    payment_method_details: {
      type: 'card',
      card: {
        brand: profile.brand,
        checks: null,
        country: profile.country,
        exp_month: profile.exp_month,
        exp_year: profile.exp_year,
        fingerprint: profile.fingerprint,
        funding: profile.funding,
        last4: profile.last4,
        network: profile.networks.preferred ?? profile.brand,
        three_d_secure: null,
        wallet: null,
      },
    },
    setup_error: null,
    setup_intent: setupIntent.id,
    status: 'requires_action',
    usage: setupIntent.usage,
  } as unknown as SetupAttempt;
  return settleAttempt(attempt, outcome);
}

/** The attempt's outcome: after the network answered, or after the customer's 3-D Secure challenge. */
export function settleAttempt(attempt: SetupAttempt, outcome: AttemptOutcome): SetupAttempt {
  const card = attempt.payment_method_details.card!;
  const threeDSecure = outcome.threeDSecure
    ? {
        authentication_flow: outcome.threeDSecure.authentication_flow,
        result: outcome.threeDSecure.result,
        result_reason: outcome.threeDSecure.result_reason,
        version: outcome.threeDSecure.version,
      }
    : card.three_d_secure;
  return {
    ...attempt,
    status: outcome.status,
    setup_error: (outcome.setupError ?? null) as SetupAttempt['setup_error'],
    payment_method_details: {
      ...attempt.payment_method_details,
      card: {
        ...card,
        checks: outcome.checks ? { ...outcome.checks } : card.checks,
        three_d_secure: threeDSecure as typeof card.three_d_secure,
      },
    },
  };
}
