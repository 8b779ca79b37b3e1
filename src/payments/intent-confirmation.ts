// What PaymentIntents and SetupIntents share: loading one as its caller may
// see it (a publishable key shows the client secret), the customer it names,
// the PaymentMethod it is given or confirmed with (and whose it is), the
// return_url rule, the update steps, and finding the intent a 3-D Secure
// challenge waits on. Stripe words its messages by kind ("this SetupIntent"),
// which each function reads from the intent itself.
import { previousAttributes } from '../events/events.js';
import type { PaymentNetwork } from '../network/network.js';
import { invalidParam, invalidRequest, resourceMissing, type StripeError } from '../server/errors.js';
import { randomString } from '../server/ids.js';
import type { CallOut } from '../server/call-out.js';
import type { CommittedError, RequestContext } from '../server/route.js';
import type { HttpWriteContext, WriteContext } from '../server/write-context.js';
import {
  persistAttempt,
  recordContext,
  recordOnce,
  type HeldObjects,
  type IntentConfirm,
  type NetworkAttempt,
} from './network-attempt.js';
import type { PaymentIntent } from './payment-intent.js';
import { reuseError, type PaymentMethodParams } from './payment-method.js';
import {
  createCardPaymentMethod,
  loadPaymentMethod,
  heldPaymentMethod,
  paymentMethodToUse,
  resolvePaymentMethod,
  type CardParams,
  type StoredPaymentMethod,
} from './payment-method-store.js';
import type { SetupIntent } from './setup-intent.js';
import type { ChallengeFinisher } from './three-d-secure.js';
import { getObjectRow, saveObject } from '../store/objects.js';

export type Intent = PaymentIntent | SetupIntent;

/** A kind of intent's rules, for the steps both kinds take alike. */
export interface IntentKind<T extends Intent, P> {
  object: T['object'];
  assertUpdatable(intent: T, fields: readonly string[]): void;
  applyParams(intent: T, params: P): T;
  /** After create or update: a PaymentMethod on an unconfirmed intent makes it wait for confirmation. */
  settleUnconfirmedStatus(intent: T): T;
}

export type PaymentMethodData = PaymentMethodParams & { type: string; card?: CardParams };

/** The PaymentMethod parameters of create, update and confirm. */
export interface PaymentMethodChoice {
  payment_method?: string;
  payment_method_data?: PaymentMethodData;
}

function nameOf(intent: Intent): 'PaymentIntent' | 'SetupIntent' {
  return intent.object === 'payment_intent' ? 'PaymentIntent' : 'SetupIntent';
}

export function newClientSecret(intentId: string): string {
  return `${intentId}_secret_${randomString(25)}`;
}

export async function loadIntent<T extends Intent>(
  ctx: HttpWriteContext,
  kind: IntentKind<T, unknown>,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<T> {
  const row = await getObjectRow(ctx.db, ctx.accountId, id, options);
  if (!row || row.type !== kind.object) throw resourceMissing(kind.object, id, 'intent');
  return JSON.parse(row.doc) as T;
}

/** The intent in the path, for a caller that may be Stripe.js: a publishable key proves it may see it with the client secret. */
export async function loadForClient<T extends Intent>(
  ctx: RequestContext<{ client_secret?: string }>,
  kind: IntentKind<T, unknown>,
  options: { forUpdate?: boolean } = {},
): Promise<T> {
  const intent = await loadIntent(ctx, kind, ctx.path.intent, options);
  if (ctx.auth.kind !== 'publishable') return intent;
  const given = ctx.params.client_secret;
  if (!given) throw invalidParam('Missing required param: client_secret.', 'client_secret', 'parameter_missing');
  if (given !== intent.client_secret) {
    throw invalidRequest(
      `The client_secret provided does not match the client_secret associated with the ${nameOf(intent)}.`,
      { param: 'client_secret' },
    );
  }
  return intent;
}

export async function checkCustomer(ctx: HttpWriteContext, id: string | '' | undefined): Promise<void> {
  if (!id) return;
  const row = await getObjectRow(ctx.db, ctx.accountId, id);
  if (!row || row.type !== 'customer' || row.deleted) throw resourceMissing('customer', id, 'customer');
}

/** Parameters Stripe takes only with confirm=true on create. */
export function checkConfirmOnly(params: Record<string, unknown>, names: readonly string[]): void {
  if (params.confirm) return;
  const name = names.find((candidate) => params[candidate] !== undefined);
  if (name) throw invalidParam(`You can only pass ${name} when confirm=true.`, name);
}

/** `payment_method_data`: a new PaymentMethod for the intent (on create and update too, as on Stripe). */
export async function paymentMethodFromData(
  ctx: HttpWriteContext,
  network: PaymentNetwork,
  data: PaymentMethodData,
): Promise<StoredPaymentMethod> {
  if (data.type !== 'card')
    throw invalidParam(
      `Kassa supports PaymentMethods of type card only; got type ${data.type}.`,
      'payment_method_data[type]',
    );
  const { type: _type, card, ...rest } = data;
  return createCardPaymentMethod(ctx, network, card, rest, 'payment_method_data[card]');
}

/** The PaymentMethod that create or update sets without confirming: its id, null to unset (`''`), undefined when not given. */
export async function paymentMethodToSet(
  ctx: HttpWriteContext,
  network: PaymentNetwork,
  choice: { payment_method?: string | ''; payment_method_data?: PaymentMethodData },
): Promise<string | null | undefined> {
  if (choice.payment_method_data) return (await paymentMethodFromData(ctx, network, choice.payment_method_data)).pm.id;
  if (choice.payment_method === undefined) return undefined;
  if (choice.payment_method === '') return null;
  return (await resolvePaymentMethod(ctx, network, choice.payment_method, 'payment_method')).pm.id;
}

/**
 * The PaymentMethod a confirm uses (given, or already on the intent), locked
 * after the intent (see paymentMethodToUse). One attached to another customer
 * is refused.
 */
export async function paymentMethodToConfirm(
  ctx: HttpWriteContext,
  network: PaymentNetwork,
  intent: Intent,
  choice: PaymentMethodChoice,
): Promise<StoredPaymentMethod> {
  const stored = await paymentMethodGiven(ctx, network, intent, choice);
  const error = ownershipError(intent, stored);
  if (error) throw error;
  return stored;
}

async function paymentMethodGiven(
  ctx: HttpWriteContext,
  network: PaymentNetwork,
  intent: Intent,
  choice: PaymentMethodChoice,
): Promise<StoredPaymentMethod> {
  if (choice.payment_method_data) return paymentMethodFromData(ctx, network, choice.payment_method_data);
  if (choice.payment_method) return paymentMethodToUse(ctx, network, choice.payment_method);
  if (typeof intent.payment_method === 'string') return paymentMethodToUse(ctx, network, intent.payment_method);
  const name = nameOf(intent);
  throw invalidRequest(
    `You cannot confirm this ${name} because it's missing a payment method. You can either update the ${name} with a payment method and then confirm it again, or confirm it again directly with a payment method.`,
    { code: `${intent.object}_unexpected_state` },
  );
}

/** Stripe's rule: a PaymentMethod attached to one customer cannot be used for another's intent. */
function ownershipError(intent: Intent, stored: StoredPaymentMethod): StripeError | null {
  const owner = stored.pm.customer;
  if (!owner || owner === intent.customer) return null;
  const name = nameOf(intent);
  return invalidRequest(
    `The provided PaymentMethod ${stored.pm.id} is attached to another customer than this ${name}'s. Attach it to ${intent.customer ?? `the ${name}'s customer`} or use another PaymentMethod.`,
    { param: 'payment_method' },
  );
}

/** With redirect-based payment methods allowed (the default), a server-side confirm must say where the customer comes back to. */
export function checkReturnUrlGiven(
  ctx: RequestContext<unknown>,
  intent: Intent,
  returnUrl: string | undefined,
  offSession = false,
): void {
  if (
    ctx.auth.kind !== 'secret' ||
    returnUrl ||
    offSession ||
    intent.automatic_payment_methods?.allow_redirects !== 'always'
  )
    return;
  throw invalidRequest(
    `This ${nameOf(intent)} is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a \`return_url\`. If you don't want to accept redirect-based payment methods, set \`automatic_payment_methods[enabled]\` to \`true\` and \`automatic_payment_methods[allow_redirects]\` to \`never\` when creating Setup Intents and Payment Intents.`,
    { param: 'return_url' },
  );
}

/**
 * POST /v1/{payment,setup}_intents/{intent}. Stripe has no
 * payment_intent.updated or setup_intent.updated event: an update changes
 * the object and emits nothing.
 */
export async function updateIntent<T extends Intent, P>(
  ctx: RequestContext<P & { payment_method?: string | ''; payment_method_data?: PaymentMethodData }>,
  kind: IntentKind<T, P>,
  network: PaymentNetwork,
): Promise<T> {
  const before = await loadIntent(ctx, kind, ctx.path.intent, { forUpdate: true });
  kind.assertUpdatable(before, Object.keys(ctx.params as object));
  const { payment_method, payment_method_data, ...params } = ctx.params;
  await checkCustomer(ctx, (params as { customer?: string | '' }).customer);
  let intent = kind.applyParams(before, params as P);
  const paymentMethod = await paymentMethodToSet(ctx, network, { payment_method, payment_method_data });
  if (paymentMethod !== undefined) intent = { ...intent, payment_method: paymentMethod };
  intent = kind.settleUnconfirmedStatus(intent);
  if (JSON.stringify(intent) !== JSON.stringify(before)) await saveObject(ctx.db, ctx.accountId, intent);
  return intent;
}

/**
 * After the customer answered a challenge: the PaymentMethod, locked again
 * (after the intent, as at confirm), and why it can no longer be used when it
 * paid or was saved to another customer meanwhile.
 */
export async function paymentMethodAfterChallenge(
  ctx: HttpWriteContext,
  intent: Intent,
  paymentMethodId: string,
): Promise<{ stored: StoredPaymentMethod; refused: StripeError | null }> {
  const stored = await loadPaymentMethod(ctx, paymentMethodId, 'payment_method', { forUpdate: true });
  return { stored, refused: reuseError(stored.pm, stored.secret) ?? ownershipError(intent, stored) };
}

/** A finisher's `load`: the intent, when it still waits for this challenge. */
export function intentWaitingFor<T extends Intent>(kind: IntentKind<T, unknown>): ChallengeFinisher['load'] {
  return async (ctx, challenge, options) => {
    const row = await getObjectRow(ctx.db, ctx.accountId, challenge.intent, options);
    if (!row || row.type !== kind.object) return null;
    const intent = JSON.parse(row.doc) as T;
    return intent.status === 'requires_action' && intent.payment_method === challenge.payment_method ? intent : null;
  };
}

/** What a confirm changes on the intent, by field (see IntentConfirm). */
export function confirmChanges<T extends Intent>(before: T, after: T): Record<string, unknown> {
  const changed = Object.keys(previousAttributes(before, after));
  return Object.fromEntries(changed.map((field) => [field, (after as unknown as Record<string, unknown>)[field]]));
}

/**
 * The persist step of an intent's network attempt: holds the intent as
 * stored (a confirm's changes travel in the attempt) and its PaymentMethod;
 * `record` (recordIntentAttempt's caller) records the answer.
 */
export function persistIntentAttempt<A extends NetworkAttempt, R>(
  ctx: WriteContext,
  network: PaymentNetwork,
  attempt: Omit<A, 'holds'>,
  intent: Intent,
  stored: StoredPaymentMethod,
  record: (ctx: WriteContext, attempt: A, answer: unknown, held: HeldObjects) => Promise<R>,
): Promise<CallOut<WriteContext, R>> {
  return persistAttempt(
    ctx,
    network,
    attempt,
    [{ object: intent }, { object: stored.pm, privateData: stored.secret }],
    record,
  );
}

/**
 * The record step of an intent's network attempt (network-attempt.ts): the
 * intent (with a confirm's changes) and its PaymentMethod as they were held,
 * for `record`. When the attempt was recorded already, the intent as it is.
 */
export function recordIntentAttempt<T extends Intent, R>(
  writeCtx: WriteContext,
  attempt: NetworkAttempt & { paymentMethod: string; confirm?: IntentConfirm },
  known: HeldObjects | undefined,
  kind: IntentKind<T, unknown>,
  intentId: string,
  record: (ctx: HttpWriteContext, intent: T, stored: StoredPaymentMethod) => Promise<R>,
): Promise<T | R | CommittedError> {
  const ctx = recordContext(writeCtx, attempt);
  return recordOnce<T | R>(ctx, attempt, known, {
    recorded: () => loadIntent(ctx, kind, intentId),
    record: (held) =>
      record(
        ctx,
        { ...held.object<T>(intentId), ...attempt.confirm?.changes },
        heldPaymentMethod(held, attempt.paymentMethod),
      ),
  });
}
