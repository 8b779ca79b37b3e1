// /v1/tax_rates: thin handlers over the tax rate rules. Tax rates are never
// deleted on Stripe: they are archived (`active=false`).
import { saveUpdate } from '../events/events.js';
import { resourceMissing } from '../server/errors.js';
import { newId } from '../server/ids.js';
import { listPage, rangeFilters, type ListParams } from '../server/list.js';
import type { RequestContext, Route } from '../server/route.js';
import { docBoolean } from '../store/dialect.js';
import { getObjectRow, insertObject } from '../store/objects.js';
import {
  applyTaxRateParams,
  newTaxRate,
  type TaxRate,
  type TaxRateCreateParams,
  type TaxRateParams,
} from './tax-rate.js';

async function loadTaxRate(ctx: RequestContext<unknown>, id: string, options: { forUpdate?: boolean } = {}) {
  const row = await getObjectRow(ctx.db, ctx.accountId, id, options);
  if (!row || row.type !== 'tax_rate') throw resourceMissing('tax_rate', id);
  return JSON.parse(row.doc) as TaxRate;
}

export const taxRateRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/tax_rates',
    async handler(ctx: RequestContext<TaxRateCreateParams>) {
      const rate = newTaxRate(newId('txr'), ctx.params, ctx.now);
      await insertObject(ctx.db, ctx.accountId, rate);
      await ctx.emit('tax_rate.created', rate);
      return rate;
    },
  },
  {
    method: 'GET',
    path: '/v1/tax_rates/{tax_rate}',
    handler: (ctx) => loadTaxRate(ctx, ctx.path.tax_rate),
  },
  {
    method: 'POST',
    path: '/v1/tax_rates/{tax_rate}',
    async handler(ctx: RequestContext<TaxRateParams>) {
      const before = await loadTaxRate(ctx, ctx.path.tax_rate, { forUpdate: true });
      const after = applyTaxRateParams(before, ctx.params);
      await saveUpdate(ctx, 'tax_rate.updated', before, after);
      return after;
    },
  },
  {
    method: 'GET',
    path: '/v1/tax_rates',
    async handler(ctx: RequestContext<ListParams & { active?: boolean; inclusive?: boolean }>) {
      const filters = rangeFilters('created', ctx.params.created);
      for (const field of ['active', 'inclusive'] as const) {
        const value = ctx.params[field];
        if (value !== undefined)
          filters.push({ field: `doc.${field}`, op: '=', value: docBoolean(ctx.db.dialect, value) });
      }
      return listPage(ctx.db, {
        table: 'objects',
        accountId: ctx.accountId,
        type: 'tax_rate',
        url: '/v1/tax_rates',
        filters,
        params: ctx.params,
      });
    },
  },
];
