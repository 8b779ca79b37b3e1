import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { currency } from '../../src/money/currencies.js';
import {
  computeFee,
  DEFAULT_FEE_RULE,
  feeDetails,
  feeRuleFromEnv,
  parseFeeRule,
  refundFee,
  standardFixed,
  type FeeRule,
} from '../../src/money/fees.js';

const only = (percentBps: number): FeeRule => ({ percentBps, fixed: {}, defaultFixed: 0 });

describe('computeFee', () => {
  test('defaults to 2.9% + 30 minor units on two-decimal currencies', () => {
    assert.equal(computeFee(1000, 'usd'), 59);
    assert.equal(computeFee(10_000, 'usd'), 320);
    assert.equal(computeFee(2000, 'eur'), 88);
    assert.equal(computeFee(2000, 'gbp'), 88);
  });

  test('the default fixed part is 0.30 of a unit where the currency can charge it', () => {
    assert.equal(standardFixed(currency('usd')!), 30);
    assert.equal(standardFixed(currency('kwd')!), 300);
    assert.equal(standardFixed(currency('jpy')!), 0);
    assert.equal(standardFixed(currency('krw')!), 0);
    assert.equal(standardFixed(currency('isk')!), 0);
    assert.equal(standardFixed(currency('ugx')!), 0);
    assert.equal(computeFee(1000, 'jpy'), 29);
    assert.equal(computeFee(10_000, 'kwd'), 590);
    assert.equal(computeFee(10_000, 'isk'), 290);
  });

  test('rounds the percentage half up', () => {
    assert.equal(computeFee(150, 'usd', only(100)), 2); // 1.5
    assert.equal(computeFee(149, 'usd', only(100)), 1); // 1.49
    assert.equal(computeFee(50, 'usd', only(100)), 1); // 0.5
    assert.equal(computeFee(49, 'usd', only(100)), 0); // 0.49
    assert.equal(computeFee(1050, 'usd', only(290)), 30); // 30.45
    assert.equal(computeFee(1069, 'usd', only(290)), 31); // 31.001
  });

  test('is exact for the largest amounts', () => {
    // 999,999,999,999 × 2.9% = 28,999,999,999.971 → 29,000,000,000, plus 30.
    assert.equal(computeFee(999_999_999_999, 'idr'), 29_000_000_030);
  });

  test('is never more than the amount, and zero on a zero amount', () => {
    assert.equal(computeFee(10, 'usd'), 10);
    assert.equal(computeFee(31, 'usd'), 31);
    assert.equal(computeFee(0, 'usd'), 0);
    assert.equal(computeFee(1000, 'usd', only(0)), 0);
    assert.equal(computeFee(1000, 'usd', { percentBps: 10_000, fixed: { usd: 500 } }), 1000);
  });

  test("uses the per-currency fixed part, then the rule's default", () => {
    const rule: FeeRule = { percentBps: 290, fixed: { usd: 0, jpy: 40 }, defaultFixed: 25 };
    assert.equal(computeFee(1000, 'usd', rule), 29);
    assert.equal(computeFee(1000, 'jpy', rule), 69);
    assert.equal(computeFee(1000, 'eur', rule), 54);
    assert.equal(computeFee(1000, 'eur', { percentBps: 290, fixed: { usd: 0 } }), 59);
  });

  test('refuses amounts and currencies it cannot price', () => {
    assert.throws(() => computeFee(-1, 'usd'), RangeError);
    assert.throws(() => computeFee(1.5, 'usd'), RangeError);
    assert.throws(() => computeFee(100, 'xyz'), RangeError);
  });
});

describe('feeDetails', () => {
  test("has Stripe's fee_details shape", () => {
    assert.deepEqual(feeDetails(1000, 'usd'), [
      { amount: 59, application: null, currency: 'usd', description: 'Stripe processing fees', type: 'stripe_fee' },
    ]);
    assert.deepEqual(feeDetails(1000, 'JPY'), [
      { amount: 29, application: null, currency: 'jpy', description: 'Stripe processing fees', type: 'stripe_fee' },
    ]);
  });

  test('is empty when there is no fee', () => {
    assert.deepEqual(feeDetails(0, 'usd'), []);
    assert.deepEqual(feeDetails(1000, 'usd', only(0)), []);
  });
});

test('refunds carry no fee', () => {
  assert.equal(refundFee(), 0);
});

describe('parseFeeRule', () => {
  test('reads the documented form', () => {
    assert.deepEqual(parseFeeRule('{"percent_bps":290,"fixed":{"usd":30,"jpy":0}}'), {
      percentBps: 290,
      fixed: { usd: 30, jpy: 0 },
    });
    assert.deepEqual(parseFeeRule('{"percent_bps":150,"fixed":{"USD":10},"default_fixed":20}'), {
      percentBps: 150,
      fixed: { usd: 10 },
      defaultFixed: 20,
    });
    assert.deepEqual(parseFeeRule(' {} '), { percentBps: 290, fixed: {} });
  });

  test('a parsed rule drives computeFee', () => {
    const rule = parseFeeRule('{"percent_bps":100,"fixed":{"usd":5}}');
    assert.equal(computeFee(1000, 'usd', rule), 15);
    assert.equal(computeFee(1000, 'eur', rule), 40);
  });

  test('throws a clear Error on bad input', () => {
    const cases: Array<[string, RegExp]> = [
      ['not json', /^Invalid fee rule: not JSON/],
      ['', /^Invalid fee rule: not JSON/],
      ['null', /expected a JSON object/],
      ['[290]', /expected a JSON object/],
      ['290', /expected a JSON object/],
      ['{"percent":290}', /unknown key percent/],
      ['{"percent_bps":2.9}', /percent_bps must be an integer from 0 to 10000, got 2\.9/],
      ['{"percent_bps":-1}', /percent_bps must be an integer from 0 to 10000/],
      ['{"percent_bps":10001}', /percent_bps must be an integer from 0 to 10000/],
      ['{"percent_bps":"290"}', /percent_bps must be an integer/],
      ['{"fixed":[30]}', /fixed must be an object/],
      ['{"fixed":{"xyz":30}}', /fixed\.xyz is not a supported currency/],
      ['{"fixed":{"usd":-30}}', /fixed\.usd must be an integer/],
      ['{"fixed":{"usd":0.3}}', /fixed\.usd must be an integer/],
      ['{"default_fixed":null}', /default_fixed must be an integer/],
    ];
    for (const [json, message] of cases) {
      assert.throws(
        () => parseFeeRule(json),
        (error: unknown) => {
          assert.ok(error instanceof Error);
          assert.match(error.message, message, json);
          return true;
        },
      );
    }
  });
});

test('feeRuleFromEnv reads KASSA_FEE_RULE and falls back to the default', () => {
  assert.equal(feeRuleFromEnv({}), DEFAULT_FEE_RULE);
  assert.equal(feeRuleFromEnv({ KASSA_FEE_RULE: '  ' }), DEFAULT_FEE_RULE);
  assert.deepEqual(feeRuleFromEnv({ KASSA_FEE_RULE: '{"percent_bps":0}' }), { percentBps: 0, fixed: {} });
  assert.throws(() => feeRuleFromEnv({ KASSA_FEE_RULE: '{"percent_bps":-5}' }), /Invalid fee rule/);
});
