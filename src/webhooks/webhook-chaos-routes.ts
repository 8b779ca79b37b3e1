// Kassa's chaos mode API (not in Stripe's): read, set and turn off an
// endpoint's chaos settings at /v1/kassa/webhook_endpoints/{id}/chaos. See
// webhook-chaos.ts and docs/webhooks.md.
import { resourceMissing } from '../server/errors.js';
import type { ParamSchema } from '../server/params.js';
import { RawJson, type RequestContext, type Route } from '../server/route.js';
import type { Queries } from '../store/store.js';
import { applyChaosParams, chaosObject, type ChaosParams } from './webhook-chaos.js';
import type { EndpointSecret } from './webhook-endpoints.js';
import { getObjectRow, saveObject } from '../store/objects.js';

const PATH = '/v1/kassa/webhook_endpoints/{webhook_endpoint}/chaos';

const CHAOS_PARAMS: ParamSchema = {
  type: 'object',
  properties: {
    enabled: { type: 'boolean' },
    duplicate_rate: { type: 'number' },
    max_delay_ms: { type: 'integer' },
    reorder: { type: 'boolean' },
    seed: { anyOf: [{ type: 'integer' }, { type: 'string', enum: [''] }] },
  },
};

async function loadEndpoint(db: Queries, accountId: string, id: string, forUpdate = false) {
  const row = await getObjectRow(db, accountId, id, { forUpdate });
  if (!row || row.type !== 'webhook_endpoint' || row.deleted)
    throw resourceMissing('webhook_endpoint', id, 'webhook_endpoint');
  const secret = JSON.parse(row.private ?? '{}') as EndpointSecret;
  return { row, secret };
}

/** Stores the new settings in the endpoint's private data (the API object is unchanged). The answer has no `id`: it is a part of the endpoint. */
async function saveChaos(ctx: RequestContext<ChaosParams>, params: ChaosParams) {
  const { row, secret } = await loadEndpoint(ctx.db, ctx.accountId, ctx.path.webhook_endpoint, true);
  const chaos = applyChaosParams(secret.chaos, params);
  const { chaos: _old, ...rest } = secret;
  await saveObject(ctx.db, ctx.accountId, JSON.parse(row.doc) as { id: string }, chaos ? { ...rest, chaos } : rest);
  return new RawJson(JSON.stringify(chaosObject(row.id, chaos)));
}

export const webhookChaosRoutes: Route[] = [
  {
    method: 'GET',
    path: PATH,
    async handler(ctx) {
      const { row, secret } = await loadEndpoint(ctx.db, ctx.accountId, ctx.path.webhook_endpoint);
      return new RawJson(JSON.stringify(chaosObject(row.id, secret.chaos)));
    },
  },
  {
    method: 'POST',
    path: PATH,
    params: CHAOS_PARAMS,
    handler: (ctx: RequestContext<ChaosParams>) => saveChaos(ctx, ctx.params),
  },
  {
    method: 'DELETE',
    path: PATH,
    handler: (ctx: RequestContext<ChaosParams>) => saveChaos(ctx, { enabled: false }),
  },
];
