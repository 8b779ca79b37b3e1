// The stores every storage test runs on: SQLite in a temporary file and
// PostgreSQL in a fresh schema of DATABASE_URL (default the local `test`
// database). Without a reachable PostgreSQL the PostgreSQL half is skipped
// with a notice, unless CI or KASSA_REQUIRE_POSTGRES=1 makes that a failure.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store, type StoreConfig } from '../../src/store/store.js';
import { randomString } from '../../src/server/ids.js';
import { isRequired } from './required.js';
import { MIGRATIONS } from '../../src/schema.js';

export const POSTGRES_URL = process.env.DATABASE_URL || 'postgres://127.0.0.1:5432/test';

export interface StoreTarget {
  name: 'sqlite' | 'postgres';
  /** Why this target is skipped, or undefined when it runs. */
  skip?: string;
  /** A new, empty database each call. */
  config(): Promise<StoreConfig>;
}

const createdSchemas: string[] = [];

/** Drops the PostgreSQL schemas this process made. Call after its stores are closed. */
export async function dropTestSchemas(): Promise<void> {
  if (createdSchemas.length === 0) return;
  const client = new pg.Client({ connectionString: withUser(POSTGRES_URL) });
  await client.connect();
  try {
    for (const schema of createdSchemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

let postgresProbe: Promise<string | undefined> | undefined;

function withUser(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username) parsed.username = process.env.PGUSER || process.env.USER || 'root';
  return parsed.toString();
}

/** Undefined when PostgreSQL answers; otherwise the reason. */
function probePostgres(): Promise<string | undefined> {
  postgresProbe ??= (async () => {
    const client = new pg.Client({ connectionString: withUser(POSTGRES_URL), connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (error) {
      return `PostgreSQL at ${POSTGRES_URL} is not reachable (${(error as Error).message})`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresProbe;
}

export async function storeTargets(): Promise<StoreTarget[]> {
  const unreachable = await probePostgres();
  if (unreachable && isRequired('KASSA_REQUIRE_POSTGRES')) {
    throw new Error(`${unreachable}, and CI / KASSA_REQUIRE_POSTGRES=1 requires it`);
  }
  if (unreachable) console.warn(`NOTICE: skipping the PostgreSQL half of the store tests: ${unreachable}.`);
  return [
    {
      name: 'sqlite',
      async config() {
        return { sqlitePath: join(mkdtempSync(join(tmpdir(), 'kassa-test-')), 'kassa.db') };
      },
    },
    {
      name: 'postgres',
      skip: unreachable,
      async config() {
        const schema = `kassa_test_${randomString(10).toLowerCase()}`;
        const client = new pg.Client({ connectionString: withUser(POSTGRES_URL) });
        await client.connect();
        await client.query(`CREATE SCHEMA ${schema}`);
        createdSchemas.push(schema);
        await client.end();
        const url = new URL(withUser(POSTGRES_URL));
        url.searchParams.set('options', `-c search_path=${schema}`);
        return { databaseUrl: url.toString(), poolSize: 5 };
      },
    },
  ];
}

export async function openTestStore(target: StoreTarget): Promise<Store> {
  return openStore(await target.config(), MIGRATIONS);
}
