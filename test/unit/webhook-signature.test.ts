// Kassa's Stripe-Signature header is what the official SDK generates and accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Stripe from 'stripe';
import { signatureHeader } from '../../src/events/signature.js';

const stripe = new Stripe('sk_test_unused');
const secret = 'whsec_0123456789abcdefghijABCDEFGHIJ';
const payload = JSON.stringify({
  id: 'evt_1',
  object: 'event',
  type: 'customer.created',
  data: { object: { name: 'Zoë – “quoted”' } },
});

test('the header equals the SDK test header for the same payload, secret and time', () => {
  const timestamp = 1_760_000_000;
  assert.equal(
    signatureHeader(payload, secret, timestamp),
    stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }),
  );
});

test('constructEvent accepts a signed payload and rejects a changed one or another secret', () => {
  const header = signatureHeader(payload, secret, Math.floor(Date.now() / 1000));
  const event = stripe.webhooks.constructEvent(payload, header, secret);
  assert.equal(event.id, 'evt_1');
  assert.throws(
    () => stripe.webhooks.constructEvent(payload.replace('Zoë', 'Zoe'), header, secret),
    Stripe.errors.StripeSignatureVerificationError,
  );
  assert.throws(
    () => stripe.webhooks.constructEvent(payload, header, `${secret}x`),
    Stripe.errors.StripeSignatureVerificationError,
  );
});

test('an old timestamp is outside the SDK tolerance', () => {
  const header = signatureHeader(payload, secret, Math.floor(Date.now() / 1000) - 3600);
  assert.throws(
    () => stripe.webhooks.constructEvent(payload, header, secret),
    Stripe.errors.StripeSignatureVerificationError,
  );
});
