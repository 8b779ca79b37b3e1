// A live tail of one account's events, oldest first, for listeners (`stripe
// listen`, `kassa listen`). It reads the events table after a starting point,
// woken by `eventsCommitted` for events this process records and polling for
// those other processes commit.
import type { Filter, Queries } from '../store/store.js';
import { eventsCommitted } from '../events/events.js';

export interface StreamedEvent {
  id: string;
  type: string;
  seq: number;
  /** The event's stored JSON, exactly as the API returns it. */
  doc: string;
}

export interface EventTailOptions {
  db: Queries;
  accountId: string;
  /** Event types to pass on; empty for all. */
  types: string[];
  /** Events with a larger `seq` are streamed. */
  afterSeq: number;
  deliver(event: StreamedEvent): void;
  /** How often to look for events committed elsewhere; 250 ms by default. */
  pollMs?: number;
  /**
   * How long an event may commit after one with a larger `seq` and still be
   * streamed. On PostgreSQL sequence numbers are taken at insert, so a
   * transaction can commit after a later one; SQLite commits in `seq` order
   * and needs 0.
   */
  settleMs?: number;
  onError?(error: unknown): void;
}

export interface EventTail {
  /** Resolves once the tail watches: what commits from then on is streamed (with `settleMs`, also below the starting point). */
  ready: Promise<void>;
  /** The largest `seq` streamed so far (or the starting point). */
  lastSeq(): number;
  stop(): void;
}

const BATCH = 200;
/**
 * With `settleMs`, how far below the starting point (in `seq`) a tail also
 * watches: a transaction that took its `seq` before the tail started may
 * commit just after. Generous, since `seq` counts every account's events.
 */
const LOOKBACK_SEQ = 10_000;

/** The `seq` of the account's newest event (0 if none): the starting point of a tail that streams only what comes next. */
export async function latestEventSeq(db: Queries, accountId: string): Promise<number> {
  const rows = await db.list({ table: 'events', accountId, filters: [], limit: 0 });
  return rows[0] ? Number(rows[0].seq) : 0;
}

export function tailEvents(options: EventTailOptions): EventTail {
  const { db, accountId } = options;
  const filters: Filter[] = options.types.length > 0 ? [{ field: 'type', op: 'in', value: options.types }] : [];
  const settleMs = options.settleMs ?? 0;
  // Everything at or below `floor` is settled; `streamed` holds what went out above it.
  let floor = options.afterSeq;
  let highest = options.afterSeq;
  const streamed = new Set<number>();
  const marks: Array<{ at: number; seq: number }> = [];
  let stopped = false;
  let reading = false;
  let again = false;

  /**
   * Marks what had committed below the starting point as seen and lowers the
   * floor under it, so that only events committing from now on stream.
   */
  async function watchBelowStart(): Promise<void> {
    const start = floor;
    let cursor = Math.max(0, start - LOOKBACK_SEQ);
    floor = cursor;
    marks.push({ at: performance.now(), seq: start });
    for (;;) {
      const rows = await db.list({ table: 'events', accountId, filters: [], limit: BATCH, endingBefore: cursor });
      for (const row of rows.slice(0, BATCH)) {
        const seq = Number(row.seq);
        cursor = seq;
        if (seq <= start) streamed.add(seq);
      }
      if (rows.length <= BATCH || cursor >= start) break;
    }
  }
  const ready =
    settleMs > 0
      ? watchBelowStart().catch((error) => {
          // Without the look below, stream from the starting point as if settled.
          floor = options.afterSeq;
          streamed.clear();
          options.onError?.(error);
        })
      : Promise.resolve();

  async function readNew(): Promise<void> {
    await ready;
    let cursor = floor;
    for (;;) {
      const rows = await db.list({ table: 'events', accountId, filters, limit: BATCH, endingBefore: cursor });
      for (const row of rows.slice(0, BATCH)) {
        const seq = Number(row.seq);
        cursor = seq;
        if (stopped) return;
        if (streamed.has(seq)) continue;
        streamed.add(seq);
        highest = Math.max(highest, seq);
        options.deliver({ id: row.id, type: row.type, seq, doc: row.doc });
      }
      if (rows.length <= BATCH) break;
    }
    settle();
  }

  function settle(): void {
    const now = performance.now();
    marks.push({ at: now, seq: highest });
    while (marks.length > 0 && marks[0]!.at <= now - settleMs) floor = Math.max(floor, marks.shift()!.seq);
    for (const seq of streamed) if (seq <= floor) streamed.delete(seq);
  }

  function wake(): void {
    if (stopped) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    readNew()
      .catch((error) => options.onError?.(error))
      .finally(() => {
        reading = false;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  const unsubscribe = eventsCommitted.subscribe((committed) => {
    if (committed.accountId === accountId) wake();
  });
  const poller = setInterval(wake, options.pollMs ?? 250);
  poller.unref();
  wake();

  return {
    ready,
    lastSeq: () => highest,
    stop() {
      stopped = true;
      unsubscribe();
      clearInterval(poller);
    },
  };
}
