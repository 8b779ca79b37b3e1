// The generic objects table: every API object as its JSON document (`doc`),
// with what Kassa keeps about it but never shows (`private`). Typed access:
// loadObject / insertObject / saveObject / markDeleted, and getObjectRow for
// the row as stored.
//
// A write that must call out between two transactions (the card network)
// holds the objects it is about to change (a row each in `object_holds`):
// until it releases them, loading one for update throws ObjectHeld, and the
// caller waits and tries again. Plain reads see the object as it is. The
// hold carries the job that finishes the write should its writer go away
// (`due`, `job`, `payload`; the job worker schedules it when overdue). Holds
// live in their own small table, so that holding and releasing an object
// does not rewrite its document.
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
  const rows = await db.all<StoredRow>(
    `SELECT id, type, seq, deleted, doc, private FROM objects WHERE id = ? AND account_id = ?${options.forUpdate ? forUpdate(db.dialect) : ''}`,
    [id, accountId],
  );
  const row = rows[0];
  if (!row) return undefined;
  // Asked once the row is locked, in a statement of its own: on PostgreSQL it
  // then sees a hold committed by the transaction it waited for.
  if (options.forUpdate && (await db.all('SELECT 1 AS held FROM object_holds WHERE object_id = ?', [id])).length > 0) {
    throw new ObjectHeld(id);
  }
  return { ...row, deleted: Boolean(row.deleted) };
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
  const [first, ...rest] = ids;
  await db.run(
    `INSERT INTO object_holds (object_id, account_id, holder, due, job, payload) VALUES (?, ?, ?, ?, ?, ?)${rest.map(() => ', (?, ?, ?, NULL, NULL, NULL)').join('')}`,
    [
      first,
      accountId,
      holder,
      recovery.due,
      recovery.kind,
      JSON.stringify(recovery.payload),
      ...rest.flatMap((id) => [id, accountId, holder]),
    ],
  );
}

/**
 * Releases what `holder` holds of `ids`; false when it held none of them
 * (released already: its write was recorded). Until this transaction
 * commits, other writes still find the objects held.
 */
export async function releaseHolds(
  db: Db,
  accountId: string,
  ids: readonly string[],
  holder: string,
): Promise<boolean> {
  const released = await db.run(
    `DELETE FROM object_holds WHERE account_id = ? AND holder = ? AND object_id IN (${ids.map(() => '?').join(', ')})`,
    [accountId, holder, ...ids],
  );
  return released > 0;
}

/** The account's objects with these ids, as stored, in no particular order; `forUpdate` locks them. */
export async function getObjectRows(
  db: Db,
  accountId: string,
  ids: readonly string[],
  options: { forUpdate?: boolean } = {},
): Promise<StoredRow[]> {
  const rows = await db.all<StoredRow>(
    `SELECT id, type, seq, deleted, doc, private FROM objects WHERE account_id = ? AND id IN (${ids.map(() => '?').join(', ')})${options.forUpdate ? forUpdate(db.dialect) : ''}`,
    [accountId, ...ids],
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

/**
 * Whether any account has an object with this id. Ids are unique across the
 * table, so an id the caller chooses (a product's or plan's `id`) is checked
 * here before it is inserted.
 */
export async function objectIdTaken(db: Db, id: string): Promise<boolean> {
  return (await db.all('SELECT 1 AS found FROM objects WHERE id = ?', [id])).length > 0;
}
