// /v1/prices: thin handlers over the price rules. Prices are never deleted
// through the API (a plan's deletion deletes its price: plans-routes.ts).
import { invalidParam } from '../server/errors.js';
import { newId } from '../server/ids.js';
import { rangeFilters, type ListParams } from '../server/list.js';
import type { IncludableField } from '../server/resources.js';
import type { RequestContext, Route } from '../server/route.js';
import { searchRoute } from '../server/search.js';
import {
  booleanFilter,
  claimLookupKey,
  insertPrice,
  listOf,
  loadPrice,
  loadProduct,
  type NewProductData,
  priceExtras,
  productFor,
  savePrice,
} from './catalog.js';
import {
  applyPriceUpdate,
  expandedCurrencyOptions,
  newPrice,
  type Price,
  type PriceParams,
  type PriceUpdateParams,
} from './price.js';

interface CreateParams extends PriceParams {
  product?: string;
  product_data?: NewProductData;
  transfer_lookup_key?: boolean;
}

interface UpdateParams extends PriceUpdateParams {
  transfer_lookup_key?: boolean;
}

interface PriceListParams extends ListParams {
  active?: boolean;
  currency?: string;
  lookup_keys?: string[];
  product?: string;
  recurring?: { interval?: string; usage_type?: string };
  type?: 'one_time' | 'recurring';
}

const SEARCH_FIELDS = {
  active: 'string',
  created: 'number',
  currency: 'string',
  lookup_key: 'string',
  metadata: 'metadata',
  product: 'string',
  type: 'string',
} as const;

/** A price's and a plan's fields that appear only when expanded. */
export const priceIncludables: IncludableField[] = [
  {
    type: 'price',
    field: 'tiers',
    build: async (db, accountId, price) => (await priceExtras(db, accountId, price.id)).tiers,
  },
  {
    type: 'price',
    field: 'currency_options',
    build: async (db, accountId, price) =>
      expandedCurrencyOptions(price as Price, await priceExtras(db, accountId, price.id)),
  },
  {
    type: 'plan',
    field: 'tiers',
    build: async (db, accountId, plan) => (await priceExtras(db, accountId, plan.id)).tiers,
  },
];

export const priceRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/prices',
    async handler(ctx: RequestContext<CreateParams>) {
      const { product: _product, product_data: _data, transfer_lookup_key: transfer, ...params } = ctx.params;
      if (ctx.params.product !== undefined && ctx.params.product_data !== undefined) {
        throw invalidParam('You may only specify one of these parameters: product, product_data.', 'product_data');
      }
      const product = await productFor(ctx, ctx.params.product ?? ctx.params.product_data, 'product_data');
      const created = newPrice(newId('price'), product.id, params, ctx.now);
      await claimLookupKey(ctx, created.price.lookup_key, created.price.id, transfer);
      await product.make?.();
      await insertPrice(ctx, 'price', created);
      return created.price;
    },
  },
  {
    method: 'GET',
    path: '/v1/prices/{price}',
    async handler(ctx) {
      return (await loadPrice(ctx.db, ctx.accountId, ctx.path.price)).price;
    },
  },
  {
    method: 'POST',
    path: '/v1/prices/{price}',
    async handler(ctx: RequestContext<UpdateParams>) {
      const before = await loadPrice(ctx.db, ctx.accountId, ctx.path.price, { forUpdate: true });
      const { transfer_lookup_key: transfer, ...params } = ctx.params;
      const after = applyPriceUpdate(before.price, before.extras, params);
      if (before.price.active && !after.price.active) {
        const product = await loadProduct(ctx.db, ctx.accountId, before.price.product as string, 'product');
        if (product.default_price === before.price.id) {
          throw invalidParam(
            `This price cannot be archived because it is the default price of its product (\`${product.id}\`). Set another default price on the product first.`,
            'active',
          );
        }
      }
      if (after.price.lookup_key !== before.price.lookup_key) {
        await claimLookupKey(ctx, after.price.lookup_key, after.price.id, transfer);
      }
      await savePrice(ctx, 'price', before, after);
      return after.price;
    },
  },
  {
    method: 'GET',
    path: '/v1/prices',
    async handler(ctx: RequestContext<PriceListParams>) {
      const { params } = ctx;
      const url = '/v1/prices';
      if (params.lookup_keys?.length === 0) return { object: 'list', data: [], has_more: false, url };
      const filters = [
        ...rangeFilters('created', params.created),
        ...booleanFilter(ctx.db, 'doc.active', params.active),
      ];
      if (params.currency) filters.push({ field: 'doc.currency', op: '=', value: params.currency.toLowerCase() });
      if (params.product) filters.push({ field: 'doc.product', op: '=', value: params.product });
      if (params.type) filters.push({ field: 'doc.type', op: '=', value: params.type });
      if (params.lookup_keys) filters.push({ field: 'doc.lookup_key', op: 'in', value: params.lookup_keys });
      if (params.recurring?.interval) {
        filters.push({ field: 'doc.recurring.interval', op: '=', value: params.recurring.interval });
      }
      if (params.recurring?.usage_type) {
        filters.push({ field: 'doc.recurring.usage_type', op: '=', value: params.recurring.usage_type });
      }
      return listOf<Price>(ctx, { kind: 'price', type: 'price', url, filters, params, view: (price) => price });
    },
  },
  searchRoute({ resource: 'prices', type: 'price', fields: SEARCH_FIELDS }),
];
