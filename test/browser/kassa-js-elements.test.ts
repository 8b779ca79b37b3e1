// Kassa.js beyond the single card Element, in real headless Chromium: split
// card fields combining their data in Kassa's frames, the card-only Payment
// Element with confirmPayment and elements.submit(), SetupIntents,
// @stripe/stripe-js's loadStripe() picking up the script, and the
// paymentRequest() test wallet end to end.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import type Stripe from 'stripe';
import { chromiumSkip, launchChromium, type TestBrowser } from '../support/chromium.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { CHECKOUT_CSS, startMerchantSite, type MerchantSite } from '../support/merchant-site.js';
import { storeTargets } from '../support/stores.js';

const skip = chromiumSkip('Kassa.js Elements browser test');

type AnyWindow = Window & Record<string, any>;

function page(kassaUrl: string, body: string, script: string, scriptQuery = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title><style>${CHECKOUT_CSS}</style>
<script src="${kassaUrl}/v3/${scriptQuery}"></script></head><body>${body}<script>window.events = [];
${script}</script></body></html>`;
}

describe('Kassa.js Elements in Chromium', { skip }, () => {
  let kassa: TestKassa;
  let site: MerchantSite;
  let browser: TestBrowser;
  let tab: Page;
  let pk: string;

  before(async () => {
    const sqlite = (await storeTargets()).find((target) => target.name === 'sqlite')!;
    kassa = await startKassa(await sqlite.config());
    pk = kassa.account.publishable_key;
    site = await startMerchantSite();
    browser = await launchChromium({ width: 620, height: 640 });
    tab = await browser.context.newPage();
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    await kassa?.close();
  });

  const intent = (extra: Record<string, unknown> = {}) =>
    kassa.stripe.paymentIntents.create({
      amount: 2500,
      currency: 'usd',
      payment_method_types: ['card'],
      ...extra,
    } as Stripe.PaymentIntentCreateParams);
  const waitEvent = (predicate: string) => tab.waitForFunction(`window.events.some((e) => ${predicate})`);

  test("split fields (cardNumber, cardExpiry, cardCvc) combine in Kassa's frames for confirmCardPayment", async () => {
    site.page(
      '/split',
      page(
        kassa.url,
        `<form><h1>Split fields</h1><label for="number">Card number</label><div id="number"></div>
<div class="split"><div><label for="expiry">Expiry</label><div id="expiry"></div></div><div><label for="cvc">CVC</label><div id="cvc"></div></div></div></form>`,
        `const stripe = Stripe(${JSON.stringify(pk)});
const elements = stripe.elements();
const number = elements.create('cardNumber', { showIcon: true, placeholder: 'Card number' });
const expiry = elements.create('cardExpiry');
const cvc = elements.create('cardCvc');
for (const el of [number, expiry, cvc]) { el.on('change', (e) => events.push(e)); el.on('ready', (e) => events.push({ ready: e.elementType })); }
number.mount('#number'); expiry.mount('#expiry'); cvc.mount('#cvc');
window.kassa = { stripe, elements, number };`,
      ),
    );
    await tab.goto(`${site.url}/split`);
    await waitEvent("e.ready === 'cardCvc'");
    await tab.frameLocator('#number iframe').locator('input').pressSequentially('378282246310005');
    await waitEvent("e.elementType === 'cardNumber' && e.brand === 'amex' && e.complete");
    await tab.frameLocator('#expiry iframe').locator('input').pressSequentially('1130');
    // The CVC field follows the number's brand from its sibling frame: Amex needs 4 digits.
    await tab.frameLocator('#cvc iframe').locator('input').pressSequentially('123');
    await tab.click('h1');
    await waitEvent("e.elementType === 'cardCvc' && e.error && e.error.code === 'incomplete_cvc'");
    await tab.frameLocator('#cvc iframe').locator('input').pressSequentially('4');
    await waitEvent("e.elementType === 'cardCvc' && e.complete");
    await tab.screenshot({ path: '/tmp/kassa-split.png' });
    const pi = await intent();
    const result = await tab.evaluate(
      (cs) =>
        (window as AnyWindow).kassa.stripe.confirmCardPayment(cs, {
          payment_method: { card: (window as AnyWindow).kassa.number },
        }),
      pi.client_secret!,
    );
    assert.equal(result.error, undefined, JSON.stringify(result.error));
    assert.equal(result.paymentIntent.status, 'succeeded');
    const paid = await kassa.stripe.paymentIntents.retrieve(pi.id, { expand: ['payment_method'] });
    const card = (paid.payment_method as Stripe.PaymentMethod).card!;
    assert.deepEqual([card.brand, card.last4, card.exp_month, card.exp_year], ['amex', '0005', 11, 2030]);
  });

  test('the Payment Element with confirmPayment: submit() validates, redirect if_required resolves, redirect always goes to return_url', async () => {
    const pi = await intent();
    site.page('/done', '<!doctype html><title>Thanks</title><h1>Thanks</h1>');
    site.page(
      '/payment',
      page(
        kassa.url,
        `<form><h1>Payment Element</h1><div id="payment"></div></form>`,
        `const stripe = Stripe(${JSON.stringify(pk)});
const elements = stripe.elements({ clientSecret: ${JSON.stringify(pi.client_secret)}, appearance: { theme: 'stripe', variables: { colorPrimary: '#0570de', borderRadius: '8px' } } });
const payment = elements.create('payment');
payment.on('change', (e) => events.push(e)); payment.on('ready', () => events.push({ ready: true }));
payment.mount('#payment');
window.kassa = { stripe, elements };`,
      ),
    );
    await tab.goto(`${site.url}/payment`);
    await waitEvent('e.ready');
    const frame = tab.frameLocator('#payment iframe');
    assert.equal(await frame.getByLabel('Card number').count(), 1);
    const submitted = await tab.evaluate(() => (window as AnyWindow).kassa.elements.submit());
    assert.equal(submitted.error.code, 'incomplete_number');
    await frame.getByText('Your card number is incomplete.').waitFor();
    await frame.getByLabel('Card number').pressSequentially('4242424242424242');
    await frame.getByLabel('Expiration date').pressSequentially('1234');
    await frame.getByLabel('Security code').pressSequentially('123');
    await frame.getByLabel('ZIP code').pressSequentially('94107');
    await waitEvent("e.elementType === 'payment' && e.complete && e.value.type === 'card'");
    await tab.click('h1');
    await tab.waitForTimeout(300); // let the fields' colour transitions settle for the picture
    await tab.screenshot({ path: '/tmp/kassa-payment-element.png' });
    assert.deepEqual(await tab.evaluate(() => (window as AnyWindow).kassa.elements.submit()), {
      selectedPaymentMethod: 'card',
    });
    const result = await tab.evaluate(() =>
      (window as AnyWindow).kassa.stripe.confirmPayment({
        elements: (window as AnyWindow).kassa.elements,
        confirmParams: { payment_method_data: { billing_details: { email: 'jenny@example.com' } } },
        redirect: 'if_required',
      }),
    );
    assert.equal(result.error, undefined, JSON.stringify(result.error));
    assert.equal(result.paymentIntent.status, 'succeeded');

    // The default redirect: 'always' sends the customer to return_url with the intent in the query.
    const second = await intent();
    await tab.evaluate((cs) => {
      const w = window as AnyWindow;
      void w.kassa.stripe.confirmPayment({
        elements: w.kassa.elements,
        clientSecret: cs,
        confirmParams: { return_url: `${location.origin}/done` },
      });
    }, second.client_secret!);
    await tab.waitForURL(/\/done\?/);
    const url = new URL(tab.url());
    assert.equal(url.searchParams.get('payment_intent'), second.id);
    assert.equal(url.searchParams.get('payment_intent_client_secret'), second.client_secret);
    assert.equal(url.searchParams.get('redirect_status'), 'succeeded');
    assert.equal((await kassa.stripe.paymentIntents.retrieve(second.id)).status, 'succeeded');
  });

  test('confirmCardSetup saves a card on a SetupIntent, with 3-D Secure in the modal', async () => {
    const customer = await kassa.stripe.customers.create({ email: 'setup@example.com' });
    const si = await kassa.stripe.setupIntents.create({
      customer: customer.id,
      payment_method_types: ['card'],
    } as Stripe.SetupIntentCreateParams);
    site.page(
      '/setup',
      page(
        kassa.url,
        `<form><h1>Save a card</h1><div id="card"></div></form>`,
        `const stripe = Stripe(${JSON.stringify(pk)});
const card = stripe.elements().create('card', { hidePostalCode: true });
card.on('ready', () => events.push({ ready: true })); card.on('change', (e) => events.push(e));
card.mount('#card');
window.kassa = { stripe, card };`,
      ),
    );
    await tab.goto(`${site.url}/setup`);
    await waitEvent('e.ready');
    const frame = tab.frameLocator('#card iframe');
    assert.equal(await frame.locator('input[name="postal-code"]').count(), 0, 'hidePostalCode');
    await frame.locator('input[name="cc-number"]').pressSequentially('4000002760003184');
    await frame.locator('input[name="cc-exp"]').pressSequentially('1234');
    await frame.locator('input[name="cc-csc"]').pressSequentially('123');
    await waitEvent('e.complete');
    await tab.evaluate((cs) => {
      const w = window as AnyWindow;
      w.pending = w.kassa.stripe.confirmCardSetup(cs, { payment_method: { card: w.kassa.card } });
    }, si.client_secret!);
    const challenge = tab.frameLocator('dialog.__KassaChallenge iframe');
    await challenge.getByRole('button', { name: 'Complete authentication' }).click();
    const result = await tab.evaluate(() => (window as AnyWindow).pending);
    assert.equal(result.error, undefined, JSON.stringify(result.error));
    assert.equal(result.setupIntent.status, 'succeeded');
    const saved = await kassa.stripe.setupIntents.retrieve(si.id);
    assert.equal(saved.status, 'succeeded');
    const retrieved = await tab.evaluate(
      (cs) => (window as AnyWindow).kassa.stripe.retrieveSetupIntent(cs),
      si.client_secret!,
    );
    assert.equal(retrieved.setupIntent.id, si.id);
  });

  test("@stripe/stripe-js's loadStripe() uses the Kassa.js script already on the page", async () => {
    const entry = fileURLToPath(new URL('./fixtures/load-stripe-page.ts', import.meta.url));
    const bundled = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      logLevel: 'silent',
    });
    site.page('/load-stripe.js', bundled.outputFiles[0]!.text, 'application/javascript; charset=utf-8');
    site.page(
      '/load-stripe',
      page(
        kassa.url,
        `<form><h1>loadStripe</h1><div id="card"></div></form><script src="/load-stripe.js" data-pk="${pk}"></script>`,
        '',
      ),
    );
    await tab.goto(`${site.url}/load-stripe`);
    await tab.waitForFunction(() => (window as AnyWindow).loaded !== undefined);
    const loaded = await tab.evaluate(() => (window as AnyWindow).loaded);
    assert.deepEqual(loaded, { ok: true, isKassa: true, hasElements: true });
    await waitEvent('e.ready');
    const pi = await intent();
    await tab.frameLocator('#card iframe').locator('input[name="cc-number"]').pressSequentially('4242424242424242');
    await tab.frameLocator('#card iframe').locator('input[name="cc-exp"]').pressSequentially('1234');
    await tab.frameLocator('#card iframe').locator('input[name="cc-csc"]').pressSequentially('123');
    await tab.frameLocator('#card iframe').locator('input[name="postal-code"]').pressSequentially('12345');
    const result = await tab.evaluate((cs) => (window as AnyWindow).pay(cs), pi.client_secret!);
    assert.equal(result.paymentIntent.status, 'succeeded');
    assert.deepEqual(browser.refused, [], 'nothing was loaded from js.stripe.com');
  });

  test('@stripe/react-stripe-js works unchanged: <Elements>, <CardElement>, useStripe, useElements', async () => {
    const entry = fileURLToPath(new URL('./fixtures/react-checkout.js', import.meta.url));
    const bundled = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      define: { 'process.env.NODE_ENV': '"production"' },
      minify: true,
      logLevel: 'silent',
    });
    const pi = await intent();
    site.page('/react.js', bundled.outputFiles[0]!.text, 'application/javascript; charset=utf-8');
    site.page(
      '/react',
      page(
        kassa.url,
        `<div id="config" data-pk="${pk}" data-client-secret="${pi.client_secret}"></div><div id="root"></div><script src="/react.js"></script>`,
        '',
      ),
    );
    await tab.goto(`${site.url}/react`);
    await tab.waitForFunction(() => (window as AnyWindow).reactReady === true);
    const card = tab.frameLocator('#card iframe');
    await card.locator('input[name="cc-number"]').pressSequentially('4242424242424241');
    await tab.getByRole('alert').filter({ hasText: 'Your card number is invalid.' }).waitFor();
    await card.locator('input[name="cc-number"]').press('Backspace');
    await card.locator('input[name="cc-number"]').pressSequentially('2');
    await card.locator('input[name="cc-exp"]').pressSequentially('1234');
    await card.locator('input[name="cc-csc"]').pressSequentially('123');
    await tab.getByRole('button', { name: 'Pay' }).click();
    await tab.waitForFunction(() => /^(paid|error)/.test(document.getElementById('status')!.textContent!));
    assert.equal(await tab.textContent('#status'), 'paid: succeeded');
    assert.equal((await kassa.stripe.paymentIntents.retrieve(pi.id)).status, 'succeeded');
  });

  test('@stripe/react-stripe-js works unchanged with <PaymentElement>, elements.submit() and confirmPayment', async () => {
    const entry = fileURLToPath(new URL('./fixtures/react-payment-checkout.js', import.meta.url));
    const bundled = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      define: { 'process.env.NODE_ENV': '"production"' },
      minify: true,
      logLevel: 'silent',
    });
    const pi = await intent();
    site.page('/react-payment.js', bundled.outputFiles[0]!.text, 'application/javascript; charset=utf-8');
    site.page(
      '/react-payment',
      page(
        kassa.url,
        `<div id="config" data-pk="${pk}" data-client-secret="${pi.client_secret}"></div><div id="root"></div><script src="/react-payment.js"></script>`,
        '',
      ),
    );
    await tab.goto(`${site.url}/react-payment`);
    await tab.waitForFunction(() => (window as AnyWindow).reactReady === true);
    const frame = tab.frameLocator('#payment iframe');
    // Submitting an empty form is caught before any payment.
    await tab.getByRole('button', { name: 'Pay' }).click();
    await tab.waitForFunction(() => /^(paid|error)/.test(document.getElementById('status')!.textContent!));
    assert.equal(await tab.textContent('#status'), 'error: incomplete_number');
    await frame.getByLabel('Card number').pressSequentially('4242424242424242');
    await frame.getByLabel('Expiration date').pressSequentially('1234');
    await frame.getByLabel('Security code').pressSequentially('123');
    await frame.getByLabel('ZIP code').pressSequentially('94107');
    await tab.getByRole('button', { name: 'Pay' }).click();
    await tab.waitForFunction(
      () =>
        /^paid/.test(document.getElementById('status')!.textContent!) ||
        /incomplete|invalid|declined|failure/.test(document.getElementById('status')!.textContent!),
    );
    assert.equal(await tab.textContent('#status'), 'paid: succeeded');
    assert.equal((await kassa.stripe.paymentIntents.retrieve(pi.id)).status, 'succeeded');
  });

  test('paymentRequest(): canMakePayment() is null without a wallet; the test wallet pays end to end', async () => {
    const pi = await intent({ amount: 1999 });
    const script = (
      testWallet: boolean,
    ) => `const stripe = Stripe(${JSON.stringify(pk)}${testWallet ? ', { kassa: { testWallet: true } }' : ''});
const paymentRequest = stripe.paymentRequest({ country: 'US', currency: 'usd', total: { label: 'Kassa Coffee', amount: 1999 }, requestPayerName: true, requestPayerEmail: true });
window.kassa = { stripe, paymentRequest };
paymentRequest.canMakePayment().then((result) => {
  window.canMake = result;
  if (!result) return;
  const button = stripe.elements().create('paymentRequestButton', { paymentRequest });
  button.on('click', () => events.push({ click: true }));
  button.mount('#wallet');
});
paymentRequest.on('paymentmethod', async (ev) => {
  events.push({ paymentmethod: ev.paymentMethod.id, payerName: ev.payerName, walletName: ev.walletName });
  const { error, paymentIntent } = await stripe.confirmCardPayment(${JSON.stringify(pi.client_secret)}, { payment_method: ev.paymentMethod.id }, { handleActions: false });
  ev.complete(error ? 'fail' : 'success');
  events.push({ result: error ? error.code : paymentIntent.status });
});`;
    site.page('/no-wallet', page(kassa.url, '<form><h1>Wallet</h1><div id="wallet"></div></form>', script(false)));
    await tab.goto(`${site.url}/no-wallet`);
    await tab.waitForFunction(() => 'canMake' in window);
    assert.equal(await tab.evaluate(() => (window as AnyWindow).canMake), null);

    site.page('/wallet', page(kassa.url, '<form><h1>Wallet</h1><div id="wallet"></div></form>', script(true)));
    await tab.goto(`${site.url}/wallet`);
    await tab.waitForFunction(() => 'canMake' in window);
    assert.deepEqual(await tab.evaluate(() => (window as AnyWindow).canMake), {
      applePay: false,
      googlePay: false,
      link: false,
      kassaTestWallet: true,
    });
    await tab.getByRole('button', { name: 'Pay with Kassa test wallet' }).click();
    const sheet = tab.frameLocator('dialog.__KassaWallet iframe');
    await sheet.getByRole('button', { name: /Pay \$19\.99/ }).waitFor();
    await tab.screenshot({ path: '/tmp/kassa-wallet.png' });
    await sheet.getByRole('button', { name: /Pay \$19\.99/ }).click();
    await waitEvent("e.result === 'succeeded'");
    const events = await tab.evaluate(() => (window as AnyWindow).events);
    assert.ok(events.some((e: any) => e.click));
    const pmEvent = events.find((e: any) => e.paymentmethod);
    assert.match(pmEvent.paymentmethod, /^pm_/);
    assert.equal(pmEvent.payerName, 'Jenny Rosen');
    assert.equal(pmEvent.walletName, 'kassaTestWallet');
    const paid = await kassa.stripe.paymentIntents.retrieve(pi.id);
    assert.equal(paid.status, 'succeeded');
    assert.equal(paid.payment_method, pmEvent.paymentmethod);
    await tab.waitForFunction(() => !document.querySelector('dialog.__KassaWallet'));
  });
});
