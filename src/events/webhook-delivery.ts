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
/** Each retry comes up to this fraction of its delay early, so that deliveries that failed together do not all retry together. */
export const RETRY_JITTER_FRACTION = 0.1;
/** An endpoint whose deliveries are given up after this long without any 2xx answer is disabled, as on Stripe. */
export const DISABLE_AFTER_SECONDS = 3 * 86400;

/** A source of jitter: a number in [0, 1). Tests pass `() => 0`. */
export type JitterSource = () => number;

/** The wait before the retry after failed attempt n, or undefined when the delivery is given up. */
export function retryDelaySeconds(attempt: number, jitter: JitterSource = Math.random): number | undefined {
  const delay = RETRY_DELAYS_SECONDS[attempt - 1];
  if (delay === undefined) return undefined;
  return delay - Math.round(delay * RETRY_JITTER_FRACTION * Math.min(Math.max(jitter(), 0), 1));
}

/** Kassa's record, in the endpoint's private data, of why delivery disabled it. */
export interface DisabledReason {
  code: 'failing_deliveries';
  message: string;
  /** Unix seconds. */
  disabled_at: number;
  last_success_at: number | null;
}

interface DeliveryPayload {
  event: string;
  endpoint: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** A delivery asked for through the resend endpoint: it counts in `pending_webhooks` only if it completes one that was. */
  resend?: boolean;
}

type Outcome =
  | { skipped: true }
  | { skipped: false; status: number | null; latencyMs: number; excerpt: string | null; error: string | null };

/** One indexed read of the account's endpoints; nothing more when it has none. */
async function scheduleDeliveries(db: Queries, accountId: string, event: ApiEvent): Promise<number> {
  // Most accounts have no endpoint: a check on the index alone answers that.
  if (!(await db.hasObjects(accountId, 'webhook_endpoint'))) return 0;
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

/** Schedules a fresh delivery of a recorded event to each endpoint given; its attempts restart the retry schedule. */
export async function scheduleResends(db: Queries, accountId: string, eventId: string, endpointIds: string[], now: number): Promise<void> {
  for (const endpoint of endpointIds) {
    const payload: DeliveryPayload = { event: eventId, endpoint, attempt: 1, resend: true };
    await scheduleJob(db, { accountId, kind: WEBHOOK_DELIVERY_JOB, runAt: now, payload, now });
  }
}

/** Disables an endpoint that has not answered 2xx for DISABLE_AFTER_SECONDS (since its creation if never). */
async function disableIfFailingForDays(db: Queries, accountId: string, endpointId: string, now: number): Promise<void> {
  const row = await db.getObject(accountId, endpointId, { forUpdate: true });
  if (!row || row.deleted || row.type !== 'webhook_endpoint') return;
  const endpoint = JSON.parse(row.doc) as WebhookEndpoint;
  if (endpoint.status !== 'enabled') return;
  const lastSuccess = await db.lastWebhookSuccessAt(accountId, endpointId);
  if (now - (lastSuccess ?? endpoint.created) < DISABLE_AFTER_SECONDS) return;
  const days = Math.floor((now - (lastSuccess ?? endpoint.created)) / 86400);
  const reason: DisabledReason = {
    code: 'failing_deliveries',
    message: `Disabled after ${days} days without a successful delivery${lastSuccess === undefined ? '' : ' since the last one'}.`,
    disabled_at: now,
    last_success_at: lastSuccess ?? null,
  };
  const secret = row.private ? (JSON.parse(row.private) as EndpointSecret) : undefined;
  const disabled: WebhookEndpoint = { ...endpoint, status: 'disabled' };
  await db.updateObject(accountId, disabled, { ...secret, disabled_reason: reason });
}

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

export function webhookJobs(options: { timeoutMs?: number; jitter?: JitterSource } = {}): JobHandler[] {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const jitter = options.jitter ?? Math.random;
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
        const succeeded = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
        // pending_webhooks counts (event, endpoint) deliveries not yet successful: only the first 2xx of a counted one lowers it.
        let counts = false;
        if (succeeded && (await ctx.db.lastWebhookSuccessAt(ctx.accountId, payload.endpoint, payload.event)) === undefined) {
          counts = !payload.resend || (await ctx.db.webhookAttempts(ctx.accountId, payload.event)).some((a) => a.endpointId === payload.endpoint);
        }
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
        if (succeeded) {
          if (counts) await ctx.db.decrementPendingWebhooks(ctx.accountId, payload.event);
          return;
        }
        const delay = retryDelaySeconds(payload.attempt, jitter);
        if (delay === undefined) {
          // Given up: the event stays pending for this endpoint, which is disabled if it has been failing for days.
          await disableIfFailingForDays(ctx.db, ctx.accountId, payload.endpoint, ctx.now);
          return;
        }
        await ctx.schedule(WEBHOOK_DELIVERY_JOB, ctx.now + delay, { ...payload, attempt: payload.attempt + 1 } satisfies DeliveryPayload);
      },
    },
  ];
}
