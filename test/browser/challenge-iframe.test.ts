// The 3-D Secure challenge page inside an iframe, in real headless Chromium
// (Debian's /usr/bin/chromium through playwright-core, test/support/chromium.ts):
// the customer clicks "Complete authentication" in the frame, the parent page
// receives the page's postMessage, and the PaymentIntent has succeeded.
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type Stripe from 'stripe';
import { chromiumSkip, launchChromium } from '../support/chromium.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { storeTargets } from '../support/stores.js';

const skip = chromiumSkip('challenge iframe browser test');

/** The merchant's checkout page: the challenge in an iframe, and whatever the frame posts. */
function parentHtml(challengeUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Checkout</title>
<style>body{margin:0;background:#e3e8ee;font:14px sans-serif}iframe{display:block;margin:24px auto;width:480px;height:620px;border:0;border-radius:12px;background:#fff}</style></head>
<body><iframe id="challenge" src="${challengeUrl}" title="3-D Secure"></iframe><pre id="log"></pre>
<script>window.received = [];
window.addEventListener('message', (event) => { window.received.push({ origin: event.origin, data: event.data }); document.getElementById('log').textContent = JSON.stringify(event.data); });</script>
</body></html>`;
}

test('the challenge page in an iframe: complete authentication, the parent window hears it', { skip }, async (t) => {
  const sqlite = (await storeTargets()).find((target) => target.name === 'sqlite')!;
  const kassa: TestKassa = await startKassa(await sqlite.config());
  // Cleanup runs last-registered first: the browser closes its keep-alive connections before the servers wait for them.
  const cleanups: Array<() => unknown> = [() => kassa.close()];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const intent = await kassa.stripe.paymentIntents.create({
    amount: 4990,
    currency: 'eur',
    payment_method_types: ['card'],
    payment_method: 'pm_card_threeDSecure2Required',
    confirm: true,
  } as Stripe.PaymentIntentCreateParams);
  assert.equal(intent.status, 'requires_action');
  const challengeUrl = (intent.next_action!.use_stripe_sdk as { stripe_js: string }).stripe_js;

  const shop: Server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(parentHtml(challengeUrl)),
  );
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => shop.close(() => resolve())));
  const shopUrl = `http://127.0.0.1:${(shop.address() as { port: number }).port}/checkout`;

  const browser = await launchChromium({ width: 560, height: 680 });
  cleanups.push(() => browser.close());

  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(shopUrl);
  const frame = page.frameLocator('#challenge');
  const complete = frame.getByRole('button', { name: 'Complete authentication' });
  await complete.waitFor();
  assert.equal(await frame.getByRole('button', { name: 'Fail authentication' }).count(), 1);
  assert.match(await frame.locator('main').innerText(), /€49\.90/);

  const screenshotDir = mkdtempSync(join(tmpdir(), 'kassa-3ds-'));
  const screenshot = join(screenshotDir, 'challenge.png');
  await page.screenshot({ path: screenshot });
  assert.ok(statSync(screenshot).size > 0);
  t.diagnostic(`screenshot of the challenge page: ${screenshot}`);

  await complete.click();
  await page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length > 0);
  const received = await page.evaluate(
    () => (window as unknown as { received: Array<{ origin: string; data: unknown }> }).received,
  );
  assert.equal(received.length, 1);
  assert.deepEqual(received[0]!.data, { type: 'kassa-3ds-complete', intent: intent.id, status: 'succeeded' });
  assert.equal(received[0]!.origin, new URL(kassa.url).origin);
  assert.match(await frame.locator('h1').innerText(), /Authentication complete/);
  const result = join(screenshotDir, 'result.png');
  await page.screenshot({ path: result });
  t.diagnostic(`screenshot of the result page: ${result}`);

  const paid = await kassa.stripe.paymentIntents.retrieve(intent.id);
  assert.equal(paid.status, 'succeeded');
  assert.equal(paid.amount_received, 4990);
});
