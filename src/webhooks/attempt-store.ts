// The log of webhook delivery attempts: what each POST to an endpoint got
// back, for the attempts API, retries and the dashboard.
import type { Db } from '../store/db.js';

/** One webhook delivery attempt: `status` null when no HTTP response came (then `error` says why). */
export interface WebhookAttempt {
  id: string;
  accountId: string;
  eventId: string;
  endpointId: string;
  attemptedAt: number;
  status: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
  /** What the endpoint's chaos mode did to this attempt (a Kassa extension); absent or null when nothing. */
  chaos?: { delay_ms: number; duplicate: boolean } | null;
}

interface WebhookAttemptRow {
  id: string;
  account_id: string;
  event_id: string;
  endpoint_id: string;
  attempted_at: number;
  status: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
  chaos: string | null;
}

function toWebhookAttempt(r: WebhookAttemptRow): WebhookAttempt {
  return {
    id: r.id,
    accountId: r.account_id,
    eventId: r.event_id,
    endpointId: r.endpoint_id,
    attemptedAt: Number(r.attempted_at),
    status: r.status === null ? null : Number(r.status),
    latencyMs: Number(r.latency_ms),
    responseExcerpt: r.response_excerpt,
    error: r.error,
    chaos: r.chaos === null ? null : (JSON.parse(r.chaos) as WebhookAttempt['chaos']),
  };
}

export async function insertWebhookAttempt(db: Db, attempt: WebhookAttempt): Promise<void> {
  await db.run(
    `INSERT INTO webhook_attempts (id, account_id, event_id, endpoint_id, attempted_at, status, latency_ms, response_excerpt, error, chaos)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      attempt.id,
      attempt.accountId,
      attempt.eventId,
      attempt.endpointId,
      attempt.attemptedAt,
      attempt.status,
      attempt.latencyMs,
      attempt.responseExcerpt,
      attempt.error,
      attempt.chaos ? JSON.stringify(attempt.chaos) : null,
    ],
  );
}

/** An event's delivery attempts, oldest first. */
export async function webhookAttempts(db: Db, accountId: string, eventId: string): Promise<WebhookAttempt[]> {
  const rows = await db.all<WebhookAttemptRow>(
    `SELECT id, account_id, event_id, endpoint_id, attempted_at, status, latency_ms, response_excerpt, error, chaos
     FROM webhook_attempts WHERE account_id = ? AND event_id = ? ORDER BY seq`,
    [accountId, eventId],
  );
  return rows.map(toWebhookAttempt);
}

/** Delivery attempts newest first (by `seq`), optionally for one event and/or endpoint; `seq` bounds page through them. */
export async function listWebhookAttempts(
  db: Db,
  query: {
    accountId: string;
    eventId?: string;
    endpointId?: string;
    limit: number;
    startingAfter?: number;
    endingBefore?: number;
  },
): Promise<Array<WebhookAttempt & { seq: number }>> {
  const where = ['account_id = ?'];
  const args: unknown[] = [query.accountId];
  if (query.eventId !== undefined) where.push('event_id = ?'), args.push(query.eventId);
  if (query.endpointId !== undefined) where.push('endpoint_id = ?'), args.push(query.endpointId);
  if (query.startingAfter !== undefined) where.push('seq < ?'), args.push(query.startingAfter);
  if (query.endingBefore !== undefined) where.push('seq > ?'), args.push(query.endingBefore);
  const order = query.endingBefore !== undefined ? 'ASC' : 'DESC';
  const rows = await db.all<WebhookAttemptRow & { seq: number }>(
    `SELECT seq, id, account_id, event_id, endpoint_id, attempted_at, status, latency_ms, response_excerpt, error, chaos
     FROM webhook_attempts WHERE ${where.join(' AND ')} ORDER BY seq ${order} LIMIT ?`,
    [...args, query.limit + 1],
  );
  return rows.map((r) => ({ ...toWebhookAttempt(r), seq: Number(r.seq) }));
}

export async function webhookAttemptSeq(db: Db, accountId: string, id: string): Promise<number | undefined> {
  const rows = await db.all<{ seq: number }>('SELECT seq FROM webhook_attempts WHERE account_id = ? AND id = ?', [
    accountId,
    id,
  ]);
  return rows[0] ? Number(rows[0].seq) : undefined;
}

/** Whether the endpoint has answered 2xx to a delivery of the event (read through the event's index: an event has few attempts, an endpoint many). */
export async function webhookSucceeded(
  db: Db,
  accountId: string,
  eventId: string,
  endpointId: string,
): Promise<boolean> {
  const rows = await db.all<{ endpoint_id: string }>(
    'SELECT endpoint_id FROM webhook_attempts WHERE account_id = ? AND event_id = ? AND status >= 200 AND status < 300',
    [accountId, eventId],
  );
  return rows.some((r) => r.endpoint_id === endpointId);
}

/** When the endpoint last answered 2xx (optionally for one event), or undefined if it never has. */
export async function lastWebhookSuccessAt(
  db: Db,
  accountId: string,
  endpointId: string,
  eventId?: string,
): Promise<number | undefined> {
  const byEvent = eventId === undefined ? '' : ' AND event_id = ?';
  const rows = await db.all<{ at: number | null }>(
    `SELECT MAX(attempted_at) AS at FROM webhook_attempts WHERE account_id = ? AND endpoint_id = ?${byEvent} AND status >= 200 AND status < 300`,
    eventId === undefined ? [accountId, endpointId] : [accountId, endpointId, eventId],
  );
  return rows[0]?.at == null ? undefined : Number(rows[0].at);
}
