// A network call that moves money is made with no transaction open, between
// the write that persists the attempt and the one that records the answer.
// Here the process "dies" after the network answered and before the record:
// the call never returns to the request, the server is closed, and another
// server on the same database recovers the attempt with its job. The network
// is asked again with the same idempotency key, so it answers as before, and
// the payment, capture or refund is recorded exactly once.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type Stripe from 'stripe';
import type { PaymentNetwork } from '../../src/network/network.js';
import { createSimulatedNetwork } from '../../src/network/simulator/simulated-network.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import type { StoreConfig } from '../../src/store/store.js';
import { getObjectRow } from '../../src/store/objects.js';

/** Cards only: a confirm needs no return_url. */
const NO_REDIRECTS = { enabled: true, allow_redirects: 'never' } as const;

type MoneyCall = 'authorize' | 'capture' | 'void' | 'refund';

interface Call {
  method: MoneyCall;
  /** The idempotency key, or the authorization id for capture and void. */
  key: string;
  answer: unknown;
}

/** The simulator, recording each money call; `stall(method)` makes the next such call never come back to its caller. */
function recordingNetwork() {
  const inner = createSimulatedNetwork();
  const calls: Call[] = [];
  const stalled: Array<(error: Error) => void> = [];
  const paused: Array<() => void> = [];
  let stallNext: MoneyCall | null = null;
  let pauseNext: MoneyCall | null = null;
  const answerOf = async <T>(method: MoneyCall, key: string, answer: T): Promise<T> => {
    calls.push({ method, key, answer });
    if (pauseNext === method) {
      pauseNext = null;
      await new Promise<void>((resolve) => paused.push(resolve));
      return answer;
    }
    if (stallNext !== method) return answer;
    stallNext = null;
    return new Promise<never>((_resolve, reject) => stalled.push(reject));
  };
  const network: PaymentNetwork = {
    ...inner,
    authorize: async (request) => answerOf('authorize', request.idempotencyKey, await inner.authorize(request)),
    capture: async (authorizationId, amount) =>
      answerOf('capture', authorizationId, await inner.capture(authorizationId, amount)),
    void: async (authorizationId) => answerOf('void', authorizationId, await inner.void(authorizationId)),
    refund: async (request) => answerOf('refund', request.idempotencyKey, await inner.refund(request)),
  };
  return {
    network,
    calls,
    stall: (method: MoneyCall) => void (stallNext = method),
    /** The next such call comes back only when resume() is called. */
    pause: (method: MoneyCall) => void (pauseNext = method),
    resume: () => {
      for (const resolve of paused.splice(0)) resolve();
    },
    /** The process ends: the stalled calls never come back (the request fails, nothing is recorded). */
    die: () => {
      for (const reject of stalled.splice(0)) reject(new Error('the process ended'));
    },
  };
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function eventTypes(stripe: Stripe, id: string): Promise<string[]> {
  const events = await stripe.events.list({ limit: 100 });
  return events.data
    .filter((e) => (e.data.object as { id?: string }).id === id)
    .map((e) => e.type)
    .sort();
}

describeEachStore('network calls outside transactions', (target) => {
  const clock = testClock();

  /**
   * Runs `act` on a server whose network stalls on `method` after answering,
   * "kills" that server, starts another on the same database and lets its
   * recovery job record the attempt. Returns the stalled call and the second server.
   */
  async function killedAfterCall<T>(
    config: StoreConfig,
    first: TestKassa,
    recorder: ReturnType<typeof recordingNetwork>,
    method: MoneyCall,
    act: (stripe: Stripe) => Promise<T>,
  ): Promise<{ call: Call; second: TestKassa; secondCalls: Call[] }> {
    recorder.stall(method);
    const request = act(first.stripe).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    const call = await until(`the ${method} call`, () => recorder.calls.find((c) => c.method === method));
    recorder.die();
    assert.notEqual(await request, 'answered', 'the request never got the network answer recorded');
    await first.close();

    const secondRecorder = recordingNetwork();
    const second = await startKassa(config, { clock, network: secondRecorder.network, jobPollMs: 60_000 });
    clock.advance(6);
    await second.jobs.runDueJobs();
    return { call, second, secondCalls: secondRecorder.calls };
  }

  test('a confirm whose record never came: recovered once, with the authorization the network gave', async () => {
    const config = await target.config();
    const recorder = recordingNetwork();
    const first = await startKassa(config, { clock, network: recorder.network, jobPollMs: 60_000 });
    const intent = await first.stripe.paymentIntents.create({
      amount: 2500,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      automatic_payment_methods: NO_REDIRECTS,
    });

    const idempotencyKey = `confirm-${intent.id}`;
    const confirm = (stripe: Stripe) =>
      stripe.paymentIntents.confirm(intent.id, { expand: ['latest_charge'] }, { idempotencyKey });
    const { call, second, secondCalls } = await killedAfterCall(config, first, recorder, 'authorize', confirm);
    try {
      const stripe = second.clientFor(first.account.secret_key);
      const after = await stripe.paymentIntents.retrieve(intent.id);
      assert.equal(after.status, 'succeeded');
      assert.equal(after.latest_charge, call.key, 'the charge is the one the network authorized, named by the key');
      // The recovery asked again with the same key and got the same authorization.
      assert.deepEqual(
        secondCalls.map((c) => [c.method, c.key]),
        [['authorize', call.key]],
      );
      assert.deepEqual(secondCalls[0]!.answer, call.answer);
      const charges = await stripe.charges.list({ payment_intent: intent.id });
      assert.equal(charges.data.length, 1);
      const row = await getObjectRow(second.store.read, first.account.id, call.key);
      assert.equal(
        JSON.parse(row!.private!).authorizationId,
        (call.answer as { authorizationId: string }).authorizationId,
      );
      const txns = await stripe.balanceTransactions.list({ source: call.key } as Stripe.BalanceTransactionListParams);
      assert.equal(txns.data.length, 1);
      assert.deepEqual(await eventTypes(stripe, intent.id), ['payment_intent.created', 'payment_intent.succeeded']);

      // The client's retry with its Idempotency-Key replays what the request would have answered.
      const retried = await confirm(stripe);
      assert.equal(retried.lastResponse.headers['idempotent-replayed'], 'true');
      assert.equal(retried.status, 'succeeded');
      assert.equal((retried.latest_charge as Stripe.Charge).id, call.key, 'expanded as the request asked');

      // The intent is free again, and running the jobs again records nothing more.
      clock.advance(120);
      await second.jobs.runDueJobs();
      assert.equal((await stripe.charges.list({ payment_intent: intent.id })).data.length, 1);
      await assert.rejects(
        stripe.paymentIntents.confirm(intent.id),
        /unexpected_state|You cannot confirm this PaymentIntent/,
      );
    } finally {
      await second.close();
    }
  });

  test('a capture whose record never came: captured once, one balance transaction', async () => {
    const config = await target.config();
    const recorder = recordingNetwork();
    const first = await startKassa(config, { clock, network: recorder.network, jobPollMs: 60_000 });
    const intent = await first.stripe.paymentIntents.create({
      amount: 4000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      automatic_payment_methods: NO_REDIRECTS,
      capture_method: 'manual',
      confirm: true,
    });
    assert.equal(intent.status, 'requires_capture');

    const { call, second, secondCalls } = await killedAfterCall(config, first, recorder, 'capture', (stripe) =>
      stripe.paymentIntents.capture(intent.id, { amount_to_capture: 3000 }),
    );
    try {
      const stripe = second.clientFor(first.account.secret_key);
      const after = await stripe.paymentIntents.retrieve(intent.id);
      assert.equal(after.status, 'succeeded');
      assert.equal(after.amount_received, 3000);
      assert.deepEqual(
        secondCalls.map((c) => [c.method, c.key]),
        [['capture', call.key]],
      );
      const txns = await stripe.balanceTransactions.list({
        source: after.latest_charge as string,
      } as Stripe.BalanceTransactionListParams);
      assert.deepEqual(
        txns.data.map((t) => t.amount),
        [3000],
      );
    } finally {
      await second.close();
    }
  });

  test('a refund whose record never came: refunded once, under the id the network was asked with', async () => {
    const config = await target.config();
    const recorder = recordingNetwork();
    const first = await startKassa(config, { clock, network: recorder.network, jobPollMs: 60_000 });
    const intent = await first.stripe.paymentIntents.create({
      amount: 1800,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      automatic_payment_methods: NO_REDIRECTS,
      confirm: true,
    });

    const { call, second, secondCalls } = await killedAfterCall(config, first, recorder, 'refund', (stripe) =>
      stripe.refunds.create({ payment_intent: intent.id, amount: 500 }),
    );
    try {
      const stripe = second.clientFor(first.account.secret_key);
      const refunds = await stripe.refunds.list({ payment_intent: intent.id });
      assert.deepEqual(
        refunds.data.map((r) => [r.id, r.amount, r.status]),
        [[call.key, 500, 'succeeded']],
      );
      assert.deepEqual(
        secondCalls.map((c) => [c.method, c.key]),
        [['refund', call.key]],
      );
      const charge = await stripe.charges.retrieve(intent.latest_charge as string);
      assert.equal(charge.amount_refunded, 500);
    } finally {
      await second.close();
    }
  });

  test('a retry while the call is out: one naming the held intent waits and replays, a create with confirm=true is told idempotency_key_in_use', async () => {
    const config = await target.config();
    const recorder = recordingNetwork();
    const kassa = await startKassa(config, { clock, network: recorder.network, jobPollMs: 60_000 });
    const authorizations = () => recorder.calls.filter((c) => c.method === 'authorize');
    try {
      const intent = await kassa.stripe.paymentIntents.create({
        amount: 2500,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        automatic_payment_methods: NO_REDIRECTS,
      });
      recorder.pause('authorize');
      const confirmKey = `confirm-${intent.id}`;
      const first = kassa.stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey: confirmKey });
      await until('the authorize call', () => authorizations()[0]);
      const retry = kassa.stripe.paymentIntents.confirm(intent.id, {}, { idempotencyKey: confirmKey });
      await sleep(100);
      recorder.resume();
      const [answered, replayed] = await Promise.all([first, retry]);
      assert.equal(answered.status, 'succeeded');
      assert.equal(replayed.lastResponse.headers['idempotent-replayed'], 'true');
      assert.equal(replayed.latest_charge, answered.latest_charge);
      assert.equal(authorizations().length, 1, 'the retry asked the network nothing');

      recorder.pause('authorize');
      const params: Stripe.PaymentIntentCreateParams = {
        amount: 2600,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        automatic_payment_methods: NO_REDIRECTS,
        confirm: true,
      };
      const createKey = `create-${intent.id}`;
      const created = kassa.stripe.paymentIntents.create(params, { idempotencyKey: createKey });
      await until('the second authorize call', () => authorizations()[1]);
      await assert.rejects(kassa.stripe.paymentIntents.create(params, { idempotencyKey: createKey }), {
        statusCode: 409,
        code: 'idempotency_key_in_use',
      });
      recorder.resume();
      const made = await created;
      assert.equal(made.status, 'succeeded');
      const again = await kassa.stripe.paymentIntents.create(params, { idempotencyKey: createKey });
      assert.equal(again.id, made.id);
      assert.equal(again.lastResponse.headers['idempotent-replayed'], 'true');
      assert.equal(authorizations().length, 2);
    } finally {
      recorder.resume();
      await kassa.close();
    }
  });

  test('a write that records its own answer leaves no hold and no recovery job behind', async () => {
    const config = await target.config();
    const kassa = await startKassa(config, { clock, jobPollMs: 60_000 });
    try {
      const intent = await kassa.stripe.paymentIntents.create({
        amount: 1200,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        automatic_payment_methods: NO_REDIRECTS,
        confirm: true,
      });
      assert.equal(intent.status, 'succeeded');
      const held = await kassa.store.read.all('SELECT object_id FROM object_holds');
      assert.deepEqual(held, []);
      clock.advance(60);
      await kassa.jobs.runDueJobs();
      const recoveries = await kassa.store.read.all(
        "SELECT id FROM jobs WHERE kind = 'payments.record_network_attempt'",
      );
      assert.deepEqual(recoveries, [], 'no recovery was scheduled');
      assert.equal((await kassa.stripe.charges.list({ payment_intent: intent.id })).data.length, 1);
    } finally {
      await kassa.close();
    }
  });
});
