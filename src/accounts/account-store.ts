// The accounts and api_keys tables: who owns the objects, and the hashes of
// their keys (see accounts.ts for what an account is made of).
import type { Db } from '../store/db.js';

export interface AccountRow {
  id: string;
  created: number;
  isDefault: boolean;
  doc: string;
}

export interface KeyRow {
  hash: string;
  accountId: string;
  kind: 'secret' | 'publishable';
  masked: string;
  created: number;
}

export async function insertAccount(db: Db, account: AccountRow): Promise<void> {
  await db.run('INSERT INTO accounts (id, created, is_default, doc) VALUES (?, ?, ?, ?)', [
    account.id,
    account.created,
    account.isDefault ? 1 : 0,
    account.doc,
  ]);
}

/**
 * Keeps other transactions from writing accounts until this one ends, so
 * processes starting together agree on one default account. (A SQLite
 * write transaction already excludes the others: BEGIN IMMEDIATE.)
 */
export async function lockAccounts(db: Db): Promise<void> {
  if (db.dialect === 'postgres') await db.run('LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE');
}

/** The account's secret for card fingerprints, if it was made already (it never changes once made). */
export async function existingFingerprintKey(db: Db, accountId: string): Promise<string | undefined> {
  const rows = await db.all<{ fingerprint_key: string | null }>('SELECT fingerprint_key FROM accounts WHERE id = ?', [
    accountId,
  ]);
  return rows[0]?.fingerprint_key ?? undefined;
}

/** The account's secret for card fingerprints, made on first use. */
export async function fingerprintKey(db: Db, accountId: string, fresh: () => string): Promise<string> {
  const read = () => existingFingerprintKey(db, accountId);
  const existing = await read();
  if (existing) return existing;
  await db.run('UPDATE accounts SET fingerprint_key = ? WHERE id = ? AND fingerprint_key IS NULL', [
    fresh(),
    accountId,
  ]);
  const made = await read();
  if (!made) throw new Error(`no account ${accountId}`);
  return made;
}

export async function defaultAccount(db: Db): Promise<AccountRow | undefined> {
  const rows = await db.all<{ id: string; created: number; doc: string }>(
    'SELECT id, created, doc FROM accounts WHERE is_default = 1',
  );
  return rows[0] && { ...rows[0], isDefault: true };
}

export async function listAccounts(db: Db): Promise<Array<AccountRow & { keys: KeyRow[] }>> {
  const accounts = await db.all<{ id: string; created: number; is_default: number; doc: string }>(
    'SELECT id, created, is_default, doc FROM accounts ORDER BY created, id',
  );
  const keys = await db.all<{
    hash: string;
    account_id: string;
    kind: KeyRow['kind'];
    masked: string;
    created: number;
  }>('SELECT hash, account_id, kind, masked, created FROM api_keys ORDER BY created');
  return accounts.map((a) => ({
    id: a.id,
    created: a.created,
    isDefault: Boolean(a.is_default),
    doc: a.doc,
    keys: keys
      .filter((k) => k.account_id === a.id)
      .map((k) => ({ hash: k.hash, accountId: k.account_id, kind: k.kind, masked: k.masked, created: k.created })),
  }));
}

export async function insertKey(db: Db, key: KeyRow): Promise<void> {
  await db.run('INSERT INTO api_keys (hash, account_id, kind, masked, created) VALUES (?, ?, ?, ?, ?)', [
    key.hash,
    key.accountId,
    key.kind,
    key.masked,
    key.created,
  ]);
}

export async function findKey(db: Db, hash: string): Promise<KeyRow | undefined> {
  const rows = await db.all<{
    hash: string;
    account_id: string;
    kind: KeyRow['kind'];
    masked: string;
    created: number;
  }>('SELECT hash, account_id, kind, masked, created FROM api_keys WHERE hash = ?', [hash]);
  const row = rows[0];
  return row && { hash: row.hash, accountId: row.account_id, kind: row.kind, masked: row.masked, created: row.created };
}
