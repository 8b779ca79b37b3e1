// Durable scheduled work: a job runs once its time has come, exactly once,
// in one transaction with its effects; a failure rolls its effects back and
// retries later; a claim left by a dead worker is taken over when it runs
// out; jobs survive a restart; two workers on one database never run a job
// twice. Last, real `kassa serve` processes: a refund's later outcome is
// applied by the next process after the one that scheduled it was killed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type Stripe from 'stripe';
import { newApiKey } from '../../src/accounts/keys.js';
import { eventRecorder } from '../../src/events/events.js';
import { scheduleJob, type JobHandler } from '../../src/jobs/jobs.js';
import { createJobWorker, type JobWorker } from '../../src/jobs/worker.js';
import { writeContextFactory } from '../../src/server/write-context.js';
import { openStore, type Store, type StoreConfig } from '../../src/store/store.js';
import { describeEachStore } from '../support/each-store.js';
import { kassaEnv, spawnServe, type KassaProcess, sdkFor } from '../support/processes.js';
import { getJob, hasDueJobs } from '../../src/jobs/job-store.js';
import { MIGRATIONS } from '../../src/schema.js';

const T0 = 1_760_000_000;
const ACCOUNT = 'acct_jobstest';

/** A job that records that it ran: an event in its own transaction. */
const recordRun: JobHandler = {
  kind: 'test.record',
  async run(ctx) {
    await ctx.emit('test.job_ran', { id: ctx.jobId, object: 'test_job' });
  },
};

/** Counts committed runs per job id. */
async function runsPerJob(store: Store): Promise<Map<string, number>> {
  const rows = await store.read.list({
    table: 'events',
    accountId: ACCOUNT,
    filters: [{ field: 'type', op: '=', value: 'test.job_ran' }],
    limit: 100_000,
  });
  const counts = new Map<string, number>();
  for (const row of rows) {
    const id = (JSON.parse(row.doc) as { data: { object: { id: string } } }).data.object.id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function schedule(store: Store, kind: string, runAt: number, payload: unknown = {}): Promise<string> {
  return store.transaction((tx) => scheduleJob(tx, { accountId: ACCOUNT, kind, runAt, payload, now: T0 }));
}

function worker(store: Store, handlers: JobHandler[], leaseSeconds?: number): JobWorker {
  return createJobWorker({
    store,
    clock: { now: () => T0 },
    writeContext: writeContextFactory(eventRecorder([])),
    handlers,
    logger: false,
    leaseSeconds,
  });
}

describeEachStore('durable jobs', (target) => {
  let config: StoreConfig;
  let store: Store;
  const others: Store[] = [];

  before(async () => {
    config = await target.config();
    store = await openStore(config, MIGRATIONS);
  });
  after(async () => {
    for (const other of others) await other.close();
    await store.close();
  });

  /** Another process's connection to the same database. */
  async function anotherProcess(): Promise<Store> {
    const other = await openStore(config, MIGRATIONS);
    others.push(other);
    return other;
  }

  test('a job runs once its time has come, once, and is marked done with its effects', async () => {
    const id = await schedule(store, recordRun.kind, T0 + 10);
    const w = worker(store, [recordRun]);
    assert.equal(await w.runDueJobs(T0 + 9), 0);
    assert.equal((await runsPerJob(store)).get(id), undefined);
    assert.equal(await w.runDueJobs(T0 + 10), 1);
    assert.equal((await runsPerJob(store)).get(id), 1);
    const job = await getJob(store.read, id);
    assert.deepEqual([job?.status, job?.attempts, job?.claimedUntil, job?.lastError], ['done', 1, null, null]);
    assert.equal(await w.runDueJobs(T0 + 1000), 0);
    assert.equal((await runsPerJob(store)).get(id), 1);
  });

  test('a failing job rolls its effects back and is retried with backoff; an unknown kind is retried too', async () => {
    let failures = 2;
    const flaky: JobHandler = {
      kind: 'test.flaky',
      async run(ctx) {
        await ctx.emit('test.job_ran', { id: ctx.jobId, object: 'test_job' });
        if (failures-- > 0) throw new Error('the bank is closed');
      },
    };
    const id = await schedule(store, flaky.kind, T0);
    const w = worker(store, [flaky]);
    assert.equal(await w.runDueJobs(T0), 0);
    let job = await getJob(store.read, id);
    // Retried after 5 s, then 10 s.
    assert.deepEqual(
      [job?.status, job?.attempts, job?.runAt, job?.claimedUntil, job?.lastError],
      ['pending', 1, T0 + 5, null, 'the bank is closed'],
    );
    assert.equal((await runsPerJob(store)).get(id), undefined, 'the failed run left nothing behind');

    assert.equal(await w.runDueJobs(T0 + 4), 0);
    assert.equal((await getJob(store.read, id))?.attempts, 1, 'not due yet: not claimed');
    assert.equal(await w.runDueJobs(T0 + 5), 0);
    job = await getJob(store.read, id);
    assert.equal(job?.runAt, T0 + 5 + 10);
    assert.equal(await w.runDueJobs(job!.runAt), 1);
    job = await getJob(store.read, id);
    assert.deepEqual([job?.status, job?.attempts], ['done', 3]);
    assert.equal((await runsPerJob(store)).get(id), 1);

    const orphan = await schedule(store, 'test.nobody', T0);
    assert.equal(await w.runDueJobs(T0), 0);
    assert.match((await getJob(store.read, orphan))?.lastError ?? '', /no handler for job kind test\.nobody/);
    assert.equal((await getJob(store.read, orphan))?.status, 'pending');
  });

  test('a claim left by a dead worker is taken over when it runs out, and the job runs exactly once', async () => {
    const id = await schedule(store, recordRun.kind, T0);
    const dying = worker(store, [recordRun], 60);
    const claimed = (await dying.claimOnly(T0)).filter((job) => job.id === id);
    assert.equal(claimed.length, 1);
    // The worker's process is gone: its claim holds until T0 + 60.
    const survivor = worker(await anotherProcess(), [recordRun], 60);
    assert.equal(await survivor.runDueJobs(T0 + 59), 0);
    assert.equal((await runsPerJob(store)).get(id), undefined);
    assert.equal(await survivor.runDueJobs(T0 + 60), 1);
    assert.equal((await runsPerJob(store)).get(id), 1);
    // Had the first worker only stalled, its late attempt does nothing.
    assert.equal(await dying.runClaimed(claimed[0], T0 + 61), false);
    assert.equal((await runsPerJob(store)).get(id), 1);

    // A stale claim loses to a newer one even when neither has run yet.
    const second = await schedule(store, recordRun.kind, T0);
    const [stale] = (await dying.claimOnly(T0)).filter((job) => job.id === second);
    const [fresh] = (await survivor.claimOnly(T0 + 60)).filter((job) => job.id === second);
    assert.equal(await dying.runClaimed(stale, T0 + 60), false);
    assert.equal(await survivor.runClaimed(fresh, T0 + 60), true);
    assert.equal((await runsPerJob(store)).get(second), 1);
  });

  test('jobs survive a restart', async () => {
    const first = await anotherProcess();
    const id = await first.transaction((tx) =>
      scheduleJob(tx, { accountId: ACCOUNT, kind: recordRun.kind, runAt: T0 + 5, payload: { n: 1 }, now: T0 }),
    );
    await first.close();
    others.splice(others.indexOf(first), 1);
    const next = await anotherProcess();
    assert.equal(await worker(next, [recordRun]).runDueJobs(T0 + 5), 1);
    assert.equal((await runsPerJob(store)).get(id), 1);
  });

  for (const leaseSeconds of [60, 0]) {
    test(`two workers on one database never run a job twice (lease ${leaseSeconds} s)`, async () => {
      const slow: JobHandler = {
        kind: 'test.slow',
        async run(ctx) {
          await sleep(Math.floor(Math.random() * 3));
          await ctx.emit('test.job_ran', { id: ctx.jobId, object: 'test_job' });
        },
      };
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) ids.push(await schedule(store, slow.kind, T0));
      // PostgreSQL: two connection pools, as two processes have. SQLite: one store, since two handles on one file in one
      // process would block each other's event loop (better-sqlite3 waits synchronously); across processes
      // BEGIN IMMEDIATE serializes them as the store's own queue does here.
      const stores = target.name === 'postgres' ? [await anotherProcess(), await anotherProcess()] : [store, store];
      const workers = stores.map((s) => worker(s, [slow], leaseSeconds));
      const ran = [0, 0];
      await Promise.all(
        workers.map(async (w, i) => {
          // A lease of 0 s lets each worker take over the other's claims at once: the hardest case.
          for (let round = 0; round < 200 && (await hasDueJobs(stores[i].read, T0)); round++)
            ran[i] += await w.runDueJobs(T0);
        }),
      );
      const runs = await runsPerJob(store);
      for (const id of ids) assert.equal(runs.get(id), 1, `job ${id} ran ${runs.get(id) ?? 0} times`);
      assert.equal(ran[0] + ran[1], ids.length);
      for (const id of ids) assert.equal((await getJob(store.read, id))?.status, 'done');
    });
  }
});

describeEachStore('kassa serve runs scheduled work', (target) => {
  const processes: KassaProcess[] = [];
  after(() => Promise.all(processes.map((p) => p.stop())));

  test('a pending refund settles even though the process that made it was killed', async () => {
    const secretKey = newApiKey('secret');
    const env = kassaEnv(await target.config(), {
      KASSA_SECRET_KEY: secretKey,
      KASSA_PUBLISHABLE_KEY: newApiKey('publishable'),
    });
    const sdk = (url: string) => sdkFor(url, secretKey);
    const first = spawnServe(env);
    processes.push(first);
    const stripe = sdk(await first.ready);
    const intent = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_pendingRefund',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    const refund = await stripe.refunds.create({ payment_intent: intent.id });
    assert.equal(refund.status, 'pending');
    await first.crash();

    const second = spawnServe(env);
    processes.push(second);
    const again = sdk(await second.ready);
    // The job is due a few seconds after the refund; the new process's worker polls every second.
    let status: string | null = refund.status;
    for (let i = 0; i < 60 && status === 'pending'; i++) {
      await sleep(500);
      status = (await again.refunds.retrieve(refund.id)).status;
    }
    assert.equal(status, 'succeeded', second.output());
    const events = await again.events.list({ type: 'refund.updated' });
    assert.deepEqual(
      events.data.map((e) => (e.data.object as Stripe.Refund).id),
      [refund.id],
    );
  });
});
