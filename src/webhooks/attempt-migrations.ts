// The webhook_attempts table's schema (see store/migrate.ts).
import { serialPrimaryKey as serial } from '../store/dialect.js';
import type { Migration } from '../store/migrate.js';

export const attemptMigrations: Migration[] = [
  {
    key: 'webhook_attempts:001',
    legacyId: 4,
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
    key: 'webhook_attempts:002',
    legacyId: 5,
    name: 'webhook attempts: what chaos mode did',
    // JSON ({"delay_ms": n, "duplicate": true}) when the endpoint's chaos mode touched the attempt, else null.
    sql: () => `ALTER TABLE webhook_attempts ADD COLUMN chaos TEXT`,
  },
];
