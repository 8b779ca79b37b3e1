// The recovery job of a network attempt (network-attempt.ts): when the write
// that called the network did not record the answer (its process died, or
// the call failed), the job asks again, outside any transaction, with the
// same idempotency key, so the network answers as before and nothing is
// charged twice, then records the answer as the write would have, and the
// response to the API request's Idempotency-Key, so that the client's retry
// replays it. (A publishable key's response is not rendered here: its key, if
// taken, is freed and a retry runs again, seeing the recorded state.)
import type { JobContext, JobHandler } from '../jobs/jobs.js';
import type { AuthorizeResult, RefundResult, VerifyResult } from '../network/network.js';
import type { Answer, SecretResponse } from '../server/answer.js';
import { insertIdempotencyKey, lockIdempotencyKey, releasePendingIdempotencyKey } from '../server/idempotency-store.js';
import { callNetwork, RECORD_ATTEMPT_JOB, type NetworkAttempt } from './network-attempt.js';
import { recordCapture, recordVoid } from './payment-intent-capture.js';
import { recordAuthorization } from './payment-intent-confirm.js';
import { recordRefund } from './refund-create.js';
import { recordVerification } from './setup-intent-confirm.js';
import type { PaymentServices } from './services.js';

export function attemptRecoveryJob(services: PaymentServices, respond: SecretResponse): JobHandler {
  return {
    kind: RECORD_ATTEMPT_JOB,
    prepare: ({ payload }) => callNetwork(services.network, payload as NetworkAttempt),
    async run(ctx: JobContext<NetworkAttempt>) {
      const attempt = ctx.payload;
      if (attempt.replay) await lockIdempotencyKey(ctx.db, attempt.replay.request.scope);
      const result = await record(ctx, services, attempt, ctx.prepared);
      const replay = attempt.replay;
      if (!replay) return;
      const { scope, ...request } = replay.request;
      if (replay.publishable) return releasePendingIdempotencyKey(ctx.db, scope);
      const response = await respond(ctx.db, ctx.accountId, result, replay.expand);
      await insertIdempotencyKey(
        ctx.db,
        scope,
        { ...request, responseStatus: response.status, responseBody: response.body },
        { afterCall: true },
      );
    },
  };
}

function record(
  ctx: JobContext<NetworkAttempt>,
  services: PaymentServices,
  attempt: NetworkAttempt,
  answer: unknown,
): Promise<Answer> {
  switch (attempt.call) {
    case 'authorize':
      return recordAuthorization(ctx, services, attempt, answer as AuthorizeResult);
    case 'verify':
      return recordVerification(ctx, attempt, answer as VerifyResult);
    case 'capture':
      return recordCapture(ctx, services, attempt);
    case 'void':
      return recordVoid(ctx, attempt);
    case 'refund':
      return recordRefund(ctx, attempt, answer as RefundResult);
  }
}
