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
