// The one context every write acts through, whoever causes it: an API request,
// a job, a customer on a hosted page (the 3-D Secure challenge today, Checkout
// tomorrow), later a test clock. One factory makes it, so every write records
// its events and schedules its later work the same way; the HTTP request
// context (route.ts) extends it with auth, params and expand.
import { buildEvent, type EventRecorder, type EventRequest } from '../events/events.js';
import { scheduleJob } from '../jobs/jobs.js';
import type { Queries } from '../store/store.js';
import type { ApiObject } from './resources.js';

export interface WriteContext {
  accountId: string;
  /** Unix seconds, read once for the whole write. */
  now: number;
  /** The write's transaction (committed data for a read). */
  db: Queries;
  /** Records an event in the write's transaction. */
  emit(type: string, object: ApiObject, previousAttributes?: Record<string, unknown>): Promise<void>;
  /** Schedules later work (a job) in the write's transaction. */
  schedule(kind: string, runAt: number, payload: unknown): Promise<void>;
}

/** A write reached over HTTP (an API request, a hosted page): it knows where this server is reached. */
export interface HttpWriteContext extends WriteContext {
  /** `http://host:port`, for links the write hands out (receipts, 3-D Secure pages). */
  baseUrl: string;
}

export interface WriteInit {
  db: Queries;
  accountId: string;
  now: number;
  /** The API request that caused the write, as its events show it; none for automatic changes (jobs, customers on hosted pages). */
  request?: EventRequest;
}

export type WriteContextFactory = (init: WriteInit) => WriteContext;

const AUTOMATIC: EventRequest = { id: null, idempotency_key: null };

/** The app's factory: events go through its recorder (with its modules' event hooks). */
export function writeContextFactory(recordEvent: EventRecorder): WriteContextFactory {
  return ({ db, accountId, now, request = AUTOMATIC }) => ({
    accountId,
    now,
    db,
    emit: (type, object, previous) => recordEvent(db, accountId, buildEvent(type, object, { now, request }, previous)),
    schedule: async (kind, runAt, payload) => {
      await scheduleJob(db, { accountId, kind, runAt, payload, now });
    },
  });
}
