// Webhook delivery rules. When an event is recorded, one delivery job per
// matching enabled endpoint of the account is scheduled in the same
// transaction (so a delivery exists exactly when its event does), and the
// event's `pending_webhooks` counts them. The dispatcher
// (webhook-dispatcher.ts) claims the jobs, posts the stored event, signed,
// outside any transaction, then records the attempt here and either counts
// the delivery done or schedules the next attempt.
import { scheduleJob } from '../jobs/jobs.js';
import { newId } from '../server/ids.js';
import type { Queries } from '../store/store.js';
import { insertWebhookAttempt, lastWebhookSuccessAt, webhookSucceeded, type WebhookAttempt } from './attempt-store.js';
import type { ApiEvent } from '../events/events.js';
import type { PostOutcome } from './webhook-post.js';
import { endpointsReceiving, type EndpointSecret, type WebhookEndpoint } from './webhook-endpoints.js';
import { decrementPendingWebhooks, lockEvent } from '../events/event-store.js';
import { completeJob, getJob } from '../jobs/job-store.js';
import { loadObject, saveObject } from '../store/objects.js';

export const WEBHOOK_DELIVERY_JOB = 'webhook.deliver';
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** Stripe allows 16 endpoints per account; a few more are read so that none is missed. */
const MAX_ENDPOINTS = 100;

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

export interface DeliveryPayload {
  event: string;
  endpoint: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** A delivery asked for through the resend endpoint: it counts in `pending_webhooks` only if it completes one that was. */
  resend?: boolean;
}

/** The job id of an event's first delivery to an endpoint: a resend finds by it whether the endpoint's delivery is counted. */
export function originalDeliveryId(eventId: string, endpointId: string): string {
  return `whd_${eventId}_${endpointId}`;
}

/** One indexed read of the account's endpoints; nothing more when it has none. */
export async function scheduleDeliveries(db: Queries, accountId: string, event: ApiEvent): Promise<number> {
  // Most accounts have no endpoint: a check on the index alone answers that.
  if (!(await db.hasObjects(accountId, 'webhook_endpoint'))) return 0;
  const rows = await db.scanObjects(accountId, 'webhook_endpoint', undefined, MAX_ENDPOINTS);
  let scheduled = 0;
  for (const endpoint of endpointsReceiving(rows, event)) {
    const payload: DeliveryPayload = { event: event.id, endpoint: endpoint.id, attempt: 1 };
    await scheduleJob(db, {
      id: originalDeliveryId(event.id, endpoint.id),
      accountId,
      kind: WEBHOOK_DELIVERY_JOB,
      runAt: event.created,
      payload,
      now: event.created,
    });
    scheduled++;
  }
  return scheduled;
}

/** Schedules a fresh delivery of a recorded event to each endpoint given; its attempts restart the retry schedule. */
export async function scheduleResends(
  db: Queries,
  accountId: string,
  eventId: string,
  endpointIds: string[],
  now: number,
): Promise<void> {
  for (const endpoint of endpointIds) {
    const payload: DeliveryPayload = { event: eventId, endpoint, attempt: 1, resend: true };
    await scheduleJob(db, { accountId, kind: WEBHOOK_DELIVERY_JOB, runAt: now, payload, now });
  }
}

/** Disables an endpoint that has not answered 2xx for DISABLE_AFTER_SECONDS (since its creation if never). */
async function disableIfFailingForDays(db: Queries, accountId: string, endpointId: string, now: number): Promise<void> {
  const loaded = await loadObject<WebhookEndpoint, EndpointSecret>(db, accountId, 'webhook_endpoint', endpointId, {
    forUpdate: true,
  });
  if (!loaded) return;
  const endpoint = loaded.object;
  if (endpoint.status !== 'enabled') return;
  const lastSuccess = await lastWebhookSuccessAt(db, accountId, endpointId);
  if (now - (lastSuccess ?? endpoint.created) < DISABLE_AFTER_SECONDS) return;
  const days = Math.floor((now - (lastSuccess ?? endpoint.created)) / 86400);
  const reason: DisabledReason = {
    code: 'failing_deliveries',
    message: `Disabled after ${days} days without a successful delivery${lastSuccess === undefined ? '' : ' since the last one'}.`,
    disabled_at: now,
    last_success_at: lastSuccess ?? null,
  };
  const disabled: WebhookEndpoint = { ...endpoint, status: 'disabled' };
  await saveObject(db, accountId, disabled, { ...loaded.privateData, disabled_reason: reason });
}

/** One delivery attempt's result: skipped (event, endpoint or secret gone; endpoint disabled), or each post made (two when chaos duplicated it). */
export type DeliveryResult =
  | { skipped: true }
  | { skipped: false; posts: Array<PostOutcome & { chaos: WebhookAttempt['chaos'] }> };

const succeeded = (status: number | null) => status !== null && status >= 200 && status < 300;

/**
 * Records a delivery attempt in the caller's transaction: completes the job
 * (false, and nothing else, when the claim was lost), logs each post, counts
 * the delivery done in `pending_webhooks` or schedules the next attempt.
 */
export async function recordDelivery(
  db: Queries,
  job: { id: string; attempts: number; accountId: string },
  payload: DeliveryPayload,
  result: DeliveryResult,
  now: number,
  jitter: JitterSource,
): Promise<boolean> {
  if (!(await completeJob(db, job.id, job.attempts))) return false;
  if (result.skipped) return true;
  const { accountId } = job;
  const success = result.posts.some((p) => succeeded(p.status));
  // pending_webhooks counts (event, endpoint) deliveries not yet successful: only the first 2xx of a counted one lowers it.
  // The event's row lock makes concurrent successes (several processes on PostgreSQL) take turns, so the second sees the first.
  let counts = false;
  if (success) {
    await lockEvent(db, accountId, payload.event);
    if (!(await webhookSucceeded(db, accountId, payload.event, payload.endpoint))) {
      // A resend completes the endpoint's original delivery, even one not attempted yet; a resend to an endpoint the event was never scheduled to counts nothing.
      counts = !payload.resend || (await getJob(db, originalDeliveryId(payload.event, payload.endpoint))) !== undefined;
    }
  }
  for (const post of result.posts) {
    await insertWebhookAttempt(db, {
      id: newId('wha'),
      accountId,
      eventId: payload.event,
      endpointId: payload.endpoint,
      attemptedAt: now,
      status: post.status,
      latencyMs: post.latencyMs,
      responseExcerpt: post.excerpt,
      error: post.error,
      chaos: post.chaos,
    });
  }
  if (success) {
    if (counts) await decrementPendingWebhooks(db, accountId, payload.event);
    return true;
  }
  const delay = retryDelaySeconds(payload.attempt, jitter);
  if (delay === undefined) {
    // Given up: the event stays pending for this endpoint, which is disabled if it has been failing for days.
    await disableIfFailingForDays(db, accountId, payload.endpoint, now);
    return true;
  }
  const next: DeliveryPayload = { ...payload, attempt: payload.attempt + 1 };
  await scheduleJob(db, { accountId, kind: WEBHOOK_DELIVERY_JOB, runAt: now + delay, payload: next, now });
  return true;
}
