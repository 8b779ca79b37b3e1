// A refund after it is created: the network's later word on it (a pending
// refund settling, a refund failing at the bank) arrives as a job; a refund
// that fails or is canceled gives its money back to the balance.
import { previousAttributes } from '../events/events.js';
import { scheduleJob, type JobContext, type JobHandler } from '../jobs/jobs.js';
import { resourceMissing } from '../server/errors.js';
import { newId } from '../server/ids.js';
import type { WriteContext } from '../server/write-context.js';
import { loadChargeForUpdate } from './charge-store.js';
import {
  LATER_OUTCOME_DELAY_SECONDS,
  refundFailureTransaction,
  reversedRefund,
  settledRefund,
  unrefundedCharge,
  type Refund,
} from './refund.js';
import { getObjectRow, insertObject, saveObject } from '../store/objects.js';

/** The job that applies the network's later outcome of a refund. */
export const REFUND_OUTCOME_JOB = 'refund.network_outcome';

interface OutcomePayload {
  refund: string;
  status: 'succeeded' | 'failed';
  failure_reason: string | null;
}

type Db = Pick<WriteContext, 'db' | 'accountId'>;

export async function loadRefund(ctx: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<Refund> {
  const row = await getObjectRow(ctx.db, ctx.accountId, id, options);
  if (!row || row.type !== 'refund') throw resourceMissing('refund', id, 'refund');
  return JSON.parse(row.doc) as Refund;
}

/** The network will have its later word on the refund: a job applies it after Stripe's usual delay. */
export async function scheduleLaterOutcome(
  ctx: Db & { now: number },
  refundId: string,
  later: Omit<OutcomePayload, 'refund'>,
): Promise<void> {
  const payload: OutcomePayload = { refund: refundId, status: later.status, failure_reason: later.failure_reason };
  const runAt = ctx.now + LATER_OUTCOME_DELAY_SECONDS[later.status];
  await scheduleJob(ctx.db, { accountId: ctx.accountId, kind: REFUND_OUTCOME_JOB, runAt, payload, now: ctx.now });
}

export async function emitRefundUpdate(
  ctx: Pick<WriteContext, 'emit'>,
  before: Refund,
  after: Refund,
  types: string[],
): Promise<void> {
  const previous = previousAttributes(before, after);
  for (const type of types) await ctx.emit(type, after, previous);
}

/**
 * A refund's money comes back to the balance: the refund fails (the bank
 * refused it) or is canceled. The charge no longer counts it as refunded.
 * Locks the charge, then the refund (as creating a refund does); null when
 * the refund is no longer in a state `may` accepts.
 */
export async function reverseRefund(
  ctx: Db & { now: number },
  refund: Refund,
  status: 'failed' | 'canceled',
  reason: string,
  may: (current: Refund) => boolean,
): Promise<{ before: Refund; after: Refund } | null> {
  const { charge } = await loadChargeForUpdate(ctx, refund.charge as string, 'charge');
  const before = await loadRefund(ctx, refund.id, { forUpdate: true });
  if (!may(before)) return null;
  const txn = refundFailureTransaction(newId('txn'), before, ctx.now);
  await insertObject(ctx.db, ctx.accountId, txn);
  const after = reversedRefund(before, status, reason, txn.id);
  await saveObject(ctx.db, ctx.accountId, after);
  await saveObject(ctx.db, ctx.accountId, unrefundedCharge(charge, before.amount));
  return { before, after };
}

/** Applies the network's later outcome; a refund that has moved on meanwhile is left alone. */
async function applyLaterOutcome(ctx: JobContext<OutcomePayload>): Promise<void> {
  const { payload } = ctx;
  const row = await getObjectRow(ctx.db, ctx.accountId, payload.refund);
  if (!row || row.type !== 'refund') return;
  const before = JSON.parse(row.doc) as Refund;
  if (payload.status === 'succeeded') {
    const current = await loadRefund(ctx, before.id, { forUpdate: true });
    if (current.status !== 'pending') return;
    const after = settledRefund(current);
    await saveObject(ctx.db, ctx.accountId, after);
    await emitRefundUpdate(ctx, current, after, ['refund.updated', 'charge.refund.updated']);
    return;
  }
  const reversed = await reverseRefund(
    ctx,
    before,
    'failed',
    payload.failure_reason ?? 'unknown',
    (current) => current.status === 'succeeded' || current.status === 'pending',
  );
  if (!reversed) return;
  await ctx.emit('refund.failed', reversed.after);
  await emitRefundUpdate(ctx, reversed.before, reversed.after, ['charge.refund.updated']);
}

export const refundJobs: JobHandler[] = [{ kind: REFUND_OUTCOME_JOB, run: applyLaterOutcome }];
