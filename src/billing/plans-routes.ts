// /v1/plans: the legacy face of recurring prices. A plan is stored as its
// price (one object, type `price`) and shown through planOf; a plan's changes
// are told as `plan.*` then `price.*` events, and its deletion deletes the price.
import { newId } from '../server/ids.js';
import { rangeFilters, type ListParams } from '../server/list.js';
import type { RequestContext, Route } from '../server/route.js';
import { markDeleted } from '../store/objects.js';
import {
  booleanFilter,
  checkNewId,
  faces,
  insertPrice,
  listOf,
  loadPrice,
  loadProduct,
  type NewProductData,
  productFor,
  savePrice,
} from './catalog.js';
import {
  applyPlanUpdate,
  deletedPlan,
  deletedPrice,
  PLAN_PARAMS,
  planOf,
  priceParamsOfPlan,
  type PlanParams,
  type PlanUpdateParams,
} from './plan.js';
import { newPrice, type Price } from './price.js';

interface CreateParams extends PlanParams {
  id?: string;
  product?: string | NewProductData;
}

export const planRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/plans',
    async handler(ctx: RequestContext<CreateParams>) {
      const { id: givenId, product: _product, ...params } = ctx.params;
      if (givenId !== undefined) await checkNewId(ctx.db, givenId, 'Plan', 'id');
      const product = await productFor(ctx, ctx.params.product, 'product');
      // Plans made without an id get a price's, as Stripe's now do.
      const created = newPrice(givenId ?? newId('price'), product.id, priceParamsOfPlan(params), ctx.now, PLAN_PARAMS);
      await product.make?.();
      await insertPrice(ctx, 'plan', created);
      return planOf(created.price);
    },
  },
  {
    method: 'GET',
    path: '/v1/plans/{plan}',
    async handler(ctx) {
      return planOf((await loadPrice(ctx.db, ctx.accountId, ctx.path.plan, { kind: 'plan' })).price);
    },
  },
  {
    method: 'POST',
    path: '/v1/plans/{plan}',
    async handler(ctx: RequestContext<PlanUpdateParams>) {
      const before = await loadPrice(ctx.db, ctx.accountId, ctx.path.plan, { kind: 'plan', forUpdate: true });
      if (ctx.params.product !== undefined && ctx.params.product !== before.price.product) {
        await loadProduct(ctx.db, ctx.accountId, ctx.params.product, 'product', { forUpdate: true });
      }
      const after = { price: applyPlanUpdate(before.price, ctx.params), extras: before.extras };
      await savePrice(ctx, 'plan', before, after);
      return planOf(after.price);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/plans/{plan}',
    async handler(ctx) {
      const { price } = await loadPrice(ctx.db, ctx.accountId, ctx.path.plan, { kind: 'plan', forUpdate: true });
      await markDeleted(ctx.db, ctx.accountId, deletedPrice(price.id));
      for (const kind of faces('plan', price))
        await ctx.emit(`${kind}.deleted`, kind === 'plan' ? planOf(price) : price);
      return deletedPlan(price.id);
    },
  },
  {
    method: 'GET',
    path: '/v1/plans',
    async handler(ctx: RequestContext<ListParams & { active?: boolean; product?: string }>) {
      const { params } = ctx;
      const filters = [
        { field: 'doc.type', op: '=' as const, value: 'recurring' },
        ...rangeFilters('created', params.created),
        ...booleanFilter(ctx.db, 'doc.active', params.active),
      ];
      if (params.product) filters.push({ field: 'doc.product', op: '=', value: params.product });
      return listOf<Price>(ctx, { kind: 'plan', type: 'price', url: '/v1/plans', filters, params, view: planOf });
    },
  },
];
