// The example shop's server against a real Kassa, over real HTTP: orders make
// PaymentIntents whose amount the server computes; Kassa's signed webhooks
// mark orders paid and make shipping labels; forged or repeated webhooks
// change nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import type { OrderJson } from '../../examples/shop/pages/order-view.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { CUSTOMER, startShop, type TestShop } from '../support/shop.js';
import { until } from '../support/until.js';

interface Created {
  order: { id: string; amount: number; currency: string; status: string };
  client_secret: string;
}

describeEachStore('example shop server', (target) => {
  let kassa: TestKassa;
  let shop: TestShop;

  before(async () => {
    kassa = await startKassa(await target.config());
    shop = await startShop(kassa);
  });
  after(async () => {
    await shop?.close();
    await kassa?.close();
  });

  // biome-ignore lint/suspicious/noExplicitAny: the parsed JSON answer, read field by field in the tests
  async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${shop.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async function order(id: string): Promise<OrderJson> {
    const response = await fetch(`${shop.url}/api/orders/${id}`);
    assert.equal(response.status, 200);
    return (await response.json()) as OrderJson;
  }

  async function placeOrder(items: unknown = [{ product: 'mug', quantity: 2 }]): Promise<Created> {
    const created = await post('/api/orders', { items, customer: CUSTOMER });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body as Created;
  }

  type Attempt = { http_status: number | null; response_body: string | null; endpoint: string };
  async function attempts(eventId: string): Promise<Attempt[]> {
    const list = (await kassa.stripe.rawRequest('GET', `/v1/kassa/webhook_attempts?event=${eventId}`)) as unknown as {
      data: Attempt[];
    };
    return list.data.filter((attempt) => attempt.endpoint === shop.endpoint.id);
  }

  async function eventFor(type: string, intentId: string): Promise<Stripe.Event> {
    return until(`${type} for ${intentId}`, async () => {
      const events = await kassa.stripe.events.list({ type, limit: 100 });
      return events.data.find((event) => (event.data.object as { id: string }).id === intentId);
    });
  }

  /** A payment_intent.succeeded event for `intentId` as Kassa would send it, not yet signed. */
  function forgedSucceeded(intent: Stripe.PaymentIntent): string {
    return JSON.stringify({
      id: 'evt_forged_1',
      object: 'event',
      type: 'payment_intent.succeeded',
      api_version: '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: { ...intent, status: 'succeeded', amount_received: intent.amount } },
    });
  }

  test('creating an order makes a PaymentIntent for the amount the server computes', async () => {
    // The browser cannot set the price: an amount in the body is ignored.
    const created = await post('/api/orders', {
      items: [
        { product: 'mug', quantity: 2 },
        { product: 'notebook', quantity: 1 },
      ],
      customer: CUSTOMER,
      amount: 1,
    });
    assert.equal(created.status, 201);
    const { order: summary, client_secret } = created.body as Created;
    assert.equal(summary.amount, 2 * 1800 + 1290);
    const stored = await order(summary.id);
    assert.equal(stored.status, 'awaiting_payment');
    assert.deepEqual(
      stored.items.map((item) => [item.product, item.quantity, item.unit_amount]),
      [
        ['mug', 2, 1800],
        ['notebook', 1, 1290],
      ],
    );
    assert.match(stored.payment_intent ?? '', /^pi_/);

    const intent = await kassa.stripe.paymentIntents.retrieve(stored.payment_intent!);
    assert.equal(intent.amount, 4890);
    assert.equal(intent.currency, 'eur');
    assert.equal(intent.metadata.order_id, summary.id);
    assert.equal(intent.status, 'requires_payment_method');
    assert.equal(intent.client_secret, client_secret);
    assert.equal(stored.intent_status, 'requires_payment_method');
  });

  test('bad order input is refused naming the field, and makes neither an order nor a PaymentIntent', async () => {
    const before = (await kassa.stripe.paymentIntents.list({ limit: 100 })).data.length;
    const ordersBefore = shop.shop.orders.list().length;
    const cases: Array<[unknown, string]> = [
      [{ items: [{ product: 'yacht' }], customer: CUSTOMER }, 'items[0].product'],
      [{ items: [{ product: 'mug', quantity: 0 }], customer: CUSTOMER }, 'items[0].quantity'],
      [{ items: [{ product: 'mug', quantity: 1.5 }], customer: CUSTOMER }, 'items[0].quantity'],
      [{ items: [], customer: CUSTOMER }, 'items'],
      [{ items: [{ product: 'mug' }], customer: { ...CUSTOMER, email: 'not-an-email' } }, 'customer.email'],
      [{ items: [{ product: 'mug' }], customer: { ...CUSTOMER, name: '  ' } }, 'customer.name'],
      [
        {
          items: [{ product: 'mug' }],
          customer: { ...CUSTOMER, address: { ...CUSTOMER.address, country: 'Netherlands' } },
        },
        'customer.address.country',
      ],
    ];
    for (const [body, field] of cases) {
      const answer = await post('/api/orders', body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.field, field);
      assert.ok(answer.body.error.message.length > 0);
    }
    const notJson = await fetch(`${shop.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    assert.equal(notJson.status, 400);
    assert.equal((await kassa.stripe.paymentIntents.list({ limit: 100 })).data.length, before);
    assert.equal(shop.shop.orders.list().length, ordersBefore);
  });

  test("paying fulfils the order once Kassa's signed webhook arrives: paid, with a shipping label", async () => {
    const { order: summary } = await placeOrder();
    const unpaidLabel = await fetch(`${shop.url}/orders/${summary.id}/label`);
    assert.equal(unpaidLabel.status, 404);
    const intentId = (await order(summary.id)).payment_intent!;
    const confirmed = await kassa.stripe.paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
    assert.equal(confirmed.status, 'succeeded');

    const paid = await until('the order to be paid', async () => {
      const current = await order(summary.id);
      return current.status === 'paid' ? current : undefined;
    });
    assert.match(paid.shipment!.tracking_number, /^KS\d{9}NL$/);
    assert.deepEqual(
      paid.history.map((entry) => entry.note),
      ['Order placed', 'Payment received', 'Shipping label created'],
    );
    const event = await eventFor('payment_intent.succeeded', intentId);
    assert.equal(paid.history[1]!.event, event.id);
    const delivered = await attempts(event.id);
    assert.equal(delivered.length, 1);
    assert.equal(delivered[0]!.http_status, 200);
    assert.match(delivered[0]!.response_body ?? '', /"outcome":"fulfilled"/);

    const label = await fetch(`${shop.url}/orders/${summary.id}/label`);
    assert.equal(label.status, 200);
    const html = await label.text();
    assert.ok(html.includes(paid.shipment!.tracking_number));
    assert.ok(html.includes(summary.id));
    assert.ok(html.includes('Ada Lovelace') && html.includes('Havenstraat 7') && html.includes('1011 AB Amsterdam'));
    assert.ok(html.includes('2 × Kassa Mug'));
    assert.match(html, /<svg class="barcode"/);

    const ordersPage = await (await fetch(`${shop.url}/orders`)).text();
    assert.ok(ordersPage.includes(summary.id) && ordersPage.includes(paid.shipment!.tracking_number));
  });

  test('a webhook with a bad signature is refused with 400 and changes nothing', async () => {
    const { order: summary } = await placeOrder([{ product: 'tote', quantity: 1 }]);
    const before = await order(summary.id);
    const intent = await kassa.stripe.paymentIntents.retrieve(before.payment_intent!);
    const payload = forgedSucceeded(intent);
    const stripe = new Stripe('sk_test_unused');
    const attempts: Array<[string, Record<string, string>]> = [
      [
        'signed with another secret',
        {
          'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_the_endpoints' }),
        },
      ],
      ['without a signature', {}],
      ['with a garbled signature', { 'stripe-signature': 't=1,v1=deadbeef' }],
      // Signed for a different body: the signature covers every byte.
      [
        'for another body',
        {
          'stripe-signature': stripe.webhooks.generateTestHeaderString({
            payload: payload.replace('evt_forged_1', 'evt_forged_2'),
            secret: shop.webhookSecret,
          }),
        },
      ],
    ];
    for (const [what, headers] of attempts) {
      const response = await fetch(`${shop.url}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: payload,
      });
      assert.equal(response.status, 400, what);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /signature/i, what);
    }
    const afterwards = await order(summary.id);
    assert.deepEqual(afterwards, before);
    assert.equal(afterwards.status, 'awaiting_payment');
    assert.equal(afterwards.shipment, null);
    assert.equal(shop.shop.orders.hasProcessed('evt_forged_1'), false);
    assert.equal((await fetch(`${shop.url}/orders/${summary.id}/label`)).status, 404);
  });

  test('the same event delivered twice fulfils once', async () => {
    const { order: summary } = await placeOrder([{ product: 'notebook', quantity: 3 }]);
    const intentId = (await order(summary.id)).payment_intent!;
    await kassa.stripe.paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
    const paid = await until('the order to be paid', async () => {
      const current = await order(summary.id);
      return current.status === 'paid' ? current : undefined;
    });
    const event = await eventFor('payment_intent.succeeded', intentId);

    // Kassa delivers the same event again (its resend), as Stripe may.
    await kassa.stripe.rawRequest('POST', `/v1/kassa/events/${event.id}/resend`, { endpoint: shop.endpoint.id });
    const twice = await until('the second delivery', async () => {
      const list = await attempts(event.id);
      return list.length === 2 && list.every((attempt) => attempt.http_status !== null) ? list : undefined;
    });
    assert.deepEqual(
      twice.map((attempt) => attempt.http_status),
      [200, 200],
    );
    assert.equal(twice.filter((attempt) => /"outcome":"duplicate"/.test(attempt.response_body ?? '')).length, 1);

    // And a third time, posted directly with a valid signature.
    const payload = JSON.stringify(event);
    const header = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({
      payload,
      secret: shop.webhookSecret,
    });
    const third = await fetch(`${shop.url}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body: payload,
    });
    assert.equal(third.status, 200);
    assert.deepEqual(await third.json(), { received: true, outcome: 'duplicate' });

    const afterwards = await order(summary.id);
    assert.deepEqual(afterwards, paid);
    assert.equal(afterwards.history.filter((entry) => entry.note === 'Payment received').length, 1);
  });

  test('payment_intent.payment_failed records the failure; a later success still fulfils, and a late failure does not undo it', async () => {
    const { order: summary } = await placeOrder([{ product: 'mug', quantity: 1 }]);
    const intentId = (await order(summary.id)).payment_intent!;
    await assert.rejects(
      kassa.stripe.paymentIntents.confirm(intentId, { payment_method: 'pm_card_chargeDeclined' }),
      (error: unknown) => {
        assert.ok(error instanceof Stripe.errors.StripeCardError);
        return true;
      },
    );
    const failed = await until('the failure to be recorded', async () => {
      const current = await order(summary.id);
      return current.status === 'payment_failed' ? current : undefined;
    });
    assert.equal(failed.payment_failure!.code, 'card_declined');
    assert.equal(failed.payment_failure!.decline_code, 'generic_decline');
    assert.equal(failed.shipment, null);
    assert.equal(failed.intent_status, 'requires_payment_method');

    await kassa.stripe.paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
    const paid = await until('the order to be paid', async () => {
      const current = await order(summary.id);
      return current.status === 'paid' ? current : undefined;
    });
    assert.ok(paid.shipment);

    const failure = await eventFor('payment_intent.payment_failed', intentId);
    await kassa.stripe.rawRequest('POST', `/v1/kassa/events/${failure.id}/resend`, { endpoint: shop.endpoint.id });
    await until('the late failure to be delivered again', async () =>
      (await attempts(failure.id)).length === 2 ? true : undefined,
    );
    assert.equal((await order(summary.id)).status, 'paid');
  });
});
