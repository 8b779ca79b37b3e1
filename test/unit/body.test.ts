// Bracket-notation forms and JSON bodies, parsed without HTTP.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseForm, parseFormBuffer, parseJsonBuffer } from '../../src/server/body.js';
import { StripeError } from '../../src/server/errors.js';

/** Plain JSON values, so deepEqual does not trip over qs's null-prototype objects. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

/** Refused with 400 invalid_request_error; `param` undefined means the error names none. */
function assertRefused(parse: () => unknown, expected: { param?: string; message?: RegExp; code?: string }): void {
  assert.throws(parse, (error: unknown) => {
    assert.ok(error instanceof StripeError, `expected a StripeError, got ${String(error)}`);
    assert.equal(error.statusCode, 400);
    assert.equal(error.body.type, 'invalid_request_error');
    assert.equal(error.body.param, expected.param);
    if (expected.message) assert.match(error.body.message, expected.message);
    if (expected.code) assert.equal(error.body.code, expected.code);
    return true;
  });
}

describe('parseForm', () => {
  test('nested objects, arrays with [] and with indexes', () => {
    assert.deepEqual(plain(parseForm('a[b][c]=v&a[b][d]=w&e=f')), { a: { b: { c: 'v', d: 'w' } }, e: 'f' });
    assert.deepEqual(plain(parseForm('a[]=x&a[]=y')), { a: ['x', 'y'] });
    assert.deepEqual(plain(parseForm('a[0][b]=y&a[1][b]=z')), { a: [{ b: 'y' }, { b: 'z' }] });
    assert.deepEqual(plain(parseForm('expand[0]=x&expand[1]=y')), { expand: ['x', 'y'] });
  });

  test('encoded brackets, + as space, %20, empty values', () => {
    assert.deepEqual(plain(parseForm('metadata%5Bk%5D=v&expand%5B%5D=x')), { metadata: { k: 'v' }, expand: ['x'] });
    assert.deepEqual(plain(parseForm('name=Ada+Lovelace&city=New%20York&plus=1%2B1')), {
      name: 'Ada Lovelace',
      city: 'New York',
      plus: '1+1',
    });
    assert.deepEqual(plain(parseForm('phone=&metadata[k]=')), { phone: '', metadata: { k: '' } });
    assert.deepEqual(plain(parseForm('')), {});
  });

  test('UTF-8 percent-encoding decodes', () => {
    assert.deepEqual(plain(parseForm('name=%C3%98ystein&metadata[%E2%9C%93]=%F0%9F%98%80')), {
      name: 'Øystein',
      metadata: { '✓': '😀' },
    });
  });

  test('invalid percent-encoding names the parameter', () => {
    assertRefused(() => parseForm('name=%FF'), { param: 'name', message: /percent-encoding/ });
    assertRefused(() => parseForm('description=ok&name=%E0%A4'), { param: 'name' });
    assertRefused(() => parseForm('metadata[k]=%'), { param: 'metadata[k]' });
    assertRefused(() => parseForm('metadata%5Bk%5D=%ZZ'), { param: 'metadata[k]' });
    // An undecodable name is named as it was sent.
    assertRefused(() => parseForm('na%FFme=x'), { param: 'na%FFme' });
  });

  test('nesting up to 10 levels is accepted, deeper is refused', () => {
    const ten = 'a' + '[b]'.repeat(10) + '=1';
    let value: unknown = plain(parseForm(ten));
    for (let i = 0; i < 11; i++) value = (value as Record<string, unknown>)[i === 0 ? 'a' : 'b'];
    assert.equal(value, '1');
    assertRefused(() => parseForm('a' + '[b]'.repeat(11) + '=1'), { message: /nested at most 10 levels/ });
  });

  test('at most 2000 parameters and 1000 array items', () => {
    const pairs = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('&');
    assert.equal(Object.keys(parseForm(pairs(2000, (i) => `k${i}=v`))).length, 2000);
    assertRefused(() => parseForm(pairs(2001, (i) => `k${i}=v`)), { message: /at most 2000 parameters/ });
    assert.equal((parseForm(pairs(1000, () => 'a[]=v')).a as unknown[]).length, 1000);
    assertRefused(() => parseForm(pairs(1001, () => 'a[]=v')), { message: /at most 1000 items/ });
    assertRefused(() => parseForm('a[1000]=v'), { message: /at most 1000 items/ });
  });

  test('__proto__ anywhere in a name is an unknown parameter, and nothing is polluted', () => {
    assertRefused(() => parseForm('__proto__[x]=1'), { param: '__proto__', code: 'parameter_unknown' });
    assertRefused(() => parseForm('__proto__=1'), { param: '__proto__', code: 'parameter_unknown' });
    assertRefused(() => parseForm('metadata[__proto__]=1'), {
      param: 'metadata[__proto__]',
      code: 'parameter_unknown',
    });
    assertRefused(() => parseForm('a[__proto__][x]=1'), { param: 'a[__proto__]' });
    assertRefused(() => parseForm('%5F%5Fproto%5F%5F%5Bx%5D=1'), { param: '__proto__' });
    assert.equal(({} as Record<string, unknown>).x, undefined);
    // Names that merely contain it are ordinary.
    assert.deepEqual(plain(parseForm('metadata[my__proto__]=1&__proto__x=2')), {
      metadata: { my__proto__: '1' },
      __proto__x: '2',
    });
  });

  test('constructor[prototype] is parsed as plain data', () => {
    const parsed = parseForm('constructor[prototype][x]=1');
    assert.deepEqual(plain(parsed), { constructor: { prototype: { x: '1' } } });
    assert.equal(({} as Record<string, unknown>).x, undefined);
    assert.equal(typeof Object.prototype.constructor, 'function');
  });

  test('a NUL character in a value or a name is refused, naming the parameter', () => {
    assertRefused(() => parseForm('name=a%00b'), { param: 'name', message: /NUL character \(U\+0000\)/ });
    assertRefused(() => parseForm('name=x&metadata[k]=\u0000'), { param: 'metadata[k]' });
    assertRefused(() => parseForm('expand[]=a&expand[]=b%00'), { param: 'expand[]' });
    assertRefused(() => parseForm('metadata[k%00]=v'), { param: 'metadata[k\u0000]', message: /parameter name/ });
  });
});

describe('parseFormBuffer', () => {
  test('decodes UTF-8 bodies', () => {
    assert.deepEqual(plain(parseFormBuffer(Buffer.from('name=Øystein&x=1', 'utf8'))), { name: 'Øystein', x: '1' });
  });

  test('raw invalid UTF-8 names the parameter whose value holds it', () => {
    assertRefused(
      () => parseFormBuffer(Buffer.concat([Buffer.from('email=a%40b.c&name='), Buffer.from([0xff, 0xfe])])),
      { param: 'name', message: /UTF-8/ },
    );
    assertRefused(() => parseFormBuffer(Buffer.concat([Buffer.from('metadata%5Bk%5D='), Buffer.from([0xc3])])), {
      param: 'metadata[k]',
    });
  });

  test('raw invalid UTF-8 in a name is refused without naming a parameter', () => {
    assertRefused(() => parseFormBuffer(Buffer.concat([Buffer.from([0xff]), Buffer.from('=1')])), {
      message: /not valid UTF-8/,
    });
  });
});

describe('parseJsonBuffer', () => {
  const json = (text: string) => parseJsonBuffer(Buffer.from(text, 'utf8'));

  test('an object body, and an empty body as no parameters', () => {
    assert.deepEqual(json('{"name":"Ada","metadata":{"k":"v"},"preferred_locales":["en"],"balance":5}'), {
      name: 'Ada',
      metadata: { k: 'v' },
      preferred_locales: ['en'],
      balance: 5,
    });
    assert.deepEqual(parseJsonBuffer(Buffer.alloc(0)), {});
  });

  test('malformed JSON and non-object bodies are refused', () => {
    for (const text of ['{', '{"a":}', 'nope', "{'a':1}"]) assertRefused(() => json(text), { message: /Invalid JSON/ });
    for (const text of ['[]', '[{"a":1}]', '"text"', '42', 'null', 'true'])
      assertRefused(() => json(text), { message: /must be an object/ });
  });

  test('raw invalid UTF-8 is refused', () => {
    assertRefused(
      () => parseJsonBuffer(Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff]), Buffer.from('"}')])),
      { message: /UTF-8/ },
    );
  });

  test('the depth limit matches the form limit, and very deep bodies do not overflow the stack', () => {
    const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
    assert.doesNotThrow(() => json(nested(11)));
    assertRefused(() => json(nested(12)), { message: /nested at most 10 levels/ });
    assertRefused(() => json(nested(100_000)), { message: /nested at most 10 levels/ });
  });

  test('at most 2000 values, as for a form', () => {
    const values = (n: number) => JSON.stringify({ preferred_locales: Array.from({ length: n }, () => 'en') });
    assert.equal((json(values(2000)).preferred_locales as unknown[]).length, 2000);
    assertRefused(() => json(values(2001)), { message: /at most 2000 parameters/ });
  });

  test('__proto__ keys are unknown parameters and pollute nothing', () => {
    assertRefused(() => json('{"__proto__":{"balance":"lots"}}'), { param: '__proto__', code: 'parameter_unknown' });
    assertRefused(() => json('{"metadata":{"__proto__":"x"}}'), {
      param: 'metadata[__proto__]',
      code: 'parameter_unknown',
    });
    assertRefused(() => json('{"a":[{"__proto__":{}}]}'), { param: 'a[0][__proto__]' });
    assert.equal(({} as Record<string, unknown>).balance, undefined);
  });

  test('a NUL character in a value or a name is refused, naming the parameter', () => {
    assertRefused(() => json('{"name":"a\\u0000b"}'), { param: 'name', message: /NUL character \(U\+0000\)/ });
    assertRefused(() => json('{"a":[{"b":["x","\\u0000"]}]}'), { param: 'a[0][b][1]' });
    assertRefused(() => json('{"metadata":{"k\\u0000":"v"}}'), {
      param: 'metadata[k\u0000]',
      message: /parameter name/,
    });
    assert.deepEqual(json('{"name":"\\\\u0000"}'), { name: '\\u0000' });
  });
});
