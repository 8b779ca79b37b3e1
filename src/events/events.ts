// Events: every change to an object records one, in the same transaction as
// the change. The events table is the outbox that webhook delivery reads.
import type { Queries } from '../store/store.js';
import { newId } from '../server/ids.js';
import type { ApiObject } from '../server/resources.js';
import { createSignal } from '../server/signal.js';
import { API_VERSION } from '../server/version.js';
import { insertEvent } from './event-store.js';
import { saveObject } from '../store/objects.js';

export interface EventRequest {
  id: string | null;
  idempotency_key: string | null;
}

export interface ApiEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: ApiObject; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: EventRequest;
  type: string;
}

export function buildEvent(
  type: string,
  object: ApiObject,
  context: { now: number; request: EventRequest },
  previous?: Record<string, unknown>,
): ApiEvent {
  const data: ApiEvent['data'] = { object };
  if (previous) data.previous_attributes = previous;
  return {
    id: newId('evt'),
    object: 'event',
    api_version: API_VERSION,
    created: context.now,
    data,
    livemode: false,
    pending_webhooks: 0,
    request: context.request,
    type,
  };
}

/**
 * The old values of what changed, as `data.previous_attributes` shows them:
 * nested objects are compared key by key; a key that did not exist is null.
 */
export function previousAttributes(beforeObject: object, afterObject: object): Record<string, unknown> {
  const before = beforeObject as Record<string, unknown>;
  const after = afterObject as Record<string, unknown>;
  const changed: Record<string, unknown> = {};
  for (const key in before) compareField(changed, key, before[key], after[key]);
  for (const key in after) if (!Object.hasOwn(before, key)) compareField(changed, key, undefined, after[key]);
  return changed;
}

function compareField(changed: Record<string, unknown>, key: string, old: unknown, now: unknown): void {
  if (old === now) return; // the same value (an update's copy shares what it left alone)
  if (isPlainObject(old) && isPlainObject(now)) {
    const inner = previousAttributes(old, now);
    if (Object.keys(inner).length > 0) changed[key] = key === 'metadata' ? inner : old;
  } else if (JSON.stringify(old) !== JSON.stringify(now)) {
    changed[key] = old === undefined ? null : old;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Called in the recording transaction before the event is stored; returns how
 * many webhook deliveries it scheduled (they count in `pending_webhooks`).
 * The webhooks module contributes one; the protocol layer knows nothing of them.
 */
export type EventRecordedHook = (db: Queries, accountId: string, event: ApiEvent) => Promise<number>;

/** Stores an event in the caller's transaction, running one app's event hooks first. */
export type EventRecorder = (db: Queries, accountId: string, event: ApiEvent) => Promise<void>;

/** Notified, in this process, after a transaction that recorded events of an account commits. */
export const eventsCommitted = createSignal<{ accountId: string }>();

/** The one way an app records events: with the hooks its modules contribute. */
export function eventRecorder(hooks: readonly EventRecordedHook[]): EventRecorder {
  return (db, accountId, event) => recordEvent(hooks, db, accountId, event);
}

async function recordEvent(
  hooks: readonly EventRecordedHook[],
  db: Queries,
  accountId: string,
  event: ApiEvent,
): Promise<void> {
  for (const hook of hooks) event.pending_webhooks += await hook(db, accountId, event);
  await insertEvent(db, accountId, event);
  db.afterCommit(() => eventsCommitted.notify({ accountId }));
}

/**
 * Stores an updated object and records `eventType` with the old values of
 * what changed. An update that changes nothing writes nothing and records no
 * event, as on Stripe. Returns whether anything changed.
 */
export async function saveUpdate(
  ctx: {
    db: Queries;
    accountId: string;
    emit(type: string, object: ApiObject, previous?: Record<string, unknown>): Promise<void>;
  },
  eventType: string,
  before: ApiObject,
  after: ApiObject,
  secret?: unknown,
): Promise<boolean> {
  const previous = previousAttributes(before, after);
  if (Object.keys(previous).length === 0) return false;
  await saveObject(ctx.db, ctx.accountId, after, secret);
  await ctx.emit(eventType, after, previous);
  return true;
}
