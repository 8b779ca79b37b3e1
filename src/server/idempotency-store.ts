// The idempotency_keys table: each request's recorded response, per
// (account, API key, Idempotency-Key), replayed by idempotency.ts.
import type { Db } from '../store/db.js';
import { lockName, tryLockName } from '../store/named-locks.js';

export interface IdempotencyScope {
  accountId: string;
  keyId: string;
  key: string;
}

export interface IdempotencyRecord {
  fingerprint: string;
  requestId: string;
  responseStatus: number;
  responseBody: string;
  created: number;
}

/** A POST with an Idempotency-Key, as its response will be recorded: the key's scope and the request it stands for. */
export interface IdempotentRequest extends Omit<IdempotencyRecord, 'responseStatus' | 'responseBody'> {
  scope: IdempotencyScope;
}

/**
 * Holds the key for the rest of this transaction, so that a concurrent
 * request with it is told so at once. False when another transaction holds
 * it. (SQLite transactions never overlap, so there it always succeeds.)
 */
export function tryLockIdempotencyKey(db: Db, scope: IdempotencyScope): Promise<boolean> {
  return tryLockName(db, keyLockName(scope));
}

/**
 * Holds the key for the rest of this transaction, waiting for a request that
 * holds it: the record of a call's answer takes it before it releases the
 * call's holds, so that a retry never finds the objects free and the answer
 * not yet recorded. (A no-op on SQLite, whose transactions never overlap.)
 */
export function lockIdempotencyKey(db: Db, scope: IdempotencyScope): Promise<void> {
  return lockName(db, keyLockName(scope));
}

/** The name an idempotency key is locked under. */
function keyLockName(scope: IdempotencyScope): string {
  return `${scope.accountId}\n${scope.keyId}\n${scope.key}`;
}

export async function getIdempotencyKey(db: Db, scope: IdempotencyScope): Promise<IdempotencyRecord | undefined> {
  const rows = await db.all<{
    fingerprint: string;
    request_id: string;
    response_status: number;
    response_body: string;
    created: number;
  }>(
    `SELECT fingerprint, request_id, response_status, response_body, created FROM idempotency_keys
     WHERE account_id = ? AND key_id = ? AND idempotency_key = ?`,
    [scope.accountId, scope.keyId, scope.key],
  );
  const row = rows[0];
  return (
    row && {
      fingerprint: row.fingerprint,
      requestId: row.request_id,
      responseStatus: row.response_status,
      responseBody: row.response_body,
      created: row.created,
    }
  );
}

/**
 * Records a request's response, in the transaction that made its writes.
 * `afterCall`: the response of a request that called out, recorded by
 * whoever records the call's answer first: it fills in the key taken while
 * the request called (response status 0), or records it when the key was
 * not taken, and does nothing when the key has a response already.
 */
export async function insertIdempotencyKey(
  db: Db,
  scope: IdempotencyScope,
  record: IdempotencyRecord,
  options: { afterCall?: boolean } = {},
): Promise<void> {
  const onConflict = options.afterCall
    ? ` ON CONFLICT (account_id, key_id, idempotency_key) DO UPDATE
         SET response_status = excluded.response_status, response_body = excluded.response_body
         WHERE idempotency_keys.response_status = 0`
    : '';
  await db.run(
    `INSERT INTO idempotency_keys (account_id, key_id, idempotency_key, created, fingerprint, request_id, response_status, response_body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)${onConflict}`,
    [
      scope.accountId,
      scope.keyId,
      scope.key,
      record.created,
      record.fingerprint,
      record.requestId,
      record.responseStatus,
      record.responseBody,
    ],
  );
}

/** Frees a key taken while its request called out, when no one can record its response: a retry then runs again. */
export async function releasePendingIdempotencyKey(db: Db, scope: IdempotencyScope): Promise<void> {
  await db.run(
    'DELETE FROM idempotency_keys WHERE account_id = ? AND key_id = ? AND idempotency_key = ? AND response_status = 0',
    [scope.accountId, scope.keyId, scope.key],
  );
}

export async function deleteIdempotencyKey(db: Db, scope: IdempotencyScope): Promise<void> {
  await db.run('DELETE FROM idempotency_keys WHERE account_id = ? AND key_id = ? AND idempotency_key = ?', [
    scope.accountId,
    scope.keyId,
    scope.key,
  ]);
}

export async function pruneIdempotencyKeys(db: Db, olderThan: number): Promise<number> {
  return db.run('DELETE FROM idempotency_keys WHERE created < ?', [olderThan]);
}
