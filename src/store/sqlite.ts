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
 * One writer connection, used by one transaction at a time (an async mutex
 * queues the rest), and one reader connection that sees committed data only.
 */
export function openSqlite(filename: string): Driver {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const writerDb = new Database(filename);
  writerDb.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL: a committed write survives a process crash
  // (kill -9); a power loss may lose the last transactions (see README).
  writerDb.pragma('synchronous = NORMAL');
  writerDb.pragma('busy_timeout = 5000');
  writerDb.pragma('foreign_keys = ON');
  const readerDb = filename === ':memory:' ? writerDb : new Database(filename, { readonly: false });
  readerDb.pragma('busy_timeout = 5000');
  const writer = new SqliteConnection(writerDb);
  const reader = filename === ':memory:' ? writer : new SqliteConnection(readerDb);

  let queue: Promise<unknown> = Promise.resolve();
  async function transaction<T>(fn: (connection: SqlConnection) => Promise<T>): Promise<T> {
    const turn = queue.then(async () => {
      writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(writer);
        writer.exec('COMMIT');
        return result;
      } catch (error) {
        if (writerDb.inTransaction) writer.exec('ROLLBACK');
        throw error;
      }
    });
    queue = turn.catch(() => undefined);
    return turn;
  }

  return {
    dialect: 'sqlite',
    reader,
    transaction,
    // BEGIN IMMEDIATE already excludes other processes' writers.
    exclusive: transaction,
    async close() {
      await queue;
      if (readerDb !== writerDb) readerDb.close();
      writerDb.close();
    },
  };
}
