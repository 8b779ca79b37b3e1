// /v1/refunds, a charge's `refunds` list (expand[]=refunds), and the job that
// applies the network's later word on a refund (a pending refund settling, a
// refund failing at the bank).
import { previousAttributes } from '../events/events.js';
import { scheduleJob, type JobContext, type JobHandler } from '../jobs/jobs.js';
import { invalidParam, resourceMissing } from '../server/errors.js';
import { newId } from '../server/ids.js';
import { listPage, rangeFilters, type ListParams } from '../server/list.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';
import { registerIncludable } from '../server/resources.js';
import type { RequestContext, Route } from '../server/route.js';
import type { Queries } from '../store/store.js';
import { refundTransaction } from './balance-transaction.js';
import type { Charge, ChargeSecret } from './charge.js';
import type { PaymentIntent } from './payment-intent.js';
import {
  assertCancelable,
  assertRefundable,
  LATER_OUTCOME_DELAY_SECONDS,
  newRefund,
  noSuccessfulCharge,
  refundAmount,
  refundedCharge,
  refundFailureTransaction,
  reversedRefund,
  settledRefund,
  uncapturedCharge,
  unrefundedCharge,
  type Refund,
  type RefundReason,
  type RefundTarget,
} from './refund.js';

interface CreateParams {
  amount?: number;
  charge?: string;
  payment_intent?: string;
  reason?: RefundReason;
  metadata?: Metadata | '';
  origin?: 'customer_balance';
  // Accepted and not used: they concern customer-balance refunds, application fees and transfers.
  currency?: string;
  customer?: string;
  instructions_email?: string;
  refund_application_fee?: boolean;
  reverse_transfer?: boolean;
}

/** The job that applies the network's later outcome of a refund. */
export const REFUND_OUTCOME_JOB = 'refund.network_outcome';

interface OutcomePayload {
  refund: string;
  status: 'succeeded' | 'failed';
  failure_reason: string | null;
}

type Db = Pick<RequestContext<unknown>, 'db' | 'accountId'>;

async function loadRefund(ctx: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<Refund> {
  const row = await ctx.db.getObject(ctx.accountId, id, options);
  if (!row || row.type !== 'refund') throw resourceMissing('refund', id, 'refund');
  return JSON.parse(row.doc) as Refund;
}

async function loadChargeForUpdate(ctx: Db, id: string, param: RefundTarget): Promise<{ charge: Charge; secret: ChargeSecret | null }> {
  const row = await ctx.db.getObject(ctx.accountId, id, { forUpdate: true });
  if (!row || row.type !== 'charge') throw resourceMissing('charge', id, param);
  return { charge: JSON.parse(row.doc) as Charge, secret: row.private ? (JSON.parse(row.private) as ChargeSecret) : null };
}

/** The charge a refund request names, directly or through its PaymentIntent. */
async function chargeToRefund(ctx: RequestContext<CreateParams>): Promise<{ charge: Charge; secret: ChargeSecret | null; param: RefundTarget }> {
  const { charge: chargeId, payment_intent: intentId } = ctx.params;
  if (chargeId && intentId) throw invalidParam('You may only specify one of these parameters: charge, payment_intent.', 'charge');
  if (chargeId) return { ...(await loadChargeForUpdate(ctx, chargeId, 'charge')), param: 'charge' };
  if (!intentId) throw invalidParam('One of the following params should be provided for this request: payment_intent or charge.', 'payment_intent');
  const row = await ctx.db.getObject(ctx.accountId, intentId);
  if (!row || row.type !== 'payment_intent') throw resourceMissing('payment_intent', intentId, 'payment_intent');
  const intent = JSON.parse(row.doc) as PaymentIntent;
  if (intent.status === 'requires_capture') throw uncapturedCharge(intent.id, 'payment_intent');
  const latest = typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge?.id;
  if (!latest) throw noSuccessfulCharge(intent.id, '', 'payment_intent');
  return { ...(await loadChargeForUpdate(ctx, latest, 'payment_intent')), param: 'payment_intent' };
}

function refundsOfCharge(db: Queries, accountId: string, chargeId: string, params: ListParams = {}) {
  return listPage(db, {
    table: 'objects',
    accountId,
    type: 'refund',
    url: `/v1/charges/${chargeId}/refunds`,
    filters: [{ field: 'doc.charge', op: '=', value: chargeId }],
    params,
  });
}

// Since API 2022-11-15 a charge's refunds are listed only on request.
registerIncludable('charge', 'refunds', (db, accountId, charge) => refundsOfCharge(db, accountId, charge.id));

async function emitRefundUpdate(ctx: Pick<RequestContext<unknown>, 'emit'>, before: Refund, after: Refund, types: string[]): Promise<void> {
  const previous = previousAttributes(before, after);
  for (const type of types) await ctx.emit(type, after, previous);
}

/**
 * A refund's money comes back to the balance: the refund fails (the bank
 * refused it) or is canceled. The charge no longer counts it as refunded.
 * Locks the charge, then the refund (as creating a refund does); null when
 * the refund is no longer in a state `may` accepts.
 */
async function reverseRefund(
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
  await ctx.db.insertObject(ctx.accountId, txn);
  const after = reversedRefund(before, status, reason, txn.id);
  await ctx.db.updateObject(ctx.accountId, after);
  await ctx.db.updateObject(ctx.accountId, unrefundedCharge(charge, before.amount));
  return { before, after };
}

export const refundRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/refunds',
    async handler(ctx: RequestContext<CreateParams>) {
      const p = ctx.params;
      if (p.origin) throw invalidParam('Kassa does not support customer balance refunds (origin=customer_balance).', 'origin');
      const metadata = applyMetadata({}, p.metadata);
      const { charge, secret, param } = await chargeToRefund(ctx);
      assertRefundable(charge, param);
      const amount = refundAmount(charge, p.amount);
      if (!secret?.authorizationId) throw noSuccessfulCharge(null, charge.id, param);
      const outcome = await ctx.network.refund({ authorizationId: secret.authorizationId, amount, profile: secret.card });

      const id = newId('re');
      const txn = refundTransaction(newId('txn'), { id, currency: charge.currency, amount }, ctx.now);
      await ctx.db.insertObject(ctx.accountId, txn);
      const refund = newRefund({ id, charge, amount, reason: p.reason, metadata, balanceTransactionId: txn.id, status: outcome.status, now: ctx.now });
      await ctx.db.insertObject(ctx.accountId, refund);
      const after = refundedCharge(charge, amount);
      await ctx.db.updateObject(ctx.accountId, after);
      if (outcome.later) {
        const payload: OutcomePayload = { refund: id, status: outcome.later.status, failure_reason: outcome.later.failure_reason };
        const runAt = ctx.now + LATER_OUTCOME_DELAY_SECONDS[outcome.later.status];
        await scheduleJob(ctx.db, { accountId: ctx.accountId, kind: REFUND_OUTCOME_JOB, runAt, payload, now: ctx.now });
      }
      await ctx.emit('refund.created', refund);
      await ctx.emit('charge.refunded', after, previousAttributes(charge, after));
      return refund;
    },
  },
  {
    method: 'GET',
    path: '/v1/refunds/{refund}',
    async handler(ctx) {
      return loadRefund(ctx, ctx.path.refund);
    },
  },
  {
    method: 'POST',
    path: '/v1/refunds/{refund}',
    async handler(ctx: RequestContext<{ metadata?: Metadata | '' }>) {
      const before = await loadRefund(ctx, ctx.path.refund, { forUpdate: true });
      const after: Refund = { ...before, metadata: applyMetadata(before.metadata ?? {}, ctx.params.metadata) };
      if (JSON.stringify(after.metadata) !== JSON.stringify(before.metadata)) {
        await ctx.db.updateObject(ctx.accountId, after);
        await emitRefundUpdate(ctx, before, after, ['refund.updated', 'charge.refund.updated']);
      }
      return after;
    },
  },
  {
    method: 'POST',
    path: '/v1/refunds/{refund}/cancel',
    async handler(ctx) {
      const refund = await loadRefund(ctx, ctx.path.refund);
      assertCancelable(refund);
      // Checked again under the lock: the refund may have moved on meanwhile.
      const reversed = (await reverseRefund(ctx, refund, 'canceled', 'merchant_request', (current) => (assertCancelable(current), true)))!;
      await emitRefundUpdate(ctx, reversed.before, reversed.after, ['refund.updated', 'charge.refund.updated']);
      return reversed.after;
    },
  },
  {
    method: 'GET',
    path: '/v1/refunds',
    async handler(ctx: RequestContext<ListParams & { charge?: string; payment_intent?: string }>) {
      const filters = rangeFilters('created', ctx.params.created);
      for (const field of ['charge', 'payment_intent'] as const) {
        const value = ctx.params[field];
        if (value) filters.push({ field: `doc.${field}`, op: '=', value });
      }
      return listPage(ctx.db, { table: 'objects', accountId: ctx.accountId, type: 'refund', url: '/v1/refunds', filters, params: ctx.params });
    },
  },
];

/** Applies the network's later outcome; a refund that has moved on meanwhile is left alone. */
async function applyLaterOutcome(ctx: JobContext<OutcomePayload>): Promise<void> {
  const { payload } = ctx;
  const row = await ctx.db.getObject(ctx.accountId, payload.refund);
  if (!row || row.type !== 'refund') return;
  const before = JSON.parse(row.doc) as Refund;
  if (payload.status === 'succeeded') {
    const current = await loadRefund(ctx, before.id, { forUpdate: true });
    if (current.status !== 'pending') return;
    const after = settledRefund(current);
    await ctx.db.updateObject(ctx.accountId, after);
    await emitRefundUpdate(ctx, current, after, ['refund.updated', 'charge.refund.updated']);
    return;
  }
  const reversed = await reverseRefund(ctx, before, 'failed', payload.failure_reason ?? 'unknown', (current) => current.status === 'succeeded' || current.status === 'pending');
  if (!reversed) return;
  await ctx.emit('refund.failed', reversed.after);
  await emitRefundUpdate(ctx, reversed.before, reversed.after, ['charge.refund.updated']);
}

export const refundJobs: JobHandler[] = [{ kind: REFUND_OUTCOME_JOB, run: applyLaterOutcome }];
