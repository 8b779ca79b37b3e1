// /v1/products: thin handlers over the product rules.
import { saveUpdate } from '../events/events.js';
import { invalidParam, invalidRequest, resourceMissing } from '../server/errors.js';
import { newId } from '../server/ids.js';
import { rangeFilters, type ListParams } from '../server/list.js';
import { RawJson, type RequestContext, type Route } from '../server/route.js';
import { searchRoute } from '../server/search.js';
import { getObjectRow, insertObject, markDeleted } from '../store/objects.js';
import {
  booleanFilter,
  checkNewId,
  insertPrice,
  listOf,
  loadPrice,
  PRODUCT_ID_LENGTH,
  productHasPrices,
} from './catalog.js';
import { nestedParams, newPrice, type PriceParams } from './price.js';
import { applyProductParams, deletedProduct, newProduct, type Product, type ProductParams } from './product.js';

interface CreateParams extends ProductParams {
  id?: string;
  name: string;
  default_price_data?: Omit<PriceParams, 'recurring'> & {
    recurring?: { interval: 'day' | 'week' | 'month' | 'year'; interval_count?: number };
  };
}

interface UpdateParams extends ProductParams {
  default_price?: string;
}

/** Stripe's product ids are `prod_` and 14 characters. */
const SEARCH_FIELDS = {
  active: 'string',
  created: 'number',
  description: 'string',
  metadata: 'metadata',
  name: 'string',
  shippable: 'string',
  url: 'string',
} as const;

/** The account's product `id` as stored (deleted ones too), or "No such product". */
async function productRow(ctx: RequestContext<unknown>, id: string, options: { forUpdate?: boolean } = {}) {
  const row = await getObjectRow(ctx.db, ctx.accountId, id, options);
  if (!row || row.type !== 'product' || row.deleted) throw resourceMissing('product', id);
  return row;
}

export const productRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/products',
    async handler(ctx: RequestContext<CreateParams>) {
      const { id: givenId, default_price_data: priceData, ...params } = ctx.params;
      if (givenId !== undefined) await checkNewId(ctx.db, givenId, 'Product', 'id');
      const id = givenId ?? newId('prod', PRODUCT_ID_LENGTH);
      let product = newProduct(id, params, ctx.now);
      const price = priceData
        ? newPrice(newId('price'), id, priceData, ctx.now, nestedParams('default_price_data'))
        : undefined;
      if (price) product = { ...product, default_price: price.price.id };
      await insertObject(ctx.db, ctx.accountId, product);
      await ctx.emit('product.created', product);
      if (price) await insertPrice(ctx, 'price', price);
      return product;
    },
  },
  {
    method: 'GET',
    path: '/v1/products/{id}',
    async handler(ctx) {
      return new RawJson((await productRow(ctx, ctx.path.id)).doc);
    },
  },
  {
    method: 'POST',
    path: '/v1/products/{id}',
    async handler(ctx: RequestContext<UpdateParams>) {
      const before = JSON.parse((await productRow(ctx, ctx.path.id, { forUpdate: true })).doc) as Product;
      const { default_price: defaultPrice, ...params } = ctx.params;
      let after = applyProductParams(before, params, ctx.now);
      if (defaultPrice !== undefined && defaultPrice !== before.default_price) {
        if (defaultPrice === '') {
          throw invalidParam(
            "You passed an empty string for 'default_price'; a product's default price can be replaced but not unset.",
            'default_price',
            'parameter_invalid_empty',
          );
        }
        const { price } = await loadPrice(ctx.db, ctx.accountId, defaultPrice, { param: 'default_price' });
        if (price.product !== before.id) {
          throw invalidParam(
            `The price \`${price.id}\` belongs to another product; a product's default price must be one of its own prices.`,
            'default_price',
          );
        }
        if (!price.active) {
          throw invalidParam(`The price \`${price.id}\` is archived and cannot be the default price.`, 'default_price');
        }
        after = { ...after, default_price: price.id, updated: ctx.now };
      }
      await saveUpdate(ctx, 'product.updated', before, after);
      return after;
    },
  },
  {
    method: 'DELETE',
    path: '/v1/products/{id}',
    async handler(ctx) {
      const row = await productRow(ctx, ctx.path.id, { forUpdate: true });
      if (await productHasPrices(ctx.db, ctx.accountId, row.id)) {
        throw invalidRequest('This product cannot be deleted because it has one or more user-created prices.');
      }
      const stub = deletedProduct(row.id);
      await markDeleted(ctx.db, ctx.accountId, stub);
      await ctx.emit('product.deleted', JSON.parse(row.doc));
      return stub;
    },
  },
  {
    method: 'GET',
    path: '/v1/products',
    async handler(
      ctx: RequestContext<ListParams & { active?: boolean; ids?: string[]; shippable?: boolean; url?: string }>,
    ) {
      const { params } = ctx;
      const filters = [
        ...rangeFilters('created', params.created),
        ...booleanFilter(ctx.db, 'doc.active', params.active),
        ...booleanFilter(ctx.db, 'doc.shippable', params.shippable),
      ];
      if (params.ids?.length === 0) return { object: 'list', data: [], has_more: false, url: '/v1/products' };
      if (params.ids !== undefined) filters.push({ field: 'id', op: 'in', value: params.ids });
      if (params.url) filters.push({ field: 'doc.url', op: '=', value: params.url });
      return listOf<Product>(ctx, {
        kind: 'product',
        type: 'product',
        url: '/v1/products',
        filters,
        params,
        view: (product) => product,
      });
    },
  },
  searchRoute({ resource: 'products', type: 'product', fields: SEARCH_FIELDS }),
];
