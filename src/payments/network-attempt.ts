// Calls to the card network that move money or set a card up (authorize,
// verify, capture, void, refund) never run inside a transaction. A write
// persists the attempt first: it holds the objects the answer will change
// (intent, PaymentMethod, charge), the hold carrying the attempt as its
// recovery job, in its transaction. Then the network is called with the
// attempt's idempotency key, and the answer is recorded in a new transaction
// that releases the holds. If the process dies between the call and the
// record, the hold outlives its due time and becomes the recovery job, which
// calls again (the same key gets the same answer, so nothing is charged
// twice) and records it. Whichever records first wins; the other finds the
// holds gone.
import type { AuthorizeRequest, PaymentNetwork, RefundRequest, VerifyRequest } from '../network/network.js';
import { CallOut } from '../server/call-out.js';
import { StripeError } from '../server/errors.js';
import { newId } from '../server/ids.js';
import type { Metadata } from '../server/metadata.js';
import { CommittedError, type RequestContext } from '../server/route.js';
import type { IdempotentRequest } from '../server/idempotency-store.js';
import type { HttpWriteContext, WriteContext } from '../server/write-context.js';
import { getObjectRows, holdObjects, releaseHolds } from '../store/objects.js';
import type { StoredRow } from '../store/store.js';
import type { RefundReason } from './refund.js';

interface AttemptBase {
  /** Holds the attempt's objects (`held_by`) and names its recovery job. */
  id: string;
  /** The objects held until the answer is recorded. */
  holds: string[];
  /** Where this server is reached, for the links the record hands out (receipts, 3-D Secure pages). */
  baseUrl: string;
  /** The API request's Idempotency-Key and expand[]: the recovery answers the key as the request would have. */
  replay?: { request: IdempotentRequest; expand: string[]; publishable: boolean };
}

/** What a confirm asked, kept with its attempt. */
export interface IntentConfirm {
  /** Where the challenge page sends the customer back. */
  returnUrl?: string;
  /**
   * The fields the confirm's parameters change on the intent, stored with the
   * network's answer: the hold keeps the intent as it was until then.
   */
  changes: Record<string, unknown>;
}

/** Paying a PaymentIntent: at confirm, or after the customer completed a 3-D Secure challenge. */
export interface AuthorizeAttempt extends AttemptBase {
  call: 'authorize';
  intent: string;
  paymentMethod: string;
  /** The charge the attempt records; its id is the network's idempotency key. */
  charge: string;
  request: AuthorizeRequest;
  /** A confirm's options; absent after a challenge, whose declines fail the intent without an error to answer. */
  confirm?: IntentConfirm & { offSession: boolean; errorOnRequiresAction: boolean };
}

/** Setting a card up for later: a SetupIntent's check with the issuer, at confirm or after a 3-D Secure challenge. */
export interface VerifyAttempt extends AttemptBase {
  call: 'verify';
  setupIntent: string;
  paymentMethod: string;
  request: VerifyRequest;
  /** A confirm's: where the challenge page sends the customer back; absent after a challenge. */
  confirm?: IntentConfirm;
}

export interface CaptureAttempt extends AttemptBase {
  call: 'capture';
  intent: string;
  charge: string;
  authorizationId: string;
  amount: number;
  metadata?: Metadata | '';
}

/** Canceling a PaymentIntent whose charge is authorized and not captured: the authorization is released. */
export interface VoidAttempt extends AttemptBase {
  call: 'void';
  intent: string;
  charge: string;
  authorizationId: string;
  cancellationReason?: string;
}

export interface RefundAttempt extends AttemptBase {
  call: 'refund';
  charge: string;
  refund: { id: string; amount: number; reason?: RefundReason; metadata: Metadata };
  request: RefundRequest;
}

export type NetworkAttempt = AuthorizeAttempt | VerifyAttempt | CaptureAttempt | VoidAttempt | RefundAttempt;

export const RECORD_ATTEMPT_JOB = 'payments.record_network_attempt';
/**
 * When a write's own record has not come by then (its process died after the
 * call, or the call is slow), the job asks again and records the answer. Short,
 * so that a crash holds objects only for seconds; safe, because the same key
 * gets the same answer and only the first record counts.
 */
const RECOVER_AFTER_SECONDS = 5;

/** A new attempt's id. */
export const newAttemptId = () => newId('job');

/** The network call an attempt makes; repeating it gets the same answer. */
export function callNetwork(network: PaymentNetwork, attempt: NetworkAttempt): Promise<unknown> {
  switch (attempt.call) {
    case 'authorize':
      return network.authorize(attempt.request);
    case 'verify':
      return network.verify(attempt.request);
    case 'capture':
      return network.capture(attempt.authorizationId, attempt.amount);
    case 'void':
      return network.void(attempt.authorizationId);
    case 'refund':
      return network.refund(attempt.request);
  }
}

/** An object an attempt holds, as the persist step leaves it in the database. */
export interface HeldObject {
  object: { id: string };
  /** Its private data as stored; undefined when it has none. */
  privateData?: unknown;
}

/**
 * The persist step, in the caller's transaction (which has loaded `held` for
 * update, as they now are in the database): holds them and schedules the
 * recovery. Returns what the request pipeline (or a hosted page) runs next:
 * the call, then `record`, which is handed the held objects as they are here.
 */
export async function persistAttempt<A extends NetworkAttempt, R>(
  ctx: WriteContext,
  network: PaymentNetwork,
  planned: Omit<A, 'holds'>,
  held: readonly HeldObject[],
  record: (ctx: WriteContext, attempt: A, answer: unknown, held: HeldObjects) => Promise<R>,
): Promise<CallOut<WriteContext, R>> {
  let attempt = { ...planned, holds: held.map((h) => h.object.id) } as A;
  const request = ctx as Partial<RequestContext<unknown>>;
  if (request.auth && request.idempotency) {
    attempt = {
      ...attempt,
      replay: {
        request: request.idempotency,
        expand: request.expand ?? [],
        publishable: request.auth.kind === 'publishable',
      },
    };
  }
  await holdObjects(ctx.db, ctx.accountId, attempt.holds, attempt.id, {
    kind: RECORD_ATTEMPT_JOB,
    payload: attempt,
    due: ctx.now + RECOVER_AFTER_SECONDS,
  });
  return new CallOut(
    () => callNetwork(network, attempt),
    (recordCtx: WriteContext, answer: unknown) => record(recordCtx, attempt, answer, new HeldObjects(held)),
  );
}

/**
 * The objects an attempt held, for its record step: as the persist step left
 * them (nobody can change a held object, so the write that held them knows
 * them), or as the recovery job loads them.
 */
export class HeldObjects {
  private readonly objects = new Map<string, HeldObject>();

  constructor(objects: readonly HeldObject[]) {
    for (const held of objects) this.objects.set(held.object.id, held);
  }

  static fromRows(rows: readonly StoredRow[]): HeldObjects {
    return new HeldObjects(
      rows.map((row) => ({
        object: JSON.parse(row.doc) as { id: string },
        privateData: row.private ? (JSON.parse(row.private) as unknown) : undefined,
      })),
    );
  }

  object<T>(id: string): T {
    return this.held(id).object as T;
  }

  privateData<P>(id: string): P {
    return this.held(id).privateData as P;
  }

  private held(id: string): HeldObject {
    const held = this.objects.get(id);
    if (!held) throw new Error(`${id} was not held by this attempt`);
    return held;
  }
}

/**
 * The record step, whoever runs it (the write that called, or the recovery
 * job): releases the holds, then runs `record` with the held objects (`known`
 * when the caller has them, else loaded). When the attempt was recorded
 * already, runs `recorded` instead (what the caller answers) and records
 * nothing. A refusal while recording is answered as a CommittedError: its
 * writes are undone, the release is kept.
 */
export async function recordOnce<R>(
  ctx: WriteContext,
  attempt: NetworkAttempt,
  known: HeldObjects | undefined,
  steps: { recorded: () => Promise<R>; record: (held: HeldObjects) => Promise<R> },
): Promise<R | CommittedError> {
  if (!(await releaseHolds(ctx.db, ctx.accountId, attempt.holds, attempt.id))) return steps.recorded();
  const held =
    known ?? HeldObjects.fromRows(await getObjectRows(ctx.db, ctx.accountId, attempt.holds, { forUpdate: true }));
  try {
    return await ctx.db.savepoint(() => steps.record(held));
  } catch (error) {
    if (error instanceof StripeError) return new CommittedError(error);
    throw error;
  }
}

/** The record's context: a job's has no request, so links use the address the attempt was made at. */
export function recordContext(ctx: WriteContext, attempt: NetworkAttempt): HttpWriteContext {
  return { ...ctx, baseUrl: attempt.baseUrl };
}
