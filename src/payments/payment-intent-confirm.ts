// Confirming a PaymentIntent, in the persist-call-record order of
// network-attempt.ts: the confirm resolves the card, keeps its parameters and
// holds the intent and the PaymentMethod; the network is asked with no
// transaction open; recordAuthorization records the answer (charge, balance
// transaction, events) and moves the intent on. Two confirms of one intent,
// or two intents with one single-use card, never both charge: the second
// waits for the first's hold, then finds the intent or the card used.
import type Stripe from 'stripe';
import type { AuthenticationRequired, Approved, AuthorizeResult, Declined } from '../network/network.js';
import { AUTHENTICATION_REQUIRED_ERROR } from '../network/network.js';
import { newId, randomString } from '../server/ids.js';
import { checkReturnUrl } from '../server/urls.js';
import { CallOut } from '../server/call-out.js';
import type { HttpWriteContext, WriteContext } from '../server/write-context.js';
import { CommittedError, type RequestContext } from '../server/route.js';
import { chargeTransaction } from './balance-transaction.js';
import { recordBalanceTransaction } from './balance-ledger.js';
import { cardError } from './card-error.js';
import {
  approvedCharge,
  calculatedDescriptor,
  failedCharge,
  lastPaymentError,
  type ChargeAttempt,
  type ChargeSecret,
} from './charge.js';
import {
  checkReturnUrlGiven,
  confirmChanges,
  intentWaitingFor,
  paymentMethodAfterChallenge,
  paymentMethodToConfirm,
  persistIntentAttempt,
  recordIntentAttempt,
  type IntentKind,
  type PaymentMethodChoice,
} from './intent-confirmation.js';
import { newAttemptId, type AuthorizeAttempt, type HeldObjects } from './network-attempt.js';
import {
  applyIntentParams,
  approvedIntent,
  assertConfirmable,
  assertUpdatable,
  declinedIntent,
  settleUnconfirmedStatus,
  type IntentParams,
  type PaymentIntent,
} from './payment-intent.js';
import { attachToCustomer, savePaymentMethod, type StoredPaymentMethod } from './payment-method-store.js';
import type { PaymentServices } from './services.js';
import {
  challengeReturnUrl,
  createChallenge,
  takeAuthentication,
  type ChallengeAnswer,
  type ChallengeFinisher,
  type ChallengeOutcome,
} from './three-d-secure.js';
import { insertObject, saveObject } from '../store/objects.js';

export const PAYMENT_INTENT: IntentKind<PaymentIntent, IntentParams> = {
  object: 'payment_intent',
  assertUpdatable,
  applyParams: applyIntentParams,
  settleUnconfirmedStatus,
};

export interface ConfirmParams
  extends PaymentMethodChoice,
    Pick<
      IntentParams,
      'receipt_email' | 'shipping' | 'setup_future_usage' | 'capture_method' | 'payment_method_types'
    > {
  return_url?: string;
  off_session?: boolean | 'one_off' | 'recurring';
  error_on_requires_action?: boolean;
  use_stripe_sdk?: boolean;
  client_secret?: string;
}

export async function confirmIntent(
  ctx: RequestContext<unknown>,
  current: PaymentIntent,
  params: ConfirmParams,
  services: PaymentServices,
): Promise<CallOut<WriteContext, PaymentIntent | CommittedError>> {
  assertConfirmable(current);
  const {
    payment_method,
    payment_method_data,
    return_url,
    off_session,
    error_on_requires_action,
    use_stripe_sdk,
    client_secret: _secret,
    ...fields
  } = params;
  checkReturnUrl(return_url);
  let intent = applyIntentParams(current, fields);
  const offSession = off_session === true || off_session === 'one_off' || off_session === 'recurring';
  const stored = await paymentMethodToConfirm(ctx, services.network, intent, { payment_method, payment_method_data });
  checkReturnUrlGiven(ctx, intent, return_url, offSession);
  intent = { ...intent, payment_method: stored.pm.id };
  // A challenge completed for a manually confirmed intent counts for this confirm.
  const authenticated =
    current.status === 'requires_confirmation' &&
    current.confirmation_method === 'manual' &&
    (await takeAuthentication(ctx, intent.id, stored.pm.id));
  // The confirm's parameters are kept whatever the network answers: the record stores them.
  const confirm = {
    changes: confirmChanges(current, intent),
    offSession,
    returnUrl: challengeReturnUrl({ return_url, use_stripe_sdk }),
    errorOnRequiresAction: error_on_requires_action === true,
  };
  const attempt = authorizationAttempt(ctx, intent, stored, { offSession, authenticated }, confirm);
  return persistAuthorization(ctx, services, attempt, current, stored);
}

/** Persists an authorization attempt (persistIntentAttempt); its record step is recordAuthorization. */
function persistAuthorization(
  ctx: HttpWriteContext,
  services: PaymentServices,
  attempt: Omit<AuthorizeAttempt, 'holds'>,
  intent: PaymentIntent,
  stored: StoredPaymentMethod,
): Promise<CallOut<WriteContext, PaymentIntent | CommittedError>> {
  return persistIntentAttempt<AuthorizeAttempt, PaymentIntent | CommittedError>(
    ctx,
    services.network,
    attempt,
    intent,
    stored,
    (recordCtx, planned, answer, held) =>
      recordAuthorization(recordCtx, services, planned, answer as AuthorizeResult, held),
  );
}

/**
 * One attempt at paying the intent. The charge it records is named first: its
 * id is the network's idempotency key, so the network authorizes an attempt
 * at most once however often it is asked.
 */
function authorizationAttempt(
  ctx: HttpWriteContext,
  intent: PaymentIntent,
  stored: StoredPaymentMethod,
  options: { offSession: boolean; authenticated: boolean },
  confirm?: AuthorizeAttempt['confirm'],
): Omit<AuthorizeAttempt, 'holds'> {
  const charge = newId('ch');
  return {
    id: newAttemptId(),
    call: 'authorize',
    baseUrl: ctx.baseUrl,
    intent: intent.id,
    paymentMethod: stored.pm.id,
    charge,
    request: {
      idempotencyKey: charge,
      amount: intent.amount,
      currency: intent.currency,
      profile: stored.secret.card,
      captureMethod: intent.capture_method === 'manual' ? 'manual' : 'automatic',
      offSession: options.offSession,
      authenticated: options.authenticated,
      setupForOffSession: stored.secret.setupForOffSession,
    },
    confirm,
  };
}

/**
 * The network's answer to an authorization attempt, recorded: by the confirm
 * or the challenge page that made it, or by its recovery job. A confirm's
 * decline is answered as an error (kept: the failed charge and the intent's
 * state commit); after a challenge the intent is simply left failed.
 */
export async function recordAuthorization(
  writeCtx: WriteContext,
  services: PaymentServices,
  attempt: AuthorizeAttempt,
  result: AuthorizeResult,
  known?: HeldObjects,
): Promise<PaymentIntent | CommittedError> {
  return recordIntentAttempt(
    writeCtx,
    attempt,
    known,
    PAYMENT_INTENT,
    attempt.intent,
    async (ctx, intent, stored): Promise<PaymentIntent | CommittedError> => {
      switch (result.status) {
        case 'approved':
          return approve(ctx, intent, stored, attempt.charge, result, services);
        case 'declined': {
          const failed = await decline(ctx, intent, stored, attempt.charge, result);
          return attempt.confirm ? failed : (failed.error.body.payment_intent as PaymentIntent);
        }
        case 'authentication_required':
          if (attempt.confirm) return requireAction(ctx, intent, stored, result, attempt.confirm);
          return paymentFailed(ctx, intent, {
            ...AUTHENTICATION_FAILURE,
            payment_method: stored.pm,
          } as Stripe.PaymentIntent.LastPaymentError);
      }
    },
  );
}

/** The charge an attempt records, under the id its authorization was asked with. */
function attempt(
  ctx: HttpWriteContext,
  intent: PaymentIntent,
  stored: StoredPaymentMethod,
  id: string,
): { attempt: ChargeAttempt; secret: ChargeSecret } {
  const receiptToken = randomString(32);
  return {
    attempt: {
      id,
      intent,
      pm: stored.pm,
      profile: stored.secret.card,
      receiptUrl: `${ctx.baseUrl}/receipts/${ctx.accountId}/${id}/${receiptToken}`,
      now: ctx.now,
    },
    secret: { card: stored.secret.card, authorizationId: null, receiptToken },
  };
}

async function approve(
  ctx: HttpWriteContext,
  intent: PaymentIntent,
  stored: StoredPaymentMethod,
  chargeId: string,
  result: Approved,
  services: PaymentServices,
): Promise<PaymentIntent> {
  const captured = intent.capture_method !== 'manual';
  const { attempt: chargeAttempt, secret } = attempt(ctx, intent, stored, chargeId);
  let charge = approvedCharge(chargeAttempt, result, captured);
  if (captured) {
    const txn = chargeTransaction(
      newId('txn'),
      charge,
      charge.amount,
      services.feeRule,
      ctx.now,
      result.availableImmediately,
    );
    await recordBalanceTransaction(ctx, txn);
    charge = { ...charge, balance_transaction: txn.id };
  }
  await insertObject(ctx.db, ctx.accountId, charge, {
    ...secret,
    authorizationId: result.authorizationId,
    availableImmediately: result.availableImmediately,
  });
  const next = approvedIntent(intent, charge.id, stored.pm.id);
  await saveObject(ctx.db, ctx.accountId, next);
  await ctx.emit('charge.succeeded', charge);
  await ctx.emit(captured ? 'payment_intent.succeeded' : 'payment_intent.amount_capturable_updated', next);
  if (!(await saveForFutureUse(ctx, next, stored)) && !stored.pm.customer) {
    await savePaymentMethod(ctx, { pm: stored.pm, secret: { ...stored.secret, spent: true } });
  }
  return next;
}

/** `setup_future_usage` with a customer: the card is saved to the customer, ready for off-session use. True when saved. */
async function saveForFutureUse(
  ctx: HttpWriteContext,
  intent: PaymentIntent,
  stored: StoredPaymentMethod,
): Promise<boolean> {
  if (!intent.setup_future_usage || typeof intent.customer !== 'string') return false;
  const secret = {
    ...stored.secret,
    setupForOffSession: stored.secret.setupForOffSession || intent.setup_future_usage === 'off_session',
  };
  if (stored.pm.customer === intent.customer) {
    await savePaymentMethod(ctx, { pm: stored.pm, secret });
    return true;
  }
  // The payment just authorized the card: no second check with the issuer.
  await attachToCustomer(ctx, 'verified', { pm: stored.pm, secret }, intent.customer);
  return true;
}

async function decline(
  ctx: HttpWriteContext,
  intent: PaymentIntent,
  stored: StoredPaymentMethod,
  chargeId: string,
  result: Declined,
): Promise<CommittedError> {
  const { attempt: chargeAttempt, secret } = attempt(ctx, intent, stored, chargeId);
  const charge = failedCharge(chargeAttempt, result);
  await insertObject(ctx.db, ctx.accountId, charge, secret);
  const next = declinedIntent(intent, lastPaymentError(result, charge.id, stored.pm), charge.id);
  await saveObject(ctx.db, ctx.accountId, next);
  await ctx.emit('charge.failed', charge);
  await ctx.emit('payment_intent.payment_failed', next);
  return new CommittedError(
    cardError({
      code: result.code,
      decline_code: result.decline_code,
      advice_code: result.advice_code,
      message: result.message,
      param: result.param,
      charge: charge.id,
      payment_intent: next,
      payment_method: stored.pm,
    }),
  );
}

async function requireAction(
  ctx: HttpWriteContext,
  intent: PaymentIntent,
  stored: StoredPaymentMethod,
  result: AuthenticationRequired,
  options: { offSession: boolean; returnUrl?: string; errorOnRequiresAction: boolean },
): Promise<PaymentIntent | CommittedError> {
  if (options.offSession || options.errorOnRequiresAction) {
    const declineCode = options.offSession ? AUTHENTICATION_REQUIRED_ERROR.decline_code : 'authentication_not_handled';
    const error = {
      code: AUTHENTICATION_REQUIRED_ERROR.code,
      decline_code: declineCode,
      doc_url: 'https://stripe.com/docs/error-codes/authentication-required',
      message: AUTHENTICATION_REQUIRED_ERROR.message,
      payment_method: stored.pm,
      type: 'card_error',
    } as Stripe.PaymentIntent.LastPaymentError;
    const next = declinedIntent(intent, error, null);
    await saveObject(ctx.db, ctx.accountId, next);
    await ctx.emit('payment_intent.payment_failed', next);
    return new CommittedError(
      cardError({
        code: AUTHENTICATION_REQUIRED_ERROR.code,
        decline_code: declineCode,
        message: AUTHENTICATION_REQUIRED_ERROR.message,
        payment_intent: next,
        payment_method: stored.pm,
      }),
    );
  }
  // The customer must authenticate with the issuer first (3-D Secure), on Kassa's challenge page.
  const { challenge, url } = await createChallenge(ctx, {
    intent: intent.id,
    kind: 'payment_intent',
    returnUrl: options.returnUrl ?? null,
    paymentMethod: stored.pm.id,
    display: {
      merchant: calculatedDescriptor(intent),
      amount: intent.amount,
      currency: intent.currency,
      brand: stored.secret.card.display_brand,
      last4: stored.secret.card.last4,
    },
    flow: result.flow,
  });
  const nextAction: Stripe.PaymentIntent.NextAction = options.returnUrl
    ? { type: 'redirect_to_url', redirect_to_url: { url, return_url: options.returnUrl } }
    : ({
        type: 'use_stripe_sdk',
        use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url, source: challenge.id },
      } as Stripe.PaymentIntent.NextAction);
  const next: PaymentIntent = {
    ...intent,
    status: 'requires_action',
    next_action: nextAction,
    payment_method: stored.pm.id,
    last_payment_error: null,
  };
  await saveObject(ctx.db, ctx.accountId, next);
  await ctx.emit('payment_intent.requires_action', next);
  return next;
}

/** Stripe's last_payment_error when the customer fails (or abandons) 3-D Secure. */
export const AUTHENTICATION_FAILURE = {
  code: 'payment_intent_authentication_failure',
  doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
  message:
    'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
  type: 'invalid_request_error',
} as const;

/**
 * After the customer answered the challenge: a completed authentication goes
 * to the network as a normal confirm does (recordAuthorization: approve or
 * decline), now authenticated; a failed one returns the intent to
 * requires_payment_method, as does a PaymentMethod used elsewhere meanwhile
 * (with the error a confirm would get).
 */
export async function finishAuthentication(
  ctx: HttpWriteContext,
  intent: PaymentIntent,
  paymentMethodId: string,
  answer: ChallengeAnswer,
  services: PaymentServices,
): Promise<PaymentIntent | CallOut<WriteContext, PaymentIntent>> {
  const { stored, refused } = await paymentMethodAfterChallenge(ctx, intent, paymentMethodId);
  if (answer === 'complete' && refused)
    return paymentFailed(ctx, intent, {
      ...refused.body,
      payment_method: stored.pm,
    } as Stripe.PaymentIntent.LastPaymentError);
  if (answer === 'complete' && intent.confirmation_method === 'manual') {
    // Stripe: the server must confirm again; that confirm goes to the network authenticated (takeAuthentication).
    const next: PaymentIntent = { ...intent, status: 'requires_confirmation', next_action: null };
    await saveObject(ctx.db, ctx.accountId, next);
    return next;
  }
  if (answer === 'complete') {
    const attempt = authorizationAttempt(ctx, intent, stored, { offSession: false, authenticated: true });
    const callOut = await persistAuthorization(ctx, services, attempt, intent, stored);
    return callOut.map((next) =>
      next instanceof CommittedError ? (next.error.body.payment_intent as PaymentIntent) : next,
    );
  }
  return paymentFailed(ctx, intent, {
    ...AUTHENTICATION_FAILURE,
    payment_method: stored.pm,
  } as Stripe.PaymentIntent.LastPaymentError);
}

/** The intent goes back to requires_payment_method with `error`, without a charge. */
async function paymentFailed(
  ctx: HttpWriteContext,
  intent: PaymentIntent,
  error: Stripe.PaymentIntent.LastPaymentError,
): Promise<PaymentIntent> {
  const next = declinedIntent(intent, error, null);
  await saveObject(ctx.db, ctx.accountId, next);
  await ctx.emit('payment_intent.payment_failed', next);
  return next;
}

/** The PaymentIntent side of the challenge page (see three-d-secure.ts). */
export function paymentIntentFinisher(services: PaymentServices): ChallengeFinisher {
  return {
    load: intentWaitingFor(PAYMENT_INTENT),
    async finish(ctx, value, challenge, answer) {
      const next = await finishAuthentication(ctx, value as PaymentIntent, challenge.payment_method, answer, services);
      return next instanceof CallOut ? next.map(challengeOutcome) : challengeOutcome(next);
    },
  };
}

function challengeOutcome(next: PaymentIntent): ChallengeOutcome {
  const authorized = ['succeeded', 'requires_capture', 'processing', 'requires_confirmation'].includes(next.status);
  return {
    status: next.status,
    redirectStatus: authorized ? 'succeeded' : 'failed',
    returnParams: { payment_intent: next.id, payment_intent_client_secret: next.client_secret ?? '' },
  };
}
