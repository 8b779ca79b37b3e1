// /v1/charges: the record of every payment attempt.
import { saveUpdate } from '../events/events.js';
import { invalidRequest, resourceMissing } from '../server/errors.js';
import { listPage, rangeFilters, type ListParams } from '../server/list.js';
import type { RequestContext, Route } from '../server/route.js';
import type { HttpWriteContext } from '../server/write-context.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';
import { searchRoute } from '../server/search.js';
import type { Charge } from './charge.js';
import { getObjectRow } from '../store/objects.js';

interface UpdateParams {
  customer?: string;
  description?: string;
  metadata?: Metadata | '';
  receipt_email?: string;
  transfer_group?: string;
  fraud_details?: { user_report: 'fraudulent' | 'safe' | '' } | '';
  shipping?: Charge['shipping'] | '';
}

const SEARCH_FIELDS = {
  amount: 'number',
  created: 'number',
  currency: 'string',
  customer: 'string',
  disputed: 'string',
  metadata: 'metadata',
  payment_intent: 'string',
  refunded: 'string',
  status: 'string',
} as const;

export async function loadChargeDoc(
  ctx: HttpWriteContext,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Charge> {
  const row = await getObjectRow(ctx.db, ctx.accountId, id, options);
  if (!row || row.type !== 'charge') throw resourceMissing('charge', id, 'charge');
  return JSON.parse(row.doc) as Charge;
}

export const chargeRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/charges/{charge}',
    async handler(ctx) {
      return loadChargeDoc(ctx, ctx.path.charge);
    },
  },
  {
    method: 'POST',
    path: '/v1/charges/{charge}',
    async handler(ctx: RequestContext<UpdateParams>) {
      const before = await loadChargeDoc(ctx, ctx.path.charge, { forUpdate: true });
      const p = ctx.params;
      const after: Charge = { ...before };
      if (p.customer !== undefined && p.customer !== before.customer) {
        // Stripe lets an update name the customer only of a charge that has none.
        if (before.customer)
          throw invalidRequest('The customer of a charge cannot be changed once it is set.', { param: 'customer' });
        const row = await getObjectRow(ctx.db, ctx.accountId, p.customer);
        if (!row || row.type !== 'customer' || row.deleted) throw resourceMissing('customer', p.customer, 'customer');
        after.customer = p.customer;
      }
      if (p.description !== undefined) after.description = p.description || null;
      if (p.metadata !== undefined) after.metadata = applyMetadata(before.metadata, p.metadata);
      if (p.receipt_email !== undefined) after.receipt_email = p.receipt_email || null;
      if (p.transfer_group !== undefined) after.transfer_group = p.transfer_group || null;
      if (p.fraud_details !== undefined) {
        after.fraud_details =
          p.fraud_details && p.fraud_details.user_report
            ? { ...before.fraud_details, user_report: p.fraud_details.user_report }
            : {};
      }
      if (p.shipping !== undefined) after.shipping = p.shipping || null;
      await saveUpdate(ctx, 'charge.updated', before, after);
      return after;
    },
  },
  {
    method: 'GET',
    path: '/v1/charges',
    async handler(
      ctx: RequestContext<ListParams & { customer?: string; payment_intent?: string; transfer_group?: string }>,
    ) {
      const filters = rangeFilters('created', ctx.params.created);
      for (const field of ['customer', 'payment_intent', 'transfer_group'] as const) {
        const value = ctx.params[field];
        if (value) filters.push({ field: `doc.${field}`, op: '=', value });
      }
      return listPage(ctx.db, {
        table: 'objects',
        accountId: ctx.accountId,
        type: 'charge',
        url: '/v1/charges',
        filters,
        params: ctx.params,
      });
    },
  },
  searchRoute({ resource: 'charges', type: 'charge', fields: SEARCH_FIELDS }),
];
