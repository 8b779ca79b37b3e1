// Requests racing on one PaymentIntent never charge twice and never lose a
// state change, and intents racing for one single-use PaymentMethod use it
// once: in one process, and across several `kassa serve` processes on one
// database (three on PostgreSQL, two on one SQLite file). Requests go out as
// raw HTTP, released together (postTogether), so nothing retries them.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { newApiKey } from '../../src/accounts/keys.js';
import { describeEachStore } from '../support/each-store.js';
import { postTogether, type FormPost, type RawResponse } from '../support/http.js';
import { startKassa } from '../support/kassa.js';
import { countOf, PaymentLedger, type IntentRecord } from '../support/payment-ledger.js';
import { kassaEnv, spawnServe, type KassaProcess, sdkFor } from '../support/processes.js';
import type { StoreTarget } from '../support/stores.js';

interface Deployment {
  urls: string[];
  secretKey: string;
  stripe: Stripe;
  ledger: PaymentLedger;
}

type Cleanup = Array<() => Promise<void>>;

async function oneProcess(target: StoreTarget, cleanup: Cleanup): Promise<Deployment> {
  const kassa = await startKassa(await target.config());
  cleanup.push(() => kassa.close());
  return {
    urls: [kassa.url],
    secretKey: kassa.account.secret_key,
    stripe: kassa.stripe,
    ledger: new PaymentLedger(kassa.stripe),
  };
}

async function severalProcesses(target: StoreTarget, cleanup: Cleanup): Promise<Deployment> {
  const config = await target.config();
  const secretKey = newApiKey('secret');
  const env = kassaEnv(config, { KASSA_SECRET_KEY: secretKey, KASSA_PUBLISHABLE_KEY: newApiKey('publishable') });
  const processes: KassaProcess[] = [];
  cleanup.push(() => Promise.all(processes.map((p) => p.stop())).then(() => undefined));
  for (let i = 0; i < (target.name === 'postgres' ? 3 : 2); i++) processes.push(spawnServe(env));
  const urls = await Promise.all(processes.map((p) => p.ready));
  const stripe = sdkFor(urls[0], secretKey);
  return { urls, secretKey, stripe, ledger: new PaymentLedger(stripe) };
}

/** Cards only: a confirm needs no return_url. */
const NO_REDIRECTS = { enabled: true, allow_redirects: 'never' } as const;

const summary = (responses: RawResponse[]) =>
  JSON.stringify(responses.map((r) => `${r.status} ${r.body.error?.code ?? r.body.status}`));

/** Stripe's refusal of a PaymentMethod that was used without a customer (or one now attached to another customer). */
function assertPaymentMethodRefused(response: RawResponse, message: RegExp): void {
  assert.equal(response.status, 400, JSON.stringify(response.body));
  assert.equal(response.body.error.type, 'invalid_request_error');
  assert.equal(response.body.error.param, 'payment_method');
  assert.match(response.body.error.message, message);
}

const SPENT = /was previously used with a PaymentIntent without Customer attachment.*It may not be used again/;
const ATTACHED_ELSEWHERE = /is attached to another customer than this (PaymentIntent|SetupIntent)'s/;

function assertUnexpectedState(response: RawResponse): void {
  assert.equal(response.status, 400, JSON.stringify(response.body));
  assert.equal(response.body.error.type, 'invalid_request_error');
  assert.equal(response.body.error.code, 'payment_intent_unexpected_state', JSON.stringify(response.body));
}

/** Succeeded with exactly one captured charge of `captured`, one balance transaction, and each event once. */
function assertPaidOnce(record: IntentRecord, captured: number, options: { manual?: boolean } = {}): Stripe.Charge {
  const { intent, charges, balanceTransactions, events } = record;
  assert.equal(intent.status, 'succeeded');
  assert.equal(intent.amount_received, captured);
  assert.equal(charges.length, 1, `one charge, not ${charges.map((c) => `${c.id} ${c.status}`).join(', ')}`);
  const [charge] = charges;
  assert.deepEqual(
    {
      status: charge.status,
      captured: charge.captured,
      amount: charge.amount,
      amount_captured: charge.amount_captured,
      amount_refunded: charge.amount_refunded,
    },
    {
      status: 'succeeded',
      captured: true,
      amount: intent.amount,
      amount_captured: captured,
      amount_refunded: intent.amount - captured,
    },
  );
  assert.equal(intent.latest_charge, charge.id);
  assert.equal(balanceTransactions.length, 1, 'one balance transaction');
  const [txn] = balanceTransactions;
  assert.deepEqual(
    { source: txn.source, amount: txn.amount, type: txn.type },
    { source: charge.id, amount: captured, type: 'charge' },
  );
  assert.equal(charge.balance_transaction, txn.id);
  assert.equal(countOf(events, 'payment_intent.succeeded'), 1);
  assert.equal(countOf(events, 'charge.succeeded'), 1);
  assert.equal(countOf(events, 'charge.captured'), options.manual ? 1 : 0);
  assert.equal(countOf(events, 'payment_intent.amount_capturable_updated'), options.manual ? 1 : 0);
  assert.equal(countOf(events, 'charge.failed'), 0);
  assert.equal(countOf(events, 'payment_intent.canceled'), 0);
  return charge;
}

/** Canceled, and no money moved: any charge is an uncaptured, released hold. */
function assertCanceledWithoutMoney(record: IntentRecord): void {
  const { intent, charges, balanceTransactions, events } = record;
  assert.equal(intent.status, 'canceled');
  assert.equal(intent.amount_received, 0);
  assert.equal(balanceTransactions.length, 0, 'no balance transaction');
  for (const charge of charges) {
    assert.equal(charge.captured, false, 'a canceled intent never has a captured charge');
    assert.equal(charge.amount_captured, 0);
    assert.equal(charge.balance_transaction, null);
    if (charge.status === 'succeeded')
      assert.deepEqual([charge.refunded, charge.amount_refunded], [true, charge.amount], 'the hold is released');
  }
  assert.equal(countOf(events, 'payment_intent.canceled'), 1);
  assert.equal(countOf(events, 'payment_intent.succeeded'), 0);
  assert.equal(countOf(events, 'charge.captured'), 0);
}

describeEachStore('racing payment operations on one PaymentIntent', (target) => {
  const layouts = [
    { name: 'one process', start: oneProcess },
    {
      name: target.name === 'postgres' ? 'three processes on one schema' : 'two processes on one file',
      start: severalProcesses,
    },
  ];
  for (const layout of layouts) {
    describe(layout.name, () => {
      const cleanup: Cleanup = [];
      let d: Deployment;
      before(async () => {
        d = await layout.start(target, cleanup);
      });
      after(async () => {
        for (const step of cleanup.reverse()) await step();
      });

      /** Request `i` goes to process `i` (round robin), each with its own idempotency key. */
      const post = (i: number, path: string, form: Record<string, string>): FormPost => ({
        url: `${d.urls[i % d.urls.length]}${path}`,
        secretKey: d.secretKey,
        form,
        idempotencyKey: randomUUID(),
      });

      test('ten confirms at once: one succeeds, one charge, one balance transaction, each event once', async () => {
        for (let round = 0; round < 3; round++) {
          const intent = await d.stripe.paymentIntents.create({
            amount: 2000 + round,
            currency: 'usd',
            automatic_payment_methods: NO_REDIRECTS,
          });
          const responses = await postTogether(
            Array.from({ length: 10 }, (_, i) =>
              post(i + round, `/v1/payment_intents/${intent.id}/confirm`, { payment_method: 'pm_card_visa' }),
            ),
          );
          const winners = responses.filter((r) => r.status === 200);
          assert.equal(winners.length, 1, summary(responses));
          assert.equal(winners[0].body.status, 'succeeded');
          for (const response of responses) if (response !== winners[0]) assertUnexpectedState(response);

          const record = await d.ledger.intent(intent.id);
          const charge = assertPaidOnce(record, 2000 + round);
          assert.equal(winners[0].body.latest_charge, charge.id);
          assert.equal(record.intent.payment_method, charge.payment_method);
        }
      });

      for (const start of ['requires_payment_method', 'requires_confirmation'] as const) {
        test(`a confirm racing a cancel (${start}): exactly one wins`, async (t) => {
          const wins = { confirm: 0, cancel: 0 };
          for (let round = 0; round < 6; round++) {
            const intent = await d.stripe.paymentIntents.create({
              amount: 1500,
              currency: 'usd',
              automatic_payment_methods: NO_REDIRECTS,
              ...(start === 'requires_confirmation' ? { payment_method: 'pm_card_visa' } : {}),
            });
            assert.equal(intent.status, start);
            const confirm = post(
              round,
              `/v1/payment_intents/${intent.id}/confirm`,
              start === 'requires_confirmation' ? { 'expand[0]': 'latest_charge' } : { payment_method: 'pm_card_visa' },
            );
            const cancel = post(round + 1, `/v1/payment_intents/${intent.id}/cancel`, {
              cancellation_reason: 'requested_by_customer',
            });
            // Alternate which request's last byte goes out first.
            const [confirmed, canceled] =
              round % 2 === 0
                ? await postTogether([confirm, cancel])
                : (await postTogether([cancel, confirm])).reverse();

            const record = await d.ledger.intent(intent.id);
            if (confirmed.status === 200) {
              wins.confirm++;
              assert.equal(confirmed.body.status, 'succeeded');
              assertUnexpectedState(canceled);
              assertPaidOnce(record, 1500);
            } else {
              wins.cancel++;
              assertUnexpectedState(confirmed);
              assert.equal(canceled.status, 200, JSON.stringify(canceled.body));
              assert.equal(canceled.body.status, 'canceled');
              assertCanceledWithoutMoney(record);
              assert.equal(record.charges.length, 0, 'the confirm never reached the card network');
            }
          }
          t.diagnostic(`winners: ${JSON.stringify(wins)}`);
        });
      }

      test('a confirm racing a cancel (manual capture): a canceled intent never has a captured charge', async (t) => {
        const outcomes: Record<string, number> = {};
        for (let round = 0; round < 6; round++) {
          const intent = await d.stripe.paymentIntents.create({
            amount: 1700,
            currency: 'usd',
            automatic_payment_methods: NO_REDIRECTS,
            capture_method: 'manual',
            payment_method: 'pm_card_visa',
          });
          const confirm = post(round, `/v1/payment_intents/${intent.id}/confirm`, { 'expand[0]': 'latest_charge' });
          const cancel = post(round + 1, `/v1/payment_intents/${intent.id}/cancel`, {
            cancellation_reason: 'abandoned',
          });
          const [confirmed, canceled] =
            round % 2 === 0 ? await postTogether([confirm, cancel]) : (await postTogether([cancel, confirm])).reverse();

          // A held payment may be canceled, so the cancel always wins; the confirm either came first (a released hold) or is refused.
          assert.equal(canceled.status, 200, JSON.stringify(canceled.body));
          const record = await d.ledger.intent(intent.id);
          assertCanceledWithoutMoney(record);
          if (confirmed.status === 200) {
            assert.equal(confirmed.body.status, 'requires_capture');
            assert.equal(record.charges.length, 1);
            assert.equal(record.charges[0].status, 'succeeded');
            assert.equal(countOf(record.events, 'charge.refunded'), 1);
          } else {
            assertUnexpectedState(confirmed);
            assert.equal(record.charges.length, 0);
          }
          const key = confirmed.status === 200 ? 'confirm then cancel' : 'cancel first';
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        }
        t.diagnostic(`outcomes: ${JSON.stringify(outcomes)}`);
      });

      test('ten captures at once of different amounts: one capture, of the amount its request asked', async () => {
        for (let round = 0; round < 3; round++) {
          const intent = await d.stripe.paymentIntents.create({
            amount: 2000,
            currency: 'usd',
            automatic_payment_methods: NO_REDIRECTS,
            capture_method: 'manual',
            payment_method: 'pm_card_visa',
            confirm: true,
          });
          assert.equal(intent.status, 'requires_capture');
          const responses = await postTogether(
            Array.from({ length: 10 }, (_, i) =>
              post(i + round, `/v1/payment_intents/${intent.id}/capture`, {
                amount_to_capture: String(1100 + 100 * i),
              }),
            ),
          );
          const winners = responses.filter((r) => r.status === 200);
          assert.equal(winners.length, 1, summary(responses));
          for (const response of responses) if (response !== winners[0]) assertUnexpectedState(response);
          const asked = 1100 + 100 * responses.indexOf(winners[0]);
          assert.equal(winners[0].body.amount_received, asked);

          assertPaidOnce(await d.ledger.intent(intent.id), asked, { manual: true });
        }
      });

      test('a capture racing a cancel: captured with one balance transaction, or released with none', async (t) => {
        const wins = { capture: 0, cancel: 0 };
        for (let round = 0; round < 6; round++) {
          const intent = await d.stripe.paymentIntents.create({
            amount: 1800,
            currency: 'usd',
            automatic_payment_methods: NO_REDIRECTS,
            capture_method: 'manual',
            payment_method: 'pm_card_visa',
            confirm: true,
          });
          const capture = post(round, `/v1/payment_intents/${intent.id}/capture`, { 'expand[0]': 'latest_charge' });
          const cancel = post(round + 1, `/v1/payment_intents/${intent.id}/cancel`, {
            cancellation_reason: 'abandoned',
          });
          const [captured, canceled] =
            round % 2 === 0 ? await postTogether([capture, cancel]) : (await postTogether([cancel, capture])).reverse();

          const record = await d.ledger.intent(intent.id);
          if (captured.status === 200) {
            wins.capture++;
            assertUnexpectedState(canceled);
            assertPaidOnce(record, 1800, { manual: true });
          } else {
            wins.cancel++;
            assertUnexpectedState(captured);
            assert.equal(canceled.status, 200, JSON.stringify(canceled.body));
            assertCanceledWithoutMoney(record);
            assert.equal(record.charges.length, 1);
            assert.equal(countOf(record.events, 'charge.refunded'), 1);
          }
        }
        t.diagnostic(`winners: ${JSON.stringify(wins)}`);
      });

      test('a confirm racing amount updates: the charge is for the amount the confirm saw', async (t) => {
        const appliedBefore: number[] = [];
        for (let round = 0; round < 4; round++) {
          const intent = await d.stripe.paymentIntents.create({
            amount: 1000,
            currency: 'usd',
            automatic_payment_methods: NO_REDIRECTS,
            payment_method: 'pm_card_visa',
            description: 'original',
          });
          const amounts = [1500, 2500, 3500, 4500];
          // Each update also names itself in the description, so the last one applied can be told.
          const requests = amounts.map((amount, i) =>
            post(i + round, `/v1/payment_intents/${intent.id}`, { amount: String(amount), description: `update ${i}` }),
          );
          // The confirm takes a different place among the updates each round.
          requests.splice(
            round,
            0,
            post(round + 4, `/v1/payment_intents/${intent.id}/confirm`, { 'expand[0]': 'latest_charge' }),
          );
          const responses = await postTogether(requests);
          const [confirmed] = responses.splice(round, 1);

          assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
          assert.equal(confirmed.body.status, 'succeeded');
          const applied = responses.filter((r, i) => {
            if (r.status !== 200) {
              assertUnexpectedState(r);
              return false;
            }
            assert.equal(r.body.amount, amounts[i], 'an update answers with the amount it set');
            assert.equal(r.body.status, 'requires_confirmation');
            return true;
          });
          appliedBefore.push(applied.length);

          const record = await d.ledger.intent(intent.id);
          const charge = assertPaidOnce(record, confirmed.body.amount);
          assert.equal(record.intent.amount, confirmed.body.amount);
          assert.equal(charge.amount, confirmed.body.amount);
          assert.equal(
            confirmed.body.latest_charge.amount,
            confirmed.body.amount,
            'the confirm answers with the charge it made',
          );
          // Updates after the confirm were refused; the charge has the amount and description of one state: the last update applied, or none.
          assert.equal(charge.description, record.intent.description);
          const last = amounts.findIndex((_, i) => record.intent.description === `update ${i}`);
          if (last === -1) {
            assert.deepEqual([applied.length, record.intent.description, charge.amount], [0, 'original', 1000]);
          } else {
            assert.ok(applied.includes(responses[last]), 'the last update applied was accepted');
            assert.equal(charge.amount, amounts[last]);
          }
          const succeeded = record.events.find((e) => e.type === 'payment_intent.succeeded')!.data
            .object as Stripe.PaymentIntent;
          assert.equal(succeeded.amount, charge.amount);
        }
        t.diagnostic(`updates accepted before the confirm, per round: ${appliedBefore.join(', ')}`);
      });

      describe('one unattached PaymentMethod, many intents at once', () => {
        const unattachedCard = () =>
          d.stripe.paymentMethods.create({
            type: 'card',
            card: { token: 'tok_visa' } as Stripe.PaymentMethodCreateParams.Card,
          });
        const chargesOf = async (pm: string) => (await d.ledger.charges()).filter((c) => c.payment_method === pm);
        /** Exactly one response paid with `pm`, the others were refused as its reuse, and one charge exists: the winner's. */
        const assertOnePaid = async (responses: RawResponse[], pm: string): Promise<RawResponse> => {
          const winners = responses.filter((r) => r.status === 200);
          assert.equal(winners.length, 1, summary(responses));
          assert.equal(winners[0].body.status, 'succeeded');
          for (const response of responses) if (response !== winners[0]) assertPaymentMethodRefused(response, SPENT);
          const charges = await chargesOf(pm);
          assert.equal(charges.length, 1, `one charge, not ${charges.map((c) => `${c.id} ${c.status}`).join(', ')}`);
          assert.equal(charges[0].payment_intent, winners[0].body.id);
          return winners[0];
        };
        const newSetupIntent = async (i: number) => {
          const customer = await d.stripe.customers.create({ email: `racer${i}@example.com` });
          return d.stripe.setupIntents.create({ customer: customer.id, automatic_payment_methods: NO_REDIRECTS });
        };

        test('ten confirms of ten PaymentIntents: one pays, the others are refused, one charge', async () => {
          for (let round = 0; round < 3; round++) {
            const pm = await unattachedCard();
            const intents = await Promise.all(
              Array.from({ length: 10 }, (_, i) =>
                d.stripe.paymentIntents.create({
                  amount: 1000 + i,
                  currency: 'usd',
                  automatic_payment_methods: NO_REDIRECTS,
                }),
              ),
            );
            const responses = await postTogether(
              intents.map((intent, i) =>
                post(i + round, `/v1/payment_intents/${intent.id}/confirm`, { payment_method: pm.id }),
              ),
            );

            const winner = await assertOnePaid(responses, pm.id);
            for (const intent of intents) {
              if (intent.id === winner.body.id) continue;
              const unpaid = await d.stripe.paymentIntents.retrieve(intent.id);
              assert.deepEqual(
                [unpaid.status, unpaid.latest_charge, unpaid.payment_method],
                ['requires_payment_method', null, null],
              );
            }
          }
        });

        test('ten PaymentIntents created with confirm=true: one pays, the others are refused, one charge', async () => {
          for (let round = 0; round < 3; round++) {
            const pm = await unattachedCard();
            const form = (i: number) => ({
              amount: String(1000 + i),
              currency: 'usd',
              'automatic_payment_methods[enabled]': 'true',
              'automatic_payment_methods[allow_redirects]': 'never',
              payment_method: pm.id,
              confirm: 'true',
            });
            const responses = await postTogether(
              Array.from({ length: 10 }, (_, i) => post(i + round, '/v1/payment_intents', form(i))),
            );

            await assertOnePaid(responses, pm.id);
          }
        });

        test("ten confirms of ten customers' SetupIntents: one attaches it, the others are refused", async () => {
          const pm = await unattachedCard();
          const setupIntents = await Promise.all(Array.from({ length: 10 }, (_, i) => newSetupIntent(i)));
          const responses = await postTogether(
            setupIntents.map((si, i) => post(i, `/v1/setup_intents/${si.id}/confirm`, { payment_method: pm.id })),
          );

          const winners = responses.filter((r) => r.status === 200);
          assert.equal(winners.length, 1, summary(responses));
          assert.equal(winners[0].body.status, 'succeeded');
          for (const response of responses)
            if (response !== winners[0]) assertPaymentMethodRefused(response, ATTACHED_ELSEWHERE);
          const saved = await d.stripe.paymentMethods.retrieve(pm.id);
          assert.equal(saved.customer, winners[0].body.customer);
          const attached = (await d.stripe.events.list({ type: 'payment_method.attached', limit: 100 })).data.filter(
            (e) => (e.data.object as Stripe.PaymentMethod).id === pm.id,
          );
          assert.equal(attached.length, 1, 'attached once');
        });

        test('PaymentIntent and SetupIntent confirms together: exactly one uses it', async (t) => {
          const wins = { payment: 0, setup: 0 };
          for (let round = 0; round < 4; round++) {
            const pm = await unattachedCard();
            const intents = await Promise.all(
              Array.from({ length: 5 }, (_, i) =>
                d.stripe.paymentIntents.create({
                  amount: 1200 + i,
                  currency: 'usd',
                  automatic_payment_methods: NO_REDIRECTS,
                }),
              ),
            );
            const setupIntents = await Promise.all(Array.from({ length: 5 }, (_, i) => newSetupIntent(10 * round + i)));
            const requests = intents.flatMap((intent, i) => [
              post(2 * i + round, `/v1/payment_intents/${intent.id}/confirm`, { payment_method: pm.id }),
              post(2 * i + 1 + round, `/v1/setup_intents/${setupIntents[i].id}/confirm`, { payment_method: pm.id }),
            ]);
            const responses = await postTogether(requests);

            const winners = responses.filter((r) => r.status === 200);
            assert.equal(winners.length, 1, summary(responses));
            const [winner] = winners;
            assert.equal(winner.body.status, 'succeeded');
            const charges = await chargesOf(pm.id);
            const saved = await d.stripe.paymentMethods.retrieve(pm.id);
            for (const response of responses)
              if (response !== winner)
                assertPaymentMethodRefused(
                  response,
                  winner.body.object === 'payment_intent' ? SPENT : ATTACHED_ELSEWHERE,
                );
            if (winner.body.object === 'payment_intent') {
              wins.payment++;
              assert.deepEqual([charges.length, charges[0]?.payment_intent, saved.customer], [1, winner.body.id, null]);
            } else {
              wins.setup++;
              assert.deepEqual([charges.length, saved.customer], [0, winner.body.customer]);
            }
          }
          t.diagnostic(`winners: ${JSON.stringify(wins)}`);
        });

        test('PaymentIntent confirms and customers created with it together: exactly one uses it', async (t) => {
          const wins = { payment: 0, customer: 0 };
          for (let round = 0; round < 4; round++) {
            const pm = await unattachedCard();
            const intents = await Promise.all(
              Array.from({ length: 5 }, (_, i) =>
                d.stripe.paymentIntents.create({
                  amount: 1300 + i,
                  currency: 'usd',
                  automatic_payment_methods: NO_REDIRECTS,
                }),
              ),
            );
            const requests = intents.flatMap((intent, i) => [
              post(2 * i + round, `/v1/payment_intents/${intent.id}/confirm`, { payment_method: pm.id }),
              post(2 * i + 1 + round, '/v1/customers', {
                email: `holder${round}-${i}@example.com`,
                payment_method: pm.id,
              }),
            ]);
            const responses = await postTogether(requests);

            const winners = responses.filter((r) => r.status === 200);
            assert.equal(winners.length, 1, summary(responses));
            const [winner] = winners;
            const charges = await chargesOf(pm.id);
            const saved = await d.stripe.paymentMethods.retrieve(pm.id);
            if (winner.body.object === 'payment_intent') {
              wins.payment++;
              assert.equal(winner.body.status, 'succeeded');
              for (const response of responses) if (response !== winner) assertPaymentMethodRefused(response, SPENT);
              assert.deepEqual([charges.length, charges[0]?.payment_intent, saved.customer], [1, winner.body.id, null]);
            } else {
              wins.customer++;
              for (const [i, response] of responses.entries()) {
                if (response === winner) continue;
                if (i % 2 === 0) {
                  assertPaymentMethodRefused(response, ATTACHED_ELSEWHERE);
                } else {
                  assert.equal(response.status, 400, JSON.stringify(response.body));
                  assert.equal(
                    response.body.error.message,
                    'The payment method you provided has already been attached to a customer.',
                  );
                }
              }
              assert.deepEqual([charges.length, saved.customer], [0, winner.body.id]);
            }
          }
          t.diagnostic(`winners: ${JSON.stringify(wins)}`);
        });
      });
    });
  }
});
