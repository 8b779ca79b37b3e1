// The idempotency_keys table's schema (see store/migrate.ts).
import type { Migration } from '../store/migrate.js';

export const idempotencyMigrations: Migration[] = [
  {
    key: 'idempotency:001',
    legacyId: 1,
    name: 'idempotency keys',
    sql: (d) => `
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
    key: 'idempotency:002',
    name: 'idempotency keys in a rowid table on SQLite',
    // Keys are random, so a WITHOUT ROWID table put each ~1 KB response in a
    // random page: every request wrote one more page, and pages stayed half
    // empty. A rowid table appends responses at its end; only the small key
    // index is written at random. PostgreSQL's tables are heaps already.
    sql: (d) =>
      d === 'sqlite'
        ? `
      CREATE TABLE idempotency_keys_by_rowid (
        account_id TEXT NOT NULL,
        key_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        created BIGINT NOT NULL,
        fingerprint TEXT NOT NULL,
        request_id TEXT NOT NULL,
        response_status INTEGER NOT NULL,
        response_body TEXT NOT NULL,
        PRIMARY KEY (account_id, key_id, idempotency_key)
      );
      INSERT INTO idempotency_keys_by_rowid
        SELECT account_id, key_id, idempotency_key, created, fingerprint, request_id, response_status, response_body
        FROM idempotency_keys ORDER BY created;
      DROP TABLE idempotency_keys;
      ALTER TABLE idempotency_keys_by_rowid RENAME TO idempotency_keys
    `
        : '',
  },
];
