// Kassa.js in real headless Chromium: a merchant page on its own origin loads
// <script src="KASSA/v3/">, the customer types into the card Element (inputs in
// Kassa's iframe), and the page confirms with Stripe.js's calls. Covers change
// events, success, decline, 3-D Secure completed / failed / cancelled in the
// modal, validation before any request, and that the merchant's page and
// server never get the card number.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { chromiumSkip, launchChromium, type TestBrowser } from '../support/chromium.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { CHECKOUT_CSS, startMerchantSite, type MerchantSite } from '../support/merchant-site.js';
import { storeTargets } from '../support/stores.js';

const skip = chromiumSkip('Kassa.js browser test');
const SHOTS = '/tmp';

function cardPage(kassaUrl: string, publishableKey: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title><style>${CHECKOUT_CSS}</style>
<script src="${kassaUrl}/v3/"></script></head>
<body><form id="payment-form"><h1>Pay Kassa Coffee</h1>
<label for="card-element">Card</label><div id="card-element"></div><div id="card-errors" class="errors" role="alert"></div>
<button class="pay" type="submit">Pay €49.90</button></form>
<script>
window.events = [];
const stripe = Stripe(${JSON.stringify(publishableKey)});
const elements = stripe.elements();
const card = elements.create('card', { style: { base: { color: '#30313d', fontSize: '16px', '::placeholder': { color: '#87909f' } }, invalid: { color: '#df1b41', iconColor: '#df1b41' } } });
for (const type of ['change', 'ready', 'focus', 'blur', 'escape']) card.on(type, (event) => window.events.push({ type, ...(event || {}) }));
card.on('change', (event) => { document.getElementById('card-errors').textContent = event.error ? event.error.message : ''; });
card.mount('#card-element');
window.kassa = { stripe, elements, card };
</script></body></html>`;
}

interface PageWindow {
  events: Array<Record<string, any>>;
  kassa: { stripe: any; elements: any; card: any };
}

describe('Kassa.js in Chromium', { skip }, () => {
  let kassa: TestKassa;
  let site: MerchantSite;
  let browser: TestBrowser;
  let page: Page;
  let card: FrameLocator;
  /** Requests the browser made to Kassa's API (/v1/...), from the page or the frames. */
  const apiRequests: string[] = [];

  before(async () => {
    const sqlite = (await storeTargets()).find((target) => target.name === 'sqlite')!;
    kassa = await startKassa(await sqlite.config());
    site = await startMerchantSite();
    site.page('/checkout', cardPage(kassa.url, kassa.account.publishable_key));
    browser = await launchChromium({ width: 620, height: 520 });
    browser.context.on('request', (request) => {
      if (request.url().startsWith(`${kassa.url}/v1/`))
        apiRequests.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    page = await browser.context.newPage();
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    await kassa?.close();
  });

  async function openCheckout(): Promise<void> {
    await page.goto(`${site.url}/checkout`);
    await page.waitForFunction(() => (window as unknown as PageWindow).events.some((e) => e.type === 'ready'));
    card = page.frameLocator('#card-element iframe');
  }

  async function fill(number: string, expiry = '12 / 34', cvc = '123', zip = '10115'): Promise<void> {
    await card.locator('input[name="cc-number"]').pressSequentially(number);
    if (expiry) await card.locator('input[name="cc-exp"]').pressSequentially(expiry.replace(/\D/g, ''));
    if (cvc) await card.locator('input[name="cc-csc"]').pressSequentially(cvc);
    if (zip) await card.locator('input[name="postal-code"]').pressSequentially(zip);
  }

  const lastChange = () =>
    page.evaluate(() => (window as unknown as PageWindow).events.filter((e) => e.type === 'change').at(-1));
  /** element.clear() travels to the frame by postMessage: wait for its change event before typing again. */
  async function clearCard(): Promise<void> {
    await page.evaluate(() => (window as unknown as PageWindow).kassa.card.clear());
    await changeWith({ empty: true });
  }

  /** Waits until the latest change event has these fields (events arrive by postMessage), then returns it. */
  async function changeWith(fields: Record<string, unknown>): Promise<Record<string, any>> {
    await page.waitForFunction((expected) => {
      const last = (window as unknown as PageWindow).events.filter((e) => e.type === 'change').at(-1);
      return (
        last &&
        Object.entries(expected).every(
          ([k, v]) => JSON.stringify(k.split('.').reduce((o: any, p) => o?.[p], last)) === JSON.stringify(v),
        )
      );
    }, fields);
    return (await lastChange())!;
  }

  async function newIntent(extra: Partial<Stripe.PaymentIntentCreateParams> = {}): Promise<Stripe.PaymentIntent> {
    return kassa.stripe.paymentIntents.create({
      amount: 4990,
      currency: 'eur',
      payment_method_types: ['card'],
      ...extra,
    } as Stripe.PaymentIntentCreateParams);
  }

  /** Starts confirmCardPayment in the page without waiting for it; `result()` waits. */
  async function startConfirm(
    clientSecret: string,
    extra: Record<string, string> = {},
  ): Promise<{ result: () => Promise<any> }> {
    await page.evaluate(
      ([cs, more]) => {
        const w = window as unknown as PageWindow & { pending: Promise<unknown> };
        w.pending = w.kassa.stripe.confirmCardPayment(cs, {
          payment_method: { card: w.kassa.card, billing_details: { name: 'Jenny Rosen' } },
          ...more,
        });
      },
      [clientSecret, extra] as const,
    );
    return { result: () => page.evaluate(() => (window as unknown as { pending: Promise<unknown> }).pending) };
  }

  test('the script defines window.Stripe with Stripe.js shape and version', async () => {
    await openCheckout();
    const shape = await page.evaluate(() => {
      const S = (window as unknown as { Stripe: any }).Stripe;
      const stripe = (window as unknown as PageWindow).kassa.stripe;
      return {
        version: S.version,
        methods: [
          'elements',
          'confirmCardPayment',
          'confirmPayment',
          'createPaymentMethod',
          'createToken',
          'handleCardAction',
          'handleNextAction',
          'retrievePaymentIntent',
          'paymentRequest',
          'registerAppInfo',
          '_registerWrapper',
        ].filter((m) => typeof stripe[m] !== 'function'),
      };
    });
    assert.equal(shape.version, 'endive');
    assert.deepEqual(shape.methods, []);
    const classes = await page.getAttribute('#card-element', 'class');
    assert.match(classes!, /StripeElement/);
    assert.match(classes!, /StripeElement--empty/);
    await page.screenshot({ path: `${SHOTS}/kassa-card-empty.png` });
    // Labelled inputs with autocomplete hints, in the order a keyboard visits them.
    for (const [label, autocomplete] of [
      ['Card number', 'cc-number'],
      ['Expiration date', 'cc-exp'],
      ['Security code', 'cc-csc'],
      ['ZIP', 'postal-code'],
    ]) {
      assert.equal(await card.getByLabel(label, { exact: true }).getAttribute('autocomplete'), autocomplete);
    }
    await page.locator('label[for="card-element"]').click();
    await card.locator('input[name="cc-number"]:focus').waitFor();
    await page.keyboard.press('Tab');
    await card.locator('input[name="cc-exp"]:focus').waitFor();
    await page.evaluate(() => (window as unknown as PageWindow).kassa.card.update({ disabled: true }));
    await card.locator('input[name="cc-number"]:disabled').waitFor();
    await page.evaluate(() => (window as unknown as PageWindow).kassa.card.update({ disabled: false }));
    await card.locator('input[name="cc-number"]:enabled').waitFor();
  });

  test('typing formats the number, detects the brand and reports change events', async () => {
    await openCheckout();
    const number = card.locator('input[name="cc-number"]');
    await number.pressSequentially('4242');
    assert.equal(await number.inputValue(), '4242');
    let change = await changeWith({ brand: 'visa' });
    assert.equal(change.elementType, 'card');
    assert.equal(change.brand, 'visa');
    assert.equal(change.empty, false);
    assert.equal(change.complete, false);
    assert.equal(change.error, undefined);
    assert.match((await page.getAttribute('#card-element', 'class'))!, /StripeElement--focus/);
    await page.screenshot({ path: `${SHOTS}/kassa-card-focused.png` });
    await number.pressSequentially('424242424242');
    assert.equal(await number.inputValue(), '4242 4242 4242 4242');
    // A complete number moves focus to the expiry, as Stripe.js does.
    await card.locator('input[name="cc-exp"]:focus').waitFor();
    await card.locator('input[name="cc-exp"]').pressSequentially('1234');
    assert.equal(await card.locator('input[name="cc-exp"]').inputValue(), '12 / 34');
    await card.locator('input[name="cc-csc"]').pressSequentially('123');
    await card.locator('input[name="postal-code"]').pressSequentially('10115');
    change = await changeWith({ complete: true });
    assert.deepEqual(
      {
        complete: change.complete,
        empty: change.empty,
        brand: change.brand,
        postalCode: change.value.postalCode,
        error: change.error,
      },
      { complete: true, empty: false, brand: 'visa', postalCode: '10115', error: undefined },
    );
    assert.match((await page.getAttribute('#card-element', 'class'))!, /StripeElement--complete/);
    await page.click('h1');
    await page.waitForFunction(() => (window as unknown as PageWindow).events.at(-1)?.type === 'blur');
    assert.doesNotMatch((await page.getAttribute('#card-element', 'class'))!, /StripeElement--focus/);
    await page.waitForTimeout(300); // the merchant's focus-ring transition, for the picture only
    await page.screenshot({ path: `${SHOTS}/kassa-card-complete.png` });

    await clearCard();
    await number.pressSequentially('378282246310005');
    assert.equal(await number.inputValue(), '3782 822463 10005');
    await changeWith({ brand: 'amex' });
  });

  test('invalid numbers and past expiry dates are reported with Stripe.js codes', async () => {
    await openCheckout();
    await card.locator('input[name="cc-number"]').pressSequentially('4242424242424241');
    let change = await changeWith({ 'error.code': 'invalid_number' });
    assert.deepEqual(change.error, {
      type: 'validation_error',
      code: 'invalid_number',
      message: 'Your card number is invalid.',
    });
    assert.equal(await card.locator('input[name="cc-number"]').getAttribute('aria-invalid'), 'true');
    assert.match((await page.getAttribute('#card-element', 'class'))!, /StripeElement--invalid/);
    assert.equal(await page.textContent('#card-errors'), 'Your card number is invalid.');
    // The merchant's style.invalid colours the input inside the frame.
    assert.equal(
      await card.locator('input[name="cc-number"]').evaluate((input) => getComputedStyle(input).color),
      'rgb(223, 27, 65)',
    );
    await page.screenshot({ path: `${SHOTS}/kassa-card-invalid.png` });

    await clearCard();
    await card.locator('input[name="cc-number"]').pressSequentially('4242424242424242');
    await card.locator('input[name="cc-exp"]').pressSequentially('0120');
    change = await changeWith({ 'error.code': 'invalid_expiry_year_past' });
    assert.equal(change.error?.code, 'invalid_expiry_year_past');
    assert.equal(change.error?.message, "Your card's expiration year is in the past.");

    // Incomplete values count once the customer leaves the field.
    await clearCard();
    await card.locator('input[name="cc-number"]').pressSequentially('4242 4242');
    assert.equal((await changeWith({ empty: false })).error, undefined);
    await page.click('h1');
    await changeWith({ 'error.code': 'incomplete_number' });
  });

  test('incomplete and invalid cards are refused before any request to Kassa', async () => {
    await openCheckout();
    const intent = await newIntent();
    await card.locator('input[name="cc-number"]').pressSequentially('4242 4242 4242');
    const before = apiRequests.length;
    const { result } = await startConfirm(intent.client_secret!);
    const incomplete = await result();
    assert.deepEqual(incomplete.error, {
      type: 'validation_error',
      code: 'incomplete_number',
      message: 'Your card number is incomplete.',
    });

    await clearCard();
    await fill('4000000000000001');
    const invalid = await (await startConfirm(intent.client_secret!)).result();
    assert.equal(invalid.error.code, 'invalid_number');

    await clearCard();
    await fill('4242424242424242', '12 / 34', '12', '');
    const cvc = await (await startConfirm(intent.client_secret!)).result();
    assert.equal(cvc.error.code, 'incomplete_cvc');
    assert.deepEqual(apiRequests.slice(before), [], 'no request reached Kassa');
    assert.equal((await kassa.stripe.paymentIntents.retrieve(intent.id)).status, 'requires_payment_method');
  });

  test('4242 4242 4242 4242 succeeds: confirmCardPayment resolves {paymentIntent}', async () => {
    await openCheckout();
    const intent = await newIntent();
    await fill('4242424242424242');
    const before = apiRequests.length;
    const result = await (await startConfirm(intent.client_secret!)).result();
    assert.equal(result.error, undefined);
    assert.equal(result.paymentIntent.id, intent.id);
    assert.equal(result.paymentIntent.status, 'succeeded');
    assert.deepEqual(apiRequests.slice(before), [
      'POST /v1/payment_methods',
      `POST /v1/payment_intents/${intent.id}/confirm`,
    ]);
    const paid = await kassa.stripe.paymentIntents.retrieve(intent.id, { expand: ['payment_method'] });
    assert.equal(paid.status, 'succeeded');
    const pm = paid.payment_method as Stripe.PaymentMethod;
    assert.equal(pm.card!.last4, '4242');
    assert.equal(pm.billing_details.name, 'Jenny Rosen');
    assert.equal(pm.billing_details.address!.postal_code, '10115');
  });

  test('4000 0000 0000 0002 is declined: {error} with the decline code, the intent back in requires_payment_method', async () => {
    await openCheckout();
    const intent = await newIntent();
    await fill('4000000000000002');
    const result = await (await startConfirm(intent.client_secret!)).result();
    assert.equal(result.paymentIntent, undefined);
    assert.equal(result.error.type, 'card_error');
    assert.equal(result.error.code, 'card_declined');
    assert.equal(result.error.decline_code, 'generic_decline');
    assert.equal(result.error.message, 'Your card was declined.');
    assert.equal(result.error.payment_intent.id, intent.id);
    assert.equal(result.error.payment_intent.status, 'requires_payment_method');
  });

  async function challengeFrame(): Promise<Frame> {
    await page.locator('dialog.__KassaChallenge iframe').waitFor();
    const handle = await page.locator('dialog.__KassaChallenge iframe').elementHandle();
    const frame = (await handle!.contentFrame())!;
    await frame.getByRole('button', { name: 'Complete authentication' }).waitFor();
    return frame;
  }

  test('3-D Secure (4000 0027 6000 3184) completed in the modal: the intent succeeds', async () => {
    await openCheckout();
    const intent = await newIntent();
    await fill('4000002760003184');
    const checkoutUrl = page.url();
    // With a return_url too, as Stripe.js integrations often pass one: the challenge still shows in the modal.
    const { result } = await startConfirm(intent.client_secret!, { return_url: `${checkoutUrl}#returned` });
    const frame = await challengeFrame();
    assert.equal(await page.evaluate(() => document.querySelector('dialog.__KassaChallenge')!.matches(':modal')), true);
    assert.match(await frame.locator('main').innerText(), /€49\.90/);
    await page.screenshot({ path: `${SHOTS}/kassa-3ds-modal.png` });
    await frame.getByRole('button', { name: 'Complete authentication' }).click();
    const done = await result();
    assert.equal(done.error, undefined);
    assert.equal(done.paymentIntent.status, 'succeeded');
    assert.equal(await page.locator('dialog.__KassaChallenge').count(), 0, 'the modal closed');
    assert.equal(page.url(), checkoutUrl, 'confirmCardPayment does not leave the page');
    assert.equal((await kassa.stripe.paymentIntents.retrieve(intent.id)).status, 'succeeded');
  });

  test('3-D Secure failed in the modal: {error} payment_intent_authentication_failure', async () => {
    await openCheckout();
    const intent = await newIntent();
    await fill('4000002760003184');
    const { result } = await startConfirm(intent.client_secret!);
    const frame = await challengeFrame();
    await frame.getByRole('button', { name: 'Fail authentication' }).click();
    const done = await result();
    assert.equal(done.error.code, 'payment_intent_authentication_failure');
    assert.equal(done.error.payment_intent.id, intent.id);
    assert.equal(done.error.payment_intent.status, 'requires_payment_method');
    assert.equal(await page.locator('dialog.__KassaChallenge').count(), 0);
  });

  test('closing the challenge (Escape) does not succeed: it fails the authentication', async () => {
    await openCheckout();
    const intent = await newIntent();
    await fill('4000002760003184');
    const { result } = await startConfirm(intent.client_secret!);
    await challengeFrame();
    await page.locator('dialog.__KassaChallenge .__k-close').focus();
    await page.keyboard.press('Escape');
    const done = await result();
    assert.equal(done.error.code, 'payment_intent_authentication_failure');
    assert.equal((await kassa.stripe.paymentIntents.retrieve(intent.id)).status, 'requires_payment_method');
  });

  test("Escape inside the bank's page closes the challenge too, failing the authentication", async () => {
    await openCheckout();
    const intent = await newIntent();
    await fill('4000002760003184');
    const { result } = await startConfirm(intent.client_secret!);
    const frame = await challengeFrame();
    await frame.getByRole('button', { name: 'Complete authentication' }).focus();
    await page.keyboard.press('Escape');
    const done = await result();
    assert.equal(done.error.code, 'payment_intent_authentication_failure');
    assert.equal(await page.locator('dialog.__KassaChallenge').count(), 0, 'the modal closed');
    assert.equal((await kassa.stripe.paymentIntents.retrieve(intent.id)).status, 'requires_payment_method');
  });

  test("the merchant's page cannot read the card number, and its server never receives it", async () => {
    await openCheckout();
    const intent = await newIntent();
    await fill('4242424242424242');
    const fromPage = await page.evaluate(() => {
      const iframe = document.querySelector<HTMLIFrameElement>('#card-element iframe')!;
      let error = '';
      try {
        void iframe.contentWindow!.document.body.innerHTML;
      } catch (e) {
        error = (e as Error).name;
      }
      return {
        contentDocument: iframe.contentDocument === null,
        error,
        pageText: document.documentElement.outerHTML,
        events: JSON.stringify((window as unknown as PageWindow).events),
      };
    });
    assert.equal(fromPage.contentDocument, true);
    assert.equal(fromPage.error, 'SecurityError');
    assert.doesNotMatch(fromPage.pageText + fromPage.events, /4242\s?4242\s?4242\s?4242/);
    const result = await (await startConfirm(intent.client_secret!)).result();
    assert.equal(result.paymentIntent.status, 'succeeded');
    assert.doesNotMatch(JSON.stringify(result), /4242424242424242/);
    assert.ok(site.received.length > 0);
    for (const line of site.received) assert.doesNotMatch(line, /4242\D?4242\D?4242\D?4242/);
    assert.deepEqual(browser.refused, []);
  });
});
