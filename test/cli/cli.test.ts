// `kassa` as a user runs it: real processes of bin/kassa.js on a temporary
// data directory (SQLite) or a fresh PostgreSQL schema.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import pg from 'pg';
import Stripe from 'stripe';
import { hashKey } from '../../src/accounts/keys.js';
import { randomString } from '../../src/server/ids.js';
import { loadConfig } from '../../src/config.js';
import type { StoreConfig } from '../../src/store/store.js';
import { describeEachStore } from '../support/each-store.js';
import { freePort } from '../support/processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'kassa.js');

interface Created {
  id: string;
  secret_key: string;
  publishable_key: string;
}

interface Server {
  process: ChildProcess;
  port: number;
  output: string;
  accountId: string;
  /** Printed only when the keys were created or given now. */
  secretKey?: string;
  publishableKey?: string;
}

const running = new Set<ChildProcess>();

async function stopAll(): Promise<void> {
  for (const child of [...running]) await stop(child);
}

/** Environment for a store: KASSA_DATA_DIR always, DATABASE_URL only for PostgreSQL. */
function storeEnv(config: StoreConfig): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KASSA_LOG_LEVEL: 'warn' };
  for (const name of ['DATABASE_URL', 'PORT', 'HOST', 'KASSA_SECRET_KEY', 'KASSA_PUBLISHABLE_KEY']) delete env[name];
  if (config.databaseUrl) {
    env.DATABASE_URL = config.databaseUrl;
    env.KASSA_DATA_DIR = mkdtempSync(join(tmpdir(), 'kassa-cli-'));
  } else {
    env.KASSA_DATA_DIR = dirname(config.sqlitePath!);
  }
  return env;
}

function kassa(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

async function createAccountCli(env: NodeJS.ProcessEnv): Promise<Created> {
  const result = await kassa(['accounts', 'create', '--json'], env);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Created;
}

const STARTED =
  /Kassa is listening on http:\/\/127\.0\.0\.1:(\d+) .*\nDefault account (acct_\w+)\n(?: {2}secret key: +(\S+).*\n {2}publishable key: +(\S+).*\n| {2}keys: .*\n {2}Set .*\n)/;

/** Starts `kassa serve` and resolves once it printed its address and default account. */
async function serve(env: NodeJS.ProcessEnv, args: string[] = []): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  let errors = '';
  child.stderr!.on('data', (chunk) => (errors += chunk));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const found = STARTED.exec(output);
      if (found) {
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve(found);
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`kassa serve exited (${code}) before it was ready:\n${output}\n${errors}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
  return {
    process: child,
    port: Number(match[1]),
    output,
    accountId: match[2],
    secretKey: match[3],
    publishableKey: match[4],
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    running.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  running.delete(child);
}

function sdk(key: string, port: number): Stripe {
  return new Stripe(key, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
}

const mask = (key: string) => `${key.slice(0, 8)}****${key.slice(-4)}`;

test('bad usage gets a one-line message and exit code 1, not a stack trace', async () => {
  const env = storeEnv({ sqlitePath: join(mkdtempSync(join(tmpdir(), 'kassa-cli-')), 'kassa.db') });
  for (const [args, message] of [
    [['serve', '--bogus'], /^kassa: Unknown option '--bogus'/],
    [['serve', '--port', 'x'], /^kassa: invalid port: 'x'\n$/],
    [['accounts', 'frobnicate'], /^kassa accounts: use 'create' or 'list'\n$/],
  ] as const) {
    const result = await kassa([...args], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  }
});

test('configuration: PORT defaults to 4242 when unset or empty; a bad port is refused', () => {
  assert.equal(loadConfig({}).port, 4242);
  assert.equal(loadConfig({ PORT: '' }).port, 4242);
  assert.equal(loadConfig({ PORT: '5001' }).port, 5001);
  assert.equal(loadConfig({ PORT: '5001' }, { port: '5002' }).port, 5002);
  assert.equal(loadConfig({ HOST: '' }).host, '127.0.0.1');
  for (const port of ['x', '70000', '1.5', '-1', ' ']) assert.throws(() => loadConfig({ PORT: port }), /invalid port/);
  assert.throws(() => loadConfig({}, { port: '' }), /invalid port/);
});

describeEachStore('kassa CLI', (target) => {
  after(stopAll);

  test('accounts create --json prints the id and both keys', async () => {
    const env = storeEnv(await target.config());
    const created = await createAccountCli(env);
    assert.deepEqual(Object.keys(created).sort(), ['id', 'publishable_key', 'secret_key']);
    assert.match(created.id, /^acct_[A-Za-z0-9]{16}$/);
    assert.match(created.secret_key, /^sk_test_[A-Za-z0-9]+$/);
    assert.match(created.publishable_key, /^pk_test_[A-Za-z0-9]+$/);
    const second = await createAccountCli(env);
    assert.notEqual(second.id, created.id);
    assert.notEqual(second.secret_key, created.secret_key);
  });

  test('accounts list shows every account with its keys masked, never in full', async () => {
    const env = storeEnv(await target.config());
    const a = await createAccountCli(env);
    const b = await createAccountCli(env);

    const text = await kassa(['accounts', 'list'], env);
    assert.equal(text.code, 0, text.stderr);
    for (const account of [a, b]) {
      const line = text.stdout.split('\n').find((l) => l.startsWith(account.id));
      assert.ok(line, `${account.id} is listed:\n${text.stdout}`);
      assert.ok(line.includes(mask(account.secret_key)) && line.includes(mask(account.publishable_key)), line);
      assert.ok(!text.stdout.includes(account.secret_key) && !text.stdout.includes(account.publishable_key));
    }

    const json = await kassa(['accounts', 'list', '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    const listed = JSON.parse(json.stdout) as Array<{ id: string; default: boolean; keys: string[] }>;
    assert.deepEqual(listed.map((x) => x.id).sort(), [a.id, b.id].sort());
    assert.deepEqual(listed.find((x) => x.id === a.id)!.keys.sort(), [mask(a.publishable_key), mask(a.secret_key)]);
    assert.ok(!json.stdout.includes(a.secret_key) && !json.stdout.includes(b.secret_key));
  });

  test('serve: prints the default account keys on first start, listens on --port, keeps the account across restarts', async () => {
    const env = storeEnv(await target.config());
    const port = await freePort();
    const first = await serve(env, ['--port', String(port)]);
    assert.equal(first.port, port);
    assert.match(first.secretKey ?? '', /^sk_test_\w+$/);
    assert.match(first.publishableKey ?? '', /^pk_test_\w+$/);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });

    const customer = await sdk(first.secretKey!, port).customers.create({ email: 'before@example.com' });
    const listed = await kassa(['accounts', 'list', '--json'], env);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as Array<{ id: string; default: boolean }>).map((x) => [x.id, x.default]),
      [[first.accountId, true]],
    );
    await stop(first.process);

    const second = await serve(env, ['--port', String(port)]);
    assert.equal(second.accountId, first.accountId);
    assert.equal(second.secretKey, undefined, 'stored keys cannot be printed in full');
    assert.ok(second.output.includes(mask(first.secretKey!)), second.output);
    assert.ok(!second.output.includes(first.secretKey!));
    const fetched = await sdk(first.secretKey!, port).customers.retrieve(customer.id);
    assert.equal((fetched as Stripe.Customer).email, 'before@example.com');
    await stop(second.process);
  });

  test('serve listens on PORT from the environment', async () => {
    const port = await freePort();
    const server = await serve({ ...storeEnv(await target.config()), PORT: String(port) });
    assert.equal(server.port, port);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    await stop(server.process);
  });

  test('KASSA_SECRET_KEY and KASSA_PUBLISHABLE_KEY fix the default account keys', async () => {
    const secretKey = `sk_test_${randomString(32)}`;
    const publishableKey = `pk_test_${randomString(32)}`;
    const env = {
      ...storeEnv(await target.config()),
      KASSA_SECRET_KEY: secretKey,
      KASSA_PUBLISHABLE_KEY: publishableKey,
    };
    const server = await serve(env, ['--port', String(await freePort())]);
    // The operator already has them: printed masked, never in full.
    assert.equal(server.secretKey, mask(secretKey));
    assert.equal(server.publishableKey, mask(publishableKey));
    assert.ok(!server.output.includes(secretKey) && !server.output.includes(publishableKey), server.output);

    const customer = await sdk(secretKey, server.port).customers.create({ name: 'Fixed Key' });
    assert.match(customer.id, /^cus_/);
    // The publishable key is the account's, and a publishable one: refused for secret-key calls, not unknown.
    await assert.rejects(sdk(publishableKey, server.port).customers.create({}), (e: Stripe.errors.StripeError) => {
      assert.equal(e.statusCode, 401);
      assert.equal(e.code, 'secret_key_required');
      return true;
    });
    await assert.rejects(
      sdk(`sk_test_${randomString(32)}`, server.port).customers.list(),
      (e: Stripe.errors.StripeError) => e.statusCode === 401,
    );
    await stop(server.process);

    const again = await serve(env, ['--port', String(await freePort())]);
    assert.ok(!again.output.includes(secretKey) && !again.output.includes(publishableKey), again.output);
    assert.ok(again.output.includes(mask(secretKey)), again.output);
    await stop(again.process);
  });

  test('KASSA_SECRET_KEY alone: that key is printed masked, the publishable key Kassa made in full', async () => {
    const secretKey = `sk_test_${randomString(32)}`;
    const server = await serve({ ...storeEnv(await target.config()), KASSA_SECRET_KEY: secretKey }, [
      '--port',
      String(await freePort()),
    ]);
    assert.equal(server.secretKey, mask(secretKey));
    assert.ok(!server.output.includes(secretKey), server.output);
    assert.match(server.publishableKey ?? '', /^pk_test_\w+$/);
    await assert.rejects(
      sdk(server.publishableKey!, server.port).customers.list(),
      (e: Stripe.errors.StripeError) => e.code === 'secret_key_required',
    );
    await stop(server.process);
  });

  test('a key set by KASSA_SECRET_KEY on restart joins the existing default account', async () => {
    const env = storeEnv(await target.config());
    const first = await serve(env, ['--port', String(await freePort())]);
    const customer = await sdk(first.secretKey!, first.port).customers.create({ name: 'Kept' });
    await stop(first.process);

    const secretKey = `sk_test_${randomString(32)}`;
    const second = await serve({ ...env, KASSA_SECRET_KEY: secretKey }, ['--port', String(await freePort())]);
    assert.equal(second.accountId, first.accountId);
    const fetched = await sdk(secretKey, second.port).customers.retrieve(customer.id);
    assert.equal((fetched as Stripe.Customer).name, 'Kept');
    await sdk(first.secretKey!, second.port).customers.retrieve(customer.id);
    await stop(second.process);
  });

  test('a key from `accounts create` works at once against a running server', async () => {
    const env = storeEnv(await target.config());
    const server = await serve(env, ['--port', String(await freePort())]);
    const unknown = `sk_test_${randomString(32)}`;
    await assert.rejects(
      sdk(unknown, server.port).customers.list(),
      (e: Stripe.errors.StripeError) => e.statusCode === 401,
    );

    const created = await createAccountCli(env);
    const stripe = sdk(created.secret_key, server.port);
    const customer = await stripe.customers.create({ email: 'new@example.com' });
    const list = await stripe.customers.list();
    assert.deepEqual(
      list.data.map((c) => c.id),
      [customer.id],
    );
    // Another account's objects stay invisible to it.
    const own = await sdk(server.secretKey!, server.port).customers.list();
    assert.ok(!own.data.some((c) => c.id === customer.id));
    await stop(server.process);
  });

  if (target.name === 'sqlite') {
    test('the SQLite file lives in KASSA_DATA_DIR and never holds a key in plain text', async () => {
      const env = storeEnv(await target.config());
      const dataDir = env.KASSA_DATA_DIR!;
      const server = await serve(env, ['--port', String(await freePort())]);
      const created = await createAccountCli(env);
      await sdk(created.secret_key, server.port).customers.create({ email: 'stored@example.com' });
      await stop(server.process);

      assert.ok(existsSync(join(dataDir, 'kassa.db')));
      const bytes = Buffer.concat(readdirSync(dataDir).map((name) => readFileSync(join(dataDir, name))));
      // The bytes are the database's: its account ids, its key digests, the customer.
      for (const present of [
        server.accountId,
        created.id,
        hashKey(server.secretKey!),
        hashKey(created.secret_key),
        'stored@example.com',
      ]) {
        assert.ok(bytes.includes(present), `${present} is in the database files`);
      }
      for (const key of [server.secretKey!, server.publishableKey!, created.secret_key, created.publishable_key]) {
        assert.ok(!bytes.includes(key), `${mask(key)} is stored in plain text`);
      }
    });
  } else {
    test('the PostgreSQL tables never hold a key in plain text', async () => {
      const config = await target.config();
      const env = storeEnv(config);
      const server = await serve(env, ['--port', String(await freePort())]);
      const created = await createAccountCli(env);
      await stop(server.process);

      const client = new pg.Client({ connectionString: config.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ row: string }>(
          'SELECT row_to_json(a)::text AS row FROM accounts a UNION ALL SELECT row_to_json(k)::text FROM api_keys k',
        );
        const text = rows.map((r) => r.row).join('\n');
        for (const present of [server.accountId, created.id, hashKey(server.secretKey!), hashKey(created.secret_key)]) {
          assert.ok(text.includes(present), `${present} is in the tables`);
        }
        for (const key of [server.secretKey!, server.publishableKey!, created.secret_key, created.publishable_key]) {
          assert.ok(!text.includes(key), `${mask(key)} is stored in plain text`);
        }
      } finally {
        await client.end();
      }
    });
  }
});
