// Settings from the environment, with the newcomer's defaults.
import { join, resolve } from 'node:path';
import { resolveTimeouts, type ServerTimeouts } from './server/timeouts.js';
import type { StoreConfig } from './store/store.js';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  store: StoreConfig;
  secretKey?: string;
  publishableKey?: string;
  logLevel: string;
  /** How long a webhook delivery waits for the endpoint's answer, in milliseconds. */
  webhookTimeoutMs: number;
  /** How long a client may take to send a request's headers, all of it, and to stay idle between requests. */
  timeouts: ServerTimeouts;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: { host?: string; port?: string } = {}): Config {
  const dataDir = resolve(env.KASSA_DATA_DIR || '.kassa');
  // An empty PORT means unset (Number('') would be 0: a random port).
  const given = flags.port ?? (env.PORT || undefined);
  const port = given === undefined ? 4242 : Number(given);
  if (given?.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid port: '${given}'`);
  return {
    host: flags.host ?? (env.HOST || '127.0.0.1'),
    port,
    dataDir,
    store: { databaseUrl: env.DATABASE_URL || undefined, sqlitePath: join(dataDir, 'kassa.db') },
    secretKey: env.KASSA_SECRET_KEY || undefined,
    publishableKey: env.KASSA_PUBLISHABLE_KEY || undefined,
    logLevel: env.KASSA_LOG_LEVEL || 'info',
    webhookTimeoutMs: positiveInteger('KASSA_WEBHOOK_TIMEOUT_MS', env.KASSA_WEBHOOK_TIMEOUT_MS, 10_000),
    timeouts: resolveTimeouts({
      headersMs: optionalPositiveInteger('KASSA_HEADERS_TIMEOUT_MS', env.KASSA_HEADERS_TIMEOUT_MS),
      requestMs: optionalPositiveInteger('KASSA_REQUEST_TIMEOUT_MS', env.KASSA_REQUEST_TIMEOUT_MS),
      keepAliveMs: optionalPositiveInteger('KASSA_KEEP_ALIVE_TIMEOUT_MS', env.KASSA_KEEP_ALIVE_TIMEOUT_MS),
    }),
  };
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`invalid ${name}: '${value}' (a positive integer)`);
  return n;
}

function optionalPositiveInteger(name: string, value: string | undefined): number | undefined {
  return value === undefined || value === '' ? undefined : positiveInteger(name, value, 0);
}

/** Where the data lives, for messages: never prints a password. */
export function describeStore(config: StoreConfig): string {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    if (url.password) url.password = '****';
    return `PostgreSQL ${url.toString()}`;
  }
  return `SQLite ${config.sqlitePath}`;
}
