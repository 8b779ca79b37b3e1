// Capturing a PaymentIntent's authorized charge, and canceling a PaymentIntent
// (which releases an authorization not yet captured). Both call the network,
// in the persist-call-record order of network-attempt.ts: hold the intent and
// its charge, call, then record the answer (recordCapture, recordVoid).
import type Stripe from 'stripe';
import { resourceMissing } from '../server/errors.js';
import { newId } from '../server/ids.js';
import type { Metadata } from '../server/metadata.js';
import type { CallOut } from '../server/call-out.js';
import type { CommittedError, RequestContext } from '../server/route.js';
import type { HttpWriteContext, WriteContext } from '../server/write-context.js';
import { chargeTransaction } from './balance-transaction.js';
import { recordBalanceTransaction } from './balance-ledger.js';
import { capturedCharge, releasedCharge, type Charge, type ChargeSecret } from './charge.js';
import { heldCharge, loadChargeForUpdate, type StoredCharge } from './charge-store.js';
import { loadIntent } from './intent-confirmation.js';
import {
  newAttemptId,
  persistAttempt,
  recordContext,
  recordOnce,
  type CaptureAttempt,
  type HeldObject,
  type HeldObjects,
  type VoidAttempt,
} from './network-attempt.js';
import { PAYMENT_INTENT } from './payment-intent-confirm.js';
import {
  applyIntentParams,
  cancelIntent,
  captureAmount,
  capturedIntent,
  type IntentParams,
  type PaymentIntent,
} from './payment-intent.js';
import type { PaymentServices } from './services.js';
import { saveObject } from '../store/objects.js';

export interface CaptureParams {
  amount_to_capture?: number;
  metadata?: Stripe.MetadataParam;
}

export interface CancelParams {
  cancellation_reason?: Stripe.PaymentIntent.CancellationReason;
}

/** An authorized charge has what Kassa keeps about its authorization. */
function authorized({ charge, secret }: StoredCharge): { charge: Charge; secret: ChargeSecret } {
  if (!secret) throw resourceMissing('charge', charge.id, 'charge');
  return { charge, secret };
}

async function loadCharge(ctx: HttpWriteContext, id: string): Promise<{ charge: Charge; secret: ChargeSecret }> {
  return authorized(await loadChargeForUpdate(ctx, id, 'charge'));
}

export async function captureIntent(
  ctx: RequestContext<CaptureParams>,
  services: PaymentServices,
): Promise<CallOut<WriteContext, PaymentIntent | CommittedError>> {
  const intent = await loadIntent(ctx, PAYMENT_INTENT, ctx.path.intent, { forUpdate: true });
  const amount = captureAmount(intent, ctx.params.amount_to_capture);
  const { charge, secret } = await loadCharge(ctx, intent.latest_charge as string);
  const attempt: Omit<CaptureAttempt, 'holds'> = {
    id: newAttemptId(),
    call: 'capture',
    baseUrl: ctx.baseUrl,
    intent: intent.id,
    charge: charge.id,
    authorizationId: secret.authorizationId as string,
    amount,
    metadata: ctx.params.metadata as Metadata | undefined,
  };
  // A retry of the capture loads the intent for update: it meets the hold.
  return (
    await persistAttempt(
      ctx,
      services.network,
      attempt,
      heldForCharge(intent, { charge, secret }),
      (recordCtx, planned, _, held) => recordCapture(recordCtx, services, planned, held),
    )
  ).onHeldObjects();
}

/** What a capture's or a void's attempt holds: the intent and its charge. */
function heldForCharge(intent: PaymentIntent, stored: StoredCharge): HeldObject[] {
  return [{ object: intent }, { object: stored.charge, privateData: stored.secret ?? undefined }];
}

/** The network captured: the charge's funds enter the balance and the intent succeeds. */
export function recordCapture(
  writeCtx: WriteContext,
  services: PaymentServices,
  attempt: CaptureAttempt,
  known?: HeldObjects,
): Promise<PaymentIntent | CommittedError> {
  const ctx = recordContext(writeCtx, attempt);
  return recordOnce(ctx, attempt, known, {
    recorded: () => loadIntent(ctx, PAYMENT_INTENT, attempt.intent),
    async record(held) {
      const intent = held.object<PaymentIntent>(attempt.intent);
      const { charge, secret } = authorized(heldCharge(held, attempt.charge));
      const txn = chargeTransaction(
        newId('txn'),
        charge,
        attempt.amount,
        services.feeRule,
        ctx.now,
        secret.availableImmediately === true,
      );
      await recordBalanceTransaction(ctx, txn);
      const captured = capturedCharge(charge, attempt.amount, txn.id);
      await saveObject(ctx.db, ctx.accountId, captured);
      const next = applyIntentParams(capturedIntent(intent, attempt.amount), {
        metadata: attempt.metadata as IntentParams['metadata'],
      });
      await saveObject(ctx.db, ctx.accountId, next);
      await ctx.emit('charge.captured', captured, { captured: false, amount_captured: 0, balance_transaction: null });
      await ctx.emit('payment_intent.succeeded', next);
      return next;
    },
  });
}

/** Cancels the intent; one with an authorized charge releases it at the network first. */
export async function cancelPaymentIntent(
  ctx: RequestContext<CancelParams>,
  services: PaymentServices,
): Promise<PaymentIntent | CallOut<WriteContext, PaymentIntent | CommittedError>> {
  const intent = await loadIntent(ctx, PAYMENT_INTENT, ctx.path.intent, { forUpdate: true });
  const next = cancelIntent(intent, ctx.params.cancellation_reason, ctx.now);
  if (intent.status === 'requires_capture' && typeof intent.latest_charge === 'string') {
    const { charge, secret } = await loadCharge(ctx, intent.latest_charge);
    if (secret.authorizationId) {
      const attempt: Omit<VoidAttempt, 'holds'> = {
        id: newAttemptId(),
        call: 'void',
        baseUrl: ctx.baseUrl,
        intent: intent.id,
        charge: charge.id,
        authorizationId: secret.authorizationId,
        cancellationReason: ctx.params.cancellation_reason,
      };
      return (
        await persistAttempt(
          ctx,
          services.network,
          attempt,
          heldForCharge(intent, { charge, secret }),
          (recordCtx, planned, _, held) => recordVoid(recordCtx, planned, held),
        )
      ).onHeldObjects();
    }
    await releaseCharge(ctx, charge);
  }
  await saveObject(ctx.db, ctx.accountId, next);
  await ctx.emit('payment_intent.canceled', next);
  return next;
}

/** The network released the authorization: the charge shows as refunded and the intent is canceled. */
export function recordVoid(
  writeCtx: WriteContext,
  attempt: VoidAttempt,
  known?: HeldObjects,
): Promise<PaymentIntent | CommittedError> {
  const ctx = recordContext(writeCtx, attempt);
  return recordOnce(ctx, attempt, known, {
    recorded: () => loadIntent(ctx, PAYMENT_INTENT, attempt.intent),
    async record(held) {
      const intent = held.object<PaymentIntent>(attempt.intent);
      const { charge } = heldCharge(held, attempt.charge);
      await releaseCharge(ctx, charge);
      const next = cancelIntent(intent, attempt.cancellationReason as CancelParams['cancellation_reason'], ctx.now);
      await saveObject(ctx.db, ctx.accountId, next);
      await ctx.emit('payment_intent.canceled', next);
      return next;
    },
  });
}

async function releaseCharge(ctx: WriteContext, charge: Charge): Promise<void> {
  const released = releasedCharge(charge);
  await saveObject(ctx.db, ctx.accountId, released);
  await ctx.emit('charge.refunded', released, { amount_refunded: charge.amount_refunded, refunded: false });
}
