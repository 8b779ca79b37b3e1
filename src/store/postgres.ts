import { userInfo } from 'node:os';
import pg from 'pg';
import { type Driver, type SqlConnection, TransactionConflict } from './driver.js';

const numbered = new Map<string, string>();

/** `? ... ?` -> `$1 ... $n` (queries never use the jsonb `?` operator). */
function toPostgres(sql: string): string {
  let out = numbered.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, out);
  }
  return out;
}

class PgConnection implements SqlConnection {
  readonly dialect = 'postgres' as const;
  constructor(private readonly client: pg.Pool | pg.PoolClient) {}

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.client.query(toPostgres(sql), params);
    return result.rows as T[];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    const result = await this.client.query(toPostgres(sql), params);
    return result.rowCount ?? 0;
  }
}

// BIGINT columns hold Unix seconds and sequence numbers: safe as JS numbers.
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const MIGRATION_LOCK = 4242_0001;

/** deadlock_detected and serialization_failure: PostgreSQL rolled the transaction back because of another. */
const CONFLICT_CODES = new Set(['40P01', '40001']);

export function openPostgres(connectionString: string, options: { poolSize?: number } = {}): Driver {
  // Like libpq, default the user name to the operating system's user.
  const url = new URL(connectionString);
  if (!url.username) url.username = process.env.PGUSER || process.env.USER || userInfo().username;
  const pool = new pg.Pool({ connectionString: url.toString(), max: options.poolSize ?? 10, types });
  pool.on('error', () => undefined); // an idle client's error is reported again on its next use

  async function withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  async function transaction<T>(fn: (connection: SqlConnection) => Promise<T>): Promise<T> {
    return withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await fn(new PgConnection(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw CONFLICT_CODES.has((error as { code?: string }).code ?? '') ? new TransactionConflict(error) : error;
      }
    });
  }

  return {
    dialect: 'postgres',
    reader: new PgConnection(pool),
    transaction,
    exclusive: (fn) =>
      transaction(async (connection) => {
        await connection.all('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
        return fn(connection);
      }),
    close: () => pool.end(),
  };
}
