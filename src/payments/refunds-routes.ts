// /v1/refunds and a charge's `refunds` list (expand[]=refunds). What happens
// to a refund afterwards (settling, failing at the bank, canceled) is in
// refund-lifecycle.ts.
import { previousAttributes } from '../events/events.js';
import { invalidParam, resourceMissing } from '../server/errors.js';
import { newId } from '../server/ids.js';
import { listPage, rangeFilters, type ListParams } from '../server/list.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';
import type { IncludableField } from '../server/resources.js';
import type { RequestContext, Route } from '../server/route.js';
import type { Queries } from '../store/store.js';
import { refundTransaction } from './balance-transaction.js';
import type { Charge, ChargeSecret } from './charge.js';
import type { PaymentIntent } from './payment-intent.js';
import {
  assertCancelable,
  assertRefundable,
  newRefund,
  noSuccessfulCharge,
  refundAmount,
  refundedCharge,
  uncapturedCharge,
  type Refund,
  type RefundReason,
  type RefundTarget,
} from './refund.js';
import { emitRefundUpdate, loadChargeForUpdate, loadRefund, reverseRefund, scheduleLaterOutcome } from './refund-lifecycle.js';
import type { PaymentServices } from './services.js';

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

/** Since API 2022-11-15 a charge's refunds are listed only on request. */
export const chargeRefundsField: IncludableField = { type: 'charge', field: 'refunds', build: (db, accountId, charge) => refundsOfCharge(db, accountId, charge.id) };

export function refundRoutes({ network }: PaymentServices): Route[] {
  return [
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
      // The refund's id, made before the network is asked, is the request's idempotency key.
      const id = newId('re');
      const outcome = await network.refund({ idempotencyKey: id, authorizationId: secret.authorizationId, amount, profile: secret.card });

      const txn = refundTransaction(newId('txn'), { id, currency: charge.currency, amount }, ctx.now);
      await ctx.db.insertObject(ctx.accountId, txn);
      const refund = newRefund({ id, charge, amount, reason: p.reason, metadata, balanceTransactionId: txn.id, status: outcome.status, now: ctx.now });
      await ctx.db.insertObject(ctx.accountId, refund);
      const after = refundedCharge(charge, amount);
      await ctx.db.updateObject(ctx.accountId, after);
      if (outcome.later) await scheduleLaterOutcome(ctx, id, outcome.later);
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
}
