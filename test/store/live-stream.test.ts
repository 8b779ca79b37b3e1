// The live tail of an account's events (what listen sockets stream), on both
// stores: after its starting point, oldest first, only the account's events of
// the asked types, woken at once by events recorded in this process, finding
// by polling those committed elsewhere, and (PostgreSQL) not losing an event
// whose transaction commits after a later one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildEvent, eventRecorder } from '../../src/events/events.js';

/** Records events as an app with no webhooks module would. */
const recordEvent = eventRecorder([]);
import { latestEventSeq, tailEvents, type StreamedEvent } from '../../src/listen/live-stream.js';
import { openStore, type Store } from '../../src/store/store.js';
import { describeEachStore } from '../support/each-store.js';
import { until } from '../support/until.js';
import { insertEvent } from '../../src/events/event-store.js';
import { MIGRATIONS } from '../../src/schema.js';

const request = { id: null, idempotency_key: null };

describeEachStore('live event tail', (target) => {
  let store: Store;
  let n = 0;
  before(async () => {
    store = await openStore(await target.config(), MIGRATIONS);
  });
  after(() => store.close());

  const account = () => `acct_tail${++n}${Date.now()}`;
  const event = (type: string) =>
    buildEvent(type, { id: `cus_${++n}`, object: 'customer' }, { now: 1_700_000_000, request });
  const record = (accountId: string, type: string) => {
    const e = event(type);
    return store.transaction((tx) => recordEvent(tx, accountId, e)).then(() => e.id);
  };
  /**
   * Inserts an event in a transaction that stays open until `release()`: the
   * event has taken its seq but is not visible yet (a slow commit elsewhere).
   */
  async function insertHeld(accountId: string, type: string) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedNow = new Promise<void>((resolve) => (inserted = resolve));
    const e = event(type);
    const committed = store.transaction(async (tx) => {
      await insertEvent(tx, accountId, e);
      inserted();
      await held;
    });
    await insertedNow;
    return { event: e, release, committed };
  }

  /** As another process would: stored, but no in-process wake-up. */
  const insertQuietly = (accountId: string, type: string) => {
    const e = event(type);
    return store.transaction((tx) => insertEvent(tx, accountId, e)).then(() => e.id);
  };

  test("streams the account's events after the starting point, oldest first, of the asked types only", async () => {
    const mine = account();
    const other = account();
    await record(mine, 'customer.created'); // before the starting point
    const start = await latestEventSeq(store.read, mine);
    const got: StreamedEvent[] = [];
    const tail = tailEvents({
      db: store.read,
      accountId: mine,
      types: ['customer.created', 'customer.updated'],
      afterSeq: start,
      deliver: (e) => got.push(e),
    });
    try {
      const wanted = [await record(mine, 'customer.created'), await record(mine, 'customer.updated')];
      await record(mine, 'customer.deleted');
      await record(other, 'customer.created');
      wanted.push(await record(mine, 'customer.updated'));
      await until('three streamed events', async () => got.length >= 3);
      // A last matching event proves that everything before it has been seen.
      wanted.push(await record(mine, 'customer.created'));
      await until('four streamed events', async () => got.length >= 4);
      assert.deepEqual(
        got.map((e) => e.id),
        wanted,
      );
      assert.deepEqual(
        got.map((e) => JSON.parse(e.doc).id),
        wanted,
      );
      assert.equal(tail.lastSeq(), got[3]!.seq);
    } finally {
      tail.stop();
    }
  });

  test('an event recorded in this process wakes the tail at once; one committed elsewhere is found by polling', async () => {
    const mine = account();
    const got: string[] = [];
    // Polling once a minute: only the wake-up can deliver within the wait below.
    const slow = tailEvents({
      db: store.read,
      accountId: mine,
      types: [],
      afterSeq: await latestEventSeq(store.read, mine),
      pollMs: 60_000,
      deliver: (e) => got.push(e.id),
    });
    const fast = tailEvents({
      db: store.read,
      accountId: mine,
      types: [],
      afterSeq: await latestEventSeq(store.read, mine),
      pollMs: 50,
      deliver: (e) => got.push(`polled:${e.id}`),
    });
    try {
      const woken = await record(mine, 'customer.created');
      await until('the recorded event', async () => got.includes(woken), 10_000);
      const quiet = await insertQuietly(mine, 'customer.updated');
      await until('the quietly inserted event, polled', async () => got.includes(`polled:${quiet}`), 10_000);
      // Nothing woke the slow tail: polling is what found it.
      assert.ok(!got.includes(quiet));
    } finally {
      slow.stop();
      fast.stop();
    }
  });

  test('an event whose transaction took its seq before the tail started, and commits after, is streamed (PostgreSQL)', {
    skip: target.name !== 'postgres' && 'SQLite commits in seq order',
  }, async () => {
    const mine = account();
    const { event: early, release, committed: slowCommit } = await insertHeld(mine, 'customer.created');
    const before = await insertQuietly(mine, 'customer.updated'); // committed before the tail starts
    const got: string[] = [];
    const tail = tailEvents({
      db: store.read,
      accountId: mine,
      types: [],
      afterSeq: await latestEventSeq(store.read, mine),
      pollMs: 50,
      settleMs: 5000,
      deliver: (e) => got.push(e.id),
    });
    try {
      await tail.ready;
      release();
      await slowCommit;
      await until('the event that committed after the tail started', async () => got.includes(early.id), 10_000);
      const last = await insertQuietly(mine, 'customer.deleted');
      await until('the final event', async () => got.includes(last), 10_000);
      assert.deepEqual(got, [early.id, last]);
      assert.ok(!got.includes(before));
    } finally {
      tail.stop();
    }
  });

  test("an event whose transaction commits after a later event's is still streamed, once (PostgreSQL)", {
    skip: target.name !== 'postgres' && 'SQLite commits in seq order',
  }, async () => {
    const mine = account();
    const got: string[] = [];
    const tail = tailEvents({
      db: store.read,
      accountId: mine,
      types: [],
      afterSeq: await latestEventSeq(store.read, mine),
      pollMs: 50,
      settleMs: 5000,
      deliver: (e) => got.push(e.id),
    });
    try {
      const { event: early, release, committed: slowCommit } = await insertHeld(mine, 'customer.created');
      const late = await insertQuietly(mine, 'customer.updated');
      await until('the later event', async () => got.includes(late), 10_000);
      release();
      await slowCommit;
      await until('the event that committed last', async () => got.includes(early.id), 10_000);
      // More polls pass over both again without streaming either twice.
      const last = await insertQuietly(mine, 'customer.deleted');
      await until('the final event', async () => got.includes(last), 10_000);
      assert.deepEqual(got, [late, early.id, last]);
    } finally {
      tail.stop();
    }
  });
});
