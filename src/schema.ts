// Every table's migrations: the foundation's (objects, accounts, events,
// idempotency records, jobs), then each module's own (src/modules.ts). This
// is what openStore is given; the store knows none of its owners.
import { accountMigrations } from './accounts/account-migrations.js';
import { eventMigrations } from './events/event-migrations.js';
import { jobMigrations } from './jobs/job-migrations.js';
import { MODULES } from './modules.js';
import { idempotencyMigrations } from './server/idempotency-migrations.js';
import type { Migration } from './store/migrate.js';
import { objectMigrations } from './store/object-migrations.js';

export const MIGRATIONS: readonly Migration[] = [
  ...objectMigrations,
  ...accountMigrations,
  ...eventMigrations,
  ...idempotencyMigrations,
  ...jobMigrations,
  ...MODULES.flatMap((module) => module.migrations ?? []),
];
