// Every table's migrations, by owner: what openStore is given. The store
// knows none of its owners; a module that owns tables adds its list here.
import { accountMigrations } from './accounts/account-migrations.js';
import { eventMigrations } from './events/event-migrations.js';
import { jobMigrations } from './jobs/job-migrations.js';
import { idempotencyMigrations } from './server/idempotency-migrations.js';
import type { Migration } from './store/migrate.js';
import { objectMigrations } from './store/object-migrations.js';
import { attemptMigrations } from './webhooks/attempt-migrations.js';

export const MIGRATIONS: readonly Migration[] = [
  ...objectMigrations,
  ...accountMigrations,
  ...eventMigrations,
  ...idempotencyMigrations,
  ...jobMigrations,
  ...attemptMigrations,
];
