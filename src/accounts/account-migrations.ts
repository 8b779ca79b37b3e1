// The accounts and api_keys tables' schema (see store/migrate.ts).
import type { Migration } from '../store/migrate.js';

export const accountMigrations: Migration[] = [
  {
    key: 'accounts:001',
    legacyId: 1,
    name: 'accounts and API keys',
    sql: () => `
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
    `,
  },
  {
    key: 'accounts:002',
    legacyId: 2,
    name: 'fingerprint keys',
    sql: () => 'ALTER TABLE accounts ADD COLUMN fingerprint_key TEXT',
  },
];
