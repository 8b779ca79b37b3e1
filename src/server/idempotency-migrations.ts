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
];
