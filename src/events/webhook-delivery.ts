// Webhook delivery. When an event is recorded, one job per matching enabled
// endpoint of the account is scheduled in the same transaction (so a
// delivery exists exactly when its event does), and the event's
// `pending_webhooks` counts them. The job posts the stored event, signed,
// outside any transaction (prepare), then records the attempt and either
// counts the delivery done or schedules the next attempt (run).
import type { JobHandler, PrepareContext } from '../jobs/jobs.js';
import { scheduleJob } from '../jobs/jobs.js';
import { newId } from '../server/ids.js';
import type { Queries } from '../store/store.js';
import { onEventRecorded, type ApiEvent } from './events.js';
import { signatureHeader } from './signature.js';
import { wantsEvent, type EndpointSecret, type WebhookEndpoint } from './webhook-endpoints.js';

export const WEBHOOK_DELIVERY_JOB = 'webhook.deliver';
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** Stripe allows 16 endpoints per account; a few more are read so that none is missed. */
const MAX_ENDPOINTS = 100;
const EXCERPT_CHARS = 500;

/**
 * Seconds to wait after failed attempt n (1-based) before attempt n + 1:
 * 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h, 24 h, about 2.9 days in
 * all. The first retry comes quickly so that a developer fixing a failing
 * handler sees it soon; after the last one the delivery is given up.
 */
export const RETRY_DELAYS_SECONDS: readonly number[] = [10, 60, 300, 1800, 7200, 21600, 43200, 86400, 86400];

interface DeliveryPayload {
  event: string;
  endpoint: string;
  /** 1 for the first attempt. */
  attempt: number;
}

type Outcome =
  | { skipped: true }
  | { skipped: false; status: number | null; latencyMs: number; excerpt: string | null; error: string | null };

/** One indexed read of the account's endpoints; nothing more when it has none. */
async function scheduleDeliveries(db: Queries, accountId: string, event: ApiEvent): Promise<number> {
  const rows = await db.scanObjects(accountId, 'webhook_endpoint', undefined, MAX_ENDPOINTS);
  let scheduled = 0;
  for (const row of rows) {
    const endpoint = JSON.parse(row.doc) as WebhookEndpoint;
    if (!wantsEvent(endpoint, event.type)) continue;
    const payload: DeliveryPayload = { event: event.id, endpoint: endpoint.id, attempt: 1 };
    await scheduleJob(db, { accountId, kind: WEBHOOK_DELIVERY_JOB, runAt: event.created, payload, now: event.created });
    scheduled++;
  }
  return scheduled;
}

// Every Kassa process that loads the webhook module schedules deliveries.
onEventRecorded(scheduleDeliveries);

async function post(url: string, body: string, signature: string, timeoutMs: number): Promise<Omit<Extract<Outcome, { skipped: false }>, 'skipped'>> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'Stripe-Signature': signature,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text().catch(() => '');
    return { status: response.status, latencyMs: elapsed(), excerpt: text.slice(0, EXCERPT_CHARS), error: null };
  } catch (error) {
    const name = (error as Error)?.name;
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const message = name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? String((error as Error)?.message ?? error));
    return { status: null, latencyMs: elapsed(), excerpt: null, error: message.slice(0, EXCERPT_CHARS) };
  }
}

export function webhookJobs(options: { timeoutMs?: number } = {}): JobHandler[] {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  return [
    {
      kind: WEBHOOK_DELIVERY_JOB,
      async prepare(ctx: PrepareContext<DeliveryPayload>): Promise<Outcome> {
        const { event: eventId, endpoint: endpointId } = ctx.payload;
        const [event, endpointRow] = await Promise.all([ctx.read.getEvent(ctx.accountId, eventId), ctx.read.getObject(ctx.accountId, endpointId)]);
        // A deleted or disabled endpoint gets no further attempts, as on Stripe.
        if (!event || !endpointRow || endpointRow.deleted || endpointRow.type !== 'webhook_endpoint') return { skipped: true };
        const endpoint = JSON.parse(endpointRow.doc) as WebhookEndpoint;
        if (endpoint.status !== 'enabled' || !endpointRow.private) return { skipped: true };
        const { secret } = JSON.parse(endpointRow.private) as EndpointSecret;
        const outcome = await post(endpoint.url, event.doc, signatureHeader(event.doc, secret, ctx.now), timeoutMs);
        return { skipped: false, ...outcome };
      },
      async run(ctx) {
        const payload = ctx.payload as DeliveryPayload;
        const outcome = ctx.prepared as Outcome;
        if (outcome.skipped) return;
        await ctx.db.insertWebhookAttempt({
          id: newId('wha'),
          accountId: ctx.accountId,
          eventId: payload.event,
          endpointId: payload.endpoint,
          attemptedAt: ctx.now,
          status: outcome.status,
          latencyMs: outcome.latencyMs,
          responseExcerpt: outcome.excerpt,
          error: outcome.error,
        });
        if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) {
          await ctx.db.decrementPendingWebhooks(ctx.accountId, payload.event);
          return;
        }
        const delay = RETRY_DELAYS_SECONDS[payload.attempt - 1];
        if (delay === undefined) return; // Given up: the event stays pending for this endpoint.
        await ctx.schedule(WEBHOOK_DELIVERY_JOB, ctx.now + delay, { ...payload, attempt: payload.attempt + 1 } satisfies DeliveryPayload);
      },
    },
  ];
}
