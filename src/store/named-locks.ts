// Locks on names rather than rows, held until the transaction ends: for a
// value that must stay unique while no row holds it yet (an idempotency key
// being answered, a lookup key being claimed). On PostgreSQL they are
// advisory locks on a 64-bit digest of the name; SQLite's transactions never
// overlap, so there they always succeed at once.
import { createHash } from 'node:crypto';
import type { Db } from './db.js';

/** Holds `name` for the rest of this transaction, waiting for a transaction that holds it. */
export async function lockName(db: Db, name: string): Promise<void> {
  if (db.dialect === 'postgres') await db.all('SELECT pg_advisory_xact_lock(?)', [lockKey(name)]);
}

/** Holds `name` for the rest of this transaction; false when another transaction holds it. */
export async function tryLockName(db: Db, name: string): Promise<boolean> {
  if (db.dialect !== 'postgres') return true;
  const rows = await db.all<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(?) AS locked', [lockKey(name)]);
  return rows[0]?.locked === true;
}

function lockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
