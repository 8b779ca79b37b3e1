// The migration runner. Each module that owns tables exports its migrations
// (`jobMigrations`, …); the caller of openStore passes them all (src/schema.ts
// lists them). Applied migrations are recorded by key in `kassa_schema`.
// Never edit a released migration: add one.
import type { Dialect, Driver, SqlConnection } from './driver.js';
import { tableExists } from './dialect.js';

export interface Migration {
  /** `owner:NNN`, unique across all modules, e.g. `jobs:002`. */
  key: string;
  name: string;
  /**
   * The number of the migration this one was part of when all migrations
   * were one numbered list (recorded in `kassa_migrations`): a database that
   * applied that number already has this one.
   */
  legacyId?: number;
  /** Statements separated by `;`, in the dialect's form. */
  sql: (dialect: Dialect) => string;
}

/** Applies, in order, the migrations the database has not applied yet, holding a lock other processes respect. */
export async function migrate(driver: Driver, migrations: readonly Migration[]): Promise<void> {
  const keys = new Set<string>();
  for (const { key } of migrations) {
    if (keys.has(key)) throw new Error(`two migrations named ${key}`);
    keys.add(key);
  }
  await driver.exclusive(async (db) => {
    await db.run(
      'CREATE TABLE IF NOT EXISTS kassa_schema (key TEXT PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)',
    );
    const applied = new Set((await db.all<{ key: string }>('SELECT key FROM kassa_schema')).map((r) => r.key));
    const legacy = await legacyIds(db);
    for (const migration of migrations) {
      if (applied.has(migration.key) || (migration.legacyId !== undefined && legacy.has(migration.legacyId))) continue;
      for (const statement of migration
        .sql(driver.dialect)
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean)) {
        await db.run(statement);
      }
      await db.run('INSERT INTO kassa_schema (key, name, applied) VALUES (?, ?, ?)', [
        migration.key,
        migration.name,
        Math.floor(Date.now() / 1000),
      ]);
    }
  });
}

/** The numbers recorded by the runner of the one numbered list, in databases it made. */
async function legacyIds(db: SqlConnection): Promise<Set<number>> {
  if ((await db.all(tableExists(db.dialect), ['kassa_migrations'])).length === 0) return new Set();
  return new Set((await db.all<{ id: number }>('SELECT id FROM kassa_migrations')).map((r) => Number(r.id)));
}
