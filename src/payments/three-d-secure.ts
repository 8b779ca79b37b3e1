// 3-D Secure challenges: the record behind a challenge URL, and what answering
// it does. A challenge names its intent by id and kind; each kind (PaymentIntent,
// SetupIntent) supplies how it finishes after the customer answered.
// Challenges live in the objects table with an internal type (never in the API);
// the URL's random token is kept in the row's private data.
import { timingSafeEqual } from 'node:crypto';
import { newId, randomString } from '../server/ids.js';
import { CallOut } from '../server/call-out.js';
import type { HttpWriteContext, WriteContext } from '../server/write-context.js';
import { getObjectRow, insertObject, saveObject } from '../store/objects.js';

export const CHALLENGE_OBJECT = 'three_d_secure_challenge';
/** What Stripe shows as `use_stripe_sdk.source`: the authentication attempt. */
const CHALLENGE_PREFIX = 'payatt';
const TOKEN_LENGTH = 40;

export type ChallengeIntentKind = 'payment_intent' | 'setup_intent';
export type ChallengeAnswer = 'complete' | 'fail';
export type ChallengeStatus = 'pending' | 'succeeded' | 'failed' | 'superseded';

export interface Challenge {
  id: string;
  object: typeof CHALLENGE_OBJECT;
  created: number;
  intent: string;
  intent_kind: ChallengeIntentKind;
  status: ChallengeStatus;
  answered_at: number | null;
  /** A completed authentication that a later confirm still has to use (confirmation_method=manual). */
  authentication_unused: boolean;
  return_url: string | null;
  payment_method: string;
  /** What the page shows; amount and currency are null for a setup. */
  display: { merchant: string; amount: number | null; currency: string | null; brand: string; last4: string };
  /** `frictionless`: the issuer authenticates without asking the customer, so the page answers by itself. Absent on older challenges. */
  flow?: ChallengeFlow;
}

export type ChallengeFlow = 'challenge' | 'frictionless';

export interface ChallengeSecret {
  token: string;
}

/** How an intent kind finishes a challenge. */
export interface ChallengeFinisher {
  /** The intent, locked when `forUpdate`; null when it no longer waits for this challenge (answered, restarted, canceled). */
  load(ctx: HttpWriteContext, challenge: Challenge, options: { forUpdate: boolean }): Promise<unknown | null>;
  /** Moves the intent on after the customer's answer; runs in the answer's transaction with the intent locked. */
  finish(
    ctx: HttpWriteContext,
    intent: unknown,
    challenge: Challenge,
    answer: ChallengeAnswer,
  ): Promise<ChallengeOutcome | CallOut<WriteContext, ChallengeOutcome>>;
}

export interface ChallengeOutcome {
  /** The intent's status afterwards. */
  status: string;
  /** Stripe's `redirect_status`: succeeded for an authorized (even uncaptured) payment, failed otherwise. */
  redirectStatus: 'succeeded' | 'failed';
  /** Query parameters for the return_url besides redirect_status (`payment_intent`, `payment_intent_client_secret`). */
  returnParams: Record<string, string>;
}

/** The finishers by intent kind; the app passes them to the challenge page (kassa.ts). */
export type ChallengeFinishers = Partial<Record<ChallengeIntentKind, ChallengeFinisher>>;

function finisherFor(finishers: ChallengeFinishers, kind: ChallengeIntentKind): ChallengeFinisher {
  const finisher = finishers[kind];
  if (!finisher) throw new Error(`no 3-D Secure finisher for ${kind}`);
  return finisher;
}

export function challengeUrl(baseUrl: string, accountId: string, challengeId: string, token: string): string {
  return `${baseUrl}/kassa/3ds/${accountId}/${challengeId}/${token}`;
}

/**
 * A new challenge for an intent that needs authentication. Challenges still
 * pending for the same intent are superseded: only the newest URL works.
 */
export async function createChallenge(
  ctx: HttpWriteContext,
  input: {
    intent: string;
    kind: ChallengeIntentKind;
    returnUrl: string | null;
    paymentMethod: string;
    display: Challenge['display'];
    flow: ChallengeFlow;
  },
): Promise<{ challenge: Challenge; url: string }> {
  await supersedePending(ctx, input.intent);
  const challenge: Challenge = {
    id: newId(CHALLENGE_PREFIX),
    object: CHALLENGE_OBJECT,
    created: ctx.now,
    intent: input.intent,
    intent_kind: input.kind,
    status: 'pending',
    answered_at: null,
    authentication_unused: false,
    return_url: input.returnUrl,
    payment_method: input.paymentMethod,
    display: input.display,
    flow: input.flow,
  };
  const secret: ChallengeSecret = { token: randomString(TOKEN_LENGTH) };
  await insertObject(ctx.db, ctx.accountId, challenge, secret);
  return { challenge, url: challengeUrl(ctx.baseUrl, ctx.accountId, challenge.id, secret.token) };
}

/** An intent's challenges in one status (an intent has a handful at most). */
async function challengesOf(ctx: HttpWriteContext, intentId: string, status: ChallengeStatus): Promise<Challenge[]> {
  const rows = await ctx.db.list({
    table: 'objects',
    accountId: ctx.accountId,
    type: CHALLENGE_OBJECT,
    filters: [
      { field: 'doc.intent', op: '=', value: intentId },
      { field: 'doc.status', op: '=', value: status },
    ],
    limit: 100,
  });
  return rows.map((row) => JSON.parse(row.doc) as Challenge);
}

async function supersedePending(ctx: HttpWriteContext, intentId: string): Promise<void> {
  for (const old of await challengesOf(ctx, intentId, 'pending')) {
    const superseded: Challenge = { ...old, status: 'superseded' };
    await saveObject(ctx.db, ctx.accountId, superseded);
  }
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function loadChallenge(
  ctx: HttpWriteContext,
  id: string,
  token: string,
  forUpdate: boolean,
): Promise<Challenge | null> {
  const row = await getObjectRow(ctx.db, ctx.accountId, id, { forUpdate });
  if (!row || row.type !== CHALLENGE_OBJECT || !row.private) return null;
  const secret = JSON.parse(row.private) as ChallengeSecret;
  return sameToken(secret.token, token) ? (JSON.parse(row.doc) as Challenge) : null;
}

export type ChallengeView =
  | { kind: 'not_found' }
  | { kind: 'closed'; challenge: Challenge }
  | { kind: 'open'; challenge: Challenge };

/** What the page shows for a URL: nothing for a wrong token; a closed challenge once answered, superseded or its intent moved on. */
export async function viewChallenge(
  ctx: HttpWriteContext,
  finishers: ChallengeFinishers,
  id: string,
  token: string,
): Promise<ChallengeView> {
  const challenge = await loadChallenge(ctx, id, token, false);
  if (!challenge) return { kind: 'not_found' };
  if (challenge.status !== 'pending') return { kind: 'closed', challenge };
  const intent = await finisherFor(finishers, challenge.intent_kind).load(ctx, challenge, { forUpdate: false });
  return intent ? { kind: 'open', challenge } : { kind: 'closed', challenge };
}

export type AnswerResult =
  | { kind: 'not_found' }
  | { kind: 'closed'; challenge: Challenge }
  | { kind: 'answered'; challenge: Challenge; outcome: ChallengeOutcome }
  /** The answer goes to the card network: the caller makes the call, then records it (see network-attempt.ts). */
  | { kind: 'calling'; challenge: Challenge; callOut: CallOut<WriteContext, ChallengeOutcome> };

/**
 * The customer's answer. Locks the intent first, then the challenge (the
 * order confirm uses too), so an answer and a confirm of the same intent
 * serialize; a challenge is answered at most once.
 */
export async function answerChallenge(
  ctx: HttpWriteContext,
  finishers: ChallengeFinishers,
  id: string,
  token: string,
  answer: ChallengeAnswer,
): Promise<AnswerResult> {
  const found = await loadChallenge(ctx, id, token, false);
  if (!found) return { kind: 'not_found' };
  const finisher = finisherFor(finishers, found.intent_kind);
  const intent = await finisher.load(ctx, found, { forUpdate: true });
  const challenge = await loadChallenge(ctx, id, token, true);
  if (!challenge) return { kind: 'not_found' };
  if (!intent || challenge.status !== 'pending') return { kind: 'closed', challenge };
  const outcome = await finisher.finish(ctx, intent, challenge, answer);
  const answered: Challenge = {
    ...challenge,
    status: answer === 'complete' ? 'succeeded' : 'failed',
    answered_at: ctx.now,
    authentication_unused:
      answer === 'complete' && !(outcome instanceof CallOut) && outcome.status === 'requires_confirmation',
  };
  await saveObject(ctx.db, ctx.accountId, answered);
  if (outcome instanceof CallOut) return { kind: 'calling', challenge: answered, callOut: outcome };
  return { kind: 'answered', challenge: answered, outcome };
}

/**
 * With confirmation_method=manual a completed challenge leaves the intent in
 * requires_confirmation; the server's next confirm with the same PaymentMethod
 * goes to the network authenticated. True (once) when there is such an authentication.
 */
export async function takeAuthentication(
  ctx: HttpWriteContext,
  intentId: string,
  paymentMethodId: string,
): Promise<boolean> {
  for (const challenge of await challengesOf(ctx, intentId, 'succeeded')) {
    if (!challenge.authentication_unused || challenge.payment_method !== paymentMethodId) continue;
    const used: Challenge = { ...challenge, authentication_unused: false };
    await saveObject(ctx.db, ctx.accountId, used);
    return true;
  }
  return false;
}

/**
 * Where the challenge page sends the customer afterwards: the return_url,
 * unless the browser library shows the challenge itself (`use_stripe_sdk`),
 * as Stripe.js does in a modal, in which case the page tells its parent window.
 */
export function challengeReturnUrl(params: { return_url?: string; use_stripe_sdk?: boolean }): string | undefined {
  return params.use_stripe_sdk === true ? undefined : params.return_url;
}

/** `return_url` with Stripe's redirect parameters appended to whatever query it already has. */
export function returnUrlWith(returnUrl: string, outcome: ChallengeOutcome): string {
  const url = new URL(returnUrl);
  for (const [name, value] of Object.entries(outcome.returnParams)) url.searchParams.set(name, value);
  url.searchParams.set('redirect_status', outcome.redirectStatus);
  return url.toString();
}
