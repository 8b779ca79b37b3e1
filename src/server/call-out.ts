// Writes that call out of Kassa (the card network) in the middle: persist
// what is about to happen and hold the objects it changes, commit, make the
// call with no transaction open, then record the answer in a new transaction
// (the persist-call-record order). A handler returns a CallOut for the second
// half; the request pipeline (app.ts) and the hosted pages run it. A write
// that meets a held object waits for it (waitWhileHeld).
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionConflict } from '../store/driver.js';
import { ObjectHeld } from '../store/objects.js';
import { invalidRequest, type StripeError } from './errors.js';

export class CallOut<C, R> {
  constructor(
    /** The call, made after the first transaction commits; repeatable (it carries its idempotency key). */
    readonly call: () => Promise<unknown>,
    /** Records the call's answer in a new transaction and releases the holds. */
    readonly record: (ctx: C, answer: unknown) => Promise<R>,
    /**
     * Whether a retry of the request meets the objects the call holds (the
     * request names one it loads for update first): the retry then waits for
     * the record and replays its answer, so the request's Idempotency-Key
     * need not be taken meanwhile. False by default: a request that creates
     * what it holds (a PaymentIntent created with confirm=true) takes its key.
     */
    readonly retryMeetsHolds = false,
  ) {}

  /** The same call, its record's result passed through `fn`. */
  map<S>(fn: (result: R) => S): CallOut<C, S> {
    return new CallOut(this.call, async (ctx, answer) => fn(await this.record(ctx, answer)), this.retryMeetsHolds);
  }

  /** The same call, made by a request whose retry meets its holds (see retryMeetsHolds). */
  onHeldObjects(): CallOut<C, R> {
    return new CallOut(this.call, this.record, true);
  }
}

/** How long a write waits for a held object before answering lock_timeout, as Stripe does after a few seconds. */
const WAIT_MS = 10_000;
const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 100;

/** Stripe's answer when an object stays locked by another request. */
export function lockTimeout(): StripeError {
  return invalidRequest(
    'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. If you see this error frequently and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate.',
    { code: 'lock_timeout', status: 429 },
  );
}

/**
 * Runs `attempt` (a whole transaction) again, after a growing pause, while it
 * meets a held object or the database gives it up for meeting another
 * transaction (a PostgreSQL deadlock); lock_timeout after WAIT_MS.
 */
export async function waitWhileHeld<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ObjectHeld || error instanceof TransactionConflict)) throw error;
      if (Date.now() >= deadline) throw lockTimeout();
      await sleep(pause);
      pause = Math.min(LONGEST_PAUSE_MS, pause * 2);
    }
  }
}
