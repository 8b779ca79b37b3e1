// /v1/refunds and a charge's `refunds` list (expand[]=refunds). Creating a
// refund is in refund-create.ts; what happens to it afterwards (settling,
// failing at the bank, canceled) in refund-lifecycle.ts.
import { listPage, rangeFilters, type ListParams } from '../server/list.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';
import type { IncludableField } from '../server/resources.js';
import type { RequestContext, Route } from '../server/route.js';
import type { Queries } from '../store/store.js';
import { assertCancelable, type Refund } from './refund.js';
import { createRefund, type CreateRefundParams } from './refund-create.js';
import { emitRefundUpdate, loadRefund, reverseRefund } from './refund-lifecycle.js';
import type { PaymentServices } from './services.js';
import { saveObject } from '../store/objects.js';

function refundsOfCharge(db: Queries, accountId: string, chargeId: string, params: ListParams = {}) {
  return listPage(db, {
    table: 'objects',
    accountId,
    type: 'refund',
    url: `/v1/charges/${chargeId}/refunds`,
    filters: [{ field: 'doc.charge', op: '=', value: chargeId }],
    params,
  });
}

/** Since API 2022-11-15 a charge's refunds are listed only on request. */
export const chargeRefundsField: IncludableField = {
  type: 'charge',
  field: 'refunds',
  build: (db, accountId, charge) => refundsOfCharge(db, accountId, charge.id),
};

export function refundRoutes(services: PaymentServices): Route[] {
  return [
    {
      method: 'POST',
      path: '/v1/refunds',
      async handler(ctx: RequestContext<CreateRefundParams>) {
        return createRefund(ctx, services);
      },
    },
    {
      method: 'GET',
      path: '/v1/refunds/{refund}',
      async handler(ctx) {
        return loadRefund(ctx, ctx.path.refund);
      },
    },
    {
      method: 'POST',
      path: '/v1/refunds/{refund}',
      async handler(ctx: RequestContext<{ metadata?: Metadata | '' }>) {
        const before = await loadRefund(ctx, ctx.path.refund, { forUpdate: true });
        const after: Refund = { ...before, metadata: applyMetadata(before.metadata ?? {}, ctx.params.metadata) };
        if (JSON.stringify(after.metadata) !== JSON.stringify(before.metadata)) {
          await saveObject(ctx.db, ctx.accountId, after);
          await emitRefundUpdate(ctx, before, after, ['refund.updated', 'charge.refund.updated']);
        }
        return after;
      },
    },
    {
      method: 'POST',
      path: '/v1/refunds/{refund}/cancel',
      async handler(ctx) {
        const refund = await loadRefund(ctx, ctx.path.refund);
        assertCancelable(refund);
        // Checked again under the lock: the refund may have moved on meanwhile.
        const reversed = (await reverseRefund(
          ctx,
          refund,
          'canceled',
          'merchant_request',
          (current) => (assertCancelable(current), true),
        ))!;
        await emitRefundUpdate(ctx, reversed.before, reversed.after, ['refund.updated', 'charge.refund.updated']);
        return reversed.after;
      },
    },
    {
      method: 'GET',
      path: '/v1/refunds',
      async handler(ctx: RequestContext<ListParams & { charge?: string; payment_intent?: string }>) {
        const filters = rangeFilters('created', ctx.params.created);
        for (const field of ['charge', 'payment_intent'] as const) {
          const value = ctx.params[field];
          if (value) filters.push({ field: `doc.${field}`, op: '=', value });
        }
        return listPage(ctx.db, {
          table: 'objects',
          accountId: ctx.accountId,
          type: 'refund',
          url: '/v1/refunds',
          filters,
          params: ctx.params,
        });
      },
    },
  ];
}
