// The balance as sums over the account's balance transactions, in SQL: the
// one query of the payments module that reads the objects table directly.
import type { Db } from '../store/db.js';
import { docField, docInteger, sumInteger } from '../store/dialect.js';

export interface BalanceSum {
  currency: string;
  available: number;
  pending: number;
}

/** Net amounts of the account's balance transactions per currency: available (available_on <= now) and pending. */
export async function balanceSums(db: Db, accountId: string, now: number): Promise<BalanceSum[]> {
  const field = (name: string) => docField(db.dialect, name);
  const int = (name: string) => docInteger(db.dialect, name);
  const sum = (sql: string) => sumInteger(db.dialect, sql);
  const rows = await db.all<BalanceSum>(
    `SELECT ${field('currency')} AS currency,
            ${sum(`CASE WHEN ${int('available_on')} <= ? THEN ${int('net')} ELSE 0 END`)} AS available,
            ${sum(`CASE WHEN ${int('available_on')} > ? THEN ${int('net')} ELSE 0 END`)} AS pending
     FROM objects WHERE account_id = ? AND type = 'balance_transaction' AND deleted = 0
     GROUP BY ${field('currency')} ORDER BY ${field('currency')}`,
    [now, now, accountId],
  );
  return rows.map((r) => ({ currency: r.currency, available: Number(r.available), pending: Number(r.pending) }));
}
