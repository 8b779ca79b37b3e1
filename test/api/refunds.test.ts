// Refunds through the official SDK: full, partial and several refunds, the
// errors Stripe answers, the charge's refunded amounts and its `refunds`
// list, events, and the test cards whose refunds change later (a pending
// refund that settles, a refund that fails) once the clock moves and jobs run.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { LATER_OUTCOME_DELAY_SECONDS } from '../../src/payments/refund.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import { assertShape } from '../support/shapes.js';

type StripeError = Stripe.errors.StripeError;

function rejectsWith(expected: {
  status: number;
  code?: string | undefined;
  param?: string;
  message?: RegExp | string;
}) {
  return (e: StripeError) => {
    assert.ok(e instanceof Stripe.errors.StripeError, String(e));
    assert.equal(e.statusCode, expected.status, `${e.statusCode} ${e.code} ${e.message}`);
    assert.equal(e.rawType, 'invalid_request_error');
    if ('code' in expected) assert.equal(e.code, expected.code);
    if ('param' in expected) assert.equal(e.param, expected.param);
    if (typeof expected.message === 'string') assert.equal(e.message, expected.message);
    else if (expected.message) assert.match(e.message, expected.message);
    return true;
  };
}

/** Events about one object, oldest first. */
async function eventsAbout(stripe: Stripe, id: string): Promise<Stripe.Event[]> {
  const all = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
  return all.filter((e) => (e.data.object as { id?: string }).id === id).reverse();
}

describeEachStore('refunds through the official SDK', (target) => {
  let kassa: TestKassa;
  let stripe: Stripe;
  const clock = testClock();

  before(async () => {
    kassa = await startKassa(await target.config(), { clock });
    stripe = kassa.stripe;
  });
  after(() => kassa.close());

  async function pay(
    amount: number,
    paymentMethod = 'pm_card_visa',
    extra: Partial<Stripe.PaymentIntentCreateParams> = {},
  ) {
    const intent = await stripe.paymentIntents.create({
      amount,
      currency: 'usd',
      payment_method: paymentMethod,
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      ...extra,
    });
    return { intent, charge: await stripe.charges.retrieve(intent.latest_charge as string) };
  }

  test('a full refund by PaymentIntent: the refund, its balance transaction, the charge, events', async () => {
    const { intent, charge } = await pay(2000);
    const refund = await stripe.refunds.create({ payment_intent: intent.id });
    assertShape('refund', refund);
    assert.match(refund.id, /^re_[A-Za-z0-9]{24}$/);
    assert.equal(refund.object, 'refund');
    assert.equal(refund.amount, 2000);
    assert.equal(refund.currency, 'usd');
    assert.equal(refund.charge, charge.id);
    assert.equal(refund.payment_intent, intent.id);
    assert.equal(refund.payment_method, charge.payment_method);
    assert.equal(refund.customer, null);
    assert.equal(refund.status, 'succeeded');
    assert.equal(refund.reason, null);
    assert.equal(refund.receipt_number, null);
    assert.equal(refund.created, clock.now());
    assert.deepEqual(refund.metadata, {});
    assert.equal(refund.source_transfer_reversal, null);
    assert.equal(refund.transfer_reversal, null);
    assert.equal(refund.failure_reason, undefined);
    const card = refund.destination_details?.card;
    assert.equal(refund.destination_details?.type, 'card');
    assert.equal(card?.type, 'refund');
    assert.equal(card?.reference_status, 'available');
    assert.equal(card?.reference_type, 'acquirer_reference_number');
    assert.match(card?.reference ?? '', /^\d{23}$/);

    const txn = await stripe.balanceTransactions.retrieve(refund.balance_transaction as string);
    assertShape('balance_transaction', txn);
    assert.equal(txn.type, 'refund');
    assert.equal(txn.reporting_category, 'refund');
    assert.equal(txn.amount, -2000);
    assert.equal(txn.fee, 0);
    assert.equal(txn.net, -2000);
    assert.equal(txn.source, refund.id);
    assert.equal(txn.status, 'available');

    const refunded = await stripe.charges.retrieve(charge.id);
    assert.equal(refunded.amount_refunded, 2000);
    assert.equal(refunded.refunded, true);
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, 'succeeded');

    const events = await eventsAbout(stripe, refund.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['refund.created'],
    );
    const chargeEvents = (await eventsAbout(stripe, charge.id)).filter((e) => e.type === 'charge.refunded');
    assert.equal(chargeEvents.length, 1);
    assert.deepEqual(chargeEvents[0].data.previous_attributes, { amount_refunded: 0, refunded: false });
    assert.equal((chargeEvents[0].data.object as Stripe.Charge).amount_refunded, 2000);
    assert.equal(chargeEvents[0].request?.id, refund.lastResponse.requestId);

    // Nothing is left: by PaymentIntent or by charge, Stripe's charge_already_refunded.
    for (const params of [{ payment_intent: intent.id }, { charge: charge.id }, { charge: charge.id, amount: 1 }]) {
      await assert.rejects(
        stripe.refunds.create(params),
        rejectsWith({
          status: 400,
          code: 'charge_already_refunded',
          message: `Charge ${charge.id} has already been refunded.`,
        }),
      );
    }
  });

  test('partial refunds add up; more than remains is amount_too_large; the default is what remains', async () => {
    const { intent, charge } = await pay(1000);
    const first = await stripe.refunds.create({
      charge: charge.id,
      amount: 300,
      reason: 'requested_by_customer',
      metadata: { order: '7' },
    });
    assert.equal(first.amount, 300);
    assert.equal(first.reason, 'requested_by_customer');
    assert.deepEqual(first.metadata, { order: '7' });
    assert.equal(first.payment_intent, intent.id);
    let current = await stripe.charges.retrieve(charge.id);
    assert.deepEqual([current.amount_refunded, current.refunded], [300, false]);

    const second = await stripe.refunds.create({ payment_intent: intent.id, amount: 200, reason: 'duplicate' });
    assert.equal(second.charge, charge.id);
    current = await stripe.charges.retrieve(charge.id);
    assert.deepEqual([current.amount_refunded, current.refunded], [500, false]);

    await assert.rejects(
      stripe.refunds.create({ charge: charge.id, amount: 501 }),
      rejectsWith({
        status: 400,
        code: 'amount_too_large',
        param: 'amount',
        message: 'Refund amount ($5.01) is greater than unrefunded amount on charge ($5.00)',
      }),
    );
    await assert.rejects(
      stripe.refunds.create({ charge: charge.id, amount: 0 }),
      rejectsWith({ status: 400, param: 'amount' }),
    );
    current = await stripe.charges.retrieve(charge.id);
    assert.equal(current.amount_refunded, 500, 'a refused refund changes nothing');

    const rest = await stripe.refunds.create({ charge: charge.id, reason: 'fraudulent' });
    assert.equal(rest.amount, 500);
    current = await stripe.charges.retrieve(charge.id);
    assert.deepEqual([current.amount_refunded, current.refunded], [1000, true]);

    // Three charge.refunded events, each with what the charge had before.
    const refundedEvents = (await eventsAbout(stripe, charge.id)).filter((e) => e.type === 'charge.refunded');
    assert.deepEqual(
      refundedEvents.map((e) => e.data.previous_attributes),
      [{ amount_refunded: 0 }, { amount_refunded: 300 }, { amount_refunded: 500, refunded: false }],
    );

    // Lists: by charge, by PaymentIntent, newest first, with cursors.
    const byCharge = await stripe.refunds.list({ charge: charge.id });
    assert.deepEqual(
      byCharge.data.map((r) => r.id),
      [rest.id, second.id, first.id],
    );
    const byIntent = await stripe.refunds.list({ payment_intent: intent.id, limit: 2 });
    assert.deepEqual(
      byIntent.data.map((r) => r.id),
      [rest.id, second.id],
    );
    assert.equal(byIntent.has_more, true);
    const next = await stripe.refunds.list({ payment_intent: intent.id, limit: 2, starting_after: second.id });
    assert.deepEqual(
      next.data.map((r) => r.id),
      [first.id],
    );
    assert.equal(next.has_more, false);
    const back = await stripe.refunds.list({ payment_intent: intent.id, ending_before: first.id });
    assert.deepEqual(
      back.data.map((r) => r.id),
      [rest.id, second.id],
    );
    const all = await stripe.refunds.list({ created: { gte: clock.now() }, limit: 100 });
    assert.ok([first.id, second.id, rest.id].every((id) => all.data.some((r) => r.id === id)));
    const none = await stripe.refunds.list({ created: { gt: clock.now() } });
    assert.deepEqual(none.data, []);

    // The charge lists its refunds only when asked (expand[]=refunds), with their objects expandable in turn.
    const plain = await stripe.charges.retrieve(charge.id);
    assert.equal((plain as { refunds?: unknown }).refunds, undefined);
    const expanded = await stripe.charges.retrieve(charge.id, {
      expand: ['refunds', 'refunds.data.balance_transaction'],
    });
    assert.equal(expanded.refunds?.object, 'list');
    assert.equal(expanded.refunds?.url, `/v1/charges/${charge.id}/refunds`);
    assert.equal(expanded.refunds?.has_more, false);
    assert.deepEqual(
      expanded.refunds?.data.map((r) => r.id),
      [rest.id, second.id, first.id],
    );
    assert.equal((expanded.refunds!.data[0]!.balance_transaction as Stripe.BalanceTransaction).amount, -500);
    assertShape('charge', expanded);
    const fromRefund = await stripe.refunds.retrieve(first.id, {
      expand: ['charge', 'payment_intent', 'balance_transaction'],
    });
    assert.equal((fromRefund.charge as Stripe.Charge).id, charge.id);
    assert.equal((fromRefund.payment_intent as Stripe.PaymentIntent).id, intent.id);
    assert.equal((fromRefund.balance_transaction as Stripe.BalanceTransaction).amount, -300);
  });

  test('refunds sent at once never take more than the charge', async () => {
    const { charge } = await pay(1000);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => stripe.refunds.create({ charge: charge.id, amount: 300 })),
    );
    const made = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(made.length, 3);
    for (const r of refused) assert.equal((r.reason as StripeError).code, 'amount_too_large', String(r.reason));
    const after = await stripe.charges.retrieve(charge.id);
    assert.deepEqual([after.amount_refunded, after.refunded], [900, false]);
    assert.equal((await stripe.refunds.list({ charge: charge.id })).data.length, 3);
    assert.equal(
      (await stripe.balanceTransactions.list({ type: 'refund', limit: 100 })).data.filter((t) =>
        made.some((m) => m.value.id === t.source),
      ).length,
      3,
    );
  });

  test('a partially captured charge refunds only what was captured', async () => {
    const { intent, charge } = await pay(1000, 'pm_card_visa', { capture_method: 'manual' });
    await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 600 });
    await assert.rejects(
      stripe.refunds.create({ charge: charge.id, amount: 700 }),
      rejectsWith({ status: 400, code: 'amount_too_large', param: 'amount' }),
    );
    const refund = await stripe.refunds.create({ payment_intent: intent.id });
    assert.equal(refund.amount, 600);
    const after = await stripe.charges.retrieve(charge.id);
    assert.deepEqual([after.amount_refunded, after.refunded], [1000, true]);
  });

  test('what cannot be refunded: uncaptured, failed, canceled, unknown, ambiguous', async () => {
    const held = await pay(1000, 'pm_card_visa', { capture_method: 'manual' });
    assert.equal(held.intent.status, 'requires_capture');
    for (const params of [{ payment_intent: held.intent.id }, { charge: held.charge.id }]) {
      await assert.rejects(
        stripe.refunds.create(params),
        rejectsWith({
          status: 400,
          param: Object.keys(params)[0],
          message: new RegExp(
            `uncaptured Charge was created by a PaymentIntent \\(${held.intent.id}\\)\\. You must cancel the PaymentIntent`,
          ),
        }),
      );
    }
    const canceled = await stripe.paymentIntents.cancel(held.intent.id);
    assert.equal(canceled.status, 'canceled');
    await assert.rejects(
      stripe.refunds.create({ charge: held.charge.id }),
      rejectsWith({
        status: 400,
        param: 'charge',
        message: `This PaymentIntent (${held.intent.id}) does not have a successful charge to refund.`,
      }),
    );

    const declined = await stripe.paymentIntents
      .create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      })
      .catch((e: StripeError) => e);
    assert.ok(declined instanceof Stripe.errors.StripeCardError);
    const raw = declined.raw as { charge: string; payment_intent: { id: string } };
    const failedCharge = raw.charge;
    const failedIntent = raw.payment_intent.id;
    await assert.rejects(
      stripe.refunds.create({ charge: failedCharge }),
      rejectsWith({
        status: 400,
        param: 'charge',
        message: `This PaymentIntent (${failedIntent}) does not have a successful charge to refund.`,
      }),
    );
    const unpaid = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    await assert.rejects(
      stripe.refunds.create({ payment_intent: unpaid.id }),
      rejectsWith({
        status: 400,
        param: 'payment_intent',
        message: `This PaymentIntent (${unpaid.id}) does not have a successful charge to refund.`,
      }),
    );

    await assert.rejects(
      stripe.refunds.create({ charge: 'ch_nope' }),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'charge', message: "No such charge: 'ch_nope'" }),
    );
    await assert.rejects(
      stripe.refunds.create({ payment_intent: 'pi_nope' }),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'payment_intent' }),
    );
    await assert.rejects(stripe.refunds.create({}), rejectsWith({ status: 400, param: 'payment_intent' }));
    const { intent, charge } = await pay(500);
    await assert.rejects(
      stripe.refunds.create({ charge: charge.id, payment_intent: intent.id }),
      rejectsWith({ status: 400, message: /only specify one of/ }),
    );
    await assert.rejects(
      stripe.refunds.retrieve('re_nope'),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'refund' }),
    );
    assert.equal((await stripe.charges.retrieve(charge.id)).amount_refunded, 0);
  });

  test('update (metadata only) and cancel (card refunds cannot be canceled)', async () => {
    const { charge } = await pay(800);
    const refund = await stripe.refunds.create({ charge: charge.id, metadata: { a: '1', b: '2' } });
    const updated = await stripe.refunds.update(refund.id, { metadata: { a: '', c: '3' } });
    assert.deepEqual(updated.metadata, { b: '2', c: '3' });
    assert.deepEqual((await stripe.refunds.retrieve(refund.id)).metadata, { b: '2', c: '3' });
    const events = await eventsAbout(stripe, refund.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['refund.created', 'refund.updated', 'charge.refund.updated'],
    );
    assert.deepEqual(events[1].data.previous_attributes, { metadata: { a: '1', c: null } });
    await assert.rejects(
      stripe.refunds.update(refund.id, { amount: 5 } as Stripe.RefundUpdateParams),
      rejectsWith({ status: 400, code: 'parameter_unknown' }),
    );

    await assert.rejects(
      stripe.refunds.cancel(refund.id),
      rejectsWith({ status: 400, param: 'refund', message: /status of succeeded/ }),
    );
    assert.equal((await stripe.refunds.retrieve(refund.id)).status, 'succeeded');
    await assert.rejects(stripe.refunds.cancel('re_nope'), rejectsWith({ status: 404, code: 'resource_missing' }));
  });

  test('pm_card_pendingRefund: pending at first, succeeded once the clock passes and jobs run', async () => {
    const { charge } = await pay(1500, 'pm_card_pendingRefund');
    const refund = await stripe.refunds.create({ charge: charge.id });
    assert.equal(refund.status, 'pending');
    assertShape('refund', refund);
    assert.deepEqual(refund.destination_details?.card, {
      reference_status: 'pending',
      reference_type: 'acquirer_reference_number',
      type: 'pending',
    });
    assert.deepEqual(
      [(await stripe.charges.retrieve(charge.id)).amount_refunded],
      [1500],
      'a pending refund counts as refunded',
    );

    clock.advance(LATER_OUTCOME_DELAY_SECONDS.succeeded - 1);
    await kassa.jobs.runDueJobs();
    assert.equal((await stripe.refunds.retrieve(refund.id)).status, 'pending', 'not yet');

    clock.advance(1);
    await kassa.jobs.runDueJobs();
    const settled = await stripe.refunds.retrieve(refund.id);
    assert.equal(settled.status, 'succeeded');
    assert.equal(settled.destination_details?.card?.reference_status, 'available');
    assert.match(settled.destination_details?.card?.reference ?? '', /^\d{23}$/);
    assertShape('refund', settled);

    const events = await eventsAbout(stripe, refund.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['refund.created', 'refund.updated', 'charge.refund.updated'],
    );
    for (const event of events.slice(1)) {
      assert.deepEqual(event.request, { id: null, idempotency_key: null }, 'an automatic change');
      assert.equal(event.created, clock.now());
      assert.equal((event.data.previous_attributes as { status?: string }).status, 'pending');
      assert.equal((event.data.object as Stripe.Refund).status, 'succeeded');
      assertShape('event', event);
    }
    // The job ran once: later passes change nothing.
    clock.advance(3600);
    await kassa.jobs.runDueJobs();
    assert.equal((await eventsAbout(stripe, refund.id)).length, 3);
    const charged = await stripe.charges.retrieve(charge.id);
    assert.deepEqual([charged.amount_refunded, charged.refunded], [1500, true]);
  });

  test('pm_card_refundFail: succeeded at first, then failed with the money back in the balance', async () => {
    const { charge } = await pay(1200, 'pm_card_refundFail');
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 1000 });
    assert.equal(refund.status, 'succeeded');
    assert.equal((await stripe.charges.retrieve(charge.id)).amount_refunded, 1000);
    const balanceBefore = await stripe.balance.retrieve();

    clock.advance(LATER_OUTCOME_DELAY_SECONDS.failed);
    await kassa.jobs.runDueJobs();
    const failed = await stripe.refunds.retrieve(refund.id);
    assertShape('refund', failed);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failure_reason, 'expired_or_canceled_card');
    assert.equal(failed.balance_transaction, refund.balance_transaction, 'the original debit stays');
    const back = await stripe.balanceTransactions.retrieve(failed.failure_balance_transaction as string);
    assertShape('balance_transaction', back);
    assert.deepEqual(
      [back.type, back.amount, back.fee, back.net, back.source, back.status],
      ['refund_failure', 1000, 0, 1000, refund.id, 'available'],
    );
    const balanceAfter = await stripe.balance.retrieve();
    assert.equal(balanceAfter.available[0].amount, balanceBefore.available[0].amount + 1000);

    const charged = await stripe.charges.retrieve(charge.id);
    assert.deepEqual([charged.amount_refunded, charged.refunded], [0, false], 'a failed refund no longer counts');

    const events = await eventsAbout(stripe, refund.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['refund.created', 'refund.failed', 'charge.refund.updated'],
    );
    assert.deepEqual(events[2].data.previous_attributes, {
      status: 'succeeded',
      failure_reason: null,
      failure_balance_transaction: null,
    });
    for (const event of events.slice(1)) assert.deepEqual(event.request, { id: null, idempotency_key: null });

    // The money can be refunded again (and this time the card's refund fails again, later).
    const again = await stripe.refunds.create({ charge: charge.id });
    assert.equal(again.amount, 1200);
  });
});
