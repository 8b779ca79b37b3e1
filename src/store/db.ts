// The database handle that every query function takes first: a transaction,
// or the reader of committed data (`store.read`). It owns the connection, the
// dialect and the transaction's lifecycle (after-commit hints, savepoints);
// what to query lives with the module that owns the table.
import type { Dialect, SqlConnection } from './driver.js';

export class Db {
  /** Callbacks to run once this transaction has committed (none run if it rolls back). */
  private readonly committed: Array<() => void> = [];

  constructor(
    private readonly connection: SqlConnection,
    readonly inTransaction = false,
  ) {}

  get dialect(): Dialect {
    return this.connection.dialect;
  }

  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.connection.all<T>(sql, params);
  }

  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number> {
    return this.connection.run(sql, params);
  }

  /**
   * Runs `fn` after the transaction commits: for in-process wake-ups (a
   * dispatcher, a live stream) that then read what was committed. It is a
   * hint, not a guarantee: it may fire for work a rolled-back savepoint
   * undid, so listeners re-read the store. Outside a transaction it runs soon.
   */
  afterCommit(fn: () => void): void {
    if (this.inTransaction) this.committed.push(fn);
    else queueMicrotask(fn);
  }

  /** Runs the after-commit callbacks; the store calls it once COMMIT has succeeded. */
  runAfterCommit(): void {
    for (const fn of this.committed.splice(0)) {
      try {
        fn();
      } catch {
        // A wake-up hint must never fail the request that committed.
      }
    }
  }

  /** Runs `fn` in a savepoint: its writes are undone if it throws, the transaction goes on. */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('SAVEPOINT kassa_request');
    try {
      const result = await fn();
      await this.run('RELEASE SAVEPOINT kassa_request');
      return result;
    } catch (error) {
      await this.run('ROLLBACK TO SAVEPOINT kassa_request');
      await this.run('RELEASE SAVEPOINT kassa_request');
      throw error;
    }
  }
}
