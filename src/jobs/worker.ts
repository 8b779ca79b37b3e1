// The job worker every Kassa process runs. A pass claims the jobs that are
// due (a claim is a lease in the jobs table, so a job claimed by a process
// that died is taken over once the lease runs out), then runs each in its own
// store transaction together with marking it done: a job's effects commit
// exactly once or not at all. A failed job is retried later, with backoff.
import type { Logger } from 'pino';
import type { Clock } from '../server/clock.js';
import type { WriteContextFactory } from '../server/write-context.js';
import type { Store } from '../store/store.js';
import {
  claimDueJobs,
  completeJob,
  failJob,
  hasDueJobs,
  hasOverdueHolds,
  holdJob,
  scheduleOverdueHolds,
  type JobKinds,
  type JobRow,
} from './job-store.js';
import type { JobContext, JobHandler } from './jobs.js';

/** How long a claim holds before another worker may take the job over, in seconds. */
export const DEFAULT_LEASE_SECONDS = 60;
export const DEFAULT_POLL_MS = 1000;
const BATCH_SIZE = 20;
/** A pass stops after this many batches, so that jobs scheduling due jobs cannot keep it busy forever. */
const MAX_BATCHES_PER_PASS = 50;
/** Retries wait 5 s, 10 s, 20 s ... up to an hour; after 20 failed attempts the job is given up (done = 2). */
const RETRY_BASE_SECONDS = 5;
const RETRY_MAX_SECONDS = 60 * 60;
const MAX_ATTEMPTS = 20;

export interface JobWorkerOptions {
  store: Store;
  clock: Clock;
  /** Makes the context each job writes through (events recorded with the app's event hooks). */
  writeContext: WriteContextFactory;
  handlers: JobHandler[];
  logger?: Logger | false;
  leaseSeconds?: number;
  /** The kinds this worker claims; all by default (Kassa's leaves webhook deliveries to the webhook dispatcher). */
  kinds?: JobKinds;
}

export interface JobWorker {
  /**
   * One pass over the jobs due at `now` (the clock's time by default); resolves
   * with how many ran. Passes never overlap within a worker: a call waits for
   * the pass in progress (the timer's, say), so when it resolves every job due
   * at `now` has been run or retried.
   */
  runDueJobs(now?: number): Promise<number>;
  /** Claims one batch without running it: for tests that play a worker that dies holding its claims. */
  claimOnly(now?: number): Promise<JobRow[]>;
  /** Runs a job this worker claimed earlier; false when the claim was lost meanwhile (taken over, or the job ran). */
  runClaimed(job: JobRow, now?: number): Promise<boolean>;
  /** Polls every `pollMs` milliseconds until stop(). */
  start(pollMs?: number): void;
  /** Stops polling and waits for the pass in progress. */
  stop(): Promise<void>;
}

export function retryDelay(attempts: number): number {
  return Math.min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** Math.max(0, attempts - 1));
}

export function createJobWorker(options: JobWorkerOptions): JobWorker {
  const { store, clock } = options;
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const handlers = new Map<string, JobHandler>();
  for (const handler of options.handlers) {
    if (handlers.has(handler.kind)) throw new Error(`two job handlers for kind ${handler.kind}`);
    handlers.set(handler.kind, handler);
  }
  const log = options.logger || undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  const claim = async (now: number) => {
    if (!(await hasDueJobs(store.read, now, options.kinds))) return [];
    return store.transaction((tx) => claimDueJobs(tx, now, now + leaseSeconds, BATCH_SIZE, options.kinds));
  };

  /** True when the job ran and is done; false when the claim was lost. Throws what the handler threw, after recording the failure. */
  async function run(job: JobRow, now: number): Promise<boolean> {
    try {
      const handler = handlers.get(job.kind);
      const payload = JSON.parse(job.payload);
      const prepared = handler?.prepare
        ? await handler.prepare({ jobId: job.id, accountId: job.accountId, payload, now, read: store.read })
        : undefined;
      return await store.transaction(async (tx) => {
        if (!(await holdJob(tx, job.id, job.attempts))) return false;
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        const ctx: JobContext = {
          ...options.writeContext({ db: tx, accountId: job.accountId, now }),
          jobId: job.id,
          payload,
          prepared,
        };
        await handler.run(ctx);
        await completeJob(tx, job.id, job.attempts);
        return true;
      });
    } catch (error) {
      const giveUp = job.attempts >= MAX_ATTEMPTS;
      const message = String((error as Error)?.message ?? error).slice(0, 2000);
      await store.transaction((tx) =>
        failJob(tx, job.id, job.attempts, { runAt: now + retryDelay(job.attempts), error: message, giveUp }),
      );
      log?.warn(
        { err: error, job: job.id, kind: job.kind, attempts: job.attempts, giveUp },
        giveUp ? 'job failed; giving up' : 'job failed; will retry',
      );
      throw error;
    }
  }

  async function pass(now: number): Promise<number> {
    if (await hasOverdueHolds(store.read, now)) await store.transaction((tx) => scheduleOverdueHolds(tx, now));
    let ran = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_PASS; batch++) {
      const jobs = await claim(now);
      for (const job of jobs) {
        try {
          if (await run(job, now)) ran++;
        } catch {
          // Recorded and logged by run(); the other jobs go on.
        }
      }
      if (jobs.length < BATCH_SIZE) break;
    }
    return ran;
  }

  function serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = chain.then(fn);
    chain = next.catch(() => undefined);
    return next;
  }

  function tick(pollMs: number): void {
    timer = setTimeout(() => {
      serialized(() => pass(clock.now()))
        .catch((error) => log?.error({ err: error }, 'job worker pass failed'))
        .finally(() => {
          if (running) tick(pollMs);
        });
    }, pollMs);
    timer.unref();
  }

  return {
    runDueJobs: (now) => serialized(() => pass(now ?? clock.now())),
    claimOnly: (now) => serialized(() => claim(now ?? clock.now())),
    runClaimed: (job, now) => serialized(() => run(job, now ?? clock.now())),
    start(pollMs = DEFAULT_POLL_MS) {
      if (running) return;
      running = true;
      tick(pollMs);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
}
