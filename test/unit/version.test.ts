// Stripe-Version strings: which Kassa accepts and how it refuses the rest.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Stripe from 'stripe';
import { StripeError } from '../../src/server/errors.js';
import { API_VERSION, checkApiVersion } from '../../src/server/version.js';

describe('checkApiVersion', () => {
  test("Kassa's version is the one the installed SDK pins", () => {
    assert.equal(API_VERSION, '2026-10-28.endive');
    assert.equal(Stripe.API_VERSION, API_VERSION);
  });

  test('accepts dated versions, named releases in their span, and previews', () => {
    for (const version of [
      API_VERSION,
      '2011-01-01',
      '2015-10-16',
      '2020-08-27',
      '2023-08-16',
      '2024-06-20',
      '2024-09-30.acacia',
      '2024-12-18.acacia',
      '2025-03-31.basil',
      '2025-09-30.clover',
      '2026-03-25.dahlia',
      '2026-09-30.endive',
      '2025-04-30.preview',
    ]) {
      assert.equal(checkApiVersion(version), version);
    }
  });

  test('refuses anything else with 400 invalid_request_error, no code and no param', () => {
    for (const version of [
      'garbage',
      '',
      'latest',
      '2020-8-27',
      '20-08-27',
      '2020-08-27 ',
      '2020-08-27.',
      '2020-13-01',
      '2021-02-30',
      '2099-99-99',
      '2010-12-31',
      '2026-10-28.fig',
      '2026-10-28.ENDIVE',
      '2026-10-28.acacia',
      '2024-09-29.acacia',
      '2025-03-31.acacia',
      '2026-09-29.endive',
      '2025-01-01',
    ]) {
      assert.throws(
        () => checkApiVersion(version),
        (error: unknown) => {
          assert.ok(error instanceof StripeError, version);
          assert.equal(error.statusCode, 400);
          assert.deepEqual(error.body, {
            type: 'invalid_request_error',
            message: `Invalid Stripe API version: ${version}`,
          });
          return true;
        },
        version,
      );
    }
  });
});
