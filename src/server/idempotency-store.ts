// The idempotency_keys table: each request's recorded response, per
// (account, API key, Idempotency-Key), replayed by idempotency.ts.
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';

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

/**
 * Holds the key for the rest of this transaction, so that a concurrent
 * request with it is told so at once. False when another transaction holds
 * it. (SQLite transactions never overlap, so there it always succeeds.)
 */
export async function tryLockIdempotencyKey(db: Db, scope: IdempotencyScope): Promise<boolean> {
  if (db.dialect !== 'postgres') return true;
  const digest = createHash('sha256').update(`${scope.accountId}\n${scope.keyId}\n${scope.key}`).digest();
  const rows = await db.all<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(?) AS locked', [
    digest.readBigInt64BE(0).toString(),
  ]);
  return rows[0]?.locked === true;
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

/** Records a request's response, in the transaction that made its writes. */
export async function insertIdempotencyKey(db: Db, scope: IdempotencyScope, record: IdempotencyRecord): Promise<void> {
  await db.run(
    `INSERT INTO idempotency_keys (account_id, key_id, idempotency_key, created, fingerprint, request_id, response_status, response_body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
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

/**
 * Fills in the response of a key taken while its request called out (response
 * status 0); whoever records the call's answer first does, so nothing when
 * the response is there already.
 */
export async function completeIdempotencyKey(
  db: Db,
  scope: IdempotencyScope,
  response: { responseStatus: number; responseBody: string },
): Promise<void> {
  await db.run(
    'UPDATE idempotency_keys SET response_status = ?, response_body = ? WHERE account_id = ? AND key_id = ? AND idempotency_key = ? AND response_status = 0',
    [response.responseStatus, response.responseBody, scope.accountId, scope.keyId, scope.key],
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
