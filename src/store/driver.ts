// The two SQL engines behind one small interface. Queries are written once
// with `?` placeholders; the PostgreSQL driver numbers them.

export type Dialect = 'sqlite' | 'postgres';

export interface SqlConnection {
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
}

export interface Driver {
  readonly dialect: Dialect;
  /** Reads outside a transaction see only committed data. */
  readonly reader: SqlConnection;
  transaction<T>(fn: (connection: SqlConnection) => Promise<T>): Promise<T>;
  /** Runs `fn` while holding a lock that other processes on the same database respect. */
  exclusive<T>(fn: (connection: SqlConnection) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Thrown when the database gave up a transaction because it met another one
 * (a deadlock, or a serialization failure on PostgreSQL): nothing of it was
 * written, and running it again may succeed.
 */
export class TransactionConflict extends Error {
  constructor(cause: unknown) {
    super(
      `the transaction met another and was rolled back: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
}
