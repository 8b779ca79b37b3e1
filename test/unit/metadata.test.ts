// Stripe's metadata rules, without HTTP.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Stripe from 'stripe';
import { StripeError } from '../../src/server/errors.js';
import { applyMetadata } from '../../src/server/metadata.js';

function assertRefused(current: Stripe.Metadata, update: Stripe.Metadata, param: string, message?: RegExp): void {
  assert.throws(
    () => applyMetadata(current, update),
    (error: unknown) => {
      assert.ok(error instanceof StripeError);
      assert.equal(error.statusCode, 400);
      assert.equal(error.body.type, 'invalid_request_error');
      assert.equal(error.body.param, param);
      if (message) assert.match(error.body.message, message);
      return true;
    },
  );
}

const keys = (n: number, prefix = 'k'): Stripe.Metadata =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));

describe('applyMetadata', () => {
  test('an update merges keys and leaves the current metadata alone', () => {
    const current: Stripe.Metadata = { a: '1', b: '2' };
    assert.deepEqual(applyMetadata(current, { b: 'two', c: '3' }), { a: '1', b: 'two', c: '3' });
    assert.deepEqual(current, { a: '1', b: '2' });
  });

  test('no update keeps the metadata', () => {
    const current = { a: '1' };
    assert.deepEqual(applyMetadata(current, undefined), { a: '1' });
    assert.deepEqual(applyMetadata(current, {}), { a: '1' });
  });

  test('an empty value unsets one key; an absent key unset is no error', () => {
    assert.deepEqual(applyMetadata({ a: '1', b: '2' }, { a: '' }), { b: '2' });
    assert.deepEqual(applyMetadata({ a: '1' }, { missing: '' }), { a: '1' });
  });

  test('metadata="" unsets every key', () => {
    assert.deepEqual(applyMetadata({ a: '1', b: '2' }, ''), {});
  });

  test('up to 50 keys, counting the keys already there and the ones removed', () => {
    assert.equal(Object.keys(applyMetadata({}, keys(50))).length, 50);
    assertRefused({}, keys(51), 'metadata', /at most 50 keys/);
    assertRefused(keys(30, 'old'), keys(21), 'metadata', /at most 50 keys/);
    // Removing keys in the same update makes room.
    const update = { ...keys(21), old0: '' };
    assert.equal(Object.keys(applyMetadata(keys(30, 'old'), update)).length, 50);
  });

  test('keys up to 40 characters, counted as characters', () => {
    assert.deepEqual(applyMetadata({}, { ['k'.repeat(40)]: 'v' }), { ['k'.repeat(40)]: 'v' });
    assertRefused({}, { ['k'.repeat(41)]: 'v' }, `metadata[${'k'.repeat(41)}]`, /at most 40 characters/);
    const emoji = '😀'.repeat(40);
    assert.deepEqual(Object.keys(applyMetadata({}, { [emoji]: 'v' })), [emoji]);
  });

  test('values up to 500 characters', () => {
    assert.equal(applyMetadata({}, { k: 'v'.repeat(500) }).k.length, 500);
    assertRefused(
      {},
      { k: 'v'.repeat(501) },
      'metadata[k]',
      /up to 500 characters, but you passed in a value that is 501 characters/,
    );
    assert.equal(applyMetadata({}, { k: '€'.repeat(500) }).k, '€'.repeat(500));
    assert.equal([...applyMetadata({}, { k: '😀'.repeat(500) }).k].length, 500);
  });

  test('keys cannot contain square brackets or be empty', () => {
    for (const key of ['a[b', 'a]b', '[x]', ''])
      assertRefused({}, { [key]: 'v' }, `metadata[${key}]`, /cannot contain '\[' or '\]'/);
  });

  test('a refused update changes nothing', () => {
    const current = { a: '1' };
    assertRefused(current, { b: '2', ['x'.repeat(41)]: 'v' }, `metadata[${'x'.repeat(41)}]`);
    assert.deepEqual(current, { a: '1' });
  });

  test('keys that are names on Object.prototype are ordinary keys', () => {
    const out = applyMetadata({}, { constructor: 'c', toString: 't', hasOwnProperty: 'h' });
    assert.deepEqual(out, { constructor: 'c', toString: 't', hasOwnProperty: 'h' });
    assert.deepEqual(applyMetadata(out, { constructor: '' }), { toString: 't', hasOwnProperty: 'h' });
  });
});
