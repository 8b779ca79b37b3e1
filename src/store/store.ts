// The store: opens a database (SQLite or PostgreSQL), migrates it
// (migrate.ts), and hands out handles for reads and transactions (db.ts;
// the SQL that differs between the engines is in dialect.ts). `Queries` is the handle with the
// generic objects table (API objects as JSON documents in Stripe's own
// shape); every other table's queries live with the module that owns it
// (events/event-store.ts, jobs/job-store.ts, …) as functions over a `Db`.
import { Db } from './db.js';
import { docField, globMatch, globPattern } from './dialect.js';
import type { Dialect, Driver } from './driver.js';
import { migrate, type Migration } from './migrate.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

export interface StoredRow {
  id: string;
  type: string;
  seq: number;
  deleted: boolean;
  /** The API object as stored JSON text. */
  doc: string;
  /** JSON of what Kassa keeps about the object outside the API (see objects.ts); objects table only. */
  private?: string | null;
}

/** A list filter on a column, or on a field of the stored document (`doc.email`, `doc.recurring.interval`). */
export interface Filter {
  field: string;
  /** `glob`: the value is a pattern in which `*` matches any characters. */
  op: '=' | '>' | '>=' | '<' | '<=' | 'in' | 'glob';
  value: unknown;
}

export interface ListQuery {
  table: 'objects' | 'events';
  accountId: string;
  /** Object type, for the objects table. */
  type?: string;
  filters: Filter[];
  limit: number;
  startingAfter?: number;
  endingBefore?: number;
}

/** An object type as an SQL literal (types come from code, never from requests): lets partial indexes apply. */
function typeLiteral(type: string | undefined): string {
  if (!type || !/^[a-z_.]+$/.test(type)) throw new Error(`not an object type: ${type}`);
  return `'${type}'`;
}

const COLUMNS = new Set(['id', 'type', 'created', 'seq']);

/** The handle with the generic objects table's queries (see objects.ts for typed access). */
export class Queries extends Db {
  private fieldSql(field: string): string {
    if (COLUMNS.has(field)) return field;
    const match = /^doc\.([a-z_]+(?:\.[a-z_]+)*)$/.exec(field);
    if (!match) throw new Error(`unknown filter field ${field}`);
    return docField(this.dialect, match[1]);
  }

  /** Where an object of the type (or any event) sits in its table: a list's cursor. */
  async seqOf(table: 'objects' | 'events', accountId: string, id: string, type?: string): Promise<number | undefined> {
    const ofType = table === 'objects' && type !== undefined ? ` AND type = ${typeLiteral(type)}` : '';
    const rows = await this.all<{ seq: number }>(`SELECT seq FROM ${table} WHERE id = ? AND account_id = ?${ofType}`, [
      id,
      accountId,
    ]);
    return rows[0]?.seq;
  }

  /** Newest first. Returns up to `limit + 1` rows so the caller can tell `has_more`. */
  async list(query: ListQuery): Promise<StoredRow[]> {
    const where = ['account_id = ?'];
    const params: unknown[] = [query.accountId];
    if (query.table === 'objects') where.push(`type = ${typeLiteral(query.type)}`, 'deleted = 0');
    for (const filter of query.filters) {
      const field = this.fieldSql(filter.field);
      if (filter.op === 'in') {
        const values = filter.value as unknown[];
        where.push(`${field} IN (${values.map(() => '?').join(', ')})`);
        params.push(...values);
      } else if (filter.op === 'glob') {
        where.push(globMatch(this.dialect, field));
        params.push(globPattern(this.dialect, String(filter.value)));
      } else {
        where.push(`${field} ${filter.op} ?`);
        params.push(filter.value);
      }
    }
    const backwards = query.endingBefore !== undefined;
    if (query.startingAfter !== undefined) {
      where.push('seq < ?');
      params.push(query.startingAfter);
    } else if (backwards) {
      where.push('seq > ?');
      params.push(query.endingBefore);
    }
    const columns = query.table === 'objects' ? 'id, type, seq, deleted, doc' : 'id, type, seq, 0 AS deleted, doc';
    const sql = `SELECT ${columns} FROM ${query.table} WHERE ${where.join(' AND ')} ORDER BY seq ${backwards ? 'ASC' : 'DESC'} LIMIT ?`;
    params.push(query.limit + 1);
    const rows = await this.all<StoredRow>(sql, params);
    return rows.map((r) => ({ ...r, deleted: Boolean(r.deleted) }));
  }

  /** Whether the account has any live object of the type (answered from the index alone). */
  async hasObjects(accountId: string, type: string): Promise<boolean> {
    const rows = await this.all(
      `SELECT 1 AS found FROM objects WHERE account_id = ? AND type = ${typeLiteral(type)} AND deleted = 0 LIMIT 1`,
      [accountId],
    );
    return rows.length > 0;
  }

  /** Live objects of one type (with their private data), newest first, older than `beforeSeq`: for search. */
  async scanObjects(
    accountId: string,
    type: string,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<StoredRow[]> {
    // No `seq < ?` bound for the first page: comparing with a huge sentinel makes SQLite's index search several times slower.
    const bound = beforeSeq === undefined ? '' : ' AND seq < ?';
    const rows = await this.all<StoredRow>(
      `SELECT id, type, seq, deleted, doc, private FROM objects WHERE account_id = ? AND type = ${typeLiteral(type)} AND deleted = 0${bound} ORDER BY seq DESC LIMIT ?`,
      beforeSeq === undefined ? [accountId, limit] : [accountId, beforeSeq, limit],
    );
    return rows.map((r) => ({ ...r, deleted: false }));
  }
}

export interface Store {
  readonly dialect: Dialect;
  /** Committed data, outside any transaction. */
  readonly read: Queries;
  transaction<T>(fn: (tx: Queries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StoreConfig {
  /** `postgres://...` selects PostgreSQL; otherwise SQLite at `sqlitePath`. */
  databaseUrl?: string;
  sqlitePath?: string;
  poolSize?: number;
}

/** Opens the database and applies what it lacks of `migrations` (every owner's: src/schema.ts). */
export async function openStore(config: StoreConfig, migrations: readonly Migration[]): Promise<Store> {
  const url = config.databaseUrl;
  if (url && !/^postgres(ql)?:\/\//.test(url))
    throw new Error('DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)');
  const driver: Driver = url
    ? openPostgres(url, { poolSize: config.poolSize })
    : openSqlite(config.sqlitePath ?? ':memory:');
  try {
    await migrate(driver, migrations);
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw error;
  }
  return {
    dialect: driver.dialect,
    read: new Queries(driver.reader),
    async transaction(fn) {
      let tx: Queries | undefined;
      const result = await driver.transaction((connection) => fn((tx = new Queries(connection, true))));
      tx?.runAfterCommit();
      return result;
    },
    close: () => driver.close(),
  };
}
