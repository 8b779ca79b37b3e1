// Serving Kassa.js over HTTP (no browser): /v3/ and its cache headers, the
// content-hashed URL, the frame page and its policy, the bundle's size; and the
// CORS headers that let a merchant's page call the API with the publishable key.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { storeTargets } from '../support/stores.js';

/** The core bundle's size budget, gzipped (issue 6). */
const CORE_BUDGET_GZIP = 30 * 1024;

describe('Kassa.js served by Kassa', () => {
  let kassa: TestKassa;
  before(async () => {
    const sqlite = (await storeTargets()).find((target) => target.name === 'sqlite')!;
    kassa = await startKassa(await sqlite.config());
  });
  after(() => kassa.close());

  test('/v3/ and /v3 serve the minified bundle with a short cache; the hashed URL caches for a year', async (t) => {
    const response = await fetch(`${kassa.url}/v3/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^application\/javascript/);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
    const code = await response.text();
    assert.match(code, /endive/);
    assert.ok(!code.includes('\n  '), 'minified');
    assert.equal(await (await fetch(`${kassa.url}/v3`)).text(), code);
    const etag = response.headers.get('etag')!;
    const hash = etag.replace(/"/g, '');
    assert.match(hash, /^[0-9a-f]{12}$/);
    assert.equal((await fetch(`${kassa.url}/v3/`, { headers: { 'if-none-match': etag } })).status, 304);

    const versioned = await fetch(`${kassa.url}/v3/kassa.${hash}.js`);
    assert.equal(versioned.status, 200);
    assert.equal(versioned.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await versioned.text(), code);
    assert.equal((await fetch(`${kassa.url}/v3/kassa.000000000000.js`)).status, 404);

    const gzipped = gzipSync(code, { level: 9 }).length;
    t.diagnostic(
      `Kassa.js core bundle: ${code.length} bytes, ${(gzipped / 1024).toFixed(1)} KB gzipped (budget ${CORE_BUDGET_GZIP / 1024} KB)`,
    );
    assert.ok(gzipped < CORE_BUDGET_GZIP, `core bundle is ${gzipped} bytes gzipped`);
  });

  test('the frame page loads the hashed frame bundle under a strict content security policy', async (t) => {
    const page = await fetch(`${kassa.url}/v3/elements-inner.html`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.equal(page.headers.get('x-frame-options'), null, 'the page must be frameable by merchant pages');
    const src = /<script src="([^"]+)"/.exec(await page.text())![1]!;
    assert.match(src, /^\/v3\/frame\.[0-9a-f]{12}\.js$/);
    const frame = await fetch(`${kassa.url}${src}`);
    assert.equal(frame.status, 200);
    assert.equal(frame.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const frameCode = await frame.text();
    t.diagnostic(
      `Kassa.js frame bundle: ${frameCode.length} bytes, ${(gzipSync(frameCode, { level: 9 }).length / 1024).toFixed(1)} KB gzipped`,
    );
  });

  test('API responses allow any origin; preflights for Stripe-Account / Authorization get 204', async () => {
    const intent = await kassa.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method_types: ['card'],
    } as Stripe.PaymentIntentCreateParams);
    const origin = 'http://127.0.0.1:9';
    const query = new URLSearchParams({ key: kassa.account.publishable_key, client_secret: intent.client_secret! });
    const read = await fetch(`${kassa.url}/v1/payment_intents/${intent.id}?${query}`, { headers: { origin } });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('access-control-allow-origin'), '*');
    assert.match(read.headers.get('access-control-expose-headers')!, /Request-Id/);

    const refused = await fetch(`${kassa.url}/v1/customers`, {
      headers: { origin, authorization: `Bearer ${kassa.account.publishable_key}` },
    });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('access-control-allow-origin'), '*', 'errors are readable by the page too');

    const preflight = await fetch(`${kassa.url}/v1/payment_intents/${intent.id}/confirm`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'stripe-account,content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-headers')!, /Stripe-Account/);
    assert.match(preflight.headers.get('access-control-allow-methods')!, /POST/);
  });
});
