// Schema migrations, applied in order at start. Each has a SQLite and a
// PostgreSQL form of the same schema. Never edit a released migration: add one.
import { docField } from './doc-field.js';
import type { Dialect, Driver } from './driver.js';

interface Migration {
  id: number;
  name: string;
  sql: (dialect: Dialect) => string;
}

const serial = (d: Dialect) => (d === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY');
// As released (migrations 1 and 2); later migrations use docField.
const json = (d: Dialect, field: string) => (d === 'sqlite' ? `json_extract(doc, '$.${field}')` : `((doc::jsonb) ->> '${field}')`);

/**
 * The links lists filter on, one partial index each: an insert pays only for
 * the indexes of its own type. Queries name the type as a literal so that
 * both engines can use them.
 */
const LINK_INDEXES: Array<[string, string]> = [
  ['payment_method', 'customer'],
  ['payment_intent', 'customer'],
  ['charge', 'customer'],
  ['charge', 'payment_intent'],
  ['refund', 'charge'],
  ['refund', 'payment_intent'],
  ['balance_transaction', 'source'],
  ['tax_id', 'customer'],
];

export const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'accounts, objects, events, idempotency keys',
    sql: (d) => `
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        created BIGINT NOT NULL,
        is_default INTEGER NOT NULL DEFAULT 0,
        doc TEXT NOT NULL
      );
      CREATE TABLE api_keys (
        hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        kind TEXT NOT NULL,
        masked TEXT NOT NULL,
        created BIGINT NOT NULL
      );
      CREATE INDEX api_keys_by_account ON api_keys (account_id);

      CREATE TABLE objects (
        seq ${serial(d)},
        id TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL,
        type TEXT NOT NULL,
        created BIGINT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        doc TEXT NOT NULL
      );
      CREATE INDEX objects_by_type ON objects (account_id, type, deleted, seq);
      CREATE INDEX objects_by_created ON objects (account_id, type, created);
      CREATE INDEX customers_by_email ON objects (account_id, ${json(d, 'email')}) WHERE type = 'customer';

      CREATE TABLE events (
        seq ${serial(d)},
        id TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL,
        type TEXT NOT NULL,
        created BIGINT NOT NULL,
        doc TEXT NOT NULL,
        dispatched INTEGER NOT NULL DEFAULT 0,
        claimed_until BIGINT
      );
      CREATE INDEX events_by_account ON events (account_id, seq);

      CREATE TABLE idempotency_keys (
        account_id TEXT NOT NULL,
        key_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        created BIGINT NOT NULL,
        fingerprint TEXT NOT NULL,
        request_id TEXT NOT NULL,
        response_status INTEGER NOT NULL,
        response_body TEXT NOT NULL,
        PRIMARY KEY (account_id, key_id, idempotency_key)
      )${d === 'sqlite' ? ' WITHOUT ROWID' : ''};
    `,
  },
  {
    id: 2,
    name: 'private object data, payment indexes, fingerprint keys',
    sql: (d) => `
      ALTER TABLE objects ADD COLUMN private TEXT;
      ALTER TABLE accounts ADD COLUMN fingerprint_key TEXT;
      ${LINK_INDEXES.map(([type, field]) => `CREATE INDEX ${type}s_by_${field} ON objects (account_id, ${json(d, field)}, seq) WHERE type = '${type}'`).join(';\n')};
    `,
  },
  {
    id: 3,
    name: 'jobs: durable scheduled work',
    // done: 0 waiting, 1 ran, 2 given up after too many failed attempts (last_error says why).
    sql: () => `
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        run_at BIGINT NOT NULL,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_until BIGINT,
        done INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created BIGINT NOT NULL
      );
      CREATE INDEX jobs_due ON jobs (run_at) WHERE done = 0;
    `,
  },
  {
    id: 4,
    name: 'webhook delivery attempts',
    // status: the HTTP status, null when no response came (error says why).
    sql: (d) => `
      CREATE TABLE webhook_attempts (
        seq ${serial(d)},
        id TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        endpoint_id TEXT NOT NULL,
        attempted_at BIGINT NOT NULL,
        status INTEGER,
        latency_ms INTEGER NOT NULL,
        response_excerpt TEXT,
        error TEXT
      );
      CREATE INDEX webhook_attempts_by_event ON webhook_attempts (account_id, event_id, seq);
      CREATE INDEX webhook_attempts_by_endpoint ON webhook_attempts (account_id, endpoint_id, seq);
    `,
  },
  {
    id: 5,
    name: 'webhook attempts: what chaos mode did',
    // JSON ({"delay_ms": n, "duplicate": true}) when the endpoint's chaos mode touched the attempt, else null.
    sql: () => `ALTER TABLE webhook_attempts ADD COLUMN chaos TEXT`,
  },
  {
    id: 6,
    name: 'document indexes on PostgreSQL that a stored NUL escape cannot fail',
    // The indexes of migrations 1 and 2 on the expression the queries now use (docField); SQLite's is unchanged.
    sql: (d) =>
      d === 'sqlite'
        ? ''
        : [
            `DROP INDEX customers_by_email; CREATE INDEX customers_by_email ON objects (account_id, ${docField(d, 'email')}) WHERE type = 'customer'`,
            ...LINK_INDEXES.map(
              ([type, field]) => `DROP INDEX ${type}s_by_${field}; CREATE INDEX ${type}s_by_${field} ON objects (account_id, ${docField(d, field)}, seq) WHERE type = '${type}'`,
            ),
          ].join(';\n'),
  },
];

export async function migrate(driver: Driver): Promise<void> {
  await driver.exclusive(async (db) => {
    await db.run('CREATE TABLE IF NOT EXISTS kassa_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)');
    const done = new Set((await db.all<{ id: number }>('SELECT id FROM kassa_migrations')).map((r) => Number(r.id)));
    for (const migration of MIGRATIONS) {
      if (done.has(migration.id)) continue;
      for (const statement of migration.sql(driver.dialect).split(';').map((s) => s.trim()).filter(Boolean)) {
        await db.run(statement);
      }
      await db.run('INSERT INTO kassa_migrations (id, name, applied) VALUES (?, ?, ?)', [migration.id, migration.name, Math.floor(Date.now() / 1000)]);
    }
  });
}
