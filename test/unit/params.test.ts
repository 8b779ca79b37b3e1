// Parameters checked and typed against a schema the way Stripe does, without HTTP.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StripeError } from '../../src/server/errors.js';
import { coerceParams, type ParamSchema } from '../../src/server/params.js';
import { findOperation } from '../../src/openapi/operations.js';

const unsettable = (schema: ParamSchema): ParamSchema => ({ anyOf: [schema, { type: 'string', enum: [''] }] });

const SCHEMA: ParamSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 5 },
    count: { type: 'integer' },
    ratio: { type: 'number' },
    flag: { type: 'boolean' },
    mode: { type: 'string', enum: ['', 'fast', 'slow', 'careful'] },
    single: { type: 'string', enum: ['only'] },
    tags: { type: 'array', items: { type: 'string', maxLength: 3 } },
    rows: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } },
    address: unsettable({ type: 'object', properties: { line1: { type: 'string' }, city: { type: 'string' } } }),
    metadata: unsettable({ type: 'object', additionalProperties: { type: 'string' } }),
    created: {
      anyOf: [
        { type: 'object', properties: { gte: { type: 'integer' }, lt: { type: 'integer' } } },
        { type: 'integer' },
      ],
    },
    shipping: {
      type: 'object',
      properties: { name: { type: 'string' }, address: { type: 'object', properties: { city: { type: 'string' } } } },
      required: ['name', 'address'],
    },
    free: { type: 'object' },
  },
};

const coerce = (raw: Record<string, unknown>) => coerceParams(SCHEMA, raw);

function assertRefused(
  raw: Record<string, unknown>,
  expected: { param: string; code?: string; message?: RegExp | string },
  schema = SCHEMA,
): void {
  assert.throws(
    () => coerceParams(schema, raw),
    (error: unknown) => {
      assert.ok(error instanceof StripeError, `expected a StripeError for ${JSON.stringify(raw)}`);
      assert.equal(error.statusCode, 400);
      assert.equal(error.body.type, 'invalid_request_error');
      assert.equal(error.body.param, expected.param);
      assert.equal(error.body.code, expected.code);
      if (typeof expected.message === 'string') assert.equal(error.body.message, expected.message);
      else if (expected.message) assert.match(error.body.message, expected.message);
      // A parameter error is never kept for idempotent replay.
      assert.equal(error.beforeExecution, true);
      return true;
    },
  );
}

describe('coerceParams', () => {
  test('form strings become integers, numbers and booleans', () => {
    assert.deepEqual(coerce({ count: '42', ratio: '1.5', flag: 'true' }), { count: 42, ratio: 1.5, flag: true });
    assert.deepEqual(coerce({ count: '-7', flag: 'false' }), { count: -7, flag: false });
    // JSON bodies already carry the types.
    assert.deepEqual(coerce({ count: 3, ratio: 2, flag: false }), { count: 3, ratio: 2, flag: false });
    // '' means unset for scalars.
    assert.deepEqual(coerce({ count: '', ratio: '', flag: '' }), { count: '', ratio: '', flag: '' });
  });

  test('bad integers, numbers and booleans name the parameter', () => {
    for (const count of ['lots', '1.5', '1e3', '0x10', ' ', true, { a: 1 }, ['1']]) {
      assertRefused({ count }, { param: 'count', code: 'parameter_invalid_integer', message: /^Invalid integer/ });
    }
    assertRefused({ count: '99999999999999999999' }, { param: 'count', code: 'parameter_invalid_integer' });
    assertRefused({ count: 2 ** 60 }, { param: 'count', code: 'parameter_invalid_integer' });
    assertRefused({ ratio: 'abc' }, { param: 'ratio', message: 'Invalid decimal: abc' });
    assertRefused({ ratio: Infinity }, { param: 'ratio' });
    assertRefused({ flag: 'yes' }, { param: 'flag', message: 'Invalid boolean: yes' });
    assertRefused({ flag: '1' }, { param: 'flag' });
    assertRefused({ created: { gte: 'soon' } }, { param: 'created[gte]', code: 'parameter_invalid_integer' });
  });

  test('unknown parameters are refused at any depth', () => {
    assertRefused(
      { bogus: 'x' },
      { param: 'bogus', code: 'parameter_unknown', message: 'Received unknown parameter: bogus' },
    );
    assertRefused({ address: { planet: 'Mars' } }, { param: 'address[planet]', code: 'parameter_unknown' });
    assertRefused(
      { rows: [{ n: '1' }, { n: '2', extra: 'x' }] },
      { param: 'rows[1][extra]', code: 'parameter_unknown' },
    );
    assertRefused(
      { shipping: { name: 'x', address: { city: 'y', zip: '1' } } },
      { param: 'shipping[address][zip]', code: 'parameter_unknown' },
    );
  });

  test('an unknown name that holds a card number is named with all but its last four digits masked', () => {
    assertRefused(
      { address: { '4242424242424242': 'x' } },
      {
        param: 'address[************4242]',
        code: 'parameter_unknown',
        message: 'Received unknown parameter: address[************4242]',
      },
    );
    assertRefused({ '5555-5555-5555-4444': 'x' }, { param: '***************4444', code: 'parameter_unknown' });
    // Shorter digit runs are not card numbers and are shown as sent.
    assertRefused({ address: { '123456789012': 'x' } }, { param: 'address[123456789012]', code: 'parameter_unknown' });
  });

  test("Object.prototype's names are unknown parameters, not schema lookups", () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const raw = JSON.parse(`{"${name}": {"count": "lots"}}`) as Record<string, unknown>;
      assertRefused(raw, { param: name, code: 'parameter_unknown' });
    }
    assertRefused(JSON.parse('{"address": {"__proto__": {"line1": "x"}}}'), {
      param: 'address[__proto__]',
      code: 'parameter_unknown',
    });
  });

  test('a __proto__ key in free-form data stays data and never becomes the prototype', () => {
    const out = coerceParams(
      { type: 'object', properties: { metadata: { type: 'object', additionalProperties: { type: 'string' } } } },
      JSON.parse('{"metadata": {"__proto__": "x"}}'),
    );
    const metadata = out.metadata as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(metadata), Object.prototype);
    assert.deepEqual(Object.keys(metadata), ['__proto__']);
    const free = coerce(JSON.parse('{"free": {"__proto__": {"polluted": true}}}')).free as Record<string, unknown>;
    assert.equal(free.polluted, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('enums refuse other values with the "must be one of" message', () => {
    assert.deepEqual(coerce({ mode: 'slow' }), { mode: 'slow' });
    assert.deepEqual(coerce({ mode: '' }), { mode: '' });
    assertRefused(
      { mode: 'sometimes' },
      { param: 'mode', message: 'Invalid mode: must be one of fast, slow, or careful' },
    );
    assertRefused(
      { mode: { a: 'b' } },
      { param: 'mode', message: 'Invalid mode: must be one of fast, slow, or careful' },
    );
    assertRefused({ single: 'other' }, { param: 'single', message: 'Invalid single: must be one of only' });
  });

  test('maxLength counts characters', () => {
    assert.deepEqual(coerce({ name: 'abcde' }), { name: 'abcde' });
    assertRefused({ name: 'abcdef' }, { param: 'name', message: /must be at most 5 characters/ });
    // Five emoji are ten UTF-16 units but five characters.
    assert.deepEqual(coerce({ name: '😀😀😀😀😀' }), { name: '😀😀😀😀😀' });
    assertRefused({ tags: ['ok', 'long'] }, { param: 'tags[1]', message: /at most 3 characters/ });
  });

  test('wrong shapes: object for a string is "Invalid string", a string for an object is "Invalid hash"', () => {
    assertRefused({ name: { a: 'b' } }, { param: 'name', message: /^Invalid string/ });
    assertRefused({ name: ['a'] }, { param: 'name', message: /^Invalid string/ });
    assertRefused({ shipping: 'somewhere' }, { param: 'shipping', message: 'Invalid hash' });
    assertRefused({ address: 'somewhere' }, { param: 'address', message: 'Invalid hash' });
    assertRefused({ metadata: 'flat' }, { param: 'metadata', message: 'Invalid hash' });
    assertRefused({ metadata: ['a'] }, { param: 'metadata', message: 'Invalid hash' });
    assertRefused({ metadata: { k: { nested: 'v' } } }, { param: 'metadata[k]', message: /^Invalid string/ });
    assertRefused({ tags: 'a' }, { param: 'tags', message: 'Invalid array' });
  });

  test('anyOf: "" unsets, otherwise the branch that fits the value decides', () => {
    assert.deepEqual(coerce({ address: '', metadata: '' }), { address: '', metadata: '' });
    assert.deepEqual(coerce({ address: { city: 'Oslo' } }), { address: { city: 'Oslo' } });
    assert.deepEqual(coerce({ created: '100' }), { created: 100 });
    assert.deepEqual(coerce({ created: { gte: '100', lt: '200' } }), { created: { gte: 100, lt: 200 } });
    assertRefused({ created: 'yesterday' }, { param: 'created', code: 'parameter_invalid_integer' });
  });

  test('arrays arrive as arrays or as objects keyed by index', () => {
    assert.deepEqual(coerce({ tags: ['a', 'b'] }), { tags: ['a', 'b'] });
    assert.deepEqual(coerce({ tags: { 1: 'b', 0: 'a', 10: 'c' } }), { tags: ['a', 'b', 'c'] });
    assert.deepEqual(coerce({ rows: { 0: { n: '1' }, 1: { n: '2' } } }), { rows: [{ n: 1 }, { n: 2 }] });
    assertRefused({ tags: { 0: 'a', x: 'b' } }, { param: 'tags', message: 'Invalid array' });
  });

  test('required parameters: missing, and empty (cannot be unset)', () => {
    assertRefused(
      { shipping: { address: { city: 'Oslo' } } },
      { param: 'shipping[name]', code: 'parameter_missing', message: 'Missing required param: shipping[name].' },
    );
    assertRefused(
      { shipping: { name: '', address: { city: 'Oslo' } } },
      {
        param: 'shipping[name]',
        code: 'parameter_invalid_empty',
        message: /You passed an empty string for 'shipping\[name\]'/,
      },
    );
    assertRefused({ rows: [{}] }, { param: 'rows[0][n]', code: 'parameter_missing' });
    const search = findOperation('GET', '/v1/customers/search')!.params;
    assertRefused({}, { param: 'query', code: 'parameter_missing' }, search);
  });

  test('null (a JSON body) means unset, like ""', () => {
    assert.deepEqual(coerce({ name: null, count: null }), { name: '', count: '' });
  });

  test('free-form objects pass through, and the result is a fresh object', () => {
    const raw = { free: { anything: { goes: ['here'] } }, count: '1' };
    const out = coerce(raw);
    assert.deepEqual(out, { free: { anything: { goes: ['here'] } }, count: 1 });
    assert.equal(raw.count, '1');
  });

  test("Stripe's customer create schema", () => {
    const schema = findOperation('POST', '/v1/customers')!.params;
    const out = coerceParams(schema, {
      email: 'a@b.co',
      balance: '-500',
      tax_exempt: 'reverse',
      invoice_settings: {
        custom_fields: [{ name: 'VAT', value: 'GB1' }],
        rendering_options: { amount_tax_display: 'exclude_tax' },
      },
      preferred_locales: ['en'],
      metadata: { k: 'v' },
    });
    assert.deepEqual(out, {
      email: 'a@b.co',
      balance: -500,
      tax_exempt: 'reverse',
      invoice_settings: {
        custom_fields: [{ name: 'VAT', value: 'GB1' }],
        rendering_options: { amount_tax_display: 'exclude_tax' },
      },
      preferred_locales: ['en'],
      metadata: { k: 'v' },
    });
    assertRefused(
      { tax_exempt: 'sometimes' },
      { param: 'tax_exempt', message: 'Invalid tax_exempt: must be one of exempt, none, or reverse' },
      schema,
    );
    assertRefused({ phone: '1'.repeat(21) }, { param: 'phone', message: /at most 20 characters/ }, schema);
    assertRefused(
      { invoice_settings: { custom_fields: [{ name: 'x' }] } },
      { param: 'invoice_settings[custom_fields][0][value]', code: 'parameter_missing' },
      schema,
    );
  });

  test('a card field of the wrong type or length is refused without echoing its value', () => {
    const number = '4000002500001001';
    const cvc = '9871';
    const card = { number, exp_month: '12', exp_year: '2040', cvc };
    const cases: Array<[string, Record<string, unknown>]> = [
      ['number', { ...card, number: { pan: number } }],
      ['number', { ...card, number: [number] }],
      ['number', { ...card, number: number.repeat(400) }],
      ['cvc', { ...card, cvc: { value: cvc } }],
      ['cvc', { ...card, cvc: [cvc] }],
      ['exp_month', { ...card, exp_month: `${number}x` }],
      ['exp_year', { ...card, exp_year: { n: number } }],
      ['exp_year', { ...card, exp_year: '9'.repeat(30) + number }],
    ];
    const operations: Array<[string, string, (card: Record<string, unknown>) => Record<string, unknown>, string]> = [
      ['POST', '/v1/payment_methods', (c) => ({ type: 'card', card: c }), 'card'],
      [
        'POST',
        '/v1/payment_intents',
        (c) => ({ amount: '100', currency: 'usd', payment_method_data: { type: 'card', card: c } }),
        'payment_method_data[card]',
      ],
      [
        'POST',
        '/v1/payment_intents/{intent}/confirm',
        (c) => ({ payment_method_data: { type: 'card', card: c } }),
        'payment_method_data[card]',
      ],
      [
        'POST',
        '/v1/setup_intents',
        (c) => ({ payment_method_data: { type: 'card', card: c } }),
        'payment_method_data[card]',
      ],
      [
        'POST',
        '/v1/setup_intents/{intent}/confirm',
        (c) => ({ payment_method_data: { type: 'card', card: c } }),
        'payment_method_data[card]',
      ],
    ];
    for (const [method, path, wrap, prefix] of operations) {
      const schema = findOperation(method, path)!.params;
      for (const [field, raw] of cases) {
        assert.throws(
          () => coerceParams(schema, wrap(raw)),
          (error: unknown) => {
            assert.ok(error instanceof StripeError);
            assert.equal(error.body.param, `${prefix}[${field}]`, `${path} ${JSON.stringify(raw)}`);
            assert.ok(
              !error.body.message!.includes(number) && !error.body.message!.includes(cvc),
              `${path}: ${error.body.message}`,
            );
            return true;
          },
        );
      }
    }
    // Other parameters still show what was wrong with them.
    assertRefused(
      { count: 'abc' },
      { param: 'count', code: 'parameter_invalid_integer', message: 'Invalid integer: abc' },
    );
  });
});
