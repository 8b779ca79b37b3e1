// Idempotent POSTs, as Stripe does them. A request claims its key before it
// executes; its response is stored in the same transaction as its writes.
// The same key with the same parameters replays that response; with other
// parameters it is an idempotency_error; while the first is running, 409.
import { createHash } from 'node:crypto';
import type { IdempotencyScope, Store } from '../store/store.js';
import { idempotencyError, invalidRequest, StripeError } from './errors.js';

/** How long a claim protects a running request; a claim older than this was left by a dead process. */
const LOCK_SECONDS = 60;
/** Stripe keeps keys for at least 24 hours. */
export const RETENTION_SECONDS = 24 * 60 * 60;
const MAX_KEY_LENGTH = 255;

export type Claim = { replay: false } | { replay: true; status: number; body: string; originalRequestId: string };

/**
 * A digest of the request, to tell a replay from a different request. Card
 * numbers and CVCs are reduced first (last four digits, nothing), so the
 * stored digest cannot be brute-forced back into card data.
 */
export function requestFingerprint(method: string, path: string, params: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${JSON.stringify(params, redactCardData)}`).digest('hex');
}

function redactCardData(key: string, value: unknown): unknown {
  if (key === 'cvc') return undefined;
  if (key === 'number' && typeof value === 'string') return `****${value.replace(/\D/g, '').slice(-4)}`;
  return value;
}

export function checkIdempotencyKey(key: string): void {
  if (key.length > MAX_KEY_LENGTH) {
    throw new StripeError(400, invalidRequest(`Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters long.`).body, { beforeExecution: true });
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

export async function claimIdempotencyKey(
  store: Store,
  scope: IdempotencyScope,
  request: { fingerprint: string; requestId: string; now: number },
): Promise<Claim> {
  const record = { fingerprint: request.fingerprint, requestId: request.requestId, lockedUntil: request.now + LOCK_SECONDS, created: request.now };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await store.transaction((tx) => tx.insertIdempotencyKey(scope, record))) return { replay: false };
    const existing = await store.read.getIdempotencyKey(scope);
    if (!existing) continue; // pruned or released meanwhile
    if (existing.created < request.now - RETENTION_SECONDS) {
      await store.transaction((tx) => tx.deleteIdempotencyKey(scope, { createdBefore: request.now - RETENTION_SECONDS }));
      continue;
    }
    if (existing.fingerprint !== request.fingerprint) {
      throw idempotencyError(
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${scope.key}' if you meant to execute a different request.`,
      );
    }
    if (existing.responseStatus !== null && existing.responseBody !== null) {
      return { replay: true, status: existing.responseStatus, body: existing.responseBody, originalRequestId: existing.requestId };
    }
    const takenOver = await store.transaction((tx) => tx.takeOverIdempotencyKey(scope, { ...record, now: request.now }));
    if (takenOver) return { replay: false };
    throw idempotencyKeyInUse(scope.key);
  }
  throw new StripeError(409, { type: 'invalid_request_error', code: 'lock_timeout', message: 'This idempotency key is being changed by another request. Please try again.' }, { beforeExecution: true });
}
