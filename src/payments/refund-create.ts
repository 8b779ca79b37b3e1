// Creating a refund, in the persist-call-record order of network-attempt.ts:
// the charge is checked and held, the network is asked with the refund's id
// as its idempotency key, and recordRefund records the answer (the refund,
// its balance transaction, the charge's new state, the network's later word).
import { previousAttributes } from '../events/events.js';
import type { RefundResult } from '../network/network.js';
import type { CallOut } from '../server/call-out.js';
import { invalidParam, resourceMissing } from '../server/errors.js';
import { newId } from '../server/ids.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';
import type { CommittedError, RequestContext } from '../server/route.js';
import type { WriteContext } from '../server/write-context.js';
import { refundTransaction } from './balance-transaction.js';
import type { Charge, ChargeSecret } from './charge.js';
import { heldCharge, loadChargeForUpdate } from './charge-store.js';
import { newAttemptId, persistAttempt, recordOnce, type HeldObjects, type RefundAttempt } from './network-attempt.js';
import type { PaymentIntent } from './payment-intent.js';
import {
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
import { loadRefund, scheduleLaterOutcome } from './refund-lifecycle.js';
import type { PaymentServices } from './services.js';
import { getObjectRow, insertObject, saveObject } from '../store/objects.js';

export interface CreateRefundParams {
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
async function chargeToRefund(
  ctx: RequestContext<CreateRefundParams>,
): Promise<{ charge: Charge; secret: ChargeSecret | null; param: RefundTarget }> {
  const { charge: chargeId, payment_intent: intentId } = ctx.params;
  if (chargeId && intentId)
    throw invalidParam('You may only specify one of these parameters: charge, payment_intent.', 'charge');
  if (chargeId) return { ...(await loadChargeForUpdate(ctx, chargeId, 'charge')), param: 'charge' };
  if (!intentId)
    throw invalidParam(
      'One of the following params should be provided for this request: payment_intent or charge.',
      'payment_intent',
    );
  const row = await getObjectRow(ctx.db, ctx.accountId, intentId);
  if (!row || row.type !== 'payment_intent') throw resourceMissing('payment_intent', intentId, 'payment_intent');
  const intent = JSON.parse(row.doc) as PaymentIntent;
  if (intent.status === 'requires_capture') throw uncapturedCharge(intent.id, 'payment_intent');
  const latest = typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge?.id;
  if (!latest) throw noSuccessfulCharge(intent.id, '', 'payment_intent');
  return { ...(await loadChargeForUpdate(ctx, latest, 'payment_intent')), param: 'payment_intent' };
}

export async function createRefund(
  ctx: RequestContext<CreateRefundParams>,
  services: PaymentServices,
): Promise<CallOut<WriteContext, Refund | CommittedError>> {
  const p = ctx.params;
  if (p.origin)
    throw invalidParam('Kassa does not support customer balance refunds (origin=customer_balance).', 'origin');
  const metadata = applyMetadata({}, p.metadata);
  const { charge, secret, param } = await chargeToRefund(ctx);
  assertRefundable(charge, param);
  const amount = refundAmount(charge, p.amount);
  if (!secret?.authorizationId) throw noSuccessfulCharge(null, charge.id, param);
  // The refund's id, made before the network is asked, is the call's idempotency key.
  const id = newId('re');
  const attempt: Omit<RefundAttempt, 'holds'> = {
    id: newAttemptId(),
    call: 'refund',
    baseUrl: ctx.baseUrl,
    charge: charge.id,
    refund: { id, amount, reason: p.reason, metadata },
    request: { idempotencyKey: id, authorizationId: secret.authorizationId, amount, profile: secret.card },
  };
  // A retry loads the charge for update (chargeToRefund): it meets the hold.
  return (
    await persistAttempt(
      ctx,
      services.network,
      attempt,
      [{ object: charge, privateData: secret }],
      (recordCtx, planned, answer, held) => recordRefund(recordCtx, planned, answer as RefundResult, held),
    )
  ).onHeldObjects();
}

/** The network's answer to a refund, recorded by the request that asked or by the attempt's recovery job. */
export function recordRefund(
  ctx: WriteContext,
  attempt: RefundAttempt,
  outcome: RefundResult,
  known?: HeldObjects,
): Promise<Refund | CommittedError> {
  const { id, amount, reason, metadata } = attempt.refund;
  return recordOnce(ctx, attempt, known, {
    recorded: () => loadRefund(ctx, id),
    async record(held) {
      const { charge } = heldCharge(held, attempt.charge);
      const txn = refundTransaction(newId('txn'), { id, currency: charge.currency, amount }, ctx.now);
      await insertObject(ctx.db, ctx.accountId, txn);
      const refund = newRefund({
        id,
        charge,
        amount,
        reason,
        metadata,
        balanceTransactionId: txn.id,
        status: outcome.status,
        now: ctx.now,
      });
      await insertObject(ctx.db, ctx.accountId, refund);
      const after = refundedCharge(charge, amount);
      await saveObject(ctx.db, ctx.accountId, after);
      if (outcome.later) await scheduleLaterOutcome(ctx, id, outcome.later);
      await ctx.emit('refund.created', refund);
      await ctx.emit('charge.refunded', after, previousAttributes(charge, after));
      return refund;
    },
  });
}
