// Confirming a SetupIntent: the network verifies the card (with 3-D Secure
// when the issuer or the merchant asks for it), a SetupAttempt records the
// outcome, and a card set up is saved to the customer. The check with the
// issuer runs in the persist-call-record order of network-attempt.ts (the
// SetupIntent and its PaymentMethod held meanwhile; recordVerification
// records); the challenge page finishes what 3-D Secure interrupted
// (setupIntentFinisher).
import type Stripe from 'stripe';
import type { PaymentNetwork, VerifyResult } from '../network/network.js';
import type { StripeError } from '../server/errors.js';
import { newId } from '../server/ids.js';
import { checkReturnUrl } from '../server/urls.js';
import { CommittedError, type RequestContext } from '../server/route.js';
import { CallOut } from '../server/call-out.js';
import type { HttpWriteContext, WriteContext } from '../server/write-context.js';
import { cardError } from './card-error.js';
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
import { newAttemptId, type HeldObjects, type VerifyAttempt } from './network-attempt.js';
import { attachToCustomer, savePaymentMethod, type StoredPaymentMethod } from './payment-method-store.js';
import {
  applySetupIntentParams,
  assertConfirmable,
  assertUpdatable,
  authenticationFailureError,
  declineError,
  failedSetupIntent,
  newSetupAttempt,
  requestsThreeDSecure,
  requiresActionSetupIntent,
  settleAttempt,
  settleUnconfirmedStatus,
  succeededSetupIntent,
  unexpectedState,
  type SetupAttempt,
  type SetupIntent,
  type SetupIntentParams,
} from './setup-intent.js';
import {
  challengeReturnUrl,
  createChallenge,
  type ChallengeFinisher,
  type ChallengeFlow,
  type ChallengeOutcome,
} from './three-d-secure.js';
import { getObjectRow, insertObject, saveObject } from '../store/objects.js';

export const SETUP_INTENT: IntentKind<SetupIntent, SetupIntentParams> = {
  object: 'setup_intent',
  assertUpdatable,
  applyParams: applySetupIntentParams,
  settleUnconfirmedStatus,
};

export interface SetupConfirmParams extends PaymentMethodChoice {
  payment_method_options?: SetupIntentParams['payment_method_options'];
  return_url?: string;
  use_stripe_sdk?: boolean;
  client_secret?: string;
}

export async function confirmSetupIntent(
  ctx: RequestContext<unknown>,
  current: SetupIntent,
  params: SetupConfirmParams,
  network: PaymentNetwork,
): Promise<CallOut<WriteContext, SetupIntent | CommittedError>> {
  assertConfirmable(current);
  checkReturnUrl(params.return_url);
  const setupIntent = applySetupIntentParams(current, { payment_method_options: params.payment_method_options });
  const stored = await paymentMethodToConfirm(ctx, network, setupIntent, params);
  checkReturnUrlGiven(ctx, setupIntent, params.return_url);
  // The confirm's parameters are kept whatever the issuer answers: the record stores them.
  const attempt = verificationAttempt(ctx, setupIntent, stored, false, {
    returnUrl: challengeReturnUrl(params),
    changes: confirmChanges(current, setupIntent),
  });
  return persistVerification(ctx, network, attempt, current, stored);
}

/** Persists a verification attempt (persistIntentAttempt); its record step is recordVerification. */
function persistVerification(
  ctx: HttpWriteContext,
  network: PaymentNetwork,
  attempt: Omit<VerifyAttempt, 'holds'>,
  setupIntent: SetupIntent,
  stored: StoredPaymentMethod,
): Promise<CallOut<WriteContext, SetupIntent | CommittedError>> {
  return persistIntentAttempt<VerifyAttempt, SetupIntent | CommittedError>(
    ctx,
    network,
    attempt,
    setupIntent,
    stored,
    (recordCtx, planned, answer, held) => recordVerification(recordCtx, planned, answer as VerifyResult, held),
  );
}

function verificationAttempt(
  ctx: HttpWriteContext,
  setupIntent: SetupIntent,
  stored: StoredPaymentMethod,
  authenticated: boolean,
  confirm?: VerifyAttempt['confirm'],
): Omit<VerifyAttempt, 'holds'> {
  return {
    id: newAttemptId(),
    call: 'verify',
    baseUrl: ctx.baseUrl,
    setupIntent: setupIntent.id,
    paymentMethod: stored.pm.id,
    request: { profile: stored.secret.card, authenticated, requestThreeDSecure: requestsThreeDSecure(setupIntent) },
    confirm,
  };
}

/**
 * The issuer's answer to a setup, recorded by the confirm or the challenge
 * page that asked, or by the attempt's recovery job. At confirm a decline is
 * answered with a 402 after the failed setup commits; after a challenge the
 * SetupIntent is simply left failed.
 */
export async function recordVerification(
  writeCtx: WriteContext,
  attempt: VerifyAttempt,
  result: VerifyResult,
  known?: HeldObjects,
): Promise<SetupIntent | CommittedError> {
  return recordIntentAttempt(
    writeCtx,
    attempt,
    known,
    SETUP_INTENT,
    attempt.setupIntent,
    async (ctx, setupIntent, stored): Promise<SetupIntent | CommittedError> => {
      if (!attempt.confirm) {
        const waiting = await loadAttempt(ctx, setupIntent);
        if (result.status === 'authentication_required')
          return setupFailed(ctx, setupIntent, stored, waiting, authenticationFailureError(stored.pm));
        return (await settle(ctx, setupIntent, stored, result, waiting)).setupIntent;
      }
      if (result.status === 'authentication_required')
        return requireAction(ctx, setupIntent, stored, result.flow, attempt.confirm.returnUrl);
      const settled = await settle(ctx, setupIntent, stored, result, null);
      return settled.error ? new CommittedError(settled.error) : settled.setupIntent;
    },
  );
}

/** The issuer asks for 3-D Secure: a SetupAttempt waits for the customer on Kassa's challenge page. */
async function requireAction(
  ctx: HttpWriteContext,
  setupIntent: SetupIntent,
  stored: StoredPaymentMethod,
  flow: ChallengeFlow,
  returnUrl: string | undefined,
): Promise<SetupIntent> {
  const attempt = newSetupAttempt(newId('setatt'), setupIntent, stored.pm, stored.secret.card, ctx.now, {
    status: 'requires_action',
  });
  await insertObject(ctx.db, ctx.accountId, attempt);
  const { url } = await createChallenge(ctx, {
    intent: setupIntent.id,
    kind: 'setup_intent',
    returnUrl: returnUrl ?? null,
    paymentMethod: stored.pm.id,
    display: {
      merchant: 'KASSA',
      amount: null,
      currency: null,
      brand: stored.secret.card.display_brand,
      last4: stored.secret.card.last4,
    },
    flow,
  });
  const next = requiresActionSetupIntent(setupIntent, stored.pm.id, attempt.id, url, returnUrl);
  await saveObject(ctx.db, ctx.accountId, next);
  await ctx.emit('setup_intent.requires_action', next);
  return next;
}

/**
 * The network's answer to a setup (at confirm or after 3-D Secure): approved
 * sets the card up; declined fails the setup, with the card error to answer.
 * `attempt` is the SetupAttempt already waiting for the challenge, if any.
 */
async function settle(
  ctx: HttpWriteContext,
  setupIntent: SetupIntent,
  stored: StoredPaymentMethod,
  result: Exclude<VerifyResult, { status: 'authentication_required' }>,
  attempt: SetupAttempt | null,
): Promise<{ setupIntent: SetupIntent; error: StripeError | null }> {
  if (result.status === 'approved') {
    const outcome = { status: 'succeeded', checks: result.checks, threeDSecure: result.threeDSecure } as const;
    const settled = await saveAttempt(ctx, setupIntent, stored, attempt, outcome);
    await setUpForLater(ctx, setupIntent, stored);
    const next = succeededSetupIntent(setupIntent, stored.pm.id, settled.id);
    await saveObject(ctx.db, ctx.accountId, next);
    await ctx.emit('setup_intent.succeeded', next);
    return { setupIntent: next, error: null };
  }
  const lastError = declineError(result, stored.pm);
  const settled = await saveAttempt(ctx, setupIntent, stored, attempt, {
    status: 'failed',
    checks: result.checks,
    setupError: lastError,
  });
  const next = failedSetupIntent(setupIntent, lastError, settled.id);
  await saveObject(ctx.db, ctx.accountId, next);
  await ctx.emit('setup_intent.setup_failed', next);
  const error = cardError({
    code: result.code,
    decline_code: result.decline_code,
    advice_code: result.advice_code,
    message: result.message,
    param: result.param,
    setup_intent: next,
    payment_method: stored.pm,
  });
  return { setupIntent: next, error };
}

async function saveAttempt(
  ctx: HttpWriteContext,
  setupIntent: SetupIntent,
  stored: StoredPaymentMethod,
  attempt: SetupAttempt | null,
  outcome: Parameters<typeof settleAttempt>[1],
): Promise<SetupAttempt> {
  if (attempt) {
    const settled = settleAttempt(attempt, outcome);
    await saveObject(ctx.db, ctx.accountId, settled);
    return settled;
  }
  const created = newSetupAttempt(newId('setatt'), setupIntent, stored.pm, stored.secret.card, ctx.now, outcome);
  await insertObject(ctx.db, ctx.accountId, created);
  return created;
}

/** The card is saved: attached to the SetupIntent's customer, and ready for off-session payments when set up for them. */
async function setUpForLater(
  ctx: HttpWriteContext,
  setupIntent: SetupIntent,
  stored: StoredPaymentMethod,
): Promise<void> {
  const secret = {
    ...stored.secret,
    setupForOffSession: stored.secret.setupForOffSession || setupIntent.usage === 'off_session',
  };
  const customer = typeof setupIntent.customer === 'string' ? setupIntent.customer : null;
  if (customer && stored.pm.customer !== customer) {
    // The setup just verified the card: no second check with the issuer.
    await attachToCustomer(ctx, 'verified', { pm: stored.pm, secret }, customer);
    return;
  }
  if (secret.setupForOffSession !== stored.secret.setupForOffSession)
    await savePaymentMethod(ctx, { pm: stored.pm, secret });
}

/**
 * What completing (`complete`) or failing (`fail`) the 3-D Secure challenge
 * of a SetupIntent in `requires_action` does, in the caller's transaction.
 * Completing verifies the card again as authenticated: it succeeds, or is
 * declined (recorded as at confirm; nobody is answered a 402 here). Failing
 * returns the SetupIntent to `requires_payment_method` with
 * `setup_intent_authentication_failure`. A PaymentMethod used elsewhere
 * meanwhile fails the setup with the error a confirm would get. Returns the
 * SetupIntent as it is now.
 */
export async function finishSetupAuthentication(
  ctx: HttpWriteContext,
  setupIntent: SetupIntent,
  outcome: 'complete' | 'fail',
  network: PaymentNetwork,
): Promise<SetupIntent | CallOut<WriteContext, SetupIntent>> {
  if (setupIntent.status !== 'requires_action') throw unexpectedState(setupIntent, 'authenticate', ['requires_action']);
  const { stored, refused } = await paymentMethodAfterChallenge(ctx, setupIntent, setupIntent.payment_method as string);
  const attempt = await loadAttempt(ctx, setupIntent);
  if (outcome === 'complete' && refused) {
    return setupFailed(ctx, setupIntent, stored, attempt, {
      ...refused.body,
      payment_method: stored.pm,
      payment_method_type: 'card',
    } as Stripe.SetupIntent.LastSetupError);
  }
  if (outcome === 'complete') {
    const verification = verificationAttempt(ctx, setupIntent, stored, true);
    const callOut = await persistVerification(ctx, network, verification, setupIntent, stored);
    return callOut.map((next) =>
      next instanceof CommittedError ? (next.error.body.setup_intent as SetupIntent) : next,
    );
  }
  return setupFailed(ctx, setupIntent, stored, attempt, authenticationFailureError(stored.pm));
}

/** The setup fails with `error` (the attempt too), without a check with the issuer. */
async function setupFailed(
  ctx: HttpWriteContext,
  setupIntent: SetupIntent,
  stored: StoredPaymentMethod,
  attempt: SetupAttempt | null,
  error: Stripe.SetupIntent.LastSetupError,
): Promise<SetupIntent> {
  const settled = await saveAttempt(ctx, setupIntent, stored, attempt, { status: 'failed', setupError: error });
  const next = failedSetupIntent(setupIntent, error, settled.id);
  await saveObject(ctx.db, ctx.accountId, next);
  await ctx.emit('setup_intent.setup_failed', next);
  return next;
}

async function loadAttempt(ctx: HttpWriteContext, setupIntent: SetupIntent): Promise<SetupAttempt | null> {
  if (typeof setupIntent.latest_attempt !== 'string') return null;
  const row = await getObjectRow(ctx.db, ctx.accountId, setupIntent.latest_attempt);
  return row && row.type === 'setup_attempt' ? (JSON.parse(row.doc) as SetupAttempt) : null;
}

/** Finishes a SetupIntent's 3-D Secure challenge when the customer answers it on the challenge page. */
export function setupIntentFinisher(network: PaymentNetwork): ChallengeFinisher {
  return {
    load: intentWaitingFor(SETUP_INTENT),
    async finish(ctx, value, _challenge, answer) {
      const next = await finishSetupAuthentication(ctx, value as SetupIntent, answer, network);
      return next instanceof CallOut ? next.map(challengeOutcome) : challengeOutcome(next);
    },
  };
}

function challengeOutcome(next: SetupIntent): ChallengeOutcome {
  return {
    status: next.status,
    redirectStatus: next.status === 'succeeded' ? 'succeeded' : 'failed',
    returnParams: { setup_intent: next.id, setup_intent_client_secret: next.client_secret ?? '' },
  };
}
