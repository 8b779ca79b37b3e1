// Durable scheduled work: what happens "later" (a pending refund settling, a
// refund failing at the bank) is a row in the jobs table, written in the
// transaction that decided it, and run by a worker (worker.ts) once its time
// has come. Capabilities register handlers by kind, as they register routes.
import { newId } from '../server/ids.js';
import { createSignal } from '../server/signal.js';
import type { WriteContext } from '../server/write-context.js';
import type { Queries } from '../store/store.js';
import { insertJob } from './job-store.js';

/** A job runs through the one write context (its events carry `request.id` null), with its payload. */
export interface JobContext<P = unknown> extends WriteContext {
  jobId: string;
  payload: P;
  /** What the handler's prepare() returned, when it has one. */
  prepared?: unknown;
}

/** What prepare() sees: committed data only, no transaction is open. */
export interface PrepareContext<P = unknown> {
  jobId: string;
  accountId: string;
  payload: P;
  now: number;
  read: Queries;
}

export interface JobHandler {
  kind: string;
  /**
   * Optional slow work (network I/O) done before the job's transaction opens,
   * so that no transaction waits on it; run() gets its result as `prepared`
   * and commits the bookkeeping. If the claim is lost meanwhile, run() does
   * not happen, so prepare's effects must be safe to repeat.
   */
  // biome-ignore lint/suspicious/noExplicitAny: handlers type their own payloads
  prepare?(ctx: PrepareContext<any>): Promise<unknown>;
  // Handlers type their own payloads.
  // biome-ignore lint/suspicious/noExplicitAny: handlers type their own payloads
  run(ctx: JobContext<any>): Promise<void>;
}

export interface NewJob {
  accountId: string;
  kind: string;
  /** Unix seconds; the job runs at the first worker pass at or after it. */
  runAt: number;
  payload: unknown;
  /** Unix seconds. */
  now: number;
}

/** Notified, in this process, after a transaction that scheduled a job commits, with its kind and `runAt`. */
export const jobsScheduled = createSignal<{ runAt: number; kind: string }>();

/** Adds a job in the caller's transaction, so that it exists exactly when the caller's writes commit. */
export async function scheduleJob(db: Queries, job: NewJob & { id?: string }): Promise<string> {
  const id = job.id ?? newId('job');
  await insertJob(db, {
    id,
    accountId: job.accountId,
    kind: job.kind,
    runAt: job.runAt,
    payload: JSON.stringify(job.payload ?? null),
    created: job.now,
  });
  db.afterCommit(() => jobsScheduled.notify({ runAt: job.runAt, kind: job.kind }));
  return id;
}
