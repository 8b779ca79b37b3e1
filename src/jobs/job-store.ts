// The jobs table: durable scheduled work (see jobs.ts and worker.ts). A
// worker claims due pending jobs for a lease (`claimed_until`: a claim that
// runs out makes the job claimable again, so a claim is not a status); each
// claim counts an attempt, and the attempt number identifies the claim.
// Jobs with a `clock_id` run on a test clock's time, not the real one's;
// the due queries here take real-time jobs only.
import type { Db } from '../store/db.js';
import { forUpdate, forUpdateSkipLocked } from '../store/dialect.js';

export interface JobRow {
  id: string;
  accountId: string;
  kind: string;
  runAt: number;
  /** JSON text. */
  payload: string;
  attempts: number;
  claimedUntil: number | null;
  status: JobStatus;
  /** The test clock whose time the job runs at; null for real time. */
  clockId: string | null;
  lastError: string | null;
  created: number;
}

/** `failed`: given up after too many failed attempts (`last_error` says why). */
export type JobStatus = 'pending' | 'done' | 'failed';

const JOB_COLUMNS =
  'id, account_id, kind, run_at, payload, attempts, claimed_until, status, clock_id, last_error, created';

/** Pending real-time jobs due at `?` and unclaimed at `?` (the index jobs_due covers it). */
const DUE = "status = 'pending' AND clock_id IS NULL AND run_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)";

/** Which kinds of job a worker claims: one kind only, or all but some (kinds come from code). */
export interface JobKinds {
  only?: string;
  except?: string[];
}

function kindFilter(kinds: JobKinds): [string, string[]] {
  if (kinds.only !== undefined) return [' AND kind = ?', [kinds.only]];
  if (kinds.except?.length) return [` AND kind NOT IN (${kinds.except.map(() => '?').join(', ')})`, kinds.except];
  return ['', []];
}

interface JobSqlRow {
  id: string;
  account_id: string;
  kind: string;
  run_at: number;
  payload: string;
  attempts: number;
  claimed_until: number | null;
  status: JobStatus;
  clock_id: string | null;
  last_error: string | null;
  created: number;
}

function jobRow(row: JobSqlRow): JobRow {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    runAt: Number(row.run_at),
    payload: row.payload,
    attempts: Number(row.attempts),
    claimedUntil: row.claimed_until === null ? null : Number(row.claimed_until),
    status: row.status,
    clockId: row.clock_id,
    lastError: row.last_error,
    created: Number(row.created),
  };
}

/** A job whose id is already scheduled is not added again. */
export async function insertJob(
  db: Db,
  job: { id: string; accountId: string; kind: string; runAt: number; payload: string; created: number },
): Promise<void> {
  await db.run(
    'INSERT INTO jobs (id, account_id, kind, run_at, payload, created) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    [job.id, job.accountId, job.kind, job.runAt, job.payload, job.created],
  );
}

/** Whether a hold's writer left it past its due time (see scheduleOverdueHolds); one read of a small index. */
export async function hasOverdueHolds(db: Db, now: number): Promise<boolean> {
  const rows = await db.all('SELECT 1 AS due FROM object_holds WHERE due <= ? LIMIT 1', [now]);
  return rows.length > 0;
}

/**
 * A write that holds objects between two transactions (store/objects.ts
 * holdObjects) carries the job that finishes it if its writer goes away.
 * Holds not released by their due time become those jobs, due now, with the
 * holder's id as the job's; the objects stay held until the job releases them.
 */
export async function scheduleOverdueHolds(db: Db, now: number): Promise<number> {
  const scheduled = await db.run(
    `INSERT INTO jobs (id, account_id, kind, run_at, payload, created)
     SELECT holder, account_id, job, ?, payload, ? FROM object_holds WHERE due <= ?
     ON CONFLICT DO NOTHING`,
    [now, now, now],
  );
  await db.run('UPDATE object_holds SET due = NULL, job = NULL, payload = NULL WHERE due <= ?', [now]);
  return scheduled;
}

/** Whether any job (of the kinds chosen) is due and unclaimed: a cheap read before taking the write lock that claiming needs. */
export async function hasDueJobs(db: Db, now: number, kinds: JobKinds = {}): Promise<boolean> {
  const [kindSql, kindArgs] = kindFilter(kinds);
  const rows = await db.all(`SELECT 1 AS due FROM jobs WHERE ${DUE}${kindSql} LIMIT 1`, [now, now, ...kindArgs]);
  return rows.length > 0;
}

/**
 * Claims up to `limit` due jobs that nobody holds (never claimed, or the
 * claim ran out) until `claimUntil`. Each claim counts an attempt; the new
 * `attempts` identifies the claim (see holdJob). PostgreSQL skips rows that
 * another worker has locked; a SQLite write transaction excludes the others.
 */
export async function claimDueJobs(
  db: Db,
  now: number,
  claimUntil: number,
  limit: number,
  kinds: JobKinds = {},
): Promise<JobRow[]> {
  const lock = forUpdateSkipLocked(db.dialect);
  const [kindSql, kindArgs] = kindFilter(kinds);
  const rows = await db.all<JobSqlRow>(
    `UPDATE jobs SET claimed_until = ?, attempts = attempts + 1
     WHERE id IN (SELECT id FROM jobs WHERE ${DUE}${kindSql} ORDER BY run_at, id LIMIT ?${lock})
     RETURNING ${JOB_COLUMNS}`,
    [claimUntil, now, now, ...kindArgs, limit],
  );
  return rows.map(jobRow).sort((a, b) => a.runAt - b.runAt || (a.id < b.id ? -1 : 1));
}

/**
 * Locks a claimed job for running in this transaction; false when the claim
 * is no longer the caller's (another worker took it over, or the job ran).
 */
export async function holdJob(db: Db, id: string, attempts: number): Promise<boolean> {
  const rows = await db.all(
    `SELECT id FROM jobs WHERE id = ? AND attempts = ? AND status = 'pending'${forUpdate(db.dialect)}`,
    [id, attempts],
  );
  return rows.length === 1;
}

/** Marks a claimed job done if the claim is still the caller's; false when it was lost. (Without a holdJob first, this is the check.) */
export async function completeJob(db: Db, id: string, attempts: number): Promise<boolean> {
  return (
    (await db.run(
      "UPDATE jobs SET status = 'done', claimed_until = NULL WHERE id = ? AND attempts = ? AND status = 'pending'",
      [id, attempts],
    )) === 1
  );
}

/** Holds a claim longer (a delivery that chaos mode delays); false when it was lost. */
export async function extendClaim(db: Db, id: string, attempts: number, claimUntil: number): Promise<boolean> {
  return (
    (await db.run("UPDATE jobs SET claimed_until = ? WHERE id = ? AND attempts = ? AND status = 'pending'", [
      claimUntil,
      id,
      attempts,
    ])) === 1
  );
}

/** Gives a claim back unrun, to be claimed again from `runAt` (a delivery to an endpoint with too many in flight). */
export async function releaseJob(db: Db, id: string, attempts: number, runAt: number): Promise<void> {
  await db.run(
    "UPDATE jobs SET claimed_until = NULL, run_at = ? WHERE id = ? AND attempts = ? AND status = 'pending'",
    [runAt, id, attempts],
  );
}

/** Releases a failed claim: the job runs again at `runAt`, or never again when `giveUp`. */
export async function failJob(
  db: Db,
  id: string,
  attempts: number,
  outcome: { runAt: number; error: string; giveUp: boolean },
): Promise<void> {
  await db.run(
    "UPDATE jobs SET claimed_until = NULL, run_at = ?, last_error = ?, status = ? WHERE id = ? AND attempts = ? AND status = 'pending'",
    [outcome.runAt, outcome.error, outcome.giveUp ? 'failed' : 'pending', id, attempts],
  );
}

export async function getJob(db: Db, id: string): Promise<JobRow | undefined> {
  const rows = await db.all<JobSqlRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`, [id]);
  return rows[0] && jobRow(rows[0]);
}
