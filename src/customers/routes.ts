// /v1/customers: thin handlers over the customer rules.
import type Stripe from 'stripe';
import type { Queries } from '../store/store.js';
import { saveUpdate } from '../events/events.js';
import { resourceMissing } from '../server/errors.js';
import { newId } from '../server/ids.js';
import { listPage, rangeFilters, type ListParams } from '../server/list.js';
import type { ApiObject, IncludableField, PreparedHooks, WriteHooks } from '../server/resources.js';
import { RawJson, type RequestContext, type Route } from '../server/route.js';
import { searchRoute } from '../server/search.js';
import { applyCustomerParams, deletedCustomer, newCustomer, type Customer, type CustomerParams } from './customer.js';
import {
  applyExtras,
  cashBalance,
  customerTax,
  newTaxId,
  type CustomerSecret,
  type ExtrasParams,
} from './customer-extras.js';
import { getObjectRow, insertObject, markDeleted, saveObject } from '../store/objects.js';

interface CreateParams extends CustomerParams, ExtrasParams {
  payment_method?: string;
  source?: string;
  test_clock?: string;
  coupon?: string;
  promotion_code?: string;
  tax_id_data?: Array<{ type: string; value: string }>;
}

/** Stripe's customer ids are shorter than most: `cus_` and 14 characters. */
const CUSTOMER_ID_LENGTH = 14;

const SEARCH_FIELDS = {
  created: 'number',
  email: 'string',
  metadata: 'metadata',
  name: 'string',
  phone: 'string',
} as const;

async function loadCustomer(db: Queries, accountId: string, id: string, options: { forUpdate?: boolean } = {}) {
  const row = await getObjectRow(db, accountId, id, options);
  if (!row || row.type !== 'customer') throw resourceMissing('customer', id);
  return row;
}

/**
 * Objects that customers can point at and that Kassa does not have yet cannot
 * be found. (Payment methods are the payments capability's, through its write hooks.)
 */
async function checkReferences(ctx: RequestContext<CreateParams>): Promise<void> {
  const refs: Array<[string, string | undefined, string]> = [
    ['source', ctx.params.source, 'source'],
    ['test_clock', ctx.params.test_clock, 'test_clock'],
    ['coupon', ctx.params.coupon, 'coupon'],
    ['promotion_code', ctx.params.promotion_code, 'promotion code'],
  ];
  for (const [param, id, kind] of refs) {
    if (!id) continue;
    const row = await getObjectRow(ctx.db, ctx.accountId, id);
    if (!row || row.deleted) throw resourceMissing(kind, id, param);
  }
}

async function emptyList(
  _db: Queries,
  _accountId: string,
  customer: ApiObject,
  field: string,
): Promise<Stripe.ApiList<never>> {
  return { object: 'list', data: [], has_more: false, url: `/v1/customers/${customer.id}/${field}` };
}

async function secretOf(db: Queries, accountId: string, id: string): Promise<CustomerSecret> {
  const row = await getObjectRow(db, accountId, id);
  return row?.private ? (JSON.parse(row.private) as CustomerSecret) : {};
}

/** A customer's fields that appear only when expanded. Kassa has no sources or subscriptions yet: their lists are empty. */
export const customerIncludables: IncludableField[] = [
  ...['sources', 'subscriptions'].map((field) => ({
    type: 'customer',
    field,
    build: (db: Queries, accountId: string, customer: ApiObject) => emptyList(db, accountId, customer, field),
  })),
  {
    type: 'customer',
    field: 'tax_ids',
    build: (db, accountId, customer) =>
      listPage(db, {
        table: 'objects',
        accountId,
        type: 'tax_id',
        url: `/v1/customers/${customer.id}/tax_ids`,
        filters: [{ field: 'doc.customer', op: '=', value: customer.id }],
        params: { limit: 100 },
      }),
  },
  {
    type: 'customer',
    field: 'tax',
    build: async (db, accountId, customer) =>
      customerTax(customer as Customer, await secretOf(db, accountId, customer.id)),
  },
  {
    type: 'customer',
    field: 'cash_balance',
    build: async (db, accountId, customer) =>
      cashBalance(customer as Customer, await secretOf(db, accountId, customer.id)),
  },
];

/** The routes; creating, updating and deleting a customer runs the app's `customer.*` write hooks. */
export const customerRoutes = (writeHooks: WriteHooks): Route[] => [
  {
    method: 'POST',
    path: '/v1/customers',
    prepare: (ctx) => writeHooks.prepare('customer.create', ctx),
    async handler(ctx: RequestContext<CreateParams>) {
      await checkReferences(ctx);
      const { object: customer, afterStore } = await writeHooks.run(
        'customer.create',
        ctx,
        newCustomer(newId('cus', CUSTOMER_ID_LENGTH), ctx.params, ctx.now),
        ctx.params,
        ctx.prepared as PreparedHooks,
      );
      await insertObject(ctx.db, ctx.accountId, customer, applyExtras({}, ctx.params));
      await ctx.emit('customer.created', customer);
      for (const data of ctx.params.tax_id_data ?? []) {
        const taxId = newTaxId(newId('txi'), customer.id, data, ctx.now);
        await insertObject(ctx.db, ctx.accountId, taxId);
        await ctx.emit('customer.tax_id.created', taxId);
      }
      await afterStore();
      return customer;
    },
  },
  {
    method: 'GET',
    path: '/v1/customers/{customer}',
    async handler(ctx) {
      const row = await loadCustomer(ctx.db, ctx.accountId, ctx.path.customer);
      return new RawJson(row.doc);
    },
  },
  {
    method: 'POST',
    path: '/v1/customers/{customer}',
    async handler(ctx: RequestContext<CreateParams>) {
      const row = await loadCustomer(ctx.db, ctx.accountId, ctx.path.customer, { forUpdate: true });
      if (row.deleted) throw resourceMissing('customer', ctx.path.customer);
      await checkReferences(ctx);
      const before = JSON.parse(row.doc) as Customer;
      const { object: after } = await writeHooks.run(
        'customer.update',
        ctx,
        applyCustomerParams(before, ctx.params),
        ctx.params,
      );
      const secret = applyExtras(row.private ? (JSON.parse(row.private) as CustomerSecret) : {}, ctx.params);
      const changed = await saveUpdate(ctx, 'customer.updated', before, after, secret);
      if (!changed && JSON.stringify(secret) !== (row.private ?? '{}'))
        await saveObject(ctx.db, ctx.accountId, after, secret);
      return after;
    },
  },
  {
    method: 'DELETE',
    path: '/v1/customers/{customer}',
    async handler(ctx) {
      const row = await loadCustomer(ctx.db, ctx.accountId, ctx.path.customer, { forUpdate: true });
      if (row.deleted) throw resourceMissing('customer', ctx.path.customer);
      const { object: stub, afterStore } = await writeHooks.run(
        'customer.delete',
        ctx,
        deletedCustomer(row.id),
        ctx.params,
      );
      await markDeleted(ctx.db, ctx.accountId, stub);
      await ctx.emit('customer.deleted', JSON.parse(row.doc));
      await afterStore();
      return stub;
    },
  },
  {
    method: 'GET',
    path: '/v1/customers',
    async handler(ctx: RequestContext<ListParams & { email?: string; test_clock?: string }>) {
      const filters = rangeFilters('created', ctx.params.created);
      if (ctx.params.email) filters.push({ field: 'doc.email', op: '=', value: ctx.params.email });
      if (ctx.params.test_clock) filters.push({ field: 'doc.test_clock', op: '=', value: ctx.params.test_clock });
      return listPage(ctx.db, {
        table: 'objects',
        accountId: ctx.accountId,
        type: 'customer',
        url: '/v1/customers',
        filters,
        params: ctx.params,
      });
    },
  },
  searchRoute({ resource: 'customers', type: 'customer', fields: SEARCH_FIELDS }),
];
