// /v1/webhook_endpoints. Stripe records no events about webhook endpoints.
import { findOperation } from '../openapi/operations.js';
import { invalidParam, resourceMissing } from '../server/errors.js';
import { newId } from '../server/ids.js';
import { listPage, type ListParams } from '../server/list.js';
import type { ParamSchema } from '../server/params.js';
import { RawJson, type RequestContext, type Route } from '../server/route.js';
import { checkApiVersion } from '../server/version.js';
import type { Queries } from '../store/store.js';
import {
  applyEndpointParams,
  deletedWebhookEndpoint,
  newSigningSecret,
  newWebhookEndpoint,
  type EndpointParams,
  type EndpointSecret,
  type WebhookEndpoint,
} from './webhook-endpoints.js';
import { getObjectRow, insertObject, markDeleted, saveObject } from '../store/objects.js';

/**
 * Stripe's parameters, except that `enabled_events` accepts only the types
 * Kassa emits (the params layer then answers Stripe's "Invalid
 * enabled_events[0]: must be one of ...") and `api_version` any version
 * Kassa accepts (checked here).
 */
function endpointParams(method: string, path: string, eventTypes: readonly string[]): ParamSchema {
  const base = findOperation(method, path)?.params;
  if (!base?.properties) throw new Error(`no OpenAPI operation ${method} ${path}`);
  const schema = structuredClone(base);
  const properties = schema.properties!;
  properties.enabled_events = { type: 'array', items: { type: 'string', enum: ['*', ...eventTypes] } };
  if (properties.api_version) properties.api_version = { type: 'string', maxLength: 5000 };
  return schema;
}

async function loadEndpoint(db: Queries, accountId: string, id: string, options: { forUpdate?: boolean } = {}) {
  const row = await getObjectRow(db, accountId, id, options);
  if (!row || row.type !== 'webhook_endpoint' || row.deleted)
    throw resourceMissing('webhook_endpoint', id, 'webhook_endpoint');
  return row;
}

function checkVersion(version: string | undefined): void {
  if (version === undefined) return;
  try {
    checkApiVersion(version);
  } catch {
    throw invalidParam(`Invalid api_version: ${version}`, 'api_version');
  }
}

/** The routes, with `enabled_events` limited to the app's event types. */
export const webhookEndpointRoutes = (eventTypes: readonly string[]): Route[] => [
  {
    method: 'POST',
    path: '/v1/webhook_endpoints',
    params: endpointParams('POST', '/v1/webhook_endpoints', eventTypes),
    async handler(ctx: RequestContext<EndpointParams>) {
      checkVersion(ctx.params.api_version);
      const endpoint = newWebhookEndpoint(newId('we'), ctx.params, ctx.now);
      const secret: EndpointSecret = { secret: newSigningSecret(), ...(ctx.params.connect ? { connect: true } : {}) };
      await insertObject(ctx.db, ctx.accountId, endpoint, secret);
      // The secret is shown here and never again.
      return { ...endpoint, secret: secret.secret };
    },
  },
  {
    method: 'GET',
    path: '/v1/webhook_endpoints/{webhook_endpoint}',
    async handler(ctx) {
      const row = await loadEndpoint(ctx.db, ctx.accountId, ctx.path.webhook_endpoint);
      return new RawJson(row.doc);
    },
  },
  {
    method: 'POST',
    path: '/v1/webhook_endpoints/{webhook_endpoint}',
    params: endpointParams('POST', '/v1/webhook_endpoints/{webhook_endpoint}', eventTypes),
    async handler(ctx: RequestContext<EndpointParams>) {
      const row = await loadEndpoint(ctx.db, ctx.accountId, ctx.path.webhook_endpoint, { forUpdate: true });
      const before = JSON.parse(row.doc) as WebhookEndpoint;
      const after = applyEndpointParams(before, ctx.params);
      if (JSON.stringify(after) !== row.doc) await saveObject(ctx.db, ctx.accountId, after);
      return after;
    },
  },
  {
    method: 'DELETE',
    path: '/v1/webhook_endpoints/{webhook_endpoint}',
    async handler(ctx) {
      const row = await loadEndpoint(ctx.db, ctx.accountId, ctx.path.webhook_endpoint, { forUpdate: true });
      const stub = deletedWebhookEndpoint(row.id);
      await markDeleted(ctx.db, ctx.accountId, stub);
      return stub;
    },
  },
  {
    method: 'GET',
    path: '/v1/webhook_endpoints',
    async handler(ctx: RequestContext<ListParams>) {
      return listPage(ctx.db, {
        table: 'objects',
        accountId: ctx.accountId,
        type: 'webhook_endpoint',
        url: '/v1/webhook_endpoints',
        filters: [],
        params: ctx.params,
      });
    },
  },
];
