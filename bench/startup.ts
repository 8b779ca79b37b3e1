// `npm run bench:startup`: how long `kassa serve` takes from spawn to its
// first `/healthz` answer, median of 10 starts (each on a fresh SQLite data
// directory, so migrations and the default account are included), next to a
// bare `node -e` that opens a server and answers at once (Node's own start,
// the floor). Prints both and their ratio. Loopback only; each start is
// bounded to 20 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './processes.js';

const STARTS = Number(process.env.BENCH_STARTS || 10);
const TIMEOUT_MS = 20_000;
const BARE = "require('node:http').createServer((q, s) => s.end('{}')).listen(Number(process.env.PORT), '127.0.0.1')";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Milliseconds from spawning `node args` to the first 200 from /healthz. */
async function timeToHealthy(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: 'ignore' });
  try {
    while (performance.now() - started < TIMEOUT_MS) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error(`${args.join(' ')} did not answer /healthz within ${TIMEOUT_MS} ms`);
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) =>
      child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(undefined),
    );
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const kassa: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'kassa-startup-'));
    try {
      const env = {
        ...process.env,
        DATABASE_URL: '',
        HOST: '127.0.0.1',
        KASSA_DATA_DIR: dataDir,
        KASSA_LOG_LEVEL: 'warn',
      };
      kassa.push(await timeToHealthy([join(ROOT, 'bin/kassa.js'), 'serve'], env));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    bare.push(await timeToHealthy(['-e', BARE], process.env));
  }
  const k = median(kassa);
  const b = median(bare);
  console.log(`Time to first /healthz, median of ${STARTS} starts (fresh SQLite data directory each):`);
  console.log(`  kassa serve  ${k.toFixed(0)} ms   (all: ${kassa.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`  bare node    ${b.toFixed(0)} ms   (all: ${bare.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`  ratio        ${(k / b).toFixed(2)}x bare node`);
}

await main();
