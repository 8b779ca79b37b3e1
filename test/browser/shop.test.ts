// The example shop in real headless Chromium (Debian's /usr/bin/chromium
// through playwright-core), against a real Kassa serving its Stripe.js at
// /v3/: from the product page to a fulfilled order with a shipping label, a
// declined card shown to the customer, 3-D Secure completed in the modal,
// and the React checkout. The browser may reach only loopback addresses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { OrderJson } from '../../examples/shop/pages/order-view.js';
import { chromiumSkip, launchChromium } from '../support/chromium.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { startShop, type TestShop } from '../support/shop.js';
import { storeTargets } from '../support/stores.js';
import { until } from '../support/until.js';

const skip = chromiumSkip('example shop browser test');

const CARD_NUMBERS = ['4242424242424242', '4000000000000002', '4000002760003184'];

test('the example shop in Chromium', { skip }, async (t) => {
  const sqlite = (await storeTargets()).find((target) => target.name === 'sqlite')!;
  const kassa: TestKassa = await startKassa(await sqlite.config());
  const cleanups: Array<() => unknown> = [() => kassa.close()];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const shop: TestShop = await startShop(kassa);
  cleanups.push(() => shop.close());

  // Only loopback: anything else (say, js.stripe.com) is refused and remembered.
  const browser = await launchChromium({ width: 1100, height: 900 });
  cleanups.push(() => browser.close());
  const { context, refused } = browser;
  // Everything the browser sends to the shop's own server, to show that no card number is among it.
  const sentToShop: string[] = [];
  context.on('request', (request) => {
    if (request.url().startsWith(shop.url))
      sentToShop.push(`${request.method()} ${request.url()} ${request.postData() ?? ''}`);
  });

  async function newPage(): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => t.diagnostic(`page error on ${page.url()}: ${error.message}`));
    return page;
  }

  async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
    const path = `/tmp/shop-${name}.png`;
    await page.screenshot({ path, fullPage: options.fullPage ?? true });
    t.diagnostic(`screenshot: ${path}`);
  }

  async function fillDetails(page: Page): Promise<void> {
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Address').fill('Havenstraat 7');
    await page.getByLabel('Postal code').fill('1011 AB');
    await page.getByLabel('City').fill('Amsterdam');
  }

  /** Types a card as a customer does: into the number field, letting focus move on to expiry and CVC. */
  async function typeCard(page: Page, number: string): Promise<void> {
    const field = page.frameLocator('#card-element iframe').getByLabel('Card number');
    await field.click();
    await field.press('ControlOrMeta+a');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(number);
    await page.keyboard.type('1234');
    await page.keyboard.type('123');
  }

  async function orderAt(page: Page): Promise<OrderJson> {
    const id = /\/orders\/(ord_\w+)$/.exec(page.url())?.[1];
    assert.ok(id, `on an order page: ${page.url()}`);
    return (await (await fetch(`${shop.url}/api/orders/${id}`)).json()) as OrderJson;
  }

  /** The confirmation page turns to paid by itself once Kassa's webhook reached the shop. */
  async function waitUntilPaid(page: Page): Promise<OrderJson> {
    await page.waitForURL(/\/orders\/ord_\w+$/);
    await page.locator('#order[data-status="paid"]').waitFor({ timeout: 20_000 });
    const order = await orderAt(page);
    assert.equal(order.status, 'paid');
    const attempts = await webhookAttempts(order.history.at(-1)!.event!);
    assert.equal(attempts.at(-1)!.http_status, 200);
    return order;
  }

  async function webhookAttempts(eventId: string): Promise<Array<{ http_status: number | null; created: number }>> {
    const list = (await kassa.stripe.rawRequest('GET', `/v1/kassa/webhook_attempts?event=${eventId}`)) as unknown as {
      data: Array<{ http_status: number | null; created: number }>;
    };
    return [...list.data].reverse(); // oldest first
  }

  await t.test('product page to fulfilled order, with its shipping label', async () => {
    const page = await newPage();
    await page.goto(shop.url);
    assert.equal(await page.locator('article.product').count(), 3);
    await shot(page, 'products');

    await page.getByRole('link', { name: 'Buy Kassa Mug' }).click();
    await page.waitForURL(/\/checkout\?product=mug$/);
    await page.locator('#card-element iframe').waitFor();
    await page.getByLabel('Qty').selectOption('2');
    await fillDetails(page);
    await typeCard(page, '4242424242424242');
    await assert.doesNotReject(page.locator('#pay', { hasText: 'Pay €36.00' }).waitFor());
    assert.equal(await page.locator('#card-errors').innerText(), '');
    await shot(page, 'checkout');

    // Until the webhook gets through, the order is not paid: the shop
    // refuses Kassa's first delivery (wrong secret), and the page waits.
    shop.shop.setWebhookSecret('whsec_not_yet');
    await page.locator('#pay').click();
    await page.waitForURL(/\/orders\/ord_\w+$/);
    const placed = await orderAt(page);
    const succeeded = await until('payment_intent.succeeded', async () =>
      (await kassa.stripe.events.list({ type: 'payment_intent.succeeded', limit: 10 })).data.find(
        (event) => (event.data.object as { id: string }).id === placed.payment_intent,
      ),
    );
    await until('the refused delivery', async () =>
      (await webhookAttempts(succeeded.id)).some((attempt) => attempt.http_status === 400),
    );
    await page.locator('h1', { hasText: 'Payment received, confirming your order…' }).waitFor();
    assert.equal(await page.locator('#order').getAttribute('data-status'), 'awaiting_payment');
    await shot(page, 'confirmation-waiting');
    shop.shop.setWebhookSecret(shop.webhookSecret);
    await kassa.stripe.rawRequest('POST', `/v1/kassa/events/${succeeded.id}/resend`, { endpoint: shop.endpoint.id });
    const order = await waitUntilPaid(page);
    assert.equal(order.amount, 3600);
    const intent = await kassa.stripe.paymentIntents.retrieve(order.payment_intent!);
    assert.equal(intent.status, 'succeeded');
    assert.equal(intent.amount_received, 3600);
    assert.equal(intent.metadata.order_id, order.id);
    assert.match(await page.locator('h1').innerText(), /Thank you, Ada! Your order is paid\./);
    assert.equal(await page.locator('[data-tracking]').first().innerText(), order.shipment!.tracking_number);
    await shot(page, 'confirmation');

    await page.getByRole('link', { name: 'View shipping label' }).click();
    await page.waitForURL(/\/label$/);
    assert.equal(await page.locator('[data-tracking]').innerText(), order.shipment!.tracking_number);
    assert.match(
      await page.locator('[data-recipient]').innerText(),
      /Ada Lovelace\s+Havenstraat 7\s+1011 AB Amsterdam/,
    );
    await shot(page, 'label');

    await page.goto(`${shop.url}/orders`);
    assert.match(await page.locator(`tr[data-order="${order.id}"]`).innerText(), /Paid/);
    await shot(page, 'orders');
    await page.close();
  });

  await t.test('a declined card is shown to the customer, who then pays with another card', async () => {
    const page = await newPage();
    await page.goto(`${shop.url}/checkout?product=notebook`);
    await page.locator('#card-element iframe').waitFor();
    await fillDetails(page);
    await typeCard(page, '4000000000000002');
    await page.locator('#pay').click();
    const error = page.locator('#card-errors');
    await until('the decline to be shown', async () => /declined/i.test(await error.innerText()));
    assert.match(page.url(), /\/checkout\?product=notebook$/);
    assert.equal(await page.locator('#pay').isEnabled(), true);
    await shot(page, 'declined');

    const declined = shop.shop.orders.list()[0]!;
    const failed = await until('the failure webhook', async () =>
      shop.shop.orders.get(declined.id)!.status === 'payment_failed' ? shop.shop.orders.get(declined.id) : undefined,
    );
    assert.equal(failed.payment_failure!.code, 'card_declined');

    await typeCard(page, '4242424242424242');
    await page.locator('#pay').click();
    const order = await waitUntilPaid(page);
    assert.equal(order.id, declined.id, 'the retry pays the same order');
    await page.close();
  });

  /** The challenge's button, in whichever frame the library opened it. */
  function challengeButton(page: Page, name: 'Complete authentication' | 'Fail authentication') {
    return until(`the challenge's ${name} button`, async () => {
      for (const frame of page.frames()) {
        const button = frame.getByRole('button', { name });
        if ((await button.count()) > 0 && (await button.isVisible())) return button;
      }
      return undefined;
    });
  }

  await t.test('3-D Secure: failing it in the modal is shown; completing it on the next try pays', async () => {
    const page = await newPage();
    await page.goto(`${shop.url}/checkout?product=tote`);
    await page.locator('#card-element iframe').waitFor();
    await fillDetails(page);
    await typeCard(page, '4000002760003184');
    await page.locator('#pay').click();
    await (await challengeButton(page, 'Fail authentication')).click();
    const error = page.locator('#card-errors');
    await until('the authentication failure to be shown', async () =>
      /couldn't confirm this payment with your bank/.test(await error.innerText()),
    );
    assert.match(page.url(), /\/checkout\?product=tote$/);
    assert.equal(await page.locator('#pay').isEnabled(), true);

    await page.locator('#pay').click();
    const complete = await challengeButton(page, 'Complete authentication');
    // While the customer authenticates, the form shows that it is paying.
    assert.equal(await page.locator('#pay').isDisabled(), true);
    assert.equal(await page.locator('#pay .spinner').isVisible(), true);
    assert.equal(await page.locator('#pay').innerText(), 'Processing…');
    await shot(page, '3ds-modal', { fullPage: false }); // the modal covers the viewport
    await complete.click();
    const order = await waitUntilPaid(page);
    assert.equal(order.amount, 2450);
    const intent = await kassa.stripe.paymentIntents.retrieve(order.payment_intent!);
    assert.equal(intent.status, 'succeeded');
    await page.close();
  });

  await t.test('the React checkout (@stripe/react-stripe-js) pays unchanged', async () => {
    const page = await newPage();
    await page.goto(`${shop.url}/react/checkout?product=notebook`);
    await page.locator('#card-element iframe').waitFor();
    await page.getByLabel('Qty').selectOption('3');
    await fillDetails(page);
    await typeCard(page, '4242424242424242');
    await page.locator('#pay', { hasText: 'Pay €38.70' }).waitFor();
    await shot(page, 'react-checkout');
    await page.locator('#pay').click();
    const order = await waitUntilPaid(page);
    assert.equal(order.amount, 3 * 1290);
    await page.close();
  });

  assert.deepEqual(refused, [], 'the browser asked for nothing beyond loopback');
  for (const number of CARD_NUMBERS) {
    assert.ok(!sentToShop.some((line) => line.includes(number)), 'no card number reached the shop');
    assert.ok(!JSON.stringify(shop.shop.orders.list()).includes(number));
  }
});
