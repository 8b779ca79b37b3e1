// The account's ledger: a balance transaction is recorded when money moves,
// and pending funds become available on their date (a job), so stored copies
// catch up with the clock.
import { scheduleJob, type JobContext, type JobHandler } from '../jobs/jobs.js';
import type { WriteContext } from '../server/write-context.js';
import { withStatus, type BalanceTransaction } from './balance-transaction.js';
import { insertObject, saveObject } from '../store/objects.js';

/** Marks a pending balance transaction available once its available_on has come. */
export const BALANCE_AVAILABLE_JOB = 'balance_transaction.available';

/**
 * Stores a balance transaction. A pending one gets a job at its available_on
 * that marks it available, so that its stored copy (seen through expand[] and
 * in events) catches up with the clock; the balance routes compute the status
 * as of each request anyway.
 */
export async function recordBalanceTransaction(
  ctx: Pick<WriteContext, 'db' | 'accountId' | 'now'>,
  txn: BalanceTransaction,
): Promise<void> {
  await insertObject(ctx.db, ctx.accountId, txn);
  if (txn.status !== 'pending') return;
  // One job per account and availability date, not per transaction: funds become available a day at a time.
  const id = `job_balance_${ctx.accountId}_${txn.available_on}`;
  await scheduleJob(ctx.db, {
    id,
    accountId: ctx.accountId,
    kind: BALANCE_AVAILABLE_JOB,
    runAt: txn.available_on,
    payload: {},
    now: ctx.now,
  });
}

/** Marks the account's pending balance transactions whose date has come as available. */
async function markAvailable(ctx: JobContext<unknown>): Promise<void> {
  const PAGE = 100;
  let startingAfter: number | undefined;
  for (;;) {
    const rows = await ctx.db.list({
      table: 'objects',
      accountId: ctx.accountId,
      type: 'balance_transaction',
      filters: [{ field: 'doc.status', op: '=', value: 'pending' }],
      limit: PAGE,
      startingAfter,
    });
    for (const row of rows.slice(0, PAGE)) {
      const before = JSON.parse(row.doc) as BalanceTransaction;
      const after = withStatus(before, ctx.now);
      if (after !== before) await saveObject(ctx.db, ctx.accountId, after);
    }
    if (rows.length <= PAGE) return;
    startingAfter = rows[PAGE - 1].seq;
  }
}

export const balanceJobs: JobHandler[] = [{ kind: BALANCE_AVAILABLE_JOB, run: markAvailable }];
