// 3-D Secure for PaymentIntents over real HTTP: confirm through the official
// SDK, then play the customer on Kassa's challenge page with fetch (GET the
// page, POST an answer, follow the 302 to a return_url served by this test).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { assertShape } from '../support/shapes.js';

const AUTH_FAILURE_MESSAGE =
  'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.';

function cardOnly(params: Stripe.PaymentIntentCreateParams): Stripe.PaymentIntentCreateParams {
  return { ...params, payment_method_types: ['card'] } as Stripe.PaymentIntentCreateParams;
}

/** A merchant's return page: records the query of every visit. */
async function startReturnServer(): Promise<{ url: string; visits: URLSearchParams[]; close(): Promise<void> }> {
  const visits: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    visits.push(new URL(req.url ?? '/', 'http://localhost').searchParams);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('back at the shop');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    visits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const answer = (url: string, value: string) =>
  fetch(url, { method: 'POST', body: new URLSearchParams({ answer: value }), redirect: 'manual' });

describeEachStore('3-D Secure challenges', (target) => {
  let kassa: TestKassa;
  let stripe: Stripe;
  let shop: Awaited<ReturnType<typeof startReturnServer>>;

  before(async () => {
    kassa = await startKassa(await target.config());
    stripe = kassa.stripe;
    shop = await startReturnServer();
  });
  after(async () => {
    await kassa?.close();
    await shop?.close();
  });

  async function cardPm(number: string): Promise<Stripe.PaymentMethod> {
    return stripe.paymentMethods.create({
      type: 'card',
      card: { number, exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123' },
    });
  }

  /** Confirms a new intent with a return_url; answers the challenge URL it got. */
  async function needingAuthentication(
    number: string,
    extra: Partial<Stripe.PaymentIntentCreateParams> = {},
    returnPath = '/done?order=42',
  ) {
    const pm = await cardPm(number);
    const intent = await stripe.paymentIntents.create(
      cardOnly({
        amount: 2000,
        currency: 'eur',
        payment_method: pm.id,
        confirm: true,
        return_url: `${shop.url}${returnPath}`,
        ...extra,
      }),
    );
    assert.equal(intent.status, 'requires_action', number);
    assert.equal(intent.next_action!.type, 'redirect_to_url');
    return { intent, pm, url: intent.next_action!.redirect_to_url!.url! };
  }

  async function intentEvents(intentId: string): Promise<Stripe.Event[]> {
    const events: Stripe.Event[] = [];
    await stripe.events.list({ limit: 100 }).autoPagingEach((event) => {
      const object = event.data.object as { id?: string; payment_intent?: string };
      if (object.id === intentId || object.payment_intent === intentId) events.push(event);
    });
    return events.reverse();
  }

  /** POSTs an answer and follows the redirect to the shop; returns the shop's query. */
  async function answerAndReturn(url: string, value: 'complete' | 'fail'): Promise<URLSearchParams> {
    const response = await answer(url, value);
    assert.equal(response.status, 302, await response.text());
    const location = response.headers.get('location')!;
    assert.ok(location.startsWith(`${shop.url}/done?`), location);
    const before = shop.visits.length;
    const landed = await fetch(location);
    assert.equal(await landed.text(), 'back at the shop');
    assert.equal(shop.visits.length, before + 1);
    return shop.visits.at(-1)!;
  }

  test('complete: the page shows the payment, the redirect brings the customer back, the intent succeeds', async () => {
    const { intent, url } = await needingAuthentication('4000002760003184');
    assert.equal(intent.next_action!.redirect_to_url!.return_url, `${shop.url}/done?order=42`);
    assert.ok(url.startsWith(`${kassa.url}/kassa/3ds/`), url);
    assert.ok(!url.includes('/v1/'));

    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.equal(page.headers.get('x-frame-options'), null, 'the page may be framed');
    const html = await page.text();
    for (const text of ['Complete authentication', 'Fail authentication', '€20.00', 'EUR', 'Visa •••• 3184', 'KASSA'])
      assert.ok(html.includes(text), text);
    assert.match(html, /<form method="post"[^>]*>\s*<input type="hidden" name="answer" value="complete">/);

    const query = await answerAndReturn(url, 'complete');
    assert.equal(query.get('order'), '42', 'the return_url keeps its own query');
    assert.equal(query.get('payment_intent'), intent.id);
    assert.equal(query.get('payment_intent_client_secret'), intent.client_secret);
    assert.equal(query.get('redirect_status'), 'succeeded');

    const done = await stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge.balance_transaction'] });
    assertShape('payment_intent', JSON.parse(JSON.stringify(done, (k, v) => (k === 'lastResponse' ? undefined : v))));
    assert.equal(done.status, 'succeeded');
    assert.equal(done.amount_received, 2000);
    assert.equal(done.next_action, null);
    const charge = done.latest_charge as Stripe.Charge;
    assert.equal(charge.status, 'succeeded');
    assert.equal(charge.captured, true);
    const threeDs = charge.payment_method_details!.card!.three_d_secure!;
    assert.equal(threeDs.authentication_flow, 'challenge');
    assert.equal(threeDs.result, 'authenticated');
    assert.match(threeDs.version!, /^2\./);
    assert.equal((charge.balance_transaction as Stripe.BalanceTransaction).amount, 2000);

    const events = await intentEvents(intent.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['payment_intent.created', 'payment_intent.requires_action', 'charge.succeeded', 'payment_intent.succeeded'],
    );
    assert.notEqual(events[1]!.request!.id, null, 'the confirm was an API request');
    for (const event of events.slice(2))
      assert.deepEqual(
        event.request,
        { id: null, idempotency_key: null },
        'the customer, not an API request, caused it',
      );
  });

  test('frictionless: the page asks the customer nothing and answers by itself; the charge says frictionless', async () => {
    const { intent, url } = await needingAuthentication('4000000032200000');
    const html = await (await fetch(url)).text();
    assert.ok(
      !html.includes('Fail authentication') && !html.includes('Complete authentication'),
      'no choice for the customer',
    );
    assert.match(html, /<form method="post"[^>]*><input type="hidden" name="answer" value="complete">/);
    assert.match(html, /<script>document\.forms\[0\]\.submit\(\)<\/script>/);
    // What the page's script does: post the form.
    const query = await answerAndReturn(url, 'complete');
    assert.equal(query.get('redirect_status'), 'succeeded');
    const done = await stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] });
    assert.equal(done.status, 'succeeded');
    assert.equal(
      (done.latest_charge as Stripe.Charge).payment_method_details!.card!.three_d_secure!.authentication_flow,
      'frictionless',
    );
  });

  test('a challenge is answered once: the second answer shows an error and changes nothing', async () => {
    const { intent, url } = await needingAuthentication('4000000000003220');
    await answerAndReturn(url, 'complete');
    const after = await stripe.paymentIntents.retrieve(intent.id);
    for (const value of ['fail', 'complete']) {
      const again = await answer(url, value);
      assert.equal(again.status, 409);
      assert.match(await again.text(), /no longer available/);
    }
    const page = await fetch(url);
    assert.equal(page.status, 409);
    assert.ok(!(await page.text()).includes('Complete authentication'));
    const still = await stripe.paymentIntents.retrieve(intent.id);
    assert.deepEqual({ ...still, lastResponse: undefined }, { ...after, lastResponse: undefined });
    assert.equal((await stripe.charges.list({ payment_intent: intent.id })).data.length, 1);
  });

  test('two answers at once: exactly one is applied, the other sees an answered challenge', async () => {
    const { intent, url } = await needingAuthentication('4000002760003184');
    const responses = await Promise.all([answer(url, 'complete'), answer(url, 'fail'), answer(url, 'complete')]);
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [302, 409, 409]);
    const winner = responses.find((r) => r.status === 302)!;
    const redirectStatus = new URL(winner.headers.get('location')!).searchParams.get('redirect_status');
    const final = await stripe.paymentIntents.retrieve(intent.id);
    assert.equal(final.status, redirectStatus === 'succeeded' ? 'succeeded' : 'requires_payment_method');
    assert.equal(
      (await stripe.charges.list({ payment_intent: intent.id })).data.length,
      redirectStatus === 'succeeded' ? 1 : 0,
    );
    const types = (await intentEvents(intent.id)).map((e) => e.type);
    assert.equal(
      types.filter((type) => type === 'payment_intent.succeeded' || type === 'payment_intent.payment_failed').length,
      1,
    );
  });

  test('fail: back to requires_payment_method with payment_intent_authentication_failure, redirect_status=failed', async () => {
    const { intent, pm, url } = await needingAuthentication('4000000000003063');
    const query = await answerAndReturn(url, 'fail');
    assert.equal(query.get('redirect_status'), 'failed');
    assert.equal(query.get('payment_intent'), intent.id);
    const failed = await stripe.paymentIntents.retrieve(intent.id);
    assert.equal(failed.status, 'requires_payment_method');
    assert.equal(failed.payment_method, null);
    assert.equal(failed.next_action, null);
    const error = failed.last_payment_error!;
    assert.equal(error.code, 'payment_intent_authentication_failure');
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.message, AUTH_FAILURE_MESSAGE);
    assert.equal(error.payment_method!.id, pm.id);
    assert.equal(
      (await stripe.charges.list({ payment_intent: intent.id })).data.length,
      0,
      'no charge without authentication',
    );
    const types = (await intentEvents(intent.id)).map((e) => e.type);
    assert.deepEqual(types, [
      'payment_intent.created',
      'payment_intent.requires_action',
      'payment_intent.payment_failed',
    ]);

    // The customer can try again with another card.
    const retry = await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    assert.equal(retry.status, 'succeeded');
  });

  for (const [number, declineCode, message] of [
    ['4000008400001629', 'generic_decline', 'Your card was declined.'],
    ['4000008260003178', 'insufficient_funds', 'Your card has insufficient funds.'],
  ] as const) {
    test(`${number}: authenticates, then the network declines (${declineCode})`, async () => {
      const { intent, url } = await needingAuthentication(number);
      const query = await answerAndReturn(url, 'complete');
      assert.equal(query.get('redirect_status'), 'failed');
      const declined = await stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] });
      assert.equal(declined.status, 'requires_payment_method');
      assert.equal(declined.last_payment_error!.type, 'card_error');
      assert.equal(declined.last_payment_error!.code, 'card_declined');
      assert.equal(declined.last_payment_error!.decline_code, declineCode);
      assert.equal(declined.last_payment_error!.message, message);
      const charge = declined.latest_charge as Stripe.Charge;
      assert.equal(charge.status, 'failed');
      assert.equal(charge.failure_code, 'card_declined');
      const types = (await intentEvents(intent.id)).map((e) => e.type);
      assert.deepEqual(types, [
        'payment_intent.created',
        'payment_intent.requires_action',
        'charge.failed',
        'payment_intent.payment_failed',
      ]);
    });
  }

  test('manual capture: authentication leaves the payment requires_capture (redirect_status=succeeded), then capture', async () => {
    const { intent, url } = await needingAuthentication('4000002500003155', { capture_method: 'manual' });
    const query = await answerAndReturn(url, 'complete');
    assert.equal(query.get('redirect_status'), 'succeeded');
    const held = await stripe.paymentIntents.retrieve(intent.id);
    assert.equal(held.status, 'requires_capture');
    assert.equal(held.amount_capturable, 2000);
    const types = (await intentEvents(intent.id)).map((e) => e.type);
    assert.deepEqual(types, [
      'payment_intent.created',
      'payment_intent.requires_action',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
    ]);
    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1500 });
    assert.equal(captured.status, 'succeeded');
    assert.equal(captured.amount_received, 1500);
    const charge = await stripe.charges.retrieve(captured.latest_charge as string);
    assert.equal(charge.payment_method_details!.card!.three_d_secure!.result, 'authenticated');
  });

  test('confirmation_method=manual: after authentication the server confirms again, and that confirm is authenticated', async () => {
    const { intent, url } = await needingAuthentication('4000002760003184', { confirmation_method: 'manual' });
    const query = await answerAndReturn(url, 'complete');
    assert.equal(query.get('redirect_status'), 'succeeded');
    const waiting = await stripe.paymentIntents.retrieve(intent.id);
    assert.equal(waiting.status, 'requires_confirmation');
    assert.equal(waiting.next_action, null);
    assert.equal((await stripe.charges.list({ payment_intent: intent.id })).data.length, 0);

    const confirmed = await stripe.paymentIntents.confirm(intent.id, { return_url: `${shop.url}/done` });
    assert.equal(confirmed.status, 'succeeded', 'no second challenge');
    const charge = await stripe.charges.retrieve(confirmed.latest_charge as string);
    assert.equal(charge.payment_method_details!.card!.three_d_secure!.result, 'authenticated');
  });

  test('forged, tampered or foreign challenge URLs show only an error page and change nothing', async () => {
    const { intent, url } = await needingAuthentication('4000002760003184');
    const parts = new URL(url).pathname.split('/');
    const [account, challenge, token] = parts.slice(-3) as [string, string, string];
    const flip = (text: string) => text.slice(0, -1) + (text.endsWith('a') ? 'b' : 'a');
    const other = await kassa.newAccount();
    const forged = [
      `${kassa.url}/kassa/3ds/${account}/${challenge}/${flip(token)}`,
      `${kassa.url}/kassa/3ds/${account}/${challenge}/${token.slice(0, -1)}`,
      `${kassa.url}/kassa/3ds/${account}/${flip(challenge)}/${token}`,
      `${kassa.url}/kassa/3ds/${other.id}/${challenge}/${token}`,
      `${kassa.url}/kassa/3ds/${account}/${intent.id}/${token}`,
    ];
    for (const bad of forged) {
      const page = await fetch(bad);
      assert.equal(page.status, 404, bad);
      const html = await page.text();
      assert.ok(!html.includes('Complete authentication') && !html.includes('€20.00'), bad);
      const posted = await answer(bad, 'complete');
      assert.equal(posted.status, 404, bad);
    }
    const bogus = await answer(url, 'maybe');
    assert.equal(bogus.status, 400);
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, 'requires_action');
    assert.equal((await stripe.charges.list({ payment_intent: intent.id })).data.length, 0);
    // The genuine URL still works.
    assert.equal((await answerAndReturn(url, 'complete')).get('redirect_status'), 'succeeded');
  });

  test('confirming again during requires_action restarts the flow: the old challenge is dead', async () => {
    const first = await needingAuthentication('4000002760003184');
    const again = await stripe.paymentIntents.confirm(first.intent.id, {
      payment_method: (await cardPm('4000000000003220')).id,
      return_url: `${shop.url}/done`,
    });
    assert.equal(again.status, 'requires_action');
    const second = again.next_action!.redirect_to_url!.url!;
    assert.notEqual(second, first.url);
    assert.equal((await fetch(first.url)).status, 409);
    assert.equal((await answer(first.url, 'complete')).status, 409);
    assert.equal((await stripe.paymentIntents.retrieve(first.intent.id)).status, 'requires_action');
    assert.equal((await fetch(second)).status, 200);

    // Even with the same PaymentMethod a new confirm makes a new challenge, and only the newest URL works.
    const samePm = again.payment_method as string;
    const third = (
      await stripe.paymentIntents.confirm(first.intent.id, { payment_method: samePm, return_url: `${shop.url}/done` })
    ).next_action!.redirect_to_url!.url!;
    assert.notEqual(third, second);
    assert.equal((await fetch(second)).status, 409);
    assert.equal((await answer(second, 'complete')).status, 409);
    assert.equal((await fetch(third)).status, 200);

    // Confirming with a card that needs nothing: the intent succeeds and the pending challenge is void.
    const paid = await stripe.paymentIntents.confirm(first.intent.id, { payment_method: 'pm_card_visa' });
    assert.equal(paid.status, 'succeeded');
    assert.equal((await answer(third, 'fail')).status, 409);
    assert.equal((await stripe.paymentIntents.retrieve(first.intent.id)).status, 'succeeded');
  });

  test('canceling the intent invalidates its challenge', async () => {
    const { intent, url } = await needingAuthentication('4000000000003220');
    const canceled = await stripe.paymentIntents.cancel(intent.id);
    assert.equal(canceled.status, 'canceled');
    assert.equal((await fetch(url)).status, 409);
    assert.equal((await answer(url, 'complete')).status, 409);
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, 'canceled');
    assert.equal((await stripe.charges.list({ payment_intent: intent.id })).data.length, 0);
  });

  test('without return_url: use_stripe_sdk carries the challenge URL; answering shows a result page for the parent window', async () => {
    const intent = await stripe.paymentIntents.create(
      cardOnly({ amount: 1234, currency: 'usd', payment_method: 'pm_card_threeDSecure2Required', confirm: true }),
    );
    assert.equal(intent.status, 'requires_action');
    assert.equal(intent.next_action!.type, 'use_stripe_sdk');
    const sdk = intent.next_action!.use_stripe_sdk as { type: string; stripe_js: string; source: string };
    assert.equal(sdk.type, 'three_d_secure_redirect');
    assert.match(sdk.source, /^payatt_/);
    assert.ok(sdk.stripe_js.includes(sdk.source));
    const html = await (await fetch(sdk.stripe_js)).text();
    assert.ok(html.includes('$12.34'));
    const response = await answer(sdk.stripe_js, 'complete');
    assert.equal(response.status, 200);
    const result = await response.text();
    assert.match(result, /Authentication complete/);
    assert.ok(result.includes(`"type":"kassa-3ds-complete","intent":"${intent.id}","status":"succeeded"`));
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, 'succeeded');
  });

  test('use_stripe_sdk with a return_url (as a browser library confirms): the challenge stays in the page, no redirect', async () => {
    const intent = await stripe.paymentIntents.create(cardOnly({ amount: 990, currency: 'usd' }));
    const confirmed = await stripe.paymentIntents.confirm(intent.id, {
      payment_method: 'pm_card_threeDSecure2Required',
      return_url: `${shop.url}/done`,
      use_stripe_sdk: true,
    } as Stripe.PaymentIntentConfirmParams);
    assert.equal(confirmed.next_action!.type, 'use_stripe_sdk');
    const url = (confirmed.next_action!.use_stripe_sdk as { stripe_js: string }).stripe_js;
    const response = await answer(url, 'complete');
    assert.equal(response.status, 200, 'a result page for the parent window, not a redirect');
    assert.match(await response.text(), /kassa-3ds-complete/);
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, 'succeeded');
  });

  test('which cards ask: the 3-D Secure test cards and ids need a challenge; 4000000000003055 does not', async () => {
    for (const number of [
      '4000002760003184',
      '4000002500003155',
      '4000000000003220',
      '4000000000003063',
      '4000008400001629',
      '4000008260003178',
    ]) {
      await needingAuthentication(number);
    }
    for (const id of [
      'pm_card_threeDSecure2Required',
      'pm_card_authenticationRequired',
      'pm_card_authenticationRequiredOnSetup',
      'pm_card_threeDSecureRequired',
    ]) {
      const intent = await stripe.paymentIntents.create(
        cardOnly({ amount: 500, currency: 'eur', payment_method: id, confirm: true }),
      );
      assert.equal(intent.status, 'requires_action', id);
    }
    const optional = await stripe.paymentIntents.create(
      cardOnly({ amount: 500, currency: 'eur', payment_method: (await cardPm('4000000000003055')).id, confirm: true }),
    );
    assert.equal(optional.status, 'succeeded');
    const charge = await stripe.charges.retrieve(optional.latest_charge as string);
    assert.equal(charge.payment_method_details!.card!.three_d_secure, null);
  });

  test('off-session: a card set up for off-session use pays without a challenge; one that always asks fails with 402', async () => {
    const customer = await stripe.customers.create({});
    const { intent, pm, url } = await needingAuthentication('4000002500003155', {
      customer: customer.id,
      setup_future_usage: 'off_session',
    });
    await answerAndReturn(url, 'complete');
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, 'succeeded');
    assert.equal((await stripe.paymentMethods.retrieve(pm.id)).customer, customer.id, 'saved to the customer');

    const later = await stripe.paymentIntents.create(
      cardOnly({
        amount: 900,
        currency: 'eur',
        customer: customer.id,
        payment_method: pm.id,
        off_session: true,
        confirm: true,
      }),
    );
    assert.equal(later.status, 'succeeded');
    assert.equal(later.next_action, null);

    const always = await needingAuthentication('4000002760003184', {
      customer: customer.id,
      setup_future_usage: 'off_session',
    });
    await answerAndReturn(always.url, 'complete');
    const error = await stripe.paymentIntents
      .create(
        cardOnly({
          amount: 900,
          currency: 'eur',
          customer: customer.id,
          payment_method: always.pm.id,
          off_session: true,
          confirm: true,
        }),
      )
      .then(
        () => assert.fail('expected authentication_required'),
        (e: Stripe.errors.StripeCardError) => e,
      );
    assert.equal(error.statusCode, 402);
    assert.equal(error.code, 'authentication_required');
    assert.equal(error.decline_code, 'authentication_required');
    assert.equal(error.payment_intent!.status, 'requires_payment_method');
    assert.equal(error.payment_intent!.last_payment_error!.code, 'authentication_required');
  });

  test('SetupIntents: the same challenge page; completing saves the card for off-session payments, failing does not', async () => {
    const customer = await stripe.customers.create({ email: 'setup-3ds@example.com' });
    const setup = async () => {
      const setupIntent = await stripe.setupIntents.create({
        customer: customer.id,
        payment_method: 'pm_card_authenticationRequiredOnSetup',
        payment_method_types: ['card'],
        confirm: true,
        return_url: `${shop.url}/done?setup=1`,
      } as Stripe.SetupIntentCreateParams);
      assert.equal(setupIntent.status, 'requires_action');
      assert.equal(setupIntent.next_action!.type, 'redirect_to_url');
      return setupIntent;
    };

    const failing = await setup();
    const failed = await answerAndReturn(failing.next_action!.redirect_to_url!.url!, 'fail');
    assert.equal(failed.get('setup_intent'), failing.id);
    assert.equal(failed.get('redirect_status'), 'failed');
    const afterFail = await stripe.setupIntents.retrieve(failing.id);
    assert.equal(afterFail.status, 'requires_payment_method');
    assert.equal(afterFail.last_setup_error?.code, 'setup_intent_authentication_failure');

    const completing = await setup();
    const page = await fetch(completing.next_action!.redirect_to_url!.url!);
    assert.equal(page.status, 200);
    assert.ok((await page.text()).includes('3155'));
    const done = await answerAndReturn(completing.next_action!.redirect_to_url!.url!, 'complete');
    assert.equal(done.get('setup_intent'), completing.id);
    assert.equal(done.get('setup_intent_client_secret'), completing.client_secret);
    assert.equal(done.get('redirect_status'), 'succeeded');
    const succeeded = await stripe.setupIntents.retrieve(completing.id);
    assert.equal(succeeded.status, 'succeeded');
    const paymentMethod = succeeded.payment_method as string;
    assert.equal((await stripe.paymentMethods.retrieve(paymentMethod)).customer, customer.id);

    // Set up for off-session use: the card now pays without the customer.
    const offSession = await stripe.paymentIntents.create(
      cardOnly({
        amount: 1500,
        currency: 'eur',
        customer: customer.id,
        payment_method: paymentMethod,
        off_session: true,
        confirm: true,
      }),
    );
    assert.equal(offSession.status, 'succeeded');
    // Answering the finished challenge again changes nothing.
    const again = await answer(completing.next_action!.redirect_to_url!.url!, 'fail');
    assert.notEqual(again.status, 302);
    assert.equal((await stripe.setupIntents.retrieve(completing.id)).status, 'succeeded');
  });

  describe('one unattached PaymentMethod waiting on several challenges: the first completed uses it, the others fail', () => {
    const SPENT = /was previously used with a PaymentIntent without Customer attachment.*It may not be used again/;
    const ATTACHED_ELSEWHERE = /is attached to another customer than this (PaymentIntent|SetupIntent)'s/;

    async function waitingPayment(pm: string) {
      const intent = await stripe.paymentIntents.create(
        cardOnly({ amount: 2500, currency: 'eur', payment_method: pm, confirm: true, return_url: `${shop.url}/done` }),
      );
      assert.equal(intent.status, 'requires_action');
      return { id: intent.id, url: intent.next_action!.redirect_to_url!.url! };
    }

    async function waitingSetup(pm: string) {
      const customer = await stripe.customers.create({ email: 'waiting@example.com' });
      const setupIntent = await stripe.setupIntents.create({
        customer: customer.id,
        payment_method: pm,
        payment_method_types: ['card'],
        confirm: true,
        return_url: `${shop.url}/done`,
      } as Stripe.SetupIntentCreateParams);
      assert.equal(setupIntent.status, 'requires_action');
      return { id: setupIntent.id, customer: customer.id, url: setupIntent.next_action!.redirect_to_url!.url! };
    }

    async function chargesOf(pm: string): Promise<Stripe.Charge[]> {
      return (await stripe.charges.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 })).filter(
        (c) => c.payment_method === pm,
      );
    }

    async function assertPaymentFailed(id: string, message: RegExp): Promise<void> {
      const intent = await stripe.paymentIntents.retrieve(id);
      assert.equal(intent.status, 'requires_payment_method');
      assert.equal(intent.last_payment_error?.type, 'invalid_request_error');
      assert.equal(intent.last_payment_error?.param, 'payment_method');
      assert.match(intent.last_payment_error?.message ?? '', message);
      assert.equal(intent.latest_charge, null);
    }

    async function assertSetupFailed(id: string, message: RegExp): Promise<void> {
      const setupIntent = await stripe.setupIntents.retrieve(id);
      assert.equal(setupIntent.status, 'requires_payment_method');
      assert.equal(setupIntent.last_setup_error?.type, 'invalid_request_error');
      assert.match(setupIntent.last_setup_error?.message ?? '', message);
    }

    test('a payment completed first: the other payment and the setup fail, one charge', async () => {
      const pm = (await cardPm('4000002500003155')).id;
      const [first, second, setup] = [await waitingPayment(pm), await waitingPayment(pm), await waitingSetup(pm)];

      assert.equal((await answerAndReturn(first.url, 'complete')).get('redirect_status'), 'succeeded');
      assert.equal((await answerAndReturn(second.url, 'complete')).get('redirect_status'), 'failed');
      assert.equal((await answerAndReturn(setup.url, 'complete')).get('redirect_status'), 'failed');

      assert.equal((await stripe.paymentIntents.retrieve(first.id)).status, 'succeeded');
      await assertPaymentFailed(second.id, SPENT);
      await assertSetupFailed(setup.id, SPENT);
      assert.deepEqual(
        (await chargesOf(pm)).map((c) => c.payment_intent),
        [first.id],
      );
      assert.equal((await stripe.paymentMethods.retrieve(pm)).customer, null);
    });

    test("a setup completed first: the card is its customer's; the other setup and the payment fail, no charge", async () => {
      const pm = (await cardPm('4000002500003155')).id;
      const [first, second, payment] = [await waitingSetup(pm), await waitingSetup(pm), await waitingPayment(pm)];

      assert.equal((await answerAndReturn(first.url, 'complete')).get('redirect_status'), 'succeeded');
      assert.equal((await answerAndReturn(second.url, 'complete')).get('redirect_status'), 'failed');
      assert.equal((await answerAndReturn(payment.url, 'complete')).get('redirect_status'), 'failed');

      assert.equal((await stripe.setupIntents.retrieve(first.id)).status, 'succeeded');
      await assertSetupFailed(second.id, ATTACHED_ELSEWHERE);
      await assertPaymentFailed(payment.id, ATTACHED_ELSEWHERE);
      assert.equal((await chargesOf(pm)).length, 0);
      assert.equal((await stripe.paymentMethods.retrieve(pm)).customer, first.customer);
    });

    test('five payments completed at once: one is paid, one charge', async () => {
      const pm = (await cardPm('4000002500003155')).id;
      const waiting = [];
      for (let i = 0; i < 5; i++) waiting.push(await waitingPayment(pm));

      const answers = await Promise.all(waiting.map((w) => answer(w.url, 'complete')));
      const statuses = answers.map((a) => new URL(a.headers.get('location')!).searchParams.get('redirect_status'));
      assert.deepEqual([...statuses].sort(), ['failed', 'failed', 'failed', 'failed', 'succeeded']);
      const paid = waiting[statuses.indexOf('succeeded')]!;
      for (const w of waiting) if (w !== paid) await assertPaymentFailed(w.id, SPENT);
      assert.deepEqual(
        (await chargesOf(pm)).map((c) => c.payment_intent),
        [paid.id],
      );
    });
  });
});
