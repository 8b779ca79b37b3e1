// /v1/balance and /v1/balance_transactions. A balance transaction's status
// follows the clock (pending until available_on), so both are computed as of
// the request's time rather than read as stored.
import type Stripe from 'stripe';
import { resourceMissing } from '../server/errors.js';
import { listPage, rangeFilters, type ListParams } from '../server/list.js';
import type { RequestContext, Route } from '../server/route.js';
import { withStatus, type BalanceTransaction } from './balance-transaction.js';
import { balanceSums } from './balance-sums.js';
import { getObjectRow } from '../store/objects.js';

/** A new account's balance is shown in its default currency. */
const DEFAULT_CURRENCY = 'usd';

interface ListTransactionsParams extends ListParams {
  type?: string;
  source?: string;
  currency?: string;
  payout?: string;
}

/** Stripe's balance object: every amount Kassa has no notion of (reserves, instant payouts, Issuing) is zero or empty. */
export function balanceOf(sums: Array<{ currency: string; available: number; pending: number }>): Stripe.Balance {
  const rows = sums.length > 0 ? sums : [{ currency: DEFAULT_CURRENCY, available: 0, pending: 0 }];
  const amount = (currency: string, value: number) => ({ amount: value, currency, source_types: { card: value } });
  return {
    object: 'balance',
    available: rows.map((r) => amount(r.currency, r.available)),
    connect_reserved: rows.map((r) => ({ amount: 0, currency: r.currency })),
    instant_available: [],
    issuing: { available: [] },
    livemode: false,
    pending: rows.map((r) => amount(r.currency, r.pending)),
    refund_and_dispute_prefunding: {
      available: rows.map((r) => amount(r.currency, 0)),
      pending: rows.map((r) => amount(r.currency, 0)),
    },
  };
}

function retrieveTransaction(path: string): Route {
  return {
    method: 'GET',
    path,
    async handler(ctx) {
      const row = await getObjectRow(ctx.db, ctx.accountId, ctx.path.id);
      if (!row || row.type !== 'balance_transaction') throw resourceMissing('balance transaction', ctx.path.id, 'id');
      return withStatus(JSON.parse(row.doc) as BalanceTransaction, ctx.now);
    },
  };
}

function listTransactions(path: string): Route {
  return {
    method: 'GET',
    path,
    async handler(ctx: RequestContext<ListTransactionsParams>) {
      const p = ctx.params;
      // Kassa makes no payouts: no payout id exists.
      if (p.payout) throw resourceMissing('payout', p.payout, 'payout');
      const filters = rangeFilters('created', p.created);
      for (const field of ['type', 'source', 'currency'] as const) {
        const value = p[field];
        if (value)
          filters.push({ field: `doc.${field}`, op: '=', value: field === 'currency' ? value.toLowerCase() : value });
      }
      const page = await listPage(ctx.db, {
        table: 'objects',
        accountId: ctx.accountId,
        type: 'balance_transaction',
        url: path,
        filters,
        params: ctx.params,
      });
      return { ...page, data: page.data.map((txn) => withStatus(txn as unknown as BalanceTransaction, ctx.now)) };
    },
  };
}

export const balanceRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/balance',
    async handler(ctx) {
      return balanceOf(await balanceSums(ctx.db, ctx.accountId, ctx.now)) as unknown as { id: string; object: string };
    },
  },
  listTransactions('/v1/balance_transactions'),
  retrieveTransaction('/v1/balance_transactions/{id}'),
  // The older names of the same two operations, which Stripe still serves.
  listTransactions('/v1/balance/history'),
  retrieveTransaction('/v1/balance/history/{id}'),
];
