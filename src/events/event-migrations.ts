// The events table's schema (see store/migrate.ts).
import { serialPrimaryKey as serial } from '../store/dialect.js';
import type { Migration } from '../store/migrate.js';

export const eventMigrations: Migration[] = [
  {
    key: 'events:001',
    legacyId: 1,
    name: 'events',
    sql: (d) => `
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
    `,
  },
  {
    key: 'events:002',
    name: 'events: drop the never-used dispatcher columns',
    // Webhook deliveries are jobs; nothing ever read these (SQLite 3.35+ drops columns).
    sql: () => `
      ALTER TABLE events DROP COLUMN dispatched;
      ALTER TABLE events DROP COLUMN claimed_until
    `,
  },
];
