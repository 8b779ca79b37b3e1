import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { requestFingerprint } from '../../src/server/idempotency.js';

const card = (number: string, cvc: string, exp_month = '12') => ({
  type: 'card',
  card: { number, cvc, exp_month, exp_year: '2030' },
});

test('the request fingerprint never digests a full card number or CVC', () => {
  const params = card('4242424242424242', '987');
  const fingerprint = requestFingerprint('POST', '/v1/payment_methods', params);
  // What an unkeyed digest of the raw request would be: brute-forcing it would reveal the card.
  const naive = createHash('sha256')
    .update(`POST /v1/payment_methods\n${JSON.stringify(params)}`)
    .digest('hex');
  assert.notEqual(fingerprint, naive);
  assert.equal(fingerprint, requestFingerprint('POST', '/v1/payment_methods', card('4000000000004242', '123')));
});

test('other differences still make a different request', () => {
  const base = requestFingerprint('POST', '/v1/payment_methods', card('4242424242424242', '987'));
  assert.notEqual(base, requestFingerprint('POST', '/v1/payment_methods', card('4242424242424242', '987', '11')));
  assert.notEqual(base, requestFingerprint('POST', '/v1/payment_methods', card('5555555555554444', '987')));
  assert.notEqual(base, requestFingerprint('POST', '/v1/payment_intents', card('4242424242424242', '987')));
});
