// Real `kassa serve` processes (and CLI runs) for multi-process tests.
import Stripe from 'stripe';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoreConfig } from '../../src/store/store.js';

const BIN = fileURLToPath(new URL('../../bin/kassa.js', import.meta.url));
const MAX_OUTPUT = 64 * 1024;

export interface KassaProcess {
  pid: number;
  /** Resolves to the base URL once the server listens and answers /healthz. */
  ready: Promise<string>;
  /** What the process printed so far (the last 64 KiB), for failure messages. */
  output(): string;
  stop(): Promise<void>;
  /** `kill -9`: no shutdown at all; resolves once the process is gone. */
  crash(): Promise<void>;
}

const running = new Set<ChildProcess>();
// If the test runner exits abruptly, take the processes it started along.
process.once('exit', () => {
  for (const child of running) if (child.pid) killQuietly(child.pid, 'SIGKILL');
});

/** Ends `child` at the latest when the test runner exits; forgets it once it has exited by itself. */
export function trackChild(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** The environment for Kassa processes on `store`, free of the test runner's own Kassa settings. */
export function kassaEnv(store: StoreConfig, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(DATABASE_URL|PORT|HOST|KASSA_.*)$/.test(name)) env[name] = value;
  }
  if (store.databaseUrl) {
    env.DATABASE_URL = store.databaseUrl;
  } else {
    if (!store.sqlitePath || basename(store.sqlitePath) !== 'kassa.db')
      throw new Error('kassaEnv needs a SQLite path ending in kassa.db');
    env.KASSA_DATA_DIR = dirname(store.sqlitePath);
  }
  return { ...env, KASSA_LOG_LEVEL: 'warn', ...extra };
}

/** Starts `kassa serve --port 0` and learns its address from what it prints. */
export function spawnServe(env: NodeJS.ProcessEnv): KassaProcess {
  const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!child.pid) throw new Error('could not start kassa serve');
  trackChild(child);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = new Promise<string>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT);
      const match = /Kassa is listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code, signal) =>
      reject(new Error(`kassa serve exited (${signal ?? code}) before listening:\n${output}`)),
    );
  });
  const ready = listening.then(async (url) => {
    await waitForHealth(url);
    return url;
  });
  ready.catch(() => undefined); // callers await it; a failure must not also surface as unhandled
  return {
    pid: child.pid,
    ready,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killQuietly(child.pid!, 'SIGTERM');
      const forced = setTimeout(() => killQuietly(child.pid!, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(forced);
    },
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killQuietly(child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

async function waitForHealth(url: string): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
      lastError = new Error(`GET /healthz: ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw lastError;
}

/** Runs `kassa <args>` to completion and returns what it printed on stdout. */
export function runKassaCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { env }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kassa ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `kassa <args>` to completion, failing or not, within `timeoutMs`. */
export function kassaCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

/** The environment of a CLI process that talks to a running Kassa: none of the runner's Kassa or Stripe settings. */
export function clientEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(DATABASE_URL|PORT|HOST|KASSA_.*|STRIPE_.*)$/.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

/** A loopback port nothing listens on right now (for a server to take, or to show a refused connection). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The official SDK, without retries, against a server spawned here (its address as `spawnServe` learned it). */
export function sdkFor(url: string, secretKey: string): Stripe {
  const { hostname, port } = new URL(url);
  return new Stripe(secretKey, {
    host: hostname,
    port: Number(port),
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
}
