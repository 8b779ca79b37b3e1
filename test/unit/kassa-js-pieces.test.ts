// Kassa.js's plain helpers: the `style` option as CSS (only Stripe's allowed
// properties, no way out of a declaration), the Appearance variables, form
// encoding, the frame parameters, and how an intent's failure becomes `{error}`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formEncode } from '../../src/browser/form-encode.js';
import { intentId, kindOfSecret, outcome } from '../../src/browser/intents.js';
import { decodeFrameParams, encodeFrameParams, isMessage, PROTOCOL } from '../../src/browser/protocol.js';
import { appearanceCss } from '../../src/browser/frame/appearance.js';
import { safeCssValue, styleCss } from '../../src/browser/frame/style.js';

test('style variants and pseudo-classes become CSS for the frame inputs', () => {
  const css = styleCss(
    {
      base: {
        color: '#32325d',
        fontSize: '16px',
        iconColor: '#666',
        '::placeholder': { color: '#aab7c4' },
        ':focus': { color: '#000' },
        padding: '40px',
      },
      invalid: { color: '#fa755a', iconColor: '#fa755a' },
      complete: { color: 'green' },
      empty: { fontStyle: 'italic' },
    },
    'input',
    '.icon',
  );
  assert.match(css, /^input\{color:#32325d;font-size:16px;\}/);
  assert.match(css, /\.icon\{fill:#666;color:#666;\}/);
  assert.match(css, /input::placeholder\{color:#aab7c4;\}/);
  assert.match(css, /input:focus\{color:#000;\}/);
  assert.match(css, /\.is-invalid input\{color:#fa755a;\}/);
  assert.match(css, /\.is-complete input\{color:green;\}/);
  assert.match(css, /\.is-empty input\{font-style:italic;\}/);
  assert.doesNotMatch(css, /padding/, 'padding is not among the allowed properties');
});

test('style values that could escape the declaration are dropped', () => {
  for (const value of ['red;} body{display:none', 'url(http://evil/)', 'red /* x */', '<script>', 'a\\62 '])
    assert.equal(safeCssValue(value), null, value);
  assert.equal(safeCssValue('"Helvetica Neue", sans-serif'), '"Helvetica Neue", sans-serif');
  assert.equal(styleCss({ base: { color: 'red;}html{background:url(x)' } }, 'input', '.icon'), '');
});

test('appearance themes and variables become custom properties', () => {
  assert.equal(
    appearanceCss({ variables: { colorPrimary: '#0570de', borderRadius: '8px', bogus: 'x' } }),
    ':root{--k-primary:#0570de;--k-radius:8px;}',
  );
  assert.match(appearanceCss({ theme: 'night' }), /--k-background:#30313d/);
  assert.equal(appearanceCss(undefined), '');
});

test('form encoding uses bracket notation and leaves out undefined', () => {
  assert.equal(
    formEncode({
      key: 'pk_test_1',
      card: { number: '4242', exp_month: 12 },
      expand: ['a', 'b'],
      skip: undefined,
      billing_details: { address: { postal_code: '10 115' } },
    }),
    'key=pk_test_1&card%5Bnumber%5D=4242&card%5Bexp_month%5D=12&expand%5B0%5D=a&expand%5B1%5D=b&billing_details%5Baddress%5D%5Bpostal_code%5D=10%20115',
  );
});

test('frame parameters round-trip through the URL fragment; messages must name the protocol and channel', () => {
  const params = {
    kind: 'card',
    channel: 'ch1',
    group: 'g',
    parentOrigin: 'http://127.0.0.1:3000',
    key: 'pk_test_x',
    options: { hidePostalCode: true },
  };
  assert.deepEqual(decodeFrameParams(`#${encodeFrameParams(params)}`), params);
  assert.equal(decodeFrameParams('#not-json'), null);
  assert.equal(isMessage({ protocol: PROTOCOL, channel: 'ch1', type: 'change' }, 'ch1'), true);
  assert.equal(isMessage({ protocol: PROTOCOL, channel: 'ch2', type: 'change' }, 'ch1'), false);
  assert.equal(isMessage({ type: 'kassa-3ds-complete' }, 'ch1'), false);
});

test('client secrets name their intent; a failed intent becomes {error} with the intent inside', () => {
  assert.equal(intentId('payment_intent', 'pi_123_secret_abc'), 'pi_123');
  assert.equal(kindOfSecret('seti_1_secret_2'), 'setup_intent');
  assert.throws(() => intentId('payment_intent', 'seti_1_secret_2'), { name: 'IntegrationError' });
  assert.throws(() => intentId('payment_intent', 'pi_123'), { name: 'IntegrationError' });
  const failure = { code: 'payment_intent_authentication_failure', type: 'invalid_request_error', message: 'failed' };
  const failed = { id: 'pi_1', status: 'requires_payment_method', last_payment_error: failure };
  assert.deepEqual(outcome('payment_intent', failed), { error: { ...failure, payment_intent: failed } });
  assert.deepEqual(outcome('payment_intent', { id: 'pi_1', status: 'succeeded', last_payment_error: null }), {
    paymentIntent: { id: 'pi_1', status: 'succeeded', last_payment_error: null },
  });
  const si = { id: 'seti_1', status: 'succeeded', last_setup_error: null };
  assert.deepEqual(outcome('setup_intent', si), { setupIntent: si });
});
