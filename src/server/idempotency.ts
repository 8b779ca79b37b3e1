// Idempotent POSTs, as Stripe does them. Everything happens in the request's
// own transaction: look for a recorded response (replay it, or refuse other
// parameters), else run the handler and record its response with its writes.
// A crash before COMMIT leaves nothing behind, so a retry simply runs again.
import { createHash } from 'node:crypto';
import type { Queries } from '../store/store.js';
import {
  deleteIdempotencyKey,
  getIdempotencyKey,
  tryLockIdempotencyKey,
  type IdempotencyScope,
} from './idempotency-store.js';
import { idempotencyError, invalidRequest, StripeError } from './errors.js';

/** Stripe keeps keys for at least 24 hours. */
export const RETENTION_SECONDS = 24 * 60 * 60;
const MAX_KEY_LENGTH = 255;

export interface RecordedResponse {
  status: number;
  body: string;
  originalRequestId: string;
}

/**
 * A digest of the request, to tell a replay from a different request. Card
 * numbers and CVCs are reduced first (last four digits, nothing), so the
 * stored digest cannot be brute-forced back into card data.
 */
export function requestFingerprint(method: string, path: string, params: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(params, redactCardData)}`)
    .digest('hex');
}

function redactCardData(key: string, value: unknown): unknown {
  if (key === 'cvc') return undefined;
  if (key === 'number' && typeof value === 'string') return `****${value.replace(/\D/g, '').slice(-4)}`;
  return value;
}

export function checkIdempotencyKey(key: string): void {
  if (key.length > MAX_KEY_LENGTH) {
    throw new StripeError(
      400,
      invalidRequest(`Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters long.`).body,
      { beforeExecution: true },
    );
  }
}

export function idempotencyKeyInUse(key: string): StripeError {
  return new StripeError(
    409,
    {
      type: 'invalid_request_error',
      code: 'idempotency_key_in_use',
      message: `There is currently another in-progress request using this Stripe-Idempotency-Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
    },
    { beforeExecution: true },
  );
}

/**
 * Inside the request's transaction: the response to replay for this key, or
 * undefined when the request should run. Throws 409 while another request
 * with the key runs, and idempotency_error for other parameters.
 */
export async function recordedResponse(
  tx: Queries,
  scope: IdempotencyScope,
  fingerprint: string,
  now: number,
): Promise<RecordedResponse | undefined> {
  if (!(await tryLockIdempotencyKey(tx, scope))) throw idempotencyKeyInUse(scope.key);
  const existing = await getIdempotencyKey(tx, scope);
  if (!existing) return undefined;
  if (existing.created < now - RETENTION_SECONDS) {
    await deleteIdempotencyKey(tx, scope);
    return undefined;
  }
  if (existing.fingerprint !== fingerprint) {
    throw idempotencyError(
      `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${scope.key}' if you meant to execute a different request.`,
    );
  }
  // Taken by a request still waiting for the card network's answer (see call-out.ts).
  if (existing.responseStatus === 0) throw idempotencyKeyInUse(scope.key);
  return { status: existing.responseStatus, body: existing.responseBody, originalRequestId: existing.requestId };
}

/** Stripe keeps the result of a request that began executing; one refused before that (or a server fault) may be retried. */
export function isRecordable(error: unknown): error is StripeError {
  return error instanceof StripeError && !error.beforeExecution && error.statusCode < 500;
}
