// Kassa's storage: API objects as JSON documents in Stripe's own shape, the
// event outbox, accounts and keys, idempotency records. The same queries run
// on SQLite and PostgreSQL.
import { createHash } from 'node:crypto';
import { docField } from './doc-field.js';
import type { Dialect, Driver, SqlConnection } from './driver.js';
import { migrate } from './migrations.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

export interface StoredRow {
  id: string;
  type: string;
  seq: number;
  deleted: boolean;
  /** The API object as stored JSON text. */
  doc: string;
  /** JSON of what Kassa keeps about the object outside the API (see insertObject); objects table only. */
  private?: string | null;
}

/** A list filter on a column, or on a field of the stored document (`doc.email`). */
export interface Filter {
  field: string;
  /** `glob`: the value is a pattern in which `*` matches any characters. */
  op: '=' | '>' | '>=' | '<' | '<=' | 'in' | 'glob';
  value: unknown;
}

export interface ListQuery {
  table: 'objects' | 'events';
  accountId: string;
  /** Object type, for the objects table. */
  type?: string;
  filters: Filter[];
  limit: number;
  startingAfter?: number;
  endingBefore?: number;
}

export interface IdempotencyRecord {
  fingerprint: string;
  requestId: string;
  responseStatus: number;
  responseBody: string;
  created: number;
}

export interface AccountRow {
  id: string;
  created: number;
  isDefault: boolean;
  doc: string;
}

export interface KeyRow {
  hash: string;
  accountId: string;
  kind: 'secret' | 'publishable';
  masked: string;
  created: number;
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

/** An object type as an SQL literal (types come from code, never from requests): lets partial indexes apply. */
function typeLiteral(type: string | undefined): string {
  if (!type || !/^[a-z_.]+$/.test(type)) throw new Error(`not an object type: ${type}`);
  return `'${type}'`;
}

const COLUMNS = new Set(['id', 'type', 'created', 'seq']);

export class Queries {
  /** Callbacks to run once this transaction has committed (none run if it rolls back). */
  private readonly committed: Array<() => void> = [];

  constructor(
    private readonly db: SqlConnection,
    private readonly inTransaction = false,
  ) {}

  /**
   * Runs `fn` after the transaction commits: for in-process wake-ups (a
   * dispatcher, a live stream) that then read what was committed. It is a
   * hint, not a guarantee: it may fire for work a rolled-back savepoint
   * undid, so listeners re-read the store. Outside a transaction it runs soon.
   */
  afterCommit(fn: () => void): void {
    if (this.inTransaction) this.committed.push(fn);
    else queueMicrotask(fn);
  }

  /** Runs the after-commit callbacks; the store calls it once COMMIT has succeeded. */
  runAfterCommit(): void {
    for (const fn of this.committed.splice(0)) {
      try {
        fn();
      } catch {
        // A wake-up hint must never fail the request that committed.
      }
    }
  }

  get dialect(): Dialect {
    return this.db.dialect;
  }

  private fieldSql(field: string): string {
    if (COLUMNS.has(field)) return field;
    const match = /^doc\.([a-z_]+)$/.exec(field);
    if (!match) throw new Error(`unknown filter field ${field}`);
    return docField(this.db.dialect, match[1]);
  }

  // ----- objects

  async getObject(accountId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<StoredRow | undefined> {
    const lock = options.forUpdate && this.db.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const rows = await this.db.all<StoredRow>(
      `SELECT id, type, seq, deleted, doc, private FROM objects WHERE id = ? AND account_id = ?${lock}`,
      [id, accountId],
    );
    const row = rows[0];
    return row && { ...row, deleted: Boolean(row.deleted) };
  }

  /**
   * `secret` is what Kassa keeps about an object but never shows in the API
   * (e.g. a card's network profile); it stays as it is when omitted on update.
   */
  async insertObject(accountId: string, object: { id: string; object: string; created: number }, secret?: unknown): Promise<void> {
    await this.db.run('INSERT INTO objects (id, account_id, type, created, doc, private) VALUES (?, ?, ?, ?, ?, ?)', [
      object.id,
      accountId,
      object.object,
      object.created,
      JSON.stringify(object),
      secret === undefined ? null : JSON.stringify(secret),
    ]);
  }

  async updateObject(accountId: string, object: { id: string }, secret?: unknown): Promise<void> {
    if (secret === undefined) {
      await this.db.run('UPDATE objects SET doc = ? WHERE id = ? AND account_id = ?', [JSON.stringify(object), object.id, accountId]);
    } else {
      await this.db.run('UPDATE objects SET doc = ?, private = ? WHERE id = ? AND account_id = ?', [JSON.stringify(object), JSON.stringify(secret), object.id, accountId]);
    }
  }

  /** Keeps the row so that the id still resolves, as Stripe's deleted objects do. */
  async markDeleted(accountId: string, object: { id: string }): Promise<void> {
    await this.db.run('UPDATE objects SET doc = ?, deleted = 1 WHERE id = ? AND account_id = ?', [JSON.stringify(object), object.id, accountId]);
  }

  /** Where an object of the type (or any event) sits in its table: a list's cursor. */
  async seqOf(table: 'objects' | 'events', accountId: string, id: string, type?: string): Promise<number | undefined> {
    const ofType = table === 'objects' && type !== undefined ? ` AND type = ${typeLiteral(type)}` : '';
    const rows = await this.db.all<{ seq: number }>(`SELECT seq FROM ${table} WHERE id = ? AND account_id = ?${ofType}`, [id, accountId]);
    return rows[0]?.seq;
  }

  /** Newest first. Returns up to `limit + 1` rows so the caller can tell `has_more`. */
  async list(query: ListQuery): Promise<StoredRow[]> {
    const where = ['account_id = ?'];
    const params: unknown[] = [query.accountId];
    if (query.table === 'objects') where.push(`type = ${typeLiteral(query.type)}`, 'deleted = 0');
    for (const filter of query.filters) {
      const field = this.fieldSql(filter.field);
      if (filter.op === 'in') {
        const values = filter.value as unknown[];
        where.push(`${field} IN (${values.map(() => '?').join(', ')})`);
        params.push(...values);
      } else if (filter.op === 'glob') {
        // A pattern match, unlike a range of strings, does not depend on the database's collation.
        where.push(this.db.dialect === 'sqlite' ? `${field} GLOB ?` : `${field} LIKE ? ESCAPE '\\'`);
        params.push(globPattern(this.db.dialect, String(filter.value)));
      } else {
        where.push(`${field} ${filter.op} ?`);
        params.push(filter.value);
      }
    }
    const backwards = query.endingBefore !== undefined;
    if (query.startingAfter !== undefined) {
      where.push('seq < ?');
      params.push(query.startingAfter);
    } else if (backwards) {
      where.push('seq > ?');
      params.push(query.endingBefore);
    }
    const columns = query.table === 'objects' ? 'id, type, seq, deleted, doc' : 'id, type, seq, 0 AS deleted, doc';
    const sql = `SELECT ${columns} FROM ${query.table} WHERE ${where.join(' AND ')} ORDER BY seq ${backwards ? 'ASC' : 'DESC'} LIMIT ?`;
    params.push(query.limit + 1);
    const rows = await this.db.all<StoredRow>(sql, params);
    return rows.map((r) => ({ ...r, deleted: Boolean(r.deleted) }));
  }

  /** Whether the account has any live object of the type (answered from the index alone). */
  async hasObjects(accountId: string, type: string): Promise<boolean> {
    const rows = await this.db.all(`SELECT 1 AS found FROM objects WHERE account_id = ? AND type = ${typeLiteral(type)} AND deleted = 0 LIMIT 1`, [accountId]);
    return rows.length > 0;
  }

  /** Live objects of one type (with their private data), newest first, older than `beforeSeq`: for search. */
  async scanObjects(accountId: string, type: string, beforeSeq: number | undefined, limit: number): Promise<StoredRow[]> {
    // No `seq < ?` bound for the first page: comparing with a huge sentinel makes SQLite's index search several times slower.
    const bound = beforeSeq === undefined ? '' : ' AND seq < ?';
    const rows = await this.db.all<StoredRow>(
      `SELECT id, type, seq, deleted, doc, private FROM objects WHERE account_id = ? AND type = ${typeLiteral(type)} AND deleted = 0${bound} ORDER BY seq DESC LIMIT ?`,
      beforeSeq === undefined ? [accountId, limit] : [accountId, beforeSeq, limit],
    );
    return rows.map((r) => ({ ...r, deleted: false }));
  }

  // ----- events (the outbox)

  async insertEvent(accountId: string, event: { id: string; type: string; created: number }): Promise<void> {
    await this.db.run('INSERT INTO events (id, account_id, type, created, doc) VALUES (?, ?, ?, ?, ?)', [
      event.id,
      accountId,
      event.type,
      event.created,
      JSON.stringify(event),
    ]);
  }

  async getEvent(accountId: string, id: string): Promise<StoredRow | undefined> {
    const rows = await this.db.all<StoredRow>('SELECT id, type, seq, 0 AS deleted, doc FROM events WHERE id = ? AND account_id = ?', [id, accountId]);
    return rows[0] && { ...rows[0], deleted: false };
  }

  /** Stored events by id, whatever their account (the caller checks it): one query for a batch of deliveries. */
  async eventsByIds(ids: string[]): Promise<Map<string, StoredRow & { accountId: string }>> {
    const found = new Map<string, StoredRow & { accountId: string }>();
    if (ids.length === 0) return found;
    const rows = await this.db.all<StoredRow & { account_id: string }>(
      `SELECT id, account_id, type, seq, doc FROM events WHERE id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    for (const r of rows) found.set(r.id, { id: r.id, type: r.type, seq: Number(r.seq), doc: r.doc, deleted: false, accountId: r.account_id });
    return found;
  }

  /** Locks an event's row until the transaction ends (PostgreSQL; SQLite transactions never overlap), so that concurrent successes of one delivery count once. */
  async lockEvent(accountId: string, eventId: string): Promise<void> {
    if (this.db.dialect === 'postgres') await this.db.all('SELECT id FROM events WHERE id = ? AND account_id = ? FOR UPDATE', [eventId, accountId]);
  }

  /** Counts one webhook delivery of the event as done (`pending_webhooks`, never below 0). */
  async decrementPendingWebhooks(accountId: string, eventId: string): Promise<void> {
    if (this.db.dialect === 'sqlite') {
      // In place: SQLite's json_set writes the document back byte for byte as JSON.stringify would, less the parse and copy.
      await this.db.run(
        `UPDATE events SET doc = json_set(doc, '$.pending_webhooks', json_extract(doc, '$.pending_webhooks') - 1)
         WHERE id = ? AND account_id = ? AND json_extract(doc, '$.pending_webhooks') > 0`,
        [eventId, accountId],
      );
      return;
    }
    const lock = this.db.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const rows = await this.db.all<{ doc: string }>(`SELECT doc FROM events WHERE id = ? AND account_id = ?${lock}`, [eventId, accountId]);
    if (!rows[0]) return;
    const event = JSON.parse(rows[0].doc) as { pending_webhooks: number };
    if (event.pending_webhooks <= 0) return;
    event.pending_webhooks -= 1;
    await this.db.run('UPDATE events SET doc = ? WHERE id = ? AND account_id = ?', [JSON.stringify(event), eventId, accountId]);
  }

  async insertWebhookAttempt(attempt: WebhookAttempt): Promise<void> {
    await this.db.run(
      `INSERT INTO webhook_attempts (id, account_id, event_id, endpoint_id, attempted_at, status, latency_ms, response_excerpt, error, chaos)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        attempt.id, attempt.accountId, attempt.eventId, attempt.endpointId, attempt.attemptedAt, attempt.status, attempt.latencyMs, attempt.responseExcerpt, attempt.error,
        attempt.chaos ? JSON.stringify(attempt.chaos) : null,
      ],
    );
  }

  /** An event's delivery attempts, oldest first. */
  async webhookAttempts(accountId: string, eventId: string): Promise<WebhookAttempt[]> {
    const rows = await this.db.all<WebhookAttemptRow>(
      `SELECT id, account_id, event_id, endpoint_id, attempted_at, status, latency_ms, response_excerpt, error, chaos
       FROM webhook_attempts WHERE account_id = ? AND event_id = ? ORDER BY seq`,
      [accountId, eventId],
    );
    return rows.map(toWebhookAttempt);
  }

  /** Delivery attempts newest first (by `seq`), optionally for one event and/or endpoint; `seq` bounds page through them. */
  async listWebhookAttempts(query: {
    accountId: string; eventId?: string; endpointId?: string; limit: number; startingAfter?: number; endingBefore?: number;
  }): Promise<Array<WebhookAttempt & { seq: number }>> {
    const where = ['account_id = ?'];
    const args: unknown[] = [query.accountId];
    if (query.eventId !== undefined) (where.push('event_id = ?'), args.push(query.eventId));
    if (query.endpointId !== undefined) (where.push('endpoint_id = ?'), args.push(query.endpointId));
    if (query.startingAfter !== undefined) (where.push('seq < ?'), args.push(query.startingAfter));
    if (query.endingBefore !== undefined) (where.push('seq > ?'), args.push(query.endingBefore));
    const order = query.endingBefore !== undefined ? 'ASC' : 'DESC';
    const rows = await this.db.all<WebhookAttemptRow & { seq: number }>(
      `SELECT seq, id, account_id, event_id, endpoint_id, attempted_at, status, latency_ms, response_excerpt, error, chaos
       FROM webhook_attempts WHERE ${where.join(' AND ')} ORDER BY seq ${order} LIMIT ?`,
      [...args, query.limit + 1],
    );
    return rows.map((r) => ({ ...toWebhookAttempt(r), seq: Number(r.seq) }));
  }

  async webhookAttemptSeq(accountId: string, id: string): Promise<number | undefined> {
    const rows = await this.db.all<{ seq: number }>('SELECT seq FROM webhook_attempts WHERE account_id = ? AND id = ?', [accountId, id]);
    return rows[0] ? Number(rows[0].seq) : undefined;
  }

  /** Whether the endpoint has answered 2xx to a delivery of the event (read through the event's index: an event has few attempts, an endpoint many). */
  async webhookSucceeded(accountId: string, eventId: string, endpointId: string): Promise<boolean> {
    const rows = await this.db.all<{ endpoint_id: string }>(
      'SELECT endpoint_id FROM webhook_attempts WHERE account_id = ? AND event_id = ? AND status >= 200 AND status < 300',
      [accountId, eventId],
    );
    return rows.some((r) => r.endpoint_id === endpointId);
  }

  /** When the endpoint last answered 2xx (optionally for one event), or undefined if it never has. */
  async lastWebhookSuccessAt(accountId: string, endpointId: string, eventId?: string): Promise<number | undefined> {
    const byEvent = eventId === undefined ? '' : ' AND event_id = ?';
    const rows = await this.db.all<{ at: number | null }>(
      `SELECT MAX(attempted_at) AS at FROM webhook_attempts WHERE account_id = ? AND endpoint_id = ?${byEvent} AND status >= 200 AND status < 300`,
      eventId === undefined ? [accountId, endpointId] : [accountId, endpointId, eventId],
    );
    return rows[0]?.at == null ? undefined : Number(rows[0].at);
  }

  // ----- accounts and keys

  async insertAccount(account: AccountRow): Promise<void> {
    await this.db.run('INSERT INTO accounts (id, created, is_default, doc) VALUES (?, ?, ?, ?)', [
      account.id,
      account.created,
      account.isDefault ? 1 : 0,
      account.doc,
    ]);
  }

  /**
   * Keeps other transactions from writing accounts until this one ends, so
   * processes starting together agree on one default account. (A SQLite
   * write transaction already excludes the others: BEGIN IMMEDIATE.)
   */
  async lockAccounts(): Promise<void> {
    if (this.db.dialect === 'postgres') await this.db.run('LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE');
  }

  /** The account's secret for card fingerprints, made on first use. */
  async fingerprintKey(accountId: string, fresh: () => string): Promise<string> {
    const read = async () => (await this.db.all<{ fingerprint_key: string | null }>('SELECT fingerprint_key FROM accounts WHERE id = ?', [accountId]))[0]?.fingerprint_key;
    const existing = await read();
    if (existing) return existing;
    await this.db.run('UPDATE accounts SET fingerprint_key = ? WHERE id = ? AND fingerprint_key IS NULL', [fresh(), accountId]);
    const made = await read();
    if (!made) throw new Error(`no account ${accountId}`);
    return made;
  }

  async defaultAccount(): Promise<AccountRow | undefined> {
    const rows = await this.db.all<{ id: string; created: number; doc: string }>('SELECT id, created, doc FROM accounts WHERE is_default = 1');
    return rows[0] && { ...rows[0], isDefault: true };
  }

  async listAccounts(): Promise<Array<AccountRow & { keys: KeyRow[] }>> {
    const accounts = await this.db.all<{ id: string; created: number; is_default: number; doc: string }>('SELECT id, created, is_default, doc FROM accounts ORDER BY created, id');
    const keys = await this.db.all<{ hash: string; account_id: string; kind: KeyRow['kind']; masked: string; created: number }>(
      'SELECT hash, account_id, kind, masked, created FROM api_keys ORDER BY created',
    );
    return accounts.map((a) => ({
      id: a.id,
      created: a.created,
      isDefault: Boolean(a.is_default),
      doc: a.doc,
      keys: keys.filter((k) => k.account_id === a.id).map((k) => ({ hash: k.hash, accountId: k.account_id, kind: k.kind, masked: k.masked, created: k.created })),
    }));
  }

  async insertKey(key: KeyRow): Promise<void> {
    await this.db.run('INSERT INTO api_keys (hash, account_id, kind, masked, created) VALUES (?, ?, ?, ?, ?)', [
      key.hash,
      key.accountId,
      key.kind,
      key.masked,
      key.created,
    ]);
  }

  async findKey(hash: string): Promise<KeyRow | undefined> {
    const rows = await this.db.all<{ hash: string; account_id: string; kind: KeyRow['kind']; masked: string; created: number }>(
      'SELECT hash, account_id, kind, masked, created FROM api_keys WHERE hash = ?',
      [hash],
    );
    const row = rows[0];
    return row && { hash: row.hash, accountId: row.account_id, kind: row.kind, masked: row.masked, created: row.created };
  }

  // ----- idempotency keys

  /**
   * Holds the key for the rest of this transaction, so that a concurrent
   * request with it is told so at once. False when another transaction holds
   * it. (SQLite transactions never overlap, so there it always succeeds.)
   */
  async tryLockIdempotencyKey(scope: IdempotencyScope): Promise<boolean> {
    if (this.db.dialect !== 'postgres') return true;
    const digest = createHash('sha256').update(`${scope.accountId}\n${scope.keyId}\n${scope.key}`).digest();
    const rows = await this.db.all<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(?) AS locked', [digest.readBigInt64BE(0).toString()]);
    return rows[0]?.locked === true;
  }

  async getIdempotencyKey(scope: IdempotencyScope): Promise<IdempotencyRecord | undefined> {
    const rows = await this.db.all<{ fingerprint: string; request_id: string; response_status: number; response_body: string; created: number }>(
      `SELECT fingerprint, request_id, response_status, response_body, created FROM idempotency_keys
       WHERE account_id = ? AND key_id = ? AND idempotency_key = ?`,
      [scope.accountId, scope.keyId, scope.key],
    );
    const row = rows[0];
    return (
      row && { fingerprint: row.fingerprint, requestId: row.request_id, responseStatus: row.response_status, responseBody: row.response_body, created: row.created }
    );
  }

  /** Records a request's response, in the transaction that made its writes. */
  async insertIdempotencyKey(scope: IdempotencyScope, record: IdempotencyRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO idempotency_keys (account_id, key_id, idempotency_key, created, fingerprint, request_id, response_status, response_body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [scope.accountId, scope.keyId, scope.key, record.created, record.fingerprint, record.requestId, record.responseStatus, record.responseBody],
    );
  }

  async deleteIdempotencyKey(scope: IdempotencyScope): Promise<void> {
    await this.db.run('DELETE FROM idempotency_keys WHERE account_id = ? AND key_id = ? AND idempotency_key = ?', [scope.accountId, scope.keyId, scope.key]);
  }

  /** Runs `fn` in a savepoint: its writes are undone if it throws, the transaction goes on. */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    await this.db.run('SAVEPOINT kassa_request');
    try {
      const result = await fn();
      await this.db.run('RELEASE SAVEPOINT kassa_request');
      return result;
    } catch (error) {
      await this.db.run('ROLLBACK TO SAVEPOINT kassa_request');
      await this.db.run('RELEASE SAVEPOINT kassa_request');
      throw error;
    }
  }

  async pruneIdempotencyKeys(olderThan: number): Promise<number> {
    return this.db.run('DELETE FROM idempotency_keys WHERE created < ?', [olderThan]);
  }

  // ----- jobs (durable scheduled work, see src/jobs/)

  /** A job whose id is already scheduled is not added again. */
  async insertJob(job: { id: string; accountId: string; kind: string; runAt: number; payload: string; created: number }): Promise<void> {
    await this.db.run('INSERT INTO jobs (id, account_id, kind, run_at, payload, created) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [
      job.id,
      job.accountId,
      job.kind,
      job.runAt,
      job.payload,
      job.created,
    ]);
  }

  /** Whether any job (of the kinds chosen) is due and unclaimed: a cheap read before taking the write lock that claiming needs. */
  async hasDueJobs(now: number, kinds: JobKinds = {}): Promise<boolean> {
    const [kindSql, kindArgs] = kindFilter(kinds);
    const rows = await this.db.all(`SELECT 1 AS due FROM jobs WHERE done = 0 AND run_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)${kindSql} LIMIT 1`, [now, now, ...kindArgs]);
    return rows.length > 0;
  }

  /**
   * Claims up to `limit` due jobs that nobody holds (never claimed, or the
   * claim ran out) until `claimUntil`. Each claim counts an attempt; the new
   * `attempts` identifies the claim (see holdJob). PostgreSQL skips rows that
   * another worker has locked; a SQLite write transaction excludes the others.
   */
  async claimDueJobs(now: number, claimUntil: number, limit: number, kinds: JobKinds = {}): Promise<JobRow[]> {
    const lock = this.db.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
    const [kindSql, kindArgs] = kindFilter(kinds);
    const rows = await this.db.all<JobSqlRow>(
      `UPDATE jobs SET claimed_until = ?, attempts = attempts + 1
       WHERE id IN (SELECT id FROM jobs WHERE done = 0 AND run_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)${kindSql} ORDER BY run_at, id LIMIT ?${lock})
       RETURNING ${JOB_COLUMNS}`,
      [claimUntil, now, now, ...kindArgs, limit],
    );
    return rows.map(jobRow).sort((a, b) => a.runAt - b.runAt || (a.id < b.id ? -1 : 1));
  }

  /**
   * Locks a claimed job for running in this transaction; false when the claim
   * is no longer the caller's (another worker took it over, or the job ran).
   */
  async holdJob(id: string, attempts: number): Promise<boolean> {
    const lock = this.db.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const rows = await this.db.all(`SELECT id FROM jobs WHERE id = ? AND attempts = ? AND done = 0${lock}`, [id, attempts]);
    return rows.length === 1;
  }

  /** Marks a claimed job done if the claim is still the caller's (holdJob and finishJob in one statement); false when it was lost. */
  async completeJob(id: string, attempts: number): Promise<boolean> {
    return (await this.db.run('UPDATE jobs SET done = 1, claimed_until = NULL WHERE id = ? AND attempts = ? AND done = 0', [id, attempts])) === 1;
  }

  /** Holds a claim longer (a delivery that chaos mode delays); false when it was lost. */
  async extendClaim(id: string, attempts: number, claimUntil: number): Promise<boolean> {
    return (await this.db.run('UPDATE jobs SET claimed_until = ? WHERE id = ? AND attempts = ? AND done = 0', [claimUntil, id, attempts])) === 1;
  }

  /** Gives a claim back unrun, to be claimed again from `runAt` (a delivery to an endpoint with too many in flight). */
  async releaseJob(id: string, attempts: number, runAt: number): Promise<void> {
    await this.db.run('UPDATE jobs SET claimed_until = NULL, run_at = ? WHERE id = ? AND attempts = ? AND done = 0', [runAt, id, attempts]);
  }

  async finishJob(id: string, attempts: number): Promise<void> {
    await this.db.run('UPDATE jobs SET done = 1, claimed_until = NULL WHERE id = ? AND attempts = ?', [id, attempts]);
  }

  /** Releases a failed claim: the job runs again at `runAt`, or never again when `giveUp`. */
  async failJob(id: string, attempts: number, outcome: { runAt: number; error: string; giveUp: boolean }): Promise<void> {
    await this.db.run('UPDATE jobs SET claimed_until = NULL, run_at = ?, last_error = ?, done = ? WHERE id = ? AND attempts = ? AND done = 0', [
      outcome.runAt,
      outcome.error,
      outcome.giveUp ? 2 : 0,
      id,
      attempts,
    ]);
  }

  async getJob(id: string): Promise<JobRow | undefined> {
    const rows = await this.db.all<JobSqlRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`, [id]);
    return rows[0] && jobRow(rows[0]);
  }

  // ----- the balance

  /** Net amounts of the account's balance transactions per currency: available (available_on <= now) and pending. */
  async balanceSums(accountId: string, now: number): Promise<Array<{ currency: string; available: number; pending: number }>> {
    const field = (name: string) => docField(this.db.dialect, name);
    const int = (name: string) => (this.db.dialect === 'sqlite' ? field(name) : `${field(name)}::bigint`);
    const sum = (sql: string) => (this.db.dialect === 'sqlite' ? `SUM(${sql})` : `SUM(${sql})::bigint`);
    const rows = await this.db.all<{ currency: string; available: number; pending: number }>(
      `SELECT ${field('currency')} AS currency,
              ${sum(`CASE WHEN ${int('available_on')} <= ? THEN ${int('net')} ELSE 0 END`)} AS available,
              ${sum(`CASE WHEN ${int('available_on')} > ? THEN ${int('net')} ELSE 0 END`)} AS pending
       FROM objects WHERE account_id = ? AND type = 'balance_transaction' AND deleted = 0
       GROUP BY ${field('currency')} ORDER BY ${field('currency')}`,
      [now, now, accountId],
    );
    return rows.map((r) => ({ currency: r.currency, available: Number(r.available), pending: Number(r.pending) }));
  }
}

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

export interface JobRow {
  id: string;
  accountId: string;
  kind: string;
  runAt: number;
  /** JSON text. */
  payload: string;
  attempts: number;
  claimedUntil: number | null;
  done: number;
  lastError: string | null;
  created: number;
}

const JOB_COLUMNS = 'id, account_id, kind, run_at, payload, attempts, claimed_until, done, last_error, created';

/** Which kinds of job a worker claims: one kind only, or all but some (kinds come from code). */
export interface JobKinds {
  only?: string;
  except?: string[];
}

function kindFilter(kinds: JobKinds): [string, string[]] {
  if (kinds.only !== undefined) return [' AND kind = ?', [kinds.only]];
  if (kinds.except?.length) return [` AND kind NOT IN (${kinds.except.map(() => '?').join(', ')})`, kinds.except];
  return ['', []];
}

interface JobSqlRow {
  id: string;
  account_id: string;
  kind: string;
  run_at: number;
  payload: string;
  attempts: number;
  claimed_until: number | null;
  done: number;
  last_error: string | null;
  created: number;
}

function jobRow(row: JobSqlRow): JobRow {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    runAt: Number(row.run_at),
    payload: row.payload,
    attempts: Number(row.attempts),
    claimedUntil: row.claimed_until === null ? null : Number(row.claimed_until),
    done: Number(row.done),
    lastError: row.last_error,
    created: Number(row.created),
  };
}

/** A `*` pattern in the engine's own syntax, every other character literal. */
function globPattern(dialect: Dialect, pattern: string): string {
  if (dialect === 'sqlite') return pattern.replace(/[?[]/g, (c) => `[${c}]`);
  return pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

export interface IdempotencyScope {
  accountId: string;
  keyId: string;
  key: string;
}

export interface Store {
  readonly dialect: Dialect;
  /** Committed data, outside any transaction. */
  readonly read: Queries;
  transaction<T>(fn: (tx: Queries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StoreConfig {
  /** `postgres://...` selects PostgreSQL; otherwise SQLite at `sqlitePath`. */
  databaseUrl?: string;
  sqlitePath?: string;
  poolSize?: number;
}

export async function openStore(config: StoreConfig): Promise<Store> {
  const url = config.databaseUrl;
  if (url && !/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)');
  const driver: Driver = url ? openPostgres(url, { poolSize: config.poolSize }) : openSqlite(config.sqlitePath ?? ':memory:');
  try {
    await migrate(driver);
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw error;
  }
  return {
    dialect: driver.dialect,
    read: new Queries(driver.reader),
    async transaction(fn) {
      let queries: Queries | undefined;
      const result = await driver.transaction((connection) => fn((queries = new Queries(connection, true))));
      queries?.runAfterCommit();
      return result;
    },
    close: () => driver.close(),
  };
}
