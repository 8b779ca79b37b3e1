// The catalog's stored objects, shared by the product, price and plan routes:
// loading them, storing a new or changed price with its events (a recurring
// price is also a plan: its changes are told as both), lookup keys, and the
// page of a list whose cursor names a plan or price.
import { previousAttributes } from '../events/events.js';
import { invalidParam, invalidRequest, resourceMissing } from '../server/errors.js';
import { newId } from '../server/ids.js';
import { pageBySeq, type ListParams } from '../server/list.js';
import type { ApiObject } from '../server/resources.js';
import type { RequestContext } from '../server/route.js';
import { docBoolean } from '../store/dialect.js';
import { lockName } from '../store/named-locks.js';
import { getObjectRow, insertObject, objectIdTaken, saveObject } from '../store/objects.js';
import type { Filter, Queries, StoredRow } from '../store/store.js';
import { isPlan, planOf } from './plan.js';
import { expandedCurrencyOptions, type Price, type PriceExtras } from './price.js';
import { newProduct, type Product, type ProductParams } from './product.js';

/** Which face of a price a route shows: its events of that kind come first. */
export type Face = 'price' | 'plan';

type Ctx = RequestContext<unknown>;

/** The account's live product `id`; a missing or deleted one is "No such product", naming `param`. */
export async function loadProduct(
  db: Queries,
  accountId: string,
  id: string,
  param: string,
  options: { forUpdate?: boolean } = {},
): Promise<Product> {
  const row = await getObjectRow(db, accountId, id, options);
  if (!row || row.type !== 'product' || row.deleted) throw resourceMissing('product', id, param);
  return JSON.parse(row.doc) as Product;
}

/** Stripe's product ids: `prod_` and 14 characters. */
export const PRODUCT_ID_LENGTH = 14;

/** A product made inline with a price (`product_data`) or a plan (`product[...]`). */
export type NewProductData = ProductParams & { id?: string; name: string };

/**
 * The product a new price or plan names (locked, so that it is not deleted
 * meanwhile), or the one it makes from inline data (`dataParam`): made when
 * `make` runs, once the price has been checked.
 */
export async function productFor(
  ctx: Ctx,
  given: string | NewProductData | undefined,
  dataParam: string,
): Promise<{ id: string; make?: () => Promise<void> }> {
  if (given === undefined) throw invalidParam('Missing required param: product.', 'product', 'parameter_missing');
  if (typeof given === 'string') {
    return { id: (await loadProduct(ctx.db, ctx.accountId, given, 'product', { forUpdate: true })).id };
  }
  const { id: givenId, ...params } = given;
  if (givenId !== undefined) await checkNewId(ctx.db, givenId, 'Product', `${dataParam}[id]`);
  const made = newProduct(givenId ?? newId('prod', PRODUCT_ID_LENGTH), params, ctx.now);
  return {
    id: made.id,
    make: async () => {
      await insertObject(ctx.db, ctx.accountId, made);
      await ctx.emit('product.created', made);
    },
  };
}

export interface LoadedPrice {
  price: Price;
  extras: PriceExtras;
}

/** The account's live price `id` with its extras; `kind` names what is missing (`plan` for a plan route, which sees only recurring prices). */
export async function loadPrice(
  db: Queries,
  accountId: string,
  id: string,
  options: { kind?: Face; param?: string; forUpdate?: boolean } = {},
): Promise<LoadedPrice> {
  const kind = options.kind ?? 'price';
  const row = await getObjectRow(db, accountId, id, options);
  const found = row && row.type === 'price' && !row.deleted ? priceOfRow(row) : undefined;
  if (!found || (kind === 'plan' && !isPlan(found.price))) throw resourceMissing(kind, id, options.param ?? kind);
  return found;
}

function priceOfRow(row: StoredRow): LoadedPrice {
  return {
    price: JSON.parse(row.doc) as Price,
    extras: row.private ? (JSON.parse(row.private) as PriceExtras) : {},
  };
}

/** What a price keeps beside its document, for its expand-only fields. */
export async function priceExtras(db: Queries, accountId: string, id: string): Promise<PriceExtras> {
  const row = await getObjectRow(db, accountId, id);
  return row?.private ? (JSON.parse(row.private) as PriceExtras) : {};
}

/** Refuses an `id` the caller chose that is taken: ids are unique across the objects table. */
export async function checkNewId(db: Queries, id: string, kind: string, param: string): Promise<void> {
  if (id === '' || id.length > 255 || /[\s/?#%\\]/.test(id)) {
    throw invalidParam(`Invalid ${param}: an id is 1 to 255 characters, without spaces or any of / ? # % \\.`, param);
  }
  if (await objectIdTaken(db, id)) {
    throw invalidRequest(`${kind} already exists.`, { param, code: 'resource_already_exists' });
  }
}

/** Whether the product has any price (active or archived) that is not deleted. */
export async function productHasPrices(db: Queries, accountId: string, productId: string): Promise<boolean> {
  const rows = await db.list({
    table: 'objects',
    accountId,
    type: 'price',
    filters: [{ field: 'doc.product', op: '=', value: productId }],
    limit: 0,
  });
  return rows.length > 0;
}

/**
 * Gives `lookupKey` to the price `forPriceId`: when another price of the
 * account has it, `transfer` moves it from that price (which records
 * `price.updated`); without `transfer` the key is refused, naming `lookup_key`.
 */
export async function claimLookupKey(
  ctx: Ctx,
  lookupKey: string | null,
  forPriceId: string,
  transfer: boolean | undefined,
): Promise<void> {
  if (!lookupKey) return;
  // Two writes claiming one key at once take turns: the second sees the first's price.
  await lockName(ctx.db, `lookup_key\n${ctx.accountId}\n${lookupKey}`);
  const rows = await ctx.db.list({
    table: 'objects',
    accountId: ctx.accountId,
    type: 'price',
    filters: [{ field: 'doc.lookup_key', op: '=', value: lookupKey }],
    limit: 0,
  });
  const holder = rows[0];
  if (!holder || holder.id === forPriceId) return;
  if (!transfer) {
    throw invalidParam(
      `A price (\`${holder.id}\`) already uses that lookup key. Pass transfer_lookup_key=true to move it to this price.`,
      'lookup_key',
    );
  }
  const held = await loadPrice(ctx.db, ctx.accountId, holder.id, { forUpdate: true });
  await savePrice(ctx, 'price', held, { price: { ...held.price, lookup_key: null }, extras: held.extras });
}

/** Stores a new price and records its creation: `price.created`, and `plan.created` when it is recurring, `face`'s first. */
export async function insertPrice(ctx: Ctx, face: Face, { price, extras }: LoadedPrice): Promise<void> {
  await insertObject(ctx.db, ctx.accountId, price, extras);
  for (const kind of faces(face, price)) {
    await ctx.emit(`${kind}.created`, kind === 'plan' ? planOf(price) : price);
  }
}

/**
 * Stores a price's new state and records what changed: `price.updated` with
 * its previous attributes, and `plan.updated` when the plan view changed too
 * (a lookup key or tax behavior is no part of a plan). Nothing changed: nothing written.
 */
export async function savePrice(ctx: Ctx, face: Face, before: LoadedPrice, after: LoadedPrice): Promise<void> {
  const changes: Array<[Face, ApiObject, Record<string, unknown>]> = [];
  // Currency options are kept beside the document (they show only when expanded), but they are the price's too.
  const optionsChanged =
    JSON.stringify(before.extras.currency_options) !== JSON.stringify(after.extras.currency_options);
  for (const kind of faces(face, after.price)) {
    const [old, now] = kind === 'plan' ? [planOf(before.price), planOf(after.price)] : [before.price, after.price];
    const previous = previousAttributes(old, now);
    if (kind === 'price' && optionsChanged)
      previous.currency_options = expandedCurrencyOptions(before.price, before.extras);
    if (Object.keys(previous).length > 0) changes.push([kind, now, previous]);
  }
  const extrasChanged = JSON.stringify(before.extras) !== JSON.stringify(after.extras);
  if (changes.length === 0 && !extrasChanged) return;
  await saveObject(ctx.db, ctx.accountId, after.price, after.extras);
  for (const [kind, object, previous] of changes) await ctx.emit(`${kind}.updated`, object, previous);
}

/** The kinds of event a change to `price` records, `face`'s first: a one-time price is no plan. */
export function faces(face: Face, price: Price): Face[] {
  if (!isPlan(price)) return ['price'];
  return face === 'plan' ? ['plan', 'price'] : ['price', 'plan'];
}

/** A boolean list filter on a document field. */
export function booleanFilter(db: Queries, field: string, value: boolean | '' | undefined): Filter[] {
  return typeof value === 'boolean' ? [{ field, op: '=', value: docBoolean(db.dialect, value) }] : [];
}

/** A page of the account's objects of `type`, shown through `view`; an unknown cursor is "No such `kind`". */
export async function listOf<T extends ApiObject>(
  ctx: Ctx,
  options: {
    kind: string;
    type: string;
    url: string;
    filters: Filter[];
    params: ListParams;
    view: (doc: T) => ApiObject;
  },
) {
  const { db, accountId } = ctx;
  const { rows, hasMore } = await pageBySeq(options.params, {
    kind: options.kind,
    seqOf: (id) => db.seqOf('objects', accountId, id, options.type),
    fetch: (range) => db.list({ table: 'objects', accountId, type: options.type, filters: options.filters, ...range }),
  });
  return {
    object: 'list' as const,
    data: rows.map((row) => options.view(JSON.parse(row.doc) as T)),
    has_more: hasMore,
    url: options.url,
  };
}
