import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkChargeAmount,
  checkCurrency,
  currency,
  CURRENCY_CODES,
  formatAmount,
} from '../../src/money/currencies.js';
import { StripeError } from '../../src/server/errors.js';

/** Asserts `fn` throws a StripeError with exactly this status and body. */
function assertStripeError(fn: () => unknown, status: number, body: Record<string, unknown>): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof StripeError, `expected a StripeError, got ${String(error)}`);
    assert.equal(error.statusCode, status);
    assert.deepEqual(error.body, body);
    assert.equal(error.beforeExecution, true, 'a parameter check must not be stored for idempotent replay');
    return true;
  });
}

const amountError = (code: string, message: string, param = 'amount') => ({
  type: 'invalid_request_error',
  message,
  code,
  doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`,
  param,
});

describe('the currency table', () => {
  test('lists Stripe card currencies in lowercase, usd first then alphabetical, without duplicates', () => {
    assert.equal(CURRENCY_CODES[0], 'usd');
    const rest = CURRENCY_CODES.slice(1);
    assert.deepEqual(rest, [...rest].sort());
    assert.equal(new Set(CURRENCY_CODES).size, CURRENCY_CODES.length);
    for (const code of CURRENCY_CODES) assert.match(code, /^[a-z]{3}$/);
    assert.equal(CURRENCY_CODES.length, 139);
    for (const code of ['eur', 'gbp', 'jpy', 'cad', 'aud', 'chf', 'inr', 'idr', 'brl', 'mxn', 'zmw', 'afn']) {
      assert.ok(CURRENCY_CODES.includes(code), code);
    }
  });

  test('every zero-decimal currency has exponent 0 and charges any whole amount', () => {
    const zero = [
      'bif',
      'clp',
      'djf',
      'gnf',
      'jpy',
      'kmf',
      'krw',
      'mga',
      'pyg',
      'rwf',
      'vnd',
      'vuv',
      'xaf',
      'xof',
      'xpf',
    ];
    for (const code of zero) {
      const c = currency(code);
      assert.ok(c, code);
      assert.equal(c.exponent, 0, code);
      assert.equal(c.multipleOf, 1, code);
      assert.equal(c.displayDecimals, 0, code);
    }
    assert.deepEqual(CURRENCY_CODES.filter((code) => currency(code)?.exponent === 0).sort(), zero);
  });

  test('every three-decimal currency has exponent 3 and amounts ending in 0', () => {
    const three = ['bhd', 'jod', 'kwd', 'omr', 'tnd'];
    for (const code of three) {
      const c = currency(code);
      assert.ok(c, code);
      assert.equal(c.exponent, 3, code);
      assert.equal(c.multipleOf, 10, code);
      assert.equal(c.minimum, 10, code);
    }
    assert.deepEqual(CURRENCY_CODES.filter((code) => currency(code)?.exponent === 3).sort(), three);
  });

  test('special cases: ISK and UGX are sent as two-decimal whole units; HUF and TWD charge two decimals', () => {
    for (const code of ['isk', 'ugx']) {
      assert.deepEqual(
        { ...currency(code) },
        { code, exponent: 2, minimum: 100, maximum: 99_999_999, multipleOf: 100, displayDecimals: 0 },
      );
    }
    assert.equal(currency('huf')?.exponent, 2);
    assert.equal(currency('huf')?.multipleOf, 1);
    assert.equal(currency('twd')?.exponent, 2);
    assert.equal(currency('twd')?.multipleOf, 1);
  });

  test('other currencies are two-decimal', () => {
    for (const code of ['usd', 'eur', 'gbp', 'cad', 'chf', 'idr', 'inr', 'cop', 'lbp', 'zar']) {
      assert.equal(currency(code)?.exponent, 2, code);
      assert.equal(currency(code)?.displayDecimals, 2, code);
    }
  });

  test("minimums are Stripe's documented settlement minimums, in minor units", () => {
    const minimums: Record<string, number> = {
      usd: 50,
      aed: 200,
      aud: 50,
      bgn: 100,
      brl: 50,
      cad: 50,
      chf: 50,
      czk: 1500,
      dkk: 250,
      eur: 50,
      gbp: 30,
      hkd: 400,
      huf: 17500,
      inr: 50,
      jpy: 50,
      mxn: 1000,
      myr: 200,
      nok: 300,
      nzd: 50,
      pln: 200,
      ron: 200,
      sek: 300,
      sgd: 50,
      thb: 1000,
    };
    for (const [code, minimum] of Object.entries(minimums)) assert.equal(currency(code)?.minimum, minimum, code);
    // No documented minimum: any positive amount.
    assert.equal(currency('krw')?.minimum, 1);
    assert.equal(currency('zar')?.minimum, 1);
  });

  test('maximums: 8 digits, except IDR 12, INR 9, and for cards LBP 11, COP/HUF/JPY 10', () => {
    const maximums: Record<string, number> = {
      usd: 99_999_999,
      eur: 99_999_999,
      gbp: 99_999_999,
      krw: 99_999_999,
      kwd: 99_999_999,
      idr: 999_999_999_999,
      inr: 999_999_999,
      lbp: 99_999_999_999,
      cop: 9_999_999_999,
      huf: 9_999_999_999,
      jpy: 9_999_999_999,
    };
    for (const [code, maximum] of Object.entries(maximums)) assert.equal(currency(code)?.maximum, maximum, code);
  });

  test('lookup ignores case and returns undefined for unknown codes', () => {
    assert.equal(currency('USD')?.code, 'usd');
    assert.equal(currency('Eur')?.code, 'eur');
    assert.equal(currency('xyz'), undefined);
    assert.equal(currency(''), undefined);
    assert.equal(currency('usdc'), undefined);
  });
});

describe('checkCurrency', () => {
  test('returns the currency, lower-casing the code', () => {
    assert.equal(checkCurrency('usd').code, 'usd');
    assert.equal(checkCurrency('JPY').code, 'jpy');
  });

  test("refuses an unknown currency with Stripe's message, listing the supported ones", () => {
    const message = `Invalid currency: xyz. Stripe currently supports these currencies: ${CURRENCY_CODES.join(', ')}`;
    assert.ok(message.includes('these currencies: usd, aed, afn, all, amd,'));
    assertStripeError(() => checkCurrency('XYZ'), 400, { type: 'invalid_request_error', message, param: 'currency' });
    assertStripeError(() => checkCurrency('xyz', 'currency_options'), 400, {
      type: 'invalid_request_error',
      message,
      param: 'currency_options',
    });
  });
});

describe('checkChargeAmount', () => {
  test('accepts amounts from the minimum to the maximum', () => {
    assert.equal(checkChargeAmount(50, 'usd'), 50);
    assert.equal(checkChargeAmount(99_999_999, 'usd'), 99_999_999);
    assert.equal(checkChargeAmount(30, 'gbp'), 30);
    assert.equal(checkChargeAmount(50, 'jpy'), 50);
    assert.equal(checkChargeAmount(9_999_999_999, 'jpy'), 9_999_999_999);
    assert.equal(checkChargeAmount(999_999_999_999, 'idr'), 999_999_999_999);
    assert.equal(checkChargeAmount(1, 'krw'), 1);
    assert.equal(checkChargeAmount(200, 'ugx'), 200);
    assert.equal(checkChargeAmount(5120, 'kwd'), 5120);
    assert.equal(checkChargeAmount(60, 'USD'), 60);
  });

  test("below the minimum: amount_too_small with Stripe's wording", () => {
    assertStripeError(
      () => checkChargeAmount(49, 'usd'),
      400,
      amountError('amount_too_small', 'Amount must be at least $0.50 usd'),
    );
    assertStripeError(
      () => checkChargeAmount(49, 'eur'),
      400,
      amountError('amount_too_small', 'Amount must be at least €0.50 eur'),
    );
    assertStripeError(
      () => checkChargeAmount(29, 'gbp'),
      400,
      amountError('amount_too_small', 'Amount must be at least £0.30 gbp'),
    );
    assertStripeError(
      () => checkChargeAmount(49, 'jpy'),
      400,
      amountError('amount_too_small', 'Amount must be at least ¥50 jpy'),
    );
    assertStripeError(
      () => checkChargeAmount(199, 'aed'),
      400,
      amountError('amount_too_small', 'Amount must be at least AED 2.00 aed'),
    );
    assertStripeError(
      () => checkChargeAmount(17_499, 'huf'),
      400,
      amountError('amount_too_small', 'Amount must be at least HUF 175.00 huf'),
    );
    assertStripeError(
      () => checkChargeAmount(10, 'usd', 'amount_to_capture'),
      400,
      amountError('amount_too_small', 'Amount must be at least $0.50 usd', 'amount_to_capture'),
    );
  });

  test("above the maximum: amount_too_large with Stripe's wording", () => {
    assertStripeError(
      () => checkChargeAmount(100_000_000, 'usd'),
      400,
      amountError('amount_too_large', 'Amount must be no more than $999,999.99'),
    );
    assertStripeError(
      () => checkChargeAmount(100_000_000, 'eur'),
      400,
      amountError('amount_too_large', 'Amount must be no more than €999,999.99'),
    );
    assertStripeError(
      () => checkChargeAmount(10_000_000_000, 'jpy'),
      400,
      amountError('amount_too_large', 'Amount must be no more than ¥9,999,999,999'),
    );
    assertStripeError(
      () => checkChargeAmount(1_000_000_000_000, 'idr'),
      400,
      amountError('amount_too_large', 'Amount must be no more than IDR 9,999,999,999.99'),
    );
  });

  test('refuses non-integers, zero and negatives', () => {
    const invalidInteger = (message: string) => amountError('parameter_invalid_integer', message);
    assertStripeError(() => checkChargeAmount(10.5, 'usd'), 400, invalidInteger('Invalid integer: 10.5'));
    assertStripeError(() => checkChargeAmount(Number.NaN, 'usd'), 400, invalidInteger('Invalid integer: NaN'));
    assertStripeError(
      () => checkChargeAmount('100' as unknown as number, 'usd'),
      400,
      invalidInteger('Invalid integer: 100'),
    );
    assertStripeError(
      () => checkChargeAmount(0, 'usd'),
      400,
      invalidInteger('This value must be greater than or equal to 1.'),
    );
    assertStripeError(
      () => checkChargeAmount(-500, 'jpy'),
      400,
      invalidInteger('This value must be greater than or equal to 1.'),
    );
  });

  test('refuses amounts a special currency cannot charge', () => {
    assertStripeError(() => checkChargeAmount(150, 'ugx'), 400, {
      type: 'invalid_request_error',
      message:
        'Invalid amount. Currency UGX has become effectively zero-decimal and charged amounts must be evenly divisible by 100. See https://stripe.com/docs/currencies#zero-decimal for more information.',
      param: 'amount',
    });
    assertStripeError(() => checkChargeAmount(501, 'isk'), 400, {
      type: 'invalid_request_error',
      message:
        'Invalid amount. Currency ISK has become effectively zero-decimal and charged amounts must be evenly divisible by 100. See https://stripe.com/docs/currencies#zero-decimal for more information.',
      param: 'amount',
    });
    assertStripeError(() => checkChargeAmount(5125, 'kwd'), 400, {
      type: 'invalid_request_error',
      message:
        'Invalid amount. Charged amounts in KWD must be evenly divisible by 10 (the last of the three decimal digits must be 0). See https://stripe.com/docs/currencies#three-decimal for more information.',
      param: 'amount',
    });
    assertStripeError(
      () => checkChargeAmount(50, 'ugx'),
      400,
      amountError('amount_too_small', 'Amount must be at least UGX 1 ugx'),
    );
  });

  test('an unknown currency is reported against the currency param', () => {
    assert.throws(
      () => checkChargeAmount(100, 'xyz'),
      (error: unknown) => {
        assert.ok(error instanceof StripeError);
        assert.equal(error.body.param, 'currency');
        assert.match(error.body.message, /^Invalid currency: xyz\. /);
        return true;
      },
    );
  });
});

describe('formatAmount', () => {
  test('uses the symbol for common currencies and the code otherwise', () => {
    assert.equal(formatAmount(1000, 'usd'), '$10.00');
    assert.equal(formatAmount(1000, 'jpy'), '¥1,000');
    assert.equal(formatAmount(500, 'eur'), '€5.00');
    assert.equal(formatAmount(30, 'gbp'), '£0.30');
    assert.equal(formatAmount(1999, 'cad'), 'CA$19.99');
    assert.equal(formatAmount(50, 'chf'), 'CHF 0.50');
    assert.equal(formatAmount(50, 'CHF'), 'CHF 0.50');
    assert.equal(formatAmount(1500, 'krw'), '₩1,500');
  });

  test('pads small amounts, groups thousands and shows the sign', () => {
    assert.equal(formatAmount(0, 'usd'), '$0.00');
    assert.equal(formatAmount(5, 'usd'), '$0.05');
    assert.equal(formatAmount(99_999_999, 'usd'), '$999,999.99');
    assert.equal(formatAmount(123_456_789_012, 'idr'), 'IDR 1,234,567,890.12');
    assert.equal(formatAmount(-150, 'usd'), '-$1.50');
    assert.equal(formatAmount(-1000, 'jpy'), '-¥1,000');
  });

  test('three-decimal, whole-unit and unknown currencies', () => {
    assert.equal(formatAmount(5120, 'kwd'), 'KWD 5.120');
    assert.equal(formatAmount(5, 'bhd'), 'BHD 0.005');
    assert.equal(formatAmount(500, 'isk'), 'ISK 5');
    assert.equal(formatAmount(150_000, 'ugx'), 'UGX 1,500');
    assert.equal(formatAmount(100, 'xyz'), 'XYZ 1.00');
  });
});
