// The jobs table's schema (see store/migrate.ts).
import type { Migration } from '../store/migrate.js';

export const jobMigrations: Migration[] = [
  {
    key: 'jobs:001',
    legacyId: 3,
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
    key: 'jobs:002',
    name: 'jobs: a status instead of done 0/1/2, and a test clock',
    // status: pending, done or failed (given up). clock_id: the test clock a job runs on, null for real time.
    sql: () => `
      ALTER TABLE jobs ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
      ALTER TABLE jobs ADD COLUMN clock_id TEXT;
      UPDATE jobs SET status = CASE done WHEN 1 THEN 'done' WHEN 2 THEN 'failed' ELSE 'pending' END;
      DROP INDEX jobs_due;
      ALTER TABLE jobs DROP COLUMN done;
      CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'pending' AND clock_id IS NULL
    `,
  },
];
