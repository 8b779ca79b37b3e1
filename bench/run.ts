// `npm run bench`: Kassa (SQLite) against a bare node:http server returning
// the same bytes, under autocannon, on loopback. Prints req/s and latency for
// both, the payment flow (create a PaymentIntent with the secret key, confirm
// it with card data, the publishable key and the client_secret) in flows per
// second, Kassa's memory after 100,000 customers, webhook deliveries (events/s
// and commit-to-2xx latency against the bare sink's capacity; bench/webhooks.ts),
// and PASS/MISS per target.
// Exits non-zero only when something broke (a failed request, a crash).
//
// BENCH_DURATION=<seconds> changes the measured time per run (default 10),
// BENCH_CUSTOMERS the customers to create before measuring memory (default
// 100000); BENCH_CPU_PROF=<dir> runs the Kassa server with --cpu-prof into <dir>.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { API_VERSION } from '../src/server/version.js';
import { createRoute, load, paymentFlowRoute, retrieveRoute, type LoadResult, type Route } from './load.js';
import { residentKb, ROOT, startServer, type ServerProcess } from './processes.js';
import { printLoadTable, printMemory, type RouteFigures } from './report.js';
import { webhookSection } from './webhooks.js';

const CONNECTIONS = 10;
const DURATION = Number(process.env.BENCH_DURATION || 10);
const WARMUP = 2;
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS || 100_000);
const WATCHDOG_MS = 5 * 60 * 1000;

const failures: string[] = [];
const servers: ServerProcess[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'kassa-bench-'));

async function main(): Promise<number> {
  const secretKey = `sk_test_bench${randomBytes(16).toString('hex')}`;
  const publishableKey = `pk_test_bench${randomBytes(16).toString('hex')}`;
  const watchdog = setTimeout(() => void abort('the benchmark ran longer than 5 minutes'), WATCHDOG_MS);
  try {
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const kassa = await startServer(
      'kassa',
      [...profile, join(ROOT, 'bin/kassa.js'), 'serve', '--port', '0'],
      {
        ...process.env,
        DATABASE_URL: '',
        KASSA_DATA_DIR: dataDir,
        KASSA_SECRET_KEY: secretKey,
        KASSA_PUBLISHABLE_KEY: publishableKey,
        KASSA_LOG_LEVEL: 'warn',
      },
      /^Kassa is listening on http:\/\/[^\s]+:(\d+)/,
    );
    servers.push(kassa);
    const startKb = residentKb(kassa.pid);

    const customer = await seedCustomer(kassa.url, secretKey);
    const bodyFile = join(dataDir, 'customer.json');
    writeFileSync(bodyFile, customer.json);
    const bare = await startServer(
      'bare',
      ['--import', 'tsx', join(ROOT, 'bench/bare-server.ts'), bodyFile],
      process.env,
      /^bare server listening on http:\/\/[^\s]+:(\d+)/,
    );
    servers.push(bare);
    console.log(
      `Node ${process.version}, ${availableParallelism()} CPUs. Kassa pid ${kassa.pid} (SQLite in ${dataDir}), bare pid ${bare.pid}.`,
    );
    console.log(
      `autocannon: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per run; latency in whole ms.\n`,
    );

    const retrieve = await compare(kassa, bare, () => retrieveRoute(secretKey, API_VERSION, customer.id), {
      target: 0.5,
    });
    const create = await compare(kassa, bare, () => createRoute(secretKey, API_VERSION), { target: 0.3 });
    const flow = await compare(kassa, bare, () => paymentFlowRoute(secretKey, publishableKey, API_VERSION), {
      steps: 2,
      flowsTarget: 1500,
      p99TargetMs: 15,
    });
    const targets = printLoadTable([retrieve, create, flow]);

    // Counted in the database: a timed run ends with requests still in flight that the server completes.
    const dbFile = join(dataDir, 'kassa.db');
    let created = countCustomers(dbFile);
    const remainder = CUSTOMERS - created;
    if (remainder > 0) {
      console.log(`\nCreating the remaining ${remainder} customers (${CONNECTIONS} concurrent requests)...`);
      const started = Date.now();
      const fill = await load(kassa, createRoute(secretKey, API_VERSION), {
        connections: CONNECTIONS,
        amount: remainder,
      });
      check('fill', fill);
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `  ${fill.ok} created in ${seconds.toFixed(1)} s (${(fill.ok / seconds).toFixed(0)} req/s, p99 ${fill.p99} ms); non2xx ${fill.non2xx}, errors ${fill.errors}, timeouts ${fill.timeouts}`,
      );
      created += fill.ok;
    }
    checkAlive();
    const stored = countCustomers(dbFile);
    if (stored !== created) failures.push(`expected ${created} customers in the database, found ${stored}`);
    targets.push(printMemory(stored, residentKb(kassa.pid), residentKb(kassa.pid, 'VmHWM'), startKb));

    targets.push(
      ...(await webhookSection({
        connections: CONNECTIONS,
        duration: DURATION,
        warmup: WARMUP,
        secretKey,
        publishableKey,
        apiVersion: API_VERSION,
        dataDir: join(dataDir, 'webhooks'),
        nodeArgs: profile,
        servers,
        check,
      })),
    );

    const missed = targets.filter((t) => !t.met).length;
    console.log(
      `\n${targets.length - missed}/${targets.length} targets met${missed ? ' (misses are reported, not failures)' : ''}.`,
    );
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(watchdog);
    for (const server of servers) {
      const crash = server.crashed();
      if (crash) failures.push(crash);
      await server.stop();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.error(`\nBENCHMARK BROKEN:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    return 1;
  }
  return 0;
}

/** Warm-up, then a measured run, on Kassa and then on bare. */
async function compare(
  kassa: ServerProcess,
  bare: ServerProcess,
  routeFor: () => Route,
  targets: Omit<RouteFigures, 'route' | 'kassa' | 'bare'>,
): Promise<RouteFigures> {
  const results: Record<string, LoadResult> = {};
  let name = '';
  for (const server of [kassa, bare]) {
    const route = routeFor();
    name = route.name;
    const warm = await load(server, route, { connections: CONNECTIONS, duration: WARMUP });
    check(`${server.name} ${name} warm-up`, warm);
    const result = await load(server, route, { connections: CONNECTIONS, duration: DURATION });
    check(`${server.name} ${name}`, result);
    results[server.name] = result;
    console.log(`  ${server.name.padEnd(5)} ${name}: ${result.reqPerSec.toFixed(0)} req/s`);
  }
  return { route: name, kassa: results.kassa!, bare: results.bare!, ...targets };
}

function check(what: string, result: LoadResult): void {
  if (result.non2xx || result.errors || result.timeouts) {
    failures.push(`${what}: ${result.non2xx} non-2xx responses, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  checkAlive();
}

function checkAlive(): void {
  const crash = servers.map((s) => s.crashed()).find(Boolean);
  if (crash) throw new Error(crash);
}

async function seedCustomer(url: string, secretKey: string): Promise<{ id: string; json: string }> {
  const headers = { authorization: `Bearer ${secretKey}`, 'stripe-version': API_VERSION };
  const created = await fetch(`${url}/v1/customers`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': randomUUID() },
    body: 'email=seed%40example.com&name=Seed+Customer&metadata[order]=0&metadata[source]=bench',
  });
  if (!created.ok) throw new Error(`creating the seed customer failed: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const retrieved = await fetch(`${url}/v1/customers/${id}`, { headers });
  if (!retrieved.ok) throw new Error(`retrieving the seed customer failed: ${retrieved.status}`);
  return { id, json: await retrieved.text() };
}

function countCustomers(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM objects WHERE type = 'customer'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function abort(reason: string): Promise<void> {
  console.error(`\nBENCHMARK BROKEN: ${reason}`);
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}

process.exitCode = await main();
