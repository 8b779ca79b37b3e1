// A payment the server acknowledged survives `kill -9`: a stream of payments
// runs against a real `kassa serve`, the process is killed mid-stream with
// SIGKILL, and a new process on the same data must still have every
// acknowledged payment whole (intent, charge, balance transaction, events)
// and nothing half-written. Requests that were in flight (cut off by the
// kill) are then retried with their idempotency keys: each replays or runs
// once, never charging twice. Meanwhile every event is posted to a webhook
// endpoint: each arrives, and only deliveries in flight at the kill (posted,
// outcome not yet recorded) arrive twice.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type Stripe from 'stripe';
import { newApiKey } from '../../src/accounts/keys.js';
import { describeEachStore } from '../support/each-store.js';
import { openStore, type StoreConfig } from '../../src/store/store.js';
import { DEFAULT_PER_ENDPOINT } from '../../src/webhooks/webhook-dispatcher.js';
import { isConnectionError, postForm, type FormPost, type RawResponse } from '../support/http.js';
import { aboutIntent, countOf, PaymentLedger } from '../support/payment-ledger.js';
import { kassaEnv, spawnServe, type KassaProcess, sdkFor } from '../support/processes.js';
import { until } from '../support/until.js';
import { startSink, type Received } from '../support/webhook-sink.js';
import { webhookAttempts } from '../../src/webhooks/attempt-store.js';
import { defaultAccount } from '../../src/accounts/account-store.js';
import { MIGRATIONS } from '../../src/schema.js';

const FLOWS = 200;
const WORKERS = 4;
/** The server dies when this many payments have been acknowledged: well inside the stream. */
const KILL_AFTER = 100;
/**
 * How often a retry may be told idempotency_key_in_use (409), a second apart: a
 * dying database session may hold a key for a moment, a dead request never for long.
 */
const MAX_IN_USE_RETRIES = 10;

const amountOf = (flow: number) => 1000 + flow;

interface Ledgered {
  intents: Stripe.PaymentIntent[];
  charges: Stripe.Charge[];
  transactions: Stripe.BalanceTransaction[];
  events: Stripe.Event[];
}

async function snapshot(ledger: PaymentLedger): Promise<Ledgered> {
  const [intents, charges, transactions, events] = await Promise.all([
    ledger.intents(),
    ledger.charges(),
    ledger.balanceTransactions(),
    ledger.events(),
  ]);
  return { intents, charges, transactions, events };
}

/** Nothing half-written: every payment is whole or absent, and no flow made two intents. */
function assertConsistent({ intents, charges, transactions, events }: Ledgered): void {
  const intentIds = new Set(intents.map((i) => i.id));
  const flows = intents.map((i) => i.metadata.flow);
  assert.equal(new Set(flows).size, flows.length, 'one intent per flow');
  for (const intent of intents) {
    const own = charges.filter((c) => c.payment_intent === intent.id);
    const ownEvents = events.filter((e) => aboutIntent(e, intent.id));
    assert.equal(countOf(ownEvents, 'payment_intent.created'), 1, `${intent.id}: payment_intent.created`);
    if (intent.status === 'succeeded') {
      assert.equal(own.length, 1, `${intent.id} succeeded with ${own.length} charges`);
      const [charge] = own;
      assert.deepEqual(
        [charge.status, charge.captured, charge.amount, charge.amount_captured],
        ['succeeded', true, intent.amount, intent.amount],
      );
      assert.equal(intent.latest_charge, charge.id);
      assert.equal(intent.amount, amountOf(Number(intent.metadata.flow)));
      const txns = transactions.filter((t) => t.source === charge.id);
      assert.equal(txns.length, 1, `${charge.id} has ${txns.length} balance transactions`);
      assert.deepEqual([charge.balance_transaction, txns[0].amount], [txns[0].id, charge.amount]);
      assert.equal(countOf(ownEvents, 'payment_intent.succeeded'), 1, `${intent.id}: payment_intent.succeeded`);
      assert.equal(countOf(ownEvents, 'charge.succeeded'), 1, `${intent.id}: charge.succeeded`);
    } else {
      assert.equal(intent.status, 'requires_confirmation', `${intent.id} is ${intent.status}`);
      assert.equal(own.length, 0, `${intent.id} is ${intent.status} with a charge`);
      assert.equal(intent.latest_charge, null);
      assert.equal(countOf(ownEvents, 'payment_intent.succeeded') + countOf(ownEvents, 'charge.succeeded'), 0);
    }
  }
  for (const charge of charges)
    assert.ok(intentIds.has(charge.payment_intent as string), `${charge.id} belongs to no intent`);
  const chargeIds = new Set(charges.map((c) => c.id));
  for (const txn of transactions) assert.ok(chargeIds.has(txn.source as string), `${txn.id} belongs to no charge`);
}

/** Sends `post` until its key is no longer in use (409), as a client following "try again later" would. */
async function retryWhileInUse(post: FormPost): Promise<{ response: RawResponse; inUse: number }> {
  for (let inUse = 0; ; inUse++) {
    const response = await postForm(post);
    if (response.status !== 409 || inUse >= MAX_IN_USE_RETRIES) return { response, inUse };
    assert.equal(response.body.error.code, 'idempotency_key_in_use', JSON.stringify(response.body));
    await sleep(1000);
  }
}

const eventIdOf = (request: Received) => (JSON.parse(request.body) as Stripe.Event).id;

/** Of the events given, those with no delivery attempt recorded, read from the database while no Kassa process runs. */
async function unrecorded(config: StoreConfig, eventIds: Iterable<string>): Promise<Set<string>> {
  const store = await openStore(config, MIGRATIONS);
  try {
    const account = await defaultAccount(store.read);
    const found = new Set<string>();
    for (const id of eventIds) if ((await webhookAttempts(store.read, account!.id, id)).length === 0) found.add(id);
    return found;
  } finally {
    await store.close();
  }
}

describeEachStore('acknowledged payments survive kill -9', (target) => {
  const started: KassaProcess[] = [];
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const p of started) await p.stop();
    for (const close of closers) await close();
  });

  test(`${FLOWS} payment flows, the server killed after ${KILL_AFTER} acknowledgements, then restarted on the same data`, async (t) => {
    const config = await target.config();
    const secretKey = newApiKey('secret');
    // A short delivery timeout: the lease of deliveries the killed process held (timeout + 5 s) runs out sooner.
    const env = kassaEnv(config, {
      KASSA_SECRET_KEY: secretKey,
      KASSA_PUBLISHABLE_KEY: newApiKey('publishable'),
      KASSA_WEBHOOK_TIMEOUT_MS: '2000',
    });
    const run = randomUUID();
    const sink = await startSink();
    closers.push(() => sink.close());

    const first = spawnServe(env);
    started.push(first);
    const firstUrl = await first.ready;
    await sdkFor(firstUrl, secretKey).webhookEndpoints.create({ url: sink.url, enabled_events: ['*'] });

    /** Flow number -> the intent the server acknowledged as succeeded. */
    const acknowledged = new Map<number, string>();
    /** Requests sent before the kill that it cut off (a connection error, no answer). */
    const inFlight: Array<{ flow: number; post: Omit<FormPost, 'url'> & { path: string } }> = [];
    let killing: Promise<void> | undefined;
    /** Set once KILL_AFTER payments are acknowledged: the next request sent kills the server. */
    let killNext = false;
    let nextFlow = 0;

    async function send(
      flow: number,
      path: string,
      form: Record<string, string>,
      idempotencyKey: string,
    ): Promise<RawResponse | null> {
      const sentBeforeKill = !killing;
      let response: RawResponse;
      try {
        const answer = postForm({ url: `${firstUrl}${path}`, secretKey, form, idempotencyKey });
        // The kill lands while this request is out, so that at least one is in flight.
        if (killNext) killing ??= first.crash();
        response = await answer;
      } catch (error) {
        if (!killing || !sentBeforeKill || !isConnectionError(error)) throw error;
        inFlight.push({ flow, post: { path, secretKey, form, idempotencyKey } });
        return null;
      }
      assert.equal(response.status, 200, JSON.stringify(response.body));
      if (response.body.status === 'succeeded') acknowledged.set(flow, response.body.id);
      if (acknowledged.size >= KILL_AFTER) killNext = true;
      return response;
    }

    // Even flows pay in one request (create with confirm=true); odd ones create, then confirm.
    async function runFlow(flow: number): Promise<void> {
      const create: Record<string, string> = {
        amount: String(amountOf(flow)),
        currency: 'usd',
        payment_method: 'pm_card_visa',
        'automatic_payment_methods[enabled]': 'true',
        'automatic_payment_methods[allow_redirects]': 'never',
        'metadata[flow]': String(flow),
      };
      if (flow % 2 === 0) {
        await send(flow, '/v1/payment_intents', { ...create, confirm: 'true' }, `${run}-${flow}-create`);
        return;
      }
      const created = await send(flow, '/v1/payment_intents', create, `${run}-${flow}-create`);
      if (!created || killing) return;
      await send(
        flow,
        `/v1/payment_intents/${created.body.id}/confirm`,
        { 'expand[0]': 'latest_charge' },
        `${run}-${flow}-confirm`,
      );
    }

    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (!killing && nextFlow < FLOWS) await runFlow(nextFlow++);
      }),
    );
    assert.ok(killing, 'the server was killed mid-stream');
    await killing;
    t.diagnostic(
      `${target.name}: ${acknowledged.size} payments acknowledged, ${inFlight.length} requests in flight at the kill, ${nextFlow} of ${FLOWS} flows started`,
    );
    assert.ok(inFlight.length > 0, 'some requests were in flight at the kill');

    // Webhook deliveries in flight at the kill: posted (the sink has them; nothing else posts before the restart), outcome not recorded.
    const unansweredAtKill = sink.received.filter((r) => !r.answered).length;
    const deliveriesInFlight = await unrecorded(config, new Set(sink.received.map(eventIdOf)));

    // A new process on the same data.
    const second = spawnServe(env);
    started.push(second);
    const url = await second.ready;
    const ledger = new PaymentLedger(sdkFor(url, secretKey));

    const restarted = await snapshot(ledger);
    for (const [flow, id] of acknowledged) {
      const intent = restarted.intents.find((i) => i.id === id);
      assert.ok(intent, `acknowledged ${id} (flow ${flow}) is gone`);
      assert.equal(intent.status, 'succeeded', `acknowledged ${id} is ${intent.status}`);
      assert.equal(intent.metadata.flow, String(flow));
    }
    assertConsistent(restarted);

    // Retry what was in flight, as a client would: same key, same parameters.
    const outcomes: string[] = [];
    const retriedFlows = new Map<number, boolean>();
    await Promise.all(
      inFlight.map(async ({ flow, post }) => {
        const intentBefore = restarted.intents.find((i) => i.metadata.flow === String(flow));
        const isConfirm = post.path.endsWith('/confirm') || post.form.confirm === 'true';
        // Work that committed before the kill (its response stored with it) replays; so does a confirm whose
        // network attempt was persisted before the kill (its recovery job records the answer and the response);
        // anything else runs now, once.
        const committed = isConfirm ? intentBefore?.status === 'succeeded' : intentBefore !== undefined;
        const kind = post.path.endsWith('/confirm') ? 'confirm' : post.form.confirm ? 'create+confirm' : 'create';
        const { response, inUse } = await retryWhileInUse({ ...post, url: `${url}${post.path}` });
        assert.equal(response.status, 200, `${JSON.stringify(response.body)}\n${second.output()}`);
        const replayed = response.headers['idempotent-replayed'] === 'true';
        assert.equal(response.body.status, isConfirm ? 'succeeded' : 'requires_confirmation');
        assert.equal(response.body.metadata.flow, String(flow));
        if (committed || !isConfirm)
          assert.equal(
            replayed,
            committed,
            `flow ${flow} ${post.path}: replayed ${replayed}, committed before the kill ${committed}`,
          );
        if (intentBefore) assert.equal(response.body.id, intentBefore.id);
        retriedFlows.set(flow, isConfirm);
        outcomes.push(
          `${kind} ${replayed ? 'replayed' : 'executed'}${inUse > 0 ? ` after ${inUse} answers idempotency_key_in_use` : ''}`,
        );
      }),
    );
    t.diagnostic(`retries: ${outcomes.sort().join('; ') || 'none'}`);
    assert.equal(outcomes.length, inFlight.length, 'every request in flight at the kill was retried to an answer');

    const final = await snapshot(ledger);
    assertConsistent(final);
    for (const [flow, paid] of retriedFlows) {
      const intents = final.intents.filter((i) => i.metadata.flow === String(flow));
      assert.equal(intents.length, 1, `flow ${flow}`);
      if (paid) assert.equal(intents[0].status, 'succeeded');
    }
    // Every acknowledged payment is still the same one, exactly once.
    for (const [flow, id] of acknowledged)
      assert.deepEqual(
        final.intents.filter((i) => i.metadata.flow === String(flow)).map((i) => i.id),
        [id],
      );

    // Every event reaches the endpoint; only what was in flight at the kill arrives twice, and that is at most the endpoint's slots.
    await until(
      'every event delivered',
      async () => (await ledger.events()).every((e) => e.pending_webhooks === 0),
      60_000,
    );
    const deliveries = new Map<string, number>();
    for (const request of sink.received)
      deliveries.set(eventIdOf(request), (deliveries.get(eventIdOf(request)) ?? 0) + 1);
    for (const event of await ledger.events())
      assert.ok(deliveries.has(event.id), `${event.id} (${event.type}) never arrived`);
    const twice = [...deliveries].filter(([, n]) => n > 1);
    t.diagnostic(
      `webhooks: ${deliveries.size} events, ${twice.length} delivered twice (${((100 * twice.length) / deliveries.size).toFixed(1)}%); ` +
        `at the kill ${deliveriesInFlight.size} deliveries were in flight (${unansweredAtKill} of them unanswered by the endpoint)`,
    );
    assert.ok(
      twice.every(([, n]) => n === 2),
      'no event arrived more than twice',
    );
    assert.deepEqual(
      twice.map(([id]) => id).sort(),
      [...deliveriesInFlight].sort(),
      'exactly the deliveries in flight at the kill were sent again',
    );
    assert.ok(
      deliveriesInFlight.size <= DEFAULT_PER_ENDPOINT,
      `${deliveriesInFlight.size} deliveries in flight to one endpoint, more than its ${DEFAULT_PER_ENDPOINT} slots`,
    );
  });

  // Deterministic: the confirm is inside its transaction, waiting for the intent's row (locked here), when the server dies.
  test('a confirm killed inside its transaction: nothing of it is kept, and its retry charges once', {
    skip:
      target.name === 'postgres'
        ? undefined
        : 'holding a row lock from outside needs PostgreSQL (SQLite locks the whole file)',
  }, async (t) => {
    const config = await target.config();
    const secretKey = newApiKey('secret');
    const env = kassaEnv(config, { KASSA_SECRET_KEY: secretKey, KASSA_PUBLISHABLE_KEY: newApiKey('publishable') });
    const first = spawnServe(env);
    started.push(first);
    const firstUrl = await first.ready;
    const intent = await sdkFor(firstUrl, secretKey).paymentIntents.create({
      amount: 4321,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    const confirm = {
      path: `/v1/payment_intents/${intent.id}/confirm`,
      secretKey,
      form: { 'expand[0]': 'latest_charge' },
      idempotencyKey: randomUUID(),
    };

    const blocker = new pg.Client({ connectionString: config.databaseUrl });
    await blocker.connect();
    closers.push(() => blocker.end());
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM objects WHERE id = $1 FOR UPDATE', [intent.id]);
    let settled = false;
    const answered = postForm({ ...confirm, url: `${firstUrl}${confirm.path}` }).then(
      (response) => response,
      () => null,
    );
    void answered.then(() => (settled = true));
    // Wait until the server's transaction is blocked on this connection's lock.
    for (;;) {
      const { rows } = await blocker.query(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))',
      );
      if (rows[0].n > 0) break;
      if (settled)
        assert.fail(`the confirm was answered while the intent was locked: ${JSON.stringify((await answered)?.body)}`);
      await sleep(20);
    }
    await first.crash();
    assert.equal(await answered, null, 'the confirm got no answer');
    await blocker.query('ROLLBACK');

    const second = spawnServe(env);
    started.push(second);
    const url = await second.ready;
    const ledger = new PaymentLedger(sdkFor(url, secretKey));
    const killed = await ledger.intent(intent.id);
    assert.equal(killed.intent.status, 'requires_confirmation');
    assert.equal(killed.charges.length, 0, 'nothing of the killed confirm was kept');

    const { response, inUse } = await retryWhileInUse({ ...confirm, url: `${url}${confirm.path}` });
    t.diagnostic(`the retry was answered idempotency_key_in_use ${inUse} times first`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.headers['idempotent-replayed'], undefined, 'executed, not replayed');
    assert.equal(response.body.status, 'succeeded');

    const replay = await postForm({ ...confirm, url: `${url}${confirm.path}` });
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.body.latest_charge.id, response.body.latest_charge.id);

    const retried = await ledger.intent(intent.id);
    assert.equal(retried.charges.length, 1, 'one charge');
    assert.equal(retried.charges[0].id, response.body.latest_charge.id);
    assert.equal(retried.balanceTransactions.length, 1, 'one balance transaction');
    assert.equal(countOf(retried.events, 'payment_intent.succeeded'), 1);
    assert.equal(countOf(retried.events, 'charge.succeeded'), 1);
  });
});
