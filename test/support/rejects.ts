import assert from 'node:assert/strict';
import type Stripe from 'stripe';

/** For assert.rejects: the SDK's error has this status and, where given, code, param, API error type and message. */
export function rejectsWith(expected: {
  status: number;
  code?: string;
  param?: string;
  type?: string;
  message?: RegExp;
}) {
  return (e: Stripe.errors.StripeError) => {
    assert.equal(e.statusCode, expected.status, `${e.statusCode} ${e.code} ${e.message}`);
    if ('code' in expected) assert.equal(e.code, expected.code);
    if ('param' in expected) assert.equal(e.param, expected.param);
    if (expected.type) assert.equal(e.rawType, expected.type);
    if (expected.message) assert.match(e.message, expected.message);
    return true;
  };
}
