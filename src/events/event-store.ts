// The events table (the outbox): what events.ts records and webhook delivery
// reads. Listing events goes through the generic list query for now.
import type { Db } from '../store/db.js';
import { forUpdate } from '../store/dialect.js';
import type { StoredRow } from '../store/store.js';

export async function insertEvent(
  db: Db,
  accountId: string,
  event: { id: string; type: string; created: number },
): Promise<void> {
  await db.run('INSERT INTO events (id, account_id, type, created, doc) VALUES (?, ?, ?, ?, ?)', [
    event.id,
    accountId,
    event.type,
    event.created,
    JSON.stringify(event),
  ]);
}

export async function getEvent(db: Db, accountId: string, id: string): Promise<StoredRow | undefined> {
  const rows = await db.all<StoredRow>(
    'SELECT id, type, seq, 0 AS deleted, doc FROM events WHERE id = ? AND account_id = ?',
    [id, accountId],
  );
  return rows[0] && { ...rows[0], deleted: false };
}

/** Stored events by id, whatever their account (the caller checks it): one query for a batch of deliveries. */
export async function eventsByIds(db: Db, ids: string[]): Promise<Map<string, StoredRow & { accountId: string }>> {
  const found = new Map<string, StoredRow & { accountId: string }>();
  if (ids.length === 0) return found;
  const rows = await db.all<StoredRow & { account_id: string }>(
    `SELECT id, account_id, type, seq, doc FROM events WHERE id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  for (const r of rows)
    found.set(r.id, {
      id: r.id,
      type: r.type,
      seq: Number(r.seq),
      doc: r.doc,
      deleted: false,
      accountId: r.account_id,
    });
  return found;
}

/** Locks an event's row until the transaction ends (PostgreSQL; SQLite transactions never overlap), so that concurrent successes of one delivery count once. */
export async function lockEvent(db: Db, accountId: string, eventId: string): Promise<void> {
  if (db.dialect === 'postgres')
    await db.all(`SELECT id FROM events WHERE id = ? AND account_id = ?${forUpdate(db.dialect)}`, [eventId, accountId]);
}

/** Counts one webhook delivery of the event as done (`pending_webhooks`, never below 0). */
export async function decrementPendingWebhooks(db: Db, accountId: string, eventId: string): Promise<void> {
  if (db.dialect === 'sqlite') {
    // In place: SQLite's json_set writes the document back byte for byte as JSON.stringify would, less the parse and copy.
    await db.run(
      `UPDATE events SET doc = json_set(doc, '$.pending_webhooks', json_extract(doc, '$.pending_webhooks') - 1)
       WHERE id = ? AND account_id = ? AND json_extract(doc, '$.pending_webhooks') > 0`,
      [eventId, accountId],
    );
    return;
  }
  const rows = await db.all<{ doc: string }>(
    `SELECT doc FROM events WHERE id = ? AND account_id = ?${forUpdate(db.dialect)}`,
    [eventId, accountId],
  );
  if (!rows[0]) return;
  const event = JSON.parse(rows[0].doc) as { pending_webhooks: number };
  if (event.pending_webhooks <= 0) return;
  event.pending_webhooks -= 1;
  await db.run('UPDATE events SET doc = ? WHERE id = ? AND account_id = ?', [
    JSON.stringify(event),
    eventId,
    accountId,
  ]);
}
