// /v1/events: the account's events, newest first.
import { resourceMissing } from '../server/errors.js';
import { listPage, rangeFilters, type ListParams } from '../server/list.js';
import { RawJson, type RequestContext, type Route } from '../server/route.js';
import type { Filter } from '../store/store.js';
import { getEvent } from './event-store.js';

interface EventListParams extends ListParams {
  type?: string;
  types?: string[];
  delivery_success?: boolean;
}

export const eventRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/events/{id}',
    async handler(ctx) {
      const row = await getEvent(ctx.db, ctx.accountId, ctx.path.id);
      if (!row) throw resourceMissing('event', ctx.path.id);
      return new RawJson(row.doc);
    },
  },
  {
    method: 'GET',
    path: '/v1/events',
    async handler(ctx: RequestContext<EventListParams>) {
      const filters: Filter[] = rangeFilters('created', ctx.params.created);
      const { type, types } = ctx.params;
      if (type) {
        // `type` takes a `*` wildcard: `customer.*`.
        filters.push({ field: 'type', op: type.includes('*') ? 'glob' : '=', value: type });
      }
      if (types?.length) filters.push({ field: 'type', op: 'in', value: types });
      return listPage(ctx.db, {
        table: 'events',
        accountId: ctx.accountId,
        url: '/v1/events',
        filters,
        params: ctx.params,
      });
    },
  },
];
