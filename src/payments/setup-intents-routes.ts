// /v1/setup_intents: saving a card for later without a payment. Thin
// handlers over the rules in setup-intent.ts; confirming asks the network to
// verify the card and records a SetupAttempt, in the request's transaction.
import type Stripe from 'stripe';
import type { VerifyResult } from '../network/network.js';
import { invalidParam, invalidRequest, resourceMissing, StripeError } from '../server/errors.js';
import { newId, randomString } from '../server/ids.js';
import { checkReturnUrl } from '../server/urls.js';
import { listPage, rangeFilters, type ListParams } from '../server/list.js';
import { CommittedError, type RequestContext, type Route } from '../server/route.js';
import { cardError } from './card-error.js';
import { challengeReturnUrl, createChallenge, type ChallengeFinisher } from './three-d-secure.js';
import { reuseError, type PaymentMethodParams } from './payment-method.js';
import {
  attachToCustomer,
  createCardPaymentMethod,
  loadPaymentMethod,
  paymentMethodToUse,
  resolvePaymentMethod,
  savePaymentMethod,
  type CardParams,
  type StoredPaymentMethod,
} from './payment-method-store.js';
import {
  applySetupIntentParams,
  assertConfirmable,
  assertUpdatable,
  authenticationFailureError,
  cancelSetupIntent,
  declineError,
  failedSetupIntent,
  newSetupAttempt,
  newSetupIntent,
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

type PaymentMethodData = PaymentMethodParams & { type: string; card?: CardParams };

export interface SetupConfirmParams {
  payment_method?: string;
  payment_method_data?: PaymentMethodData;
  payment_method_options?: SetupIntentParams['payment_method_options'];
  return_url?: string;
  use_stripe_sdk?: boolean;
  client_secret?: string;
}

interface CreateParams extends SetupIntentParams, Omit<SetupConfirmParams, 'payment_method_options'> {
  confirm?: boolean;
}

interface UpdateParams extends Omit<SetupIntentParams, 'usage'> {
  payment_method?: string | '';
  payment_method_data?: PaymentMethodData;
}

const CONFIRM_ONLY = ['return_url', 'use_stripe_sdk'] as const;

export async function loadSetupIntent(ctx: RequestContext<unknown>, id: string, options: { forUpdate?: boolean } = {}): Promise<SetupIntent> {
  const row = await ctx.db.getObject(ctx.accountId, id, options);
  if (!row || row.type !== 'setup_intent') throw resourceMissing('setup_intent', id, 'intent');
  return JSON.parse(row.doc) as SetupIntent;
}

/** A publishable key proves it may see a SetupIntent with its client secret. */
function checkClientSecret(ctx: RequestContext<{ client_secret?: string }>, setupIntent: SetupIntent): void {
  if (ctx.auth.kind !== 'publishable') return;
  const given = ctx.params.client_secret;
  if (!given) throw invalidParam('Missing required param: client_secret.', 'client_secret', 'parameter_missing');
  if (given !== setupIntent.client_secret) {
    throw invalidRequest('The client_secret provided does not match the client_secret associated with the SetupIntent.', { param: 'client_secret' });
  }
}

async function checkCustomer(ctx: RequestContext<unknown>, id: string | '' | undefined): Promise<void> {
  if (!id) return;
  const row = await ctx.db.getObject(ctx.accountId, id);
  if (!row || row.type !== 'customer' || row.deleted) throw resourceMissing('customer', id, 'customer');
}

async function paymentMethodFromData(ctx: RequestContext<unknown>, data: PaymentMethodData): Promise<StoredPaymentMethod> {
  if (data.type !== 'card') throw invalidParam(`Kassa supports PaymentMethods of type card only; got type ${data.type}.`, 'payment_method_data[type]');
  const { type: _type, card, ...rest } = data;
  return createCardPaymentMethod(ctx, card, rest, 'payment_method_data[card]');
}

async function paymentMethodFor(ctx: RequestContext<unknown>, setupIntent: SetupIntent, id: string | undefined, data: PaymentMethodData | undefined): Promise<StoredPaymentMethod> {
  if (data) return paymentMethodFromData(ctx, data);
  if (id) return paymentMethodToUse(ctx, id);
  if (typeof setupIntent.payment_method === 'string') return paymentMethodToUse(ctx, setupIntent.payment_method);
  throw invalidRequest(
    "You cannot confirm this SetupIntent because it's missing a payment method. You can either update the SetupIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
    { code: 'setup_intent_unexpected_state' },
  );
}

/** Stripe's rule: a PaymentMethod attached to one customer cannot be set up for another. */
function ownershipError(setupIntent: SetupIntent, stored: StoredPaymentMethod): StripeError | null {
  const owner = stored.pm.customer;
  if (!owner || owner === setupIntent.customer) return null;
  return invalidRequest(
    `The provided PaymentMethod ${stored.pm.id} is attached to another customer than this SetupIntent's. Attach it to ${setupIntent.customer ?? "the SetupIntent's customer"} or use another PaymentMethod.`,
    { param: 'payment_method' },
  );
}

function checkOwnership(setupIntent: SetupIntent, stored: StoredPaymentMethod): void {
  const error = ownershipError(setupIntent, stored);
  if (error) throw error;
}

async function confirmSetupIntent(ctx: RequestContext<unknown>, current: SetupIntent, params: SetupConfirmParams): Promise<SetupIntent | CommittedError> {
  assertConfirmable(current);
  checkReturnUrl(params.return_url);
  const setupIntent = applySetupIntentParams(current, { payment_method_options: params.payment_method_options });
  const stored = await paymentMethodFor(ctx, setupIntent, params.payment_method, params.payment_method_data);
  checkOwnership(setupIntent, stored);
  if (ctx.auth.kind === 'secret' && !params.return_url && setupIntent.automatic_payment_methods?.allow_redirects === 'always') {
    throw invalidRequest(
      "This SetupIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
      { param: 'return_url' },
    );
  }
  const result = await ctx.network.verify({ profile: stored.secret.card, requestThreeDSecure: requestsThreeDSecure(setupIntent) });
  if (result.status === 'authentication_required') {
    const attempt = newSetupAttempt(newId('setatt'), setupIntent, stored.pm, stored.secret.card, ctx.now, { status: 'requires_action' });
    await ctx.db.insertObject(ctx.accountId, attempt);
    const returnUrl = challengeReturnUrl(params);
    const { url } = await createChallenge(ctx, {
      intent: setupIntent.id,
      kind: 'setup_intent',
      returnUrl: returnUrl ?? null,
      paymentMethod: stored.pm.id,
      display: { merchant: 'KASSA', amount: null, currency: null, brand: stored.secret.card.display_brand, last4: stored.secret.card.last4 },
      flow: result.flow,
    });
    const next = requiresActionSetupIntent(setupIntent, stored.pm.id, attempt.id, url, returnUrl);
    await ctx.db.updateObject(ctx.accountId, next);
    await ctx.emit('setup_intent.requires_action', next);
    return next;
  }
  const settled = await settle(ctx, setupIntent, stored, result, null);
  // A decline is answered with a 402 after the failed setup commits.
  return settled.error ? new CommittedError(settled.error) : settled.setupIntent;
}

/**
 * The network's answer to a setup (at confirm or after 3-D Secure): approved
 * sets the card up; declined fails the setup, with the card error to answer.
 * `attempt` is the SetupAttempt already waiting for the challenge, if any.
 */
async function settle(
  ctx: RequestContext<unknown>,
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
    await ctx.db.updateObject(ctx.accountId, next);
    await ctx.emit('setup_intent.succeeded', next);
    return { setupIntent: next, error: null };
  }
  const lastError = declineError(result, stored.pm);
  const settled = await saveAttempt(ctx, setupIntent, stored, attempt, { status: 'failed', checks: result.checks, setupError: lastError });
  const next = failedSetupIntent(setupIntent, lastError, settled.id);
  await ctx.db.updateObject(ctx.accountId, next);
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
  ctx: RequestContext<unknown>,
  setupIntent: SetupIntent,
  stored: StoredPaymentMethod,
  attempt: SetupAttempt | null,
  outcome: Parameters<typeof settleAttempt>[1],
): Promise<SetupAttempt> {
  if (attempt) {
    const settled = settleAttempt(attempt, outcome);
    await ctx.db.updateObject(ctx.accountId, settled);
    return settled;
  }
  const created = newSetupAttempt(newId('setatt'), setupIntent, stored.pm, stored.secret.card, ctx.now, outcome);
  await ctx.db.insertObject(ctx.accountId, created);
  return created;
}

/** The card is saved: attached to the SetupIntent's customer, and ready for off-session payments when set up for them. */
async function setUpForLater(ctx: RequestContext<unknown>, setupIntent: SetupIntent, stored: StoredPaymentMethod): Promise<void> {
  const secret = { ...stored.secret, setupForOffSession: stored.secret.setupForOffSession || setupIntent.usage === 'off_session' };
  const customer = typeof setupIntent.customer === 'string' ? setupIntent.customer : null;
  if (customer && stored.pm.customer !== customer) {
    await attachToCustomer(ctx, { pm: stored.pm, secret }, customer);
    return;
  }
  if (secret.setupForOffSession !== stored.secret.setupForOffSession) await savePaymentMethod(ctx, { pm: stored.pm, secret });
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
  ctx: RequestContext<unknown>,
  setupIntent: SetupIntent,
  outcome: 'complete' | 'fail',
): Promise<SetupIntent> {
  if (setupIntent.status !== 'requires_action') throw unexpectedState(setupIntent, 'authenticate', ['requires_action']);
  // Locked as at confirm (after the SetupIntent): while the customer authenticated, the
  // PaymentMethod may have paid an intent or been saved to another customer.
  const stored = await loadPaymentMethod(ctx, setupIntent.payment_method as string, 'payment_method', { forUpdate: true });
  const attempt = await loadAttempt(ctx, setupIntent);
  const refused = outcome === 'complete' ? (reuseError(stored.pm, stored.secret) ?? ownershipError(setupIntent, stored)) : null;
  if (refused) return setupFailed(ctx, setupIntent, stored, attempt, { ...refused.body, payment_method: stored.pm, payment_method_type: 'card' } as Stripe.SetupIntent.LastSetupError);
  if (outcome === 'complete') {
    const result = await ctx.network.verify({ profile: stored.secret.card, authenticated: true, requestThreeDSecure: requestsThreeDSecure(setupIntent) });
    if (result.status !== 'authentication_required') return (await settle(ctx, setupIntent, stored, result, attempt)).setupIntent;
  }
  return setupFailed(ctx, setupIntent, stored, attempt, authenticationFailureError(stored.pm));
}

/** The setup fails with `error` (the attempt too), without a check with the issuer. */
async function setupFailed(ctx: RequestContext<unknown>, setupIntent: SetupIntent, stored: StoredPaymentMethod, attempt: SetupAttempt | null, error: Stripe.SetupIntent.LastSetupError): Promise<SetupIntent> {
  const settled = await saveAttempt(ctx, setupIntent, stored, attempt, { status: 'failed', setupError: error });
  const next = failedSetupIntent(setupIntent, error, settled.id);
  await ctx.db.updateObject(ctx.accountId, next);
  await ctx.emit('setup_intent.setup_failed', next);
  return next;
}

async function loadAttempt(ctx: RequestContext<unknown>, setupIntent: SetupIntent): Promise<SetupAttempt | null> {
  if (typeof setupIntent.latest_attempt !== 'string') return null;
  const row = await ctx.db.getObject(ctx.accountId, setupIntent.latest_attempt);
  return row && row.type === 'setup_attempt' ? (JSON.parse(row.doc) as SetupAttempt) : null;
}

export const setupIntentRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/setup_intents',
    async handler(ctx: RequestContext<CreateParams>): Promise<SetupIntent | CommittedError> {
      const { confirm, payment_method, payment_method_data, client_secret: _secret, return_url, use_stripe_sdk, ...params } = ctx.params;
      for (const name of CONFIRM_ONLY) {
        if (ctx.params[name] !== undefined && !confirm) throw invalidParam(`You can only pass ${name} when confirm=true.`, name);
      }
      await checkCustomer(ctx, params.customer);
      const id = newId('seti');
      let setupIntent = newSetupIntent(id, `${id}_secret_${randomString(25)}`, params, ctx.now);
      if (!confirm && (payment_method_data || payment_method)) {
        const stored = payment_method_data ? await paymentMethodFromData(ctx, payment_method_data) : await resolvePaymentMethod(ctx, payment_method!, 'payment_method');
        setupIntent = settleUnconfirmedStatus({ ...setupIntent, payment_method: stored.pm.id });
      }
      await ctx.db.insertObject(ctx.accountId, setupIntent);
      await ctx.emit('setup_intent.created', setupIntent);
      if (!confirm) return setupIntent;
      return confirmSetupIntent(ctx, setupIntent, { payment_method, payment_method_data, return_url, use_stripe_sdk });
    },
  },
  {
    method: 'GET',
    path: '/v1/setup_intents/{intent}',
    publishable: true,
    publishableExpand: ['payment_method'],
    async handler(ctx: RequestContext<{ client_secret?: string }>) {
      const setupIntent = await loadSetupIntent(ctx, ctx.path.intent);
      checkClientSecret(ctx, setupIntent);
      return setupIntent;
    },
  },
  {
    method: 'POST',
    path: '/v1/setup_intents/{intent}',
    async handler(ctx: RequestContext<UpdateParams>) {
      const before = await loadSetupIntent(ctx, ctx.path.intent, { forUpdate: true });
      assertUpdatable(before, Object.keys(ctx.params));
      const { payment_method, payment_method_data, ...params } = ctx.params;
      await checkCustomer(ctx, params.customer);
      let setupIntent = applySetupIntentParams(before, params);
      if (payment_method_data) {
        setupIntent = { ...setupIntent, payment_method: (await paymentMethodFromData(ctx, payment_method_data)).pm.id };
      } else if (payment_method !== undefined) {
        const id = payment_method === '' ? null : (await resolvePaymentMethod(ctx, payment_method, 'payment_method')).pm.id;
        setupIntent = { ...setupIntent, payment_method: id };
      }
      setupIntent = settleUnconfirmedStatus(setupIntent);
      // Stripe has no setup_intent.updated event: an update changes the object and emits nothing.
      if (JSON.stringify(setupIntent) !== JSON.stringify(before)) await ctx.db.updateObject(ctx.accountId, setupIntent);
      return setupIntent;
    },
  },
  {
    method: 'POST',
    path: '/v1/setup_intents/{intent}/confirm',
    publishable: true,
    publishableExpand: ['payment_method'],
    async handler(ctx: RequestContext<SetupConfirmParams>) {
      const setupIntent = await loadSetupIntent(ctx, ctx.path.intent, { forUpdate: true });
      checkClientSecret(ctx, setupIntent);
      return confirmSetupIntent(ctx, setupIntent, ctx.params);
    },
  },
  {
    method: 'POST',
    path: '/v1/setup_intents/{intent}/cancel',
    async handler(ctx: RequestContext<{ cancellation_reason?: Stripe.SetupIntent.CancellationReason }>) {
      const setupIntent = await loadSetupIntent(ctx, ctx.path.intent, { forUpdate: true });
      const next = cancelSetupIntent(setupIntent, ctx.params.cancellation_reason);
      await ctx.db.updateObject(ctx.accountId, next);
      await ctx.emit('setup_intent.canceled', next);
      return next;
    },
  },
  {
    method: 'GET',
    path: '/v1/setup_intents',
    async handler(ctx: RequestContext<ListParams & { customer?: string; payment_method?: string }>) {
      const filters = rangeFilters('created', ctx.params.created);
      if (ctx.params.customer) filters.push({ field: 'doc.customer', op: '=', value: ctx.params.customer });
      if (ctx.params.payment_method) filters.push({ field: 'doc.payment_method', op: '=', value: ctx.params.payment_method });
      return listPage(ctx.db, { table: 'objects', accountId: ctx.accountId, type: 'setup_intent', url: '/v1/setup_intents', filters, params: ctx.params });
    },
  },
  {
    method: 'GET',
    path: '/v1/setup_attempts',
    async handler(ctx: RequestContext<ListParams & { setup_intent: string }>) {
      const filters = rangeFilters('created', ctx.params.created);
      filters.push({ field: 'doc.setup_intent', op: '=', value: ctx.params.setup_intent });
      return listPage(ctx.db, { table: 'objects', accountId: ctx.accountId, type: 'setup_attempt', url: '/v1/setup_attempts', filters, params: ctx.params });
    },
  },
];

/** Finishes a SetupIntent's 3-D Secure challenge when the customer answers it on the challenge page. */
export const setupIntentFinisher: ChallengeFinisher = {
  async load(ctx, challenge, options) {
    const row = await ctx.db.getObject(ctx.accountId, challenge.intent, options);
    if (!row || row.type !== 'setup_intent') return null;
    const setupIntent = JSON.parse(row.doc) as SetupIntent;
    return setupIntent.status === 'requires_action' && setupIntent.payment_method === challenge.payment_method ? setupIntent : null;
  },
  async finish(ctx, value, _challenge, answer) {
    const next = await finishSetupAuthentication(ctx, value as SetupIntent, answer);
    return {
      status: next.status,
      redirectStatus: next.status === 'succeeded' ? 'succeeded' : 'failed',
      returnParams: { setup_intent: next.id, setup_intent_client_secret: next.client_secret ?? '' },
    };
  },
};
