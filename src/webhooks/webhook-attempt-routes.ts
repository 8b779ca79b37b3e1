// Kassa's own API for webhook delivery (not in Stripe's): the delivery log
// (`GET /v1/kassa/webhook_attempts`) and resending an event on demand
// (`POST /v1/kassa/events/{id}/resend`). See docs/webhooks.md.
import { invalidParam, resourceMissing } from '../server/errors.js';
import { pageBySeq, type ListEnvelope, type ListParams } from '../server/list.js';
import type { ParamSchema } from '../server/params.js';
import type { RequestContext, Route } from '../server/route.js';
import { scheduleResends } from './webhook-delivery.js';
import { endpointsReceiving, type WebhookEndpoint } from './webhook-endpoints.js';
import { getEvent } from '../events/event-store.js';
import { listWebhookAttempts, webhookAttemptSeq, type WebhookAttempt } from './attempt-store.js';
import { getObjectRow } from '../store/objects.js';

const ID: ParamSchema = { type: 'string', maxLength: 5000 };
const MAX_ENDPOINTS = 100;

export interface WebhookAttemptObject {
  id: string;
  object: 'kassa.webhook_attempt';
  /** When the attempt was made (Unix seconds). */
  created: number;
  event: string;
  endpoint: string;
  /** The endpoint's HTTP status; null when no response came (`error` says why). */
  http_status: number | null;
  latency_ms: number;
  /** The start of the endpoint's response body. */
  response_body: string | null;
  error: string | null;
  succeeded: boolean;
  /** What the endpoint's chaos mode did to this post (`duplicate`: it is the second copy), or null. */
  chaos: { delay_ms: number; duplicate: boolean } | null;
  livemode: false;
}

function attemptObject(a: WebhookAttempt): WebhookAttemptObject {
  return {
    id: a.id,
    object: 'kassa.webhook_attempt',
    created: a.attemptedAt,
    event: a.eventId,
    endpoint: a.endpointId,
    http_status: a.status,
    latency_ms: a.latencyMs,
    response_body: a.responseExcerpt,
    error: a.error,
    succeeded: a.status !== null && a.status >= 200 && a.status < 300,
    chaos: a.chaos ?? null,
    livemode: false,
  };
}

interface AttemptListParams extends ListParams {
  event?: string;
  endpoint?: string;
}

export const webhookAttemptRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/kassa/webhook_attempts',
    params: {
      type: 'object',
      properties: { event: ID, endpoint: ID, limit: { type: 'integer' }, starting_after: ID, ending_before: ID },
    },
    async handler(ctx: RequestContext<AttemptListParams>) {
      const { params } = ctx;
      const { rows, hasMore } = await pageBySeq(params, {
        kind: 'webhook attempt',
        seqOf: (id) => webhookAttemptSeq(ctx.db, ctx.accountId, id),
        fetch: (range) =>
          listWebhookAttempts(ctx.db, {
            accountId: ctx.accountId,
            eventId: params.event || undefined,
            endpointId: params.endpoint || undefined,
            ...range,
          }),
      });
      const envelope: ListEnvelope = {
        object: 'list',
        data: rows.map(attemptObject),
        has_more: hasMore,
        url: '/v1/kassa/webhook_attempts',
      };
      return envelope;
    },
  },
  {
    method: 'POST',
    path: '/v1/kassa/events/{id}/resend',
    params: { type: 'object', properties: { endpoint: ID } },
    async handler(ctx: RequestContext<{ endpoint?: string }>) {
      const eventRow = await getEvent(ctx.db, ctx.accountId, ctx.path.id);
      if (!eventRow) throw resourceMissing('event', ctx.path.id);
      const event = JSON.parse(eventRow.doc) as { id: string; type: string; account?: string };
      let targets: string[];
      if (ctx.params.endpoint) {
        const row = await getObjectRow(ctx.db, ctx.accountId, ctx.params.endpoint);
        if (!row || row.deleted || row.type !== 'webhook_endpoint')
          throw resourceMissing('webhook_endpoint', ctx.params.endpoint, 'endpoint');
        const endpoint = JSON.parse(row.doc) as WebhookEndpoint;
        if (endpoint.status !== 'enabled')
          throw invalidParam(
            `The webhook endpoint ${endpoint.id} is disabled; enable it before resending to it.`,
            'endpoint',
          );
        targets = [endpoint.id];
      } else {
        const rows = await ctx.db.scanObjects(ctx.accountId, 'webhook_endpoint', undefined, MAX_ENDPOINTS);
        targets = endpointsReceiving(rows, event).map((e) => e.id);
      }
      await scheduleResends(ctx.db, ctx.accountId, event.id, targets, ctx.now);
      return JSON.parse(eventRow.doc) as { id: string; object: string };
    },
  },
];
