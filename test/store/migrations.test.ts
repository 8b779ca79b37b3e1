// A database made when all migrations were one numbered list (recorded by
// number in kassa_migrations) is recognised and upgraded, keeping its data;
// migrations are applied once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventsByIds } from '../../src/events/event-store.js';
import { getJob, scheduleOverdueHolds } from '../../src/jobs/job-store.js';
import { getIdempotencyKey } from '../../src/server/idempotency-store.js';
import type { CardProfile } from '../../src/network/network.js';
import { createSimulatedNetwork } from '../../src/network/simulator/simulated-network.js';
import { MIGRATIONS } from '../../src/schema.js';
import { tableExists } from '../../src/store/dialect.js';
import { openStore, type Store, type StoreConfig } from '../../src/store/store.js';
import { describeEachStore } from '../support/each-store.js';
import { getObjectRow, ObjectHeld, releaseHolds } from '../../src/store/objects.js';

/** What the numbered-list runner made: the same statements in the same order, recorded as 1..6. */
async function legacyDatabase(config: StoreConfig): Promise<void> {
  const legacy = MIGRATIONS.filter((m) => m.legacyId !== undefined).sort((a, b) => a.legacyId! - b.legacyId!);
  const store = await openStore(config, legacy);
  try {
    await store.transaction(async (tx) => {
      await tx.run('DROP TABLE kassa_schema');
      await tx.run(
        'CREATE TABLE kassa_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)',
      );
      for (const id of [1, 2, 3, 4, 5, 6])
        await tx.run('INSERT INTO kassa_migrations (id, name, applied) VALUES (?, ?, 0)', [id, `migration ${id}`]);
      await tx.run("INSERT INTO accounts (id, created, is_default, doc) VALUES ('acct_1', 1, 1, '{}')");
      await tx.run(
        `INSERT INTO objects (id, account_id, type, created, doc) VALUES ('cus_1', 'acct_1', 'customer', 1, '{"id":"cus_1","object":"customer","email":"a@b.c"}')`,
      );
      await tx.run(
        `INSERT INTO idempotency_keys (account_id, key_id, idempotency_key, created, fingerprint, request_id, response_status, response_body)
         VALUES ('acct_1', 'key_1', 'order-1', 1, 'fp', 'req_1', 200, '{"id":"cus_1"}')`,
      );
      await tx.run(
        `INSERT INTO events (id, account_id, type, created, doc, dispatched) VALUES ('evt_1', 'acct_1', 'customer.created', 1, '{"id":"evt_1"}', 1)`,
      );
      for (const [id, done] of [
        ['job_waiting', 0],
        ['job_ran', 1],
        ['job_given_up', 2],
      ] as const) {
        await tx.run(
          "INSERT INTO jobs (id, account_id, kind, run_at, payload, created, done) VALUES (?, 'acct_1', 'test.kind', 1, 'null', 1, ?)",
          [id, done],
        );
      }
    });
  } finally {
    await store.close();
  }
}

async function columns(store: Store, table: string): Promise<string[]> {
  const sql =
    store.dialect === 'sqlite'
      ? `SELECT name FROM pragma_table_info('${table}')`
      : `SELECT column_name AS name FROM information_schema.columns WHERE table_name = '${table}' AND table_schema = current_schema()`;
  return (await store.read.all<{ name: string }>(sql)).map((r) => r.name).sort();
}

describeEachStore('migrations', (target) => {
  test('a database of the numbered migrations is upgraded once and keeps its data', async () => {
    const config = await target.config();
    await legacyDatabase(config);

    for (const round of [1, 2]) {
      const store = await openStore(config, MIGRATIONS);
      try {
        const applied = await store.read.all<{ key: string }>('SELECT key FROM kassa_schema ORDER BY key');
        assert.deepEqual(
          applied.map((r) => r.key),
          [
            'billing:001',
            'events:002',
            'idempotency:002',
            'jobs:002',
            'objects:004',
            'objects:005',
            'objects:006',
            'payments:001',
          ],
          `round ${round}: only the new migrations ran`,
        );
        assert.equal(
          (await getObjectRow(store.read, 'acct_1', 'cus_1'))?.doc,
          '{"id":"cus_1","object":"customer","email":"a@b.c"}',
        );
        assert.equal((await eventsByIds(store.read, ['evt_1'])).get('evt_1')?.doc, '{"id":"evt_1"}');
        const scope = { accountId: 'acct_1', keyId: 'key_1', key: 'order-1' };
        assert.equal((await getIdempotencyKey(store.read, scope))?.responseBody, '{"id":"cus_1"}');
        assert.ok(!(await columns(store, 'events')).includes('dispatched'));
        assert.ok(!(await columns(store, 'events')).includes('claimed_until'));
        assert.ok(!(await columns(store, 'jobs')).includes('done'));
        const statuses = await Promise.all(
          ['job_waiting', 'job_ran', 'job_given_up'].map(async (id) => (await getJob(store.read, id))?.status),
        );
        assert.deepEqual(statuses, ['pending', 'done', 'failed']);
        assert.equal((await getJob(store.read, 'job_waiting'))?.clockId, null);
      } finally {
        await store.close();
      }
    }
  });

  test('a new database applies every migration by key and has no numbered record', async () => {
    const store = await openStore(await target.config(), MIGRATIONS);
    try {
      const applied = await store.read.all<{ key: string }>('SELECT key FROM kassa_schema');
      assert.deepEqual(applied.map((r) => r.key).sort(), MIGRATIONS.map((m) => m.key).sort());
      assert.equal((await store.read.all(tableExists(store.dialect), ['kassa_migrations'])).length, 0);
    } finally {
      await store.close();
    }
  });

  test('objects:006: a hold made before holds had their own table still holds, and still recovers', async () => {
    const config = await target.config();
    const before = await openStore(
      config,
      MIGRATIONS.filter((m) => m.key !== 'objects:006'),
    );
    try {
      await before.transaction(async (tx) => {
        const insert = 'INSERT INTO objects (id, account_id, type, created, doc) VALUES (?, ?, ?, 1, ?)';
        await tx.run(insert, ['pi_held', 'acct_1', 'payment_intent', '{"id":"pi_held"}']);
        await tx.run(insert, ['pm_held', 'acct_1', 'payment_method', '{"id":"pm_held"}']);
        await tx.run(insert, ['pi_free', 'acct_1', 'payment_intent', '{"id":"pi_free"}']);
        await tx.run(
          "UPDATE objects SET held_by = 'job_attempt', held_until = 100, hold_job = 'test.recover', hold_payload = '{\"n\":1}' WHERE id = 'pi_held'",
        );
        await tx.run("UPDATE objects SET held_by = 'job_attempt' WHERE id = 'pm_held'");
      });
    } finally {
      await before.close();
    }
    const store = await openStore(config, MIGRATIONS);
    try {
      assert.ok(!(await columns(store, 'objects')).includes('held_by'));
      await store.transaction(async (tx) => {
        for (const id of ['pi_held', 'pm_held']) {
          await assert.rejects(getObjectRow(tx, 'acct_1', id, { forUpdate: true }), ObjectHeld);
        }
        assert.equal((await getObjectRow(tx, 'acct_1', 'pi_free', { forUpdate: true }))?.doc, '{"id":"pi_free"}');
        assert.equal(await scheduleOverdueHolds(tx, 100), 1);
      });
      const job = await getJob(store.read, 'job_attempt');
      assert.equal(job?.kind, 'test.recover');
      assert.equal(job?.payload, '{"n":1}');
      await store.transaction(async (tx) => {
        assert.equal(await releaseHolds(tx, 'acct_1', ['pi_held', 'pm_held'], 'job_attempt'), true);
        assert.equal(await releaseHolds(tx, 'acct_1', ['pi_held', 'pm_held'], 'job_attempt'), false);
      });
      assert.deepEqual(await store.read.all('SELECT object_id FROM object_holds'), []);
    } finally {
      await store.close();
    }
  });

  test('payments:001: stored card profiles name their test card in networkRef, and still behave as it', async () => {
    const config = await target.config();
    // A card profile as Kassa stored it before: the test card id under `testCard`.
    const profile = {
      brand: 'visa',
      display_brand: 'visa',
      funding: 'credit',
      country: 'US',
      last4: '0002',
      exp_month: 12,
      exp_year: 2030,
      fingerprint: 'fp0000000000000a',
      checks: { cvc_check: 'unchecked', address_line1_check: null, address_postal_code_check: null },
      networks: { available: ['visa'], preferred: null },
      three_d_secure_usage: { supported: true },
      testCard: 'charge_declined',
    };
    const refundFails = { ...profile, last4: '5126', testCard: 'refund_fail' };
    const before = await openStore(
      config,
      MIGRATIONS.filter((m) => m.key !== 'payments:001'),
    );
    try {
      await before.transaction(async (tx) => {
        const insert = 'INSERT INTO objects (id, account_id, type, created, doc, private) VALUES (?, ?, ?, 1, ?, ?)';
        await tx.run(insert, [
          'pm_old',
          'acct_1',
          'payment_method',
          '{"id":"pm_old","object":"payment_method"}',
          JSON.stringify({ card: profile }),
        ]);
        await tx.run(insert, [
          'ch_old',
          'acct_1',
          'charge',
          '{"id":"ch_old","object":"charge"}',
          JSON.stringify({ card: refundFails, authorizationId: 'auth_old', receiptToken: 't' }),
        ]);
        // Another type's private data is not a card profile and is left alone.
        await tx.run(insert, [
          'cus_old',
          'acct_1',
          'customer',
          '{"id":"cus_old","object":"customer"}',
          '{"testCard":"x"}',
        ]);
      });
    } finally {
      await before.close();
    }

    const store = await openStore(config, MIGRATIONS);
    try {
      const secret = async (id: string) =>
        JSON.parse((await getObjectRow(store.read, 'acct_1', id))!.private!) as { card: CardProfile };
      const pm = await secret('pm_old');
      const { testCard, ...rest } = profile;
      assert.deepEqual(
        pm.card,
        { ...rest, networkRef: testCard },
        'the same profile, the test card id under networkRef',
      );
      const charge = await secret('ch_old');
      assert.equal(charge.card.networkRef, 'refund_fail');
      assert.equal((await getObjectRow(store.read, 'acct_1', 'cus_old'))!.private, '{"testCard":"x"}');

      // The simulator reads networkRef: the old card still declines, the old charge's refund still fails later.
      const network = createSimulatedNetwork();
      const result = await network.authorize({
        idempotencyKey: 'ch_new',
        amount: 2000,
        currency: 'usd',
        profile: pm.card,
        captureMethod: 'automatic',
        offSession: false,
        authenticated: false,
      });
      assert.equal(result.status === 'declined' && result.decline_code, 'generic_decline');
      const refund = await network.refund({
        idempotencyKey: 're_new',
        authorizationId: 'auth_old',
        amount: 500,
        profile: charge.card,
      });
      assert.deepEqual(refund, {
        status: 'succeeded',
        later: { status: 'failed', failure_reason: 'expired_or_canceled_card' },
      });
    } finally {
      await store.close();
    }
  });

  test('two migrations with one key are refused', async () => {
    await assert.rejects(
      openStore(await target.config(), [...MIGRATIONS, MIGRATIONS[0]]),
      /two migrations named objects:001/,
    );
  });
});
