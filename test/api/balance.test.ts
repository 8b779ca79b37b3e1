// The balance and balance transactions through the official SDK: fees and
// net amounts, pending funds that become available as the clock passes
// available_on, refunds taking money out at once, lists and filters.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { newApiKey } from '../../src/accounts/keys.js';
import { availableOn } from '../../src/payments/balance-transaction.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import { kassaEnv, runKassaCli, spawnServe, type KassaProcess } from '../support/processes.js';
import { assertShape } from '../support/shapes.js';

const DAY = 86_400;
// 10:00 UTC on a Tuesday: available_on is midnight two days later.
const T0 = 1_760_004_000;

function rejectsWith(expected: { status: number; code?: string; param?: string }) {
  return (e: Stripe.errors.StripeError) => {
    assert.equal(e.statusCode, expected.status, `${e.statusCode} ${e.message}`);
    if (expected.code) assert.equal(e.code, expected.code);
    if (expected.param) assert.equal(e.param, expected.param);
    return true;
  };
}

function amounts(entries: Stripe.Balance.Available[] | Stripe.Balance.Pending[]): Record<string, number> {
  return Object.fromEntries(entries.map((e) => [e.currency, e.amount]));
}

describeEachStore('balance and balance transactions through the official SDK', (target) => {
  let kassa: TestKassa;
  let stripe: Stripe;
  const clock = testClock();
  clock.set(T0);

  before(async () => {
    kassa = await startKassa(await target.config(), { clock });
    stripe = kassa.stripe;
  });
  after(() => kassa.close());

  async function pay(stripeClient: Stripe, amount: number, currency = 'usd', paymentMethod = 'pm_card_visa') {
    const intent = await stripeClient.paymentIntents.create({
      amount,
      currency,
      payment_method: paymentMethod,
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    return stripeClient.charges.retrieve(intent.latest_charge as string);
  }

  test("a new account has a zero balance in its default currency, in Stripe's shape", async () => {
    const account = await kassa.newAccount();
    const balance = await kassa.clientFor(account.secret_key).balance.retrieve();
    assertShape('balance', balance);
    assert.equal(balance.object, 'balance');
    assert.equal(balance.livemode, false);
    assert.deepEqual(balance.available, [{ amount: 0, currency: 'usd', source_types: { card: 0 } }]);
    assert.deepEqual(balance.pending, [{ amount: 0, currency: 'usd', source_types: { card: 0 } }]);
    assert.deepEqual(balance.connect_reserved, [{ amount: 0, currency: 'usd' }]);
    assert.deepEqual(balance.instant_available, []);
    assert.deepEqual(balance.refund_and_dispute_prefunding, {
      available: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
      pending: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
    });
  });

  test('charges: fee and net; pending until available_on, then available; refunds debit at once', async () => {
    const account = await kassa.newAccount();
    const client = kassa.clientFor(account.secret_key);
    const charge = await pay(client, 10_000);
    const txn = await client.balanceTransactions.retrieve(charge.balance_transaction as string);
    assertShape('balance_transaction', txn);
    assert.match(txn.id, /^txn_/);
    assert.equal(txn.type, 'charge');
    assert.equal(txn.reporting_category, 'charge');
    assert.equal(txn.source, charge.id);
    assert.equal(txn.amount, 10_000);
    assert.equal(txn.fee, 320, '2.9% + 30 cents');
    assert.equal(txn.net, 9680);
    assert.deepEqual(txn.fee_details, [
      { amount: 320, application: null, currency: 'usd', description: 'Stripe processing fees', type: 'stripe_fee' },
    ]);
    assert.equal(txn.created, T0);
    assert.equal(txn.available_on, Math.floor(T0 / DAY) * DAY + 2 * DAY);
    assert.equal(txn.available_on, availableOn(T0, false));
    assert.equal(txn.status, 'pending');

    let balance = await client.balance.retrieve();
    assert.deepEqual(amounts(balance.available), { usd: 0 });
    assert.deepEqual(amounts(balance.pending), { usd: 9680 });
    assert.deepEqual(balance.pending[0].source_types, { card: 9680 });

    const refund = await client.refunds.create({ charge: charge.id, amount: 3000 });
    balance = await client.balance.retrieve();
    assert.deepEqual(amounts(balance.available), { usd: -3000 }, 'a refund leaves the available balance at once');
    assert.deepEqual(amounts(balance.pending), { usd: 9680 });
    const refundTxn = await client.balanceTransactions.retrieve(refund.balance_transaction as string);
    assert.deepEqual([refundTxn.amount, refundTxn.fee, refundTxn.net, refundTxn.available_on], [-3000, 0, -3000, T0]);

    clock.set(txn.available_on - 1);
    assert.equal((await client.balanceTransactions.retrieve(txn.id)).status, 'pending');
    clock.set(txn.available_on);
    try {
      assert.equal((await client.balanceTransactions.retrieve(txn.id)).status, 'available');
      balance = await client.balance.retrieve();
      assertShape('balance', balance);
      assert.deepEqual(amounts(balance.available), { usd: 6680 });
      assert.deepEqual(amounts(balance.pending), { usd: 0 });
      const listed = await client.balanceTransactions.list();
      assert.deepEqual(
        listed.data.map((t) => [t.type, t.status]),
        [
          ['refund', 'available'],
          ['charge', 'available'],
        ],
      );
      // The stored transaction catches up too (a job at available_on), so expanded copies show it.
      await kassa.jobs.runDueJobs();
      const expanded = await client.charges.retrieve(charge.id, { expand: ['balance_transaction'] });
      assert.equal((expanded.balance_transaction as Stripe.BalanceTransaction).status, 'available');
    } finally {
      clock.set(T0);
    }
  });

  test('the bypass-pending card is available at once; currencies are summed apart', async () => {
    const account = await kassa.newAccount();
    const client = kassa.clientFor(account.secret_key);
    const bypass = await pay(client, 5000, 'usd', 'pm_card_bypassPending');
    const txn = await client.balanceTransactions.retrieve(bypass.balance_transaction as string);
    assert.deepEqual([txn.status, txn.available_on, txn.fee, txn.net], ['available', T0, 175, 4825]);
    await pay(client, 2000, 'usd');
    await pay(client, 3000, 'eur');
    const balance = await client.balance.retrieve();
    assertShape('balance', balance);
    assert.deepEqual(amounts(balance.available), { eur: 0, usd: 4825 });
    assert.deepEqual(amounts(balance.pending), { eur: 3000 - 117, usd: 2000 - 88 });
  });

  test('list: filters by type, source, currency and created; cursors; expand source', async () => {
    const account = await kassa.newAccount();
    const client = kassa.clientFor(account.secret_key);
    const first = await pay(client, 1000);
    const second = await pay(client, 2000, 'eur');
    const refund = await client.refunds.create({ charge: first.id, amount: 400 });

    const all = await client.balanceTransactions.list();
    assert.equal(all.object, 'list');
    assert.equal(all.url, '/v1/balance_transactions');
    assert.deepEqual(
      all.data.map((t) => t.source),
      [refund.id, second.id, first.id],
    );
    for (const txn of all.data) assertShape('balance_transaction', txn);

    assert.deepEqual(
      (await client.balanceTransactions.list({ type: 'charge' })).data.map((t) => t.source),
      [second.id, first.id],
    );
    assert.deepEqual(
      (await client.balanceTransactions.list({ type: 'refund' })).data.map((t) => t.source),
      [refund.id],
    );
    assert.deepEqual(
      (await client.balanceTransactions.list({ source: first.id })).data.map((t) => t.id),
      [first.balance_transaction],
    );
    assert.deepEqual(
      (await client.balanceTransactions.list({ currency: 'eur' })).data.map((t) => t.source),
      [second.id],
    );
    assert.deepEqual((await client.balanceTransactions.list({ created: { lt: T0 } })).data, []);
    assert.equal((await client.balanceTransactions.list({ created: T0 })).data.length, 3);

    const page = await client.balanceTransactions.list({ limit: 2 });
    assert.equal(page.has_more, true);
    const rest = await client.balanceTransactions.list({ limit: 2, starting_after: page.data[1].id });
    assert.deepEqual(
      rest.data.map((t) => t.source),
      [first.id],
    );
    assert.equal(rest.has_more, false);

    const expanded = await client.balanceTransactions.list({ expand: ['data.source'] });
    assert.equal((expanded.data[0].source as Stripe.Refund).object, 'refund');
    assert.equal((expanded.data[1].source as Stripe.Charge).object, 'charge');

    // The operations' older paths, which the SDK no longer uses.
    const headers = { authorization: `Bearer ${account.secret_key}` };
    const history = (await (
      await fetch(`${kassa.url}/v1/balance/history?type=refund`, { headers })
    ).json()) as Stripe.ApiList<Stripe.BalanceTransaction>;
    assert.equal(history.url, '/v1/balance/history');
    assert.deepEqual(
      history.data.map((t) => t.source),
      [refund.id],
    );
    const one = (await (
      await fetch(`${kassa.url}/v1/balance/history/${first.balance_transaction}`, { headers })
    ).json()) as Stripe.BalanceTransaction;
    assert.deepEqual([one.id, one.source], [first.balance_transaction, first.id]);

    await assert.rejects(
      client.balanceTransactions.list({ payout: 'po_nope' }),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'payout' }),
    );
    await assert.rejects(
      client.balanceTransactions.retrieve('txn_nope'),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'id' }),
    );
    // Another account's transactions are not found.
    await assert.rejects(
      stripe.balanceTransactions.retrieve(first.balance_transaction as string),
      rejectsWith({ status: 404, code: 'resource_missing' }),
    );
  });

  test('captured later: the fee is on the captured amount', async () => {
    const account = await kassa.newAccount();
    const client = kassa.clientFor(account.secret_key);
    const intent = await client.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    assert.deepEqual((await client.balanceTransactions.list()).data, [], 'an authorization moves no money');
    await client.paymentIntents.capture(intent.id, { amount_to_capture: 5000 });
    const [txn] = (await client.balanceTransactions.list()).data;
    assert.deepEqual([txn.amount, txn.fee, txn.net], [5000, 175, 4825]);
    assert.deepEqual(amounts((await client.balance.retrieve()).pending), { usd: 4825 });

    // The bypass-pending card skips the pending balance when captured later too.
    const bypass = await client.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
      capture_method: 'manual',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    await client.paymentIntents.capture(bypass.id);
    const [bypassTxn] = (await client.balanceTransactions.list({ limit: 1 })).data;
    assert.deepEqual([bypassTxn.amount, bypassTxn.status, bypassTxn.available_on], [2000, 'available', T0]);
  });
});

describeEachStore('a configured fee rule', (target) => {
  let kassa: TestKassa;
  before(async () => {
    kassa = await startKassa(await target.config(), { feeRule: { percentBps: 100, fixed: { usd: 10 } } });
  });
  after(() => kassa.close());

  test('charges pay the configured fee', async () => {
    const intent = await kassa.stripe.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    const charge = await kassa.stripe.charges.retrieve(intent.latest_charge as string, {
      expand: ['balance_transaction'],
    });
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    assert.deepEqual([txn.fee, txn.net], [110, 9890]);
  });
});

describeEachStore('kassa serve reads KASSA_FEE_RULE', (target) => {
  const processes: KassaProcess[] = [];
  after(() => Promise.all(processes.map((p) => p.stop())));

  test('a valid rule sets the fee; an invalid one stops the server with a message', async () => {
    const secretKey = newApiKey('secret');
    const env = kassaEnv(await target.config(), {
      KASSA_SECRET_KEY: secretKey,
      KASSA_FEE_RULE: '{"percent_bps":100,"fixed":{"usd":10}}',
    });
    const server = spawnServe(env);
    processes.push(server);
    const { hostname, port } = new URL(await server.ready);
    const stripe = new Stripe(secretKey, {
      host: hostname,
      port: Number(port),
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
    const intent = await stripe.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string, { expand: ['balance_transaction'] });
    assert.deepEqual(
      [
        (charge.balance_transaction as Stripe.BalanceTransaction).fee,
        (charge.balance_transaction as Stripe.BalanceTransaction).net,
      ],
      [110, 9890],
    );

    await assert.rejects(
      runKassaCli(['serve', '--port', '0'], { ...env, KASSA_FEE_RULE: '{"percent_bps":"lots"}' }),
      /Invalid fee rule: percent_bps must be an integer/,
    );
  });
});
