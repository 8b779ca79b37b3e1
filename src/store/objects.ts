// The generic objects table: every API object as its JSON document (`doc`),
// with what Kassa keeps about it but never shows (`private`). Typed access:
// loadObject / insertObject / saveObject / markDeleted, and getObjectRow for
// the row as stored.
//
// A write that must call out between two transactions (the card network)
// holds the objects it is about to change (`held_by`): until it releases
// them, loading one for update throws ObjectHeld, and the caller waits and
// tries again. Plain reads see the object as it is. The hold carries the job
// that finishes the write should its writer go away (`held_until`,
// `hold_job`, `hold_payload`; the job worker schedules it when overdue).
import type { Db } from './db.js';
import { forUpdate } from './dialect.js';
import type { StoredRow } from './store.js';

/** An object as loaded: its API document, parsed, and its private data. */
export interface LoadedObject<T, P = unknown> {
  object: T;
  /** What Kassa keeps about the object outside the API; undefined when none. */
  privateData: P | undefined;
  deleted: boolean;
  seq: number;
}

/** Thrown when a write loads for update an object that another write holds (see holdObjects). */
export class ObjectHeld extends Error {
  constructor(readonly objectId: string) {
    super(`${objectId} is held by a write in progress`);
  }
}

export async function getObjectRow(
  db: Db,
  accountId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredRow | undefined> {
  if (!options.forUpdate) {
    const rows = await db.all<StoredRow>(
      'SELECT id, type, seq, deleted, doc, private FROM objects WHERE id = ? AND account_id = ?',
      [id, accountId],
    );
    const row = rows[0];
    return row && { ...row, deleted: Boolean(row.deleted) };
  }
  const rows = await db.all<StoredRow & { held_by: string | null }>(
    `SELECT id, type, seq, deleted, doc, private, held_by FROM objects WHERE id = ? AND account_id = ?${forUpdate(db.dialect)}`,
    [id, accountId],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (row.held_by !== null) throw new ObjectHeld(id);
  return {
    id: row.id,
    type: row.type,
    seq: row.seq,
    deleted: Boolean(row.deleted),
    doc: row.doc,
    private: row.private,
  };
}

/** What finishes a held write if its writer goes away: a job of `kind` with `payload`, scheduled once `due` passes. */
export interface HoldRecovery {
  kind: string;
  payload: unknown;
  /** Unix seconds. */
  due: number;
}

/**
 * Holds the account's objects `ids` for `holder` until releaseHolds; they must
 * be loaded for update (and free) in this transaction already. The first
 * object carries the recovery: a hold not released by `due` becomes a job
 * (the job worker's scheduleOverdueHolds), whose id is `holder`.
 */
export async function holdObjects(
  db: Db,
  accountId: string,
  ids: readonly string[],
  holder: string,
  recovery: HoldRecovery,
): Promise<void> {
  await db.run(
    `UPDATE objects SET held_by = ?,
       held_until = CASE WHEN id = ? THEN CAST(? AS BIGINT) END,
       hold_job = CASE WHEN id = ? THEN ? END,
       hold_payload = CASE WHEN id = ? THEN ? END
     WHERE account_id = ? AND id IN (${ids.map(() => '?').join(', ')})`,
    [holder, ids[0], recovery.due, ids[0], recovery.kind, ids[0], JSON.stringify(recovery.payload), accountId, ...ids],
  );
}

/**
 * Releases what `holder` holds of `ids` and returns those objects as they are
 * (so the write that held them need not load them again); empty when it held
 * none of them (released already: its write was recorded).
 */
export async function releaseHolds(
  db: Db,
  accountId: string,
  ids: readonly string[],
  holder: string,
): Promise<StoredRow[]> {
  const rows = await db.all<StoredRow>(
    `UPDATE objects SET held_by = NULL, held_until = NULL, hold_job = NULL, hold_payload = NULL WHERE account_id = ? AND held_by = ? AND id IN (${ids.map(() => '?').join(', ')}) RETURNING id, type, seq, deleted, doc, private`,
    [accountId, holder, ...ids],
  );
  return rows.map((row) => ({ ...row, deleted: Boolean(row.deleted) }));
}

/**
 * The account's object of `type` with this id; undefined when there is none,
 * it is of another type, or it was deleted (unless `includeDeleted`).
 * `forUpdate` locks it for a read-modify-write until the transaction ends.
 */
export async function loadObject<T, P = unknown>(
  db: Db,
  accountId: string,
  type: string,
  id: string,
  options: { forUpdate?: boolean; includeDeleted?: boolean } = {},
): Promise<LoadedObject<T, P> | undefined> {
  const row = await getObjectRow(db, accountId, id, options);
  if (!row || row.type !== type || (row.deleted && !options.includeDeleted)) return undefined;
  return {
    object: JSON.parse(row.doc) as T,
    privateData: row.private ? (JSON.parse(row.private) as P) : undefined,
    deleted: row.deleted,
    seq: Number(row.seq),
  };
}

/** `privateData` is what Kassa keeps about the object but never shows in the API (e.g. a card's network profile). */
export async function insertObject(
  db: Db,
  accountId: string,
  object: { id: string; object: string; created: number },
  privateData?: unknown,
): Promise<void> {
  await db.run('INSERT INTO objects (id, account_id, type, created, doc, private) VALUES (?, ?, ?, ?, ?, ?)', [
    object.id,
    accountId,
    object.object,
    object.created,
    JSON.stringify(object),
    privateData === undefined ? null : JSON.stringify(privateData),
  ]);
}

/** Stores an existing object's new state; its private data stays as it is when `privateData` is omitted. */
export async function saveObject(
  db: Db,
  accountId: string,
  object: { id: string },
  privateData?: unknown,
): Promise<void> {
  if (privateData === undefined) {
    await db.run('UPDATE objects SET doc = ? WHERE id = ? AND account_id = ?', [
      JSON.stringify(object),
      object.id,
      accountId,
    ]);
  } else {
    await db.run('UPDATE objects SET doc = ?, private = ? WHERE id = ? AND account_id = ?', [
      JSON.stringify(object),
      JSON.stringify(privateData),
      object.id,
      accountId,
    ]);
  }
}

/** Keeps the row so that the id still resolves, as Stripe's deleted objects do. */
export async function markDeleted(db: Db, accountId: string, object: { id: string }): Promise<void> {
  await db.run('UPDATE objects SET doc = ?, deleted = 1 WHERE id = ? AND account_id = ?', [
    JSON.stringify(object),
    object.id,
    accountId,
  ]);
}
