// data.previous_attributes of *.updated events, computed without HTTP.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Stripe from 'stripe';
import { applyCustomerParams, newCustomer, type CustomerParams } from '../../src/customers/customer.js';
import { previousAttributes } from '../../src/events/events.js';

type Fields = Record<string, unknown>;

const customer = newCustomer(
  'cus_TESTTESTTEST01',
  {
    address: { line1: '1 Way', city: 'London' },
    email: 'ada@example.com',
    name: 'Ada',
    metadata: { a: '1', b: '2' },
    invoice_settings: { footer: 'f' },
    preferred_locales: ['en'],
  },
  1_700_000_000,
);

/** previous_attributes of applying `params` to the customer above. */
function previousAfter(params: CustomerParams): Fields {
  const after: Stripe.Customer = applyCustomerParams(customer, params);
  return previousAttributes(customer as unknown as Fields, after as unknown as Fields);
}

describe('previousAttributes', () => {
  test('nothing changed: empty', () => {
    assert.deepEqual(previousAfter({}), {});
    assert.deepEqual(previousAfter({ name: 'Ada', metadata: { a: '1' }, preferred_locales: ['en'] }), {});
  });

  test('changed scalars show their old values; only what changed appears', () => {
    assert.deepEqual(previousAfter({ name: 'Ada King', email: 'king@example.com' }), {
      name: 'Ada',
      email: 'ada@example.com',
    });
  });

  test('a value set where there was null shows null; an unset value shows the old one', () => {
    assert.deepEqual(previousAfter({ phone: '+47', description: 'new' }), { phone: null, description: null });
    assert.deepEqual(previousAfter({ name: '' }), { name: 'Ada' });
  });

  test('metadata shows only the changed keys; an added key is null, a removed key its old value', () => {
    assert.deepEqual(previousAfter({ metadata: { a: 'one' } }), { metadata: { a: '1' } });
    assert.deepEqual(previousAfter({ metadata: { c: '3' } }), { metadata: { c: null } });
    assert.deepEqual(previousAfter({ metadata: { b: '' } }), { metadata: { b: '2' } });
    assert.deepEqual(previousAfter({ metadata: { a: '1', b: 'two', c: '3' } }), { metadata: { b: '2', c: null } });
    assert.deepEqual(previousAfter({ metadata: '' }), { metadata: { a: '1', b: '2' } });
  });

  test('a changed nested object (address, invoice_settings) shows the whole old object', () => {
    assert.deepEqual(previousAfter({ address: { line1: '2 Way', city: 'London' } }), { address: customer.address });
    assert.deepEqual(previousAfter({ invoice_settings: { footer: 'g' } }), {
      invoice_settings: customer.invoice_settings,
    });
    assert.deepEqual(previousAfter({ address: '' }), { address: customer.address });
  });

  test('an object set where there was null shows null', () => {
    assert.deepEqual(previousAfter({ shipping: { name: 'Ada', address: { city: 'Oslo' } } }), { shipping: null });
  });

  test('arrays compare by value', () => {
    assert.deepEqual(previousAfter({ preferred_locales: ['en', 'fr'] }), { preferred_locales: ['en'] });
  });

  test('a field that appears shows null; a field that disappears shows its old value', () => {
    assert.deepEqual(previousAttributes({ a: 1 }, { a: 1, b: 2 }), { b: null });
    assert.deepEqual(previousAttributes({ a: 1, b: 2 }, { a: 1 }), { b: 2 });
  });

  test('a field changed to or from null', () => {
    assert.deepEqual(previousAttributes({ a: null }, { a: 'x' }), { a: null });
    assert.deepEqual(previousAttributes({ a: { b: 1 } }, { a: null }), { a: { b: 1 } });
  });
});
