// Listener processes for tests: the official Stripe CLI (`stripe listen`,
// from npm) and `kassa listen`, run as real processes whose output the test
// waits on. Every process started here is ended by `stop()` or, at the
// latest, when the test runner exits.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killQuietly, trackChild } from './processes.js';

/**
 * The Stripe CLI's own binary, from its npm platform package. The project
 * depends on the Linux x64 one directly (optionally), since `@stripe/cli`'s
 * wrapper lists platform packages the registry does not all have, which
 * breaks `npm ci`. Tests run and stop the binary itself.
 */
export function stripeCliBinary(): string {
  const require = createRequire(import.meta.url);
  const pkg = `@stripe/cli-${process.platform}-${process.arch}`;
  try {
    return join(
      dirname(require.resolve(`${pkg}/package.json`)),
      'bin',
      process.platform === 'win32' ? 'stripe.exe' : 'stripe',
    );
  } catch {
    throw new Error(
      `the Stripe CLI binary (${pkg}) is not installed; the tests install @stripe/cli-linux-x64 as an optional dependency`,
    );
  }
}

const KASSA_BIN = fileURLToPath(new URL('../../bin/kassa.js', import.meta.url));
const MAX_OUTPUT = 256 * 1024;

export interface Listener {
  pid: number;
  /** stdout and stderr so far, interleaved as they came. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects after `timeoutMs` or if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process has ended by itself. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * The Stripe CLI's environment: a fresh HOME (no profile), telemetry off, and
 * an unreachable proxy for anything that is not loopback (the CLI never
 * proxies loopback), so that no test traffic can leave the machine.
 */
export function stripeCliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(STRIPE_|HTTPS?_PROXY|NO_PROXY)/i.test(name)) env[name] = value;
  return {
    ...env,
    HOME: mkdtempSync(join(tmpdir(), 'kassa-stripe-cli-')),
    STRIPE_CLI_TELEMETRY_OPTOUT: '1',
    STRIPE_DEVICE_NAME: 'kassa-test',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
  };
}

/** `stripe listen ...` against a Kassa at `apiBase`; `--skip-update` keeps it from asking GitHub for releases. */
export function stripeListen(apiBase: string, apiKey: string, args: string[]): Listener {
  return start(
    stripeCliBinary(),
    ['listen', '--skip-update', '--api-base', apiBase, '--api-key', apiKey, ...args],
    stripeCliEnv(),
  );
}

/** `kassa listen ...` as a user runs it (bin/kassa.js). */
export function kassaListen(apiBase: string, apiKey: string, args: string[]): Listener {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(KASSA_|STRIPE_API_KEY)/.test(name)) env[name] = value;
  return start(process.execPath, [KASSA_BIN, 'listen', '--api-base', apiBase, '--api-key', apiKey, ...args], env);
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv): Listener {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (!child.pid) throw new Error(`could not start ${command}`);
  trackChild(child);
  let output = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT);
    for (const check of waiters) check();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let ended = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      ended = true;
      for (const check of waiters) check();
      resolve(code);
    });
  });
  return {
    pid: child.pid,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern} in:\n${output}`)), timeoutMs);
        const check = () => {
          const match = pattern.exec(output);
          if (match) finish(undefined, match);
          else if (ended) finish(new Error(`${command} exited before printing ${pattern}:\n${output}`));
        };
        const finish = (error?: Error, match?: RegExpMatchArray) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(match!);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (ended) return;
      killQuietly(child.pid!, 'SIGTERM');
      const forced = setTimeout(() => killQuietly(child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(forced);
    },
  };
}
