import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Driver, SqlConnection } from './driver.js';

class SqliteConnection implements SqlConnection {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.prepare(sql).all(...params) as T[];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    const statement = this.prepare(sql);
    if (!statement.reader) return statement.run(...params).changes;
    statement.all(...params);
    return 0;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }
}

/**
 * One writer connection, whose transactions run one after another in
 * batches (group commit), and one reader connection that sees committed data only.
 */
export function openSqlite(filename: string): Driver {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const writerDb = new Database(filename);
  writerDb.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL: a committed write survives a process crash
  // (kill -9); a power loss may lose the last transactions (see README).
  writerDb.pragma('synchronous = NORMAL');
  // Generous: processes sharing a file wait for each other's migrations and batches.
  writerDb.pragma('busy_timeout = 20000');
  writerDb.pragma('foreign_keys = ON');
  // Each request runs in savepoints within a batch's transaction, so SQLite
  // keeps the pages it changes in a statement journal: in memory, not in a
  // temporary file (whose writes took a tenth of the payment flow's time).
  writerDb.pragma('temp_store = MEMORY');
  const readerDb = filename === ':memory:' ? writerDb : new Database(filename, { readonly: false });
  readerDb.pragma('busy_timeout = 20000');
  const writer = new SqliteConnection(writerDb);
  const reader = filename === ':memory:' ? writer : new SqliteConnection(readerDb);

  // Group commit: transactions that arrive while one commits wait and then
  // run together, each in its own savepoint, under one COMMIT. Pages that
  // several of them touch (index tails, the events table) are written to the
  // WAL once per batch instead of once per request. Each caller hears back
  // only after the COMMIT that holds its writes.
  interface Pending {
    fn: (connection: SqlConnection) => Promise<unknown>;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }
  const MAX_BATCH = 64;
  // Transaction control statements, prepared once: exec() would parse them on every request.
  const controls = new Map<string, Database.Statement>();
  const control = (sql: string) => {
    let statement = controls.get(sql);
    if (!statement) controls.set(sql, (statement = writerDb.prepare(sql)));
    statement.run();
  };
  let pending: Pending[] = [];
  let draining: Promise<void> | null = null;

  async function runBatch(batch: Pending[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      control('BEGIN IMMEDIATE');
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const item of batch) {
      control('SAVEPOINT kassa_transaction');
      try {
        const value = await item.fn(writer);
        control('RELEASE kassa_transaction');
        outcomes.push({ ok: true, value });
      } catch (error) {
        try {
          control('ROLLBACK TO kassa_transaction');
          control('RELEASE kassa_transaction');
        } catch {
          // SQLite rolled the whole transaction back itself (disk full, I/O error): no item's
          // writes remain. Fail them all rather than leave every caller, and the queue, waiting.
          if (writerDb.inTransaction) control('ROLLBACK');
          for (const each of batch) each.reject(error);
          return;
        }
        outcomes.push({ ok: false, error });
      }
    }
    try {
      control('COMMIT');
    } catch (error) {
      if (writerDb.inTransaction) control('ROLLBACK');
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  async function drain(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending.slice(0, MAX_BATCH);
      pending = pending.slice(MAX_BATCH);
      await runBatch(batch);
    }
    draining = null;
  }

  function transaction<T>(fn: (connection: SqlConnection) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      pending.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      // Start on the next turn of the event loop, so that requests read in
      // the same turn join this batch.
      draining ??= new Promise<void>((started) => setImmediate(started)).then(drain);
    });
  }

  return {
    dialect: 'sqlite',
    reader,
    transaction,
    // BEGIN IMMEDIATE already excludes other processes' writers.
    exclusive: transaction,
    async close() {
      await draining;
      if (readerDb !== writerDb) readerDb.close();
      writerDb.close();
    },
  };
}
