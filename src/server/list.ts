// Stripe's list envelope and cursor pagination, for every list endpoint.
import type { Filter, Queries } from '../store/store.js';
import { invalidParam, invalidRequest } from './errors.js';
import type { ApiObject } from './resources.js';

export interface ListParams {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
  created?: number | RangeParam;
}

export interface RangeParam {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export interface ListEnvelope {
  object: 'list';
  data: ApiObject[];
  has_more: boolean;
  url: string;
}

export function listLimit(limit: number | '' | undefined, param = 'limit'): number {
  if (limit === undefined || limit === '') return 10;
  if (limit < 1 || limit > 100) {
    throw invalidParam(`Invalid ${param}: must be between 1 and 100`, param);
  }
  return limit;
}

/** `created=123` or `created[gte]=...`, as filters on a column. */
export function rangeFilters(field: string, value: number | RangeParam | '' | undefined): Filter[] {
  if (value === undefined || value === '') return [];
  if (typeof value === 'number') return [{ field, op: '=', value }];
  const ops = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
  return (Object.keys(ops) as Array<keyof typeof ops>)
    .filter((k) => typeof value[k] === 'number')
    .map((k) => ({ field, op: ops[k], value: value[k] }));
}

/** What a page of any table needs: where a cursor id sits, and rows newest first (up to `limit + 1`) around it. */
export interface SeqSource<Row> {
  /** Name in the "No such …" error for an unknown cursor. */
  kind: string;
  seqOf(id: string): Promise<number | undefined>;
  fetch(range: { limit: number; startingAfter?: number; endingBefore?: number }): Promise<Row[]>;
}

/** Stripe's cursor pagination over rows ordered by an internal sequence number: the rows of the page, newest first, and `has_more`. */
export async function pageBySeq<Row>(
  params: ListParams,
  source: SeqSource<Row>,
): Promise<{ rows: Row[]; hasMore: boolean }> {
  if (params.starting_after && params.ending_before) {
    throw invalidParam('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before');
  }
  const limit = listLimit(params.limit);
  const cursorParam = params.starting_after ? 'starting_after' : params.ending_before ? 'ending_before' : undefined;
  let cursor: number | undefined;
  if (cursorParam) {
    const cursorId = params[cursorParam] as string;
    cursor = await source.seqOf(cursorId);
    if (cursor === undefined) {
      throw invalidRequest(`No such ${source.kind}: '${cursorId}'`, {
        param: cursorParam,
        code: 'resource_missing',
        status: 404,
      });
    }
  }
  const rows = await source.fetch({
    limit,
    startingAfter: cursorParam === 'starting_after' ? cursor : undefined,
    endingBefore: cursorParam === 'ending_before' ? cursor : undefined,
  });
  const page = rows.slice(0, limit);
  // ending_before walks towards newer rows; the page is still shown newest first.
  if (cursorParam === 'ending_before') page.reverse();
  return { rows: page, hasMore: rows.length > limit };
}

export async function listPage(
  db: Queries,
  options: {
    table: 'objects' | 'events';
    accountId: string;
    type?: string;
    url: string;
    filters: Filter[];
    params: ListParams;
  },
): Promise<ListEnvelope> {
  const { rows, hasMore } = await pageBySeq(options.params, {
    kind: options.type ?? 'event',
    seqOf: (id) => db.seqOf(options.table, options.accountId, id, options.type),
    fetch: (range) =>
      db.list({
        table: options.table,
        accountId: options.accountId,
        type: options.type,
        filters: options.filters,
        ...range,
      }),
  });
  return {
    object: 'list',
    data: rows.map((row) => JSON.parse(row.doc) as ApiObject),
    has_more: hasMore,
    url: options.url,
  };
}
