// Customer rules (src/customers/customer.ts), without HTTP or a database.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Stripe from 'stripe';
import { applyCustomerParams, deletedCustomer, newCustomer } from '../../src/customers/customer.js';
import { StripeError } from '../../src/server/errors.js';
import { assertShape } from '../support/shapes.js';

const NOW = 1_700_000_000;
const ID = 'cus_TESTTESTTEST01';

function assertRefused(apply: () => unknown, param: string, code?: string): void {
  assert.throws(apply, (error: unknown) => {
    assert.ok(error instanceof StripeError);
    assert.equal(error.statusCode, 400);
    assert.equal(error.body.type, 'invalid_request_error');
    assert.equal(error.body.param, param);
    assert.equal(error.body.code, code);
    return true;
  });
}

const fullAddress = (fields: Partial<Stripe.Address>): Stripe.Address => ({
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
  ...fields,
});

describe('newCustomer', () => {
  test('with no parameters: the defaults Stripe shows', () => {
    const customer = newCustomer(ID, {}, NOW);
    assertShape('customer', customer);
    const { invoice_prefix, ...rest } = customer;
    assert.match(invoice_prefix!, /^[A-Z0-9]{8}$/);
    assert.deepEqual(rest, {
      id: ID,
      object: 'customer',
      address: null,
      balance: 0,
      created: NOW,
      currency: null,
      customer_account: null,
      default_source: null,
      delinquent: false,
      description: null,
      discount: null,
      email: null,
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: {},
      name: null,
      next_invoice_sequence: 1,
      phone: null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: 'none',
      test_clock: null,
    });
  });

  test('invoice prefixes differ between customers', () => {
    const prefixes = new Set(Array.from({ length: 20 }, () => newCustomer(ID, {}, NOW).invoice_prefix));
    assert.ok(prefixes.size > 1);
  });

  test('with every parameter', () => {
    const customer = newCustomer(
      ID,
      {
        address: { line1: '1 Way', city: 'London', country: 'GB' },
        balance: -500,
        business_name: 'Engines Ltd',
        description: 'first',
        email: 'ada@example.com',
        individual_name: 'Ada',
        invoice_prefix: 'ADA123',
        invoice_settings: {
          custom_fields: [{ name: 'VAT', value: 'GB1' }],
          footer: 'Thanks',
          rendering_options: { amount_tax_display: 'exclude_tax' },
        },
        metadata: { order: '42' },
        name: 'Ada Lovelace',
        next_invoice_sequence: 7,
        phone: '+4712345678',
        preferred_locales: ['en', 'fr'],
        shipping: { name: 'Ada', address: { postal_code: 'N1' } },
        tax_exempt: 'exempt',
      },
      NOW,
    );
    assertShape('customer', customer);
    assert.deepEqual(customer.address, fullAddress({ line1: '1 Way', city: 'London', country: 'GB' }));
    assert.equal(customer.balance, -500);
    assert.equal(customer.business_name, 'Engines Ltd');
    assert.equal(customer.individual_name, 'Ada');
    assert.equal(customer.description, 'first');
    assert.equal(customer.email, 'ada@example.com');
    assert.equal(customer.invoice_prefix, 'ADA123');
    assert.deepEqual(customer.invoice_settings, {
      custom_fields: [{ name: 'VAT', value: 'GB1' }],
      default_payment_method: null,
      footer: 'Thanks',
      rendering_options: { amount_tax_display: 'exclude_tax', template: null },
    });
    assert.deepEqual(customer.metadata, { order: '42' });
    assert.equal(customer.name, 'Ada Lovelace');
    assert.equal(customer.next_invoice_sequence, 7);
    assert.equal(customer.phone, '+4712345678');
    assert.deepEqual(customer.preferred_locales, ['en', 'fr']);
    assert.deepEqual(customer.shipping, { name: 'Ada', phone: null, address: fullAddress({ postal_code: 'N1' }) });
    assert.equal(customer.tax_exempt, 'exempt');
  });

  test('refuses an invalid email, invoice prefix, sequence or metadata', () => {
    for (const email of ['not-an-email', 'a@b', 'a b@c.de', '@example.com'])
      assertRefused(() => newCustomer(ID, { email }, NOW), 'email', 'email_invalid');
    for (const invoice_prefix of ['ab', 'lower', 'AB', 'ABCDEFGHIJKLM', 'AB-C'])
      assertRefused(() => newCustomer(ID, { invoice_prefix }, NOW), 'invoice_prefix');
    assertRefused(() => newCustomer(ID, { next_invoice_sequence: 0 }, NOW), 'next_invoice_sequence');
    assertRefused(() => newCustomer(ID, { metadata: { ['k'.repeat(41)]: 'v' } }, NOW), `metadata[${'k'.repeat(41)}]`);
  });
});

describe('applyCustomerParams', () => {
  const base = (): Stripe.Customer =>
    newCustomer(
      ID,
      {
        address: { line1: '1 Way', city: 'London' },
        balance: 100,
        description: 'd',
        email: 'ada@example.com',
        invoice_prefix: 'ADA1',
        invoice_settings: {
          custom_fields: [{ name: 'a', value: 'b' }],
          footer: 'f',
          rendering_options: { amount_tax_display: 'exclude_tax' },
        },
        metadata: { a: '1', b: '2' },
        name: 'Ada',
        phone: '+47',
        preferred_locales: ['en'],
        shipping: { name: 'Ada', address: { city: 'Oslo' } },
        tax_exempt: 'exempt',
        business_name: 'B',
        individual_name: 'I',
      },
      NOW,
    );

  test('no parameters change nothing', () => {
    const customer = base();
    assert.deepEqual(applyCustomerParams(customer, {}), customer);
  });

  test('the customer given is not modified', () => {
    const customer = base();
    const copy = structuredClone(customer);
    applyCustomerParams(customer, { name: 'New', metadata: { a: '' }, invoice_settings: { footer: 'g' }, address: '' });
    assert.deepEqual(customer, copy);
  });

  test('"" unsets: to null, to the default, or removes the field', () => {
    const updated = applyCustomerParams(base(), {
      address: '',
      balance: '',
      description: '',
      email: '',
      name: '',
      phone: '',
      shipping: '',
      tax_exempt: '',
      business_name: '',
      individual_name: '',
      metadata: '',
      invoice_settings: { custom_fields: '', footer: '', rendering_options: '' },
    });
    assert.equal(updated.address, null);
    assert.equal(updated.balance, 0);
    assert.equal(updated.description, null);
    assert.equal(updated.email, null);
    assert.equal(updated.name, null);
    assert.equal(updated.phone, null);
    assert.equal(updated.shipping, null);
    assert.equal(updated.tax_exempt, 'none');
    assert.equal('business_name' in updated, false);
    assert.equal('individual_name' in updated, false);
    assert.deepEqual(updated.metadata, {});
    assert.deepEqual(updated.invoice_settings, {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    });
    assertShape('customer', updated);
  });

  test('an empty invoice prefix keeps the current one', () => {
    assert.equal(applyCustomerParams(base(), { invoice_prefix: '' }).invoice_prefix, 'ADA1');
  });

  test('invoice settings change field by field', () => {
    const updated = applyCustomerParams(base(), { invoice_settings: { footer: 'new' } });
    assert.equal(updated.invoice_settings.footer, 'new');
    assert.deepEqual(updated.invoice_settings.custom_fields, [{ name: 'a', value: 'b' }]);
    assert.deepEqual(updated.invoice_settings.rendering_options, { amount_tax_display: 'exclude_tax', template: null });
  });

  test('metadata merges; one key unsets', () => {
    assert.deepEqual(applyCustomerParams(base(), { metadata: { b: '', c: '3' } }).metadata, { a: '1', c: '3' });
  });

  test('preferred_locales and shipping are replaced', () => {
    const updated = applyCustomerParams(base(), {
      preferred_locales: ['nb'],
      shipping: { name: 'Bob', phone: '+1', address: { line1: '2 St' } },
    });
    assert.deepEqual(updated.preferred_locales, ['nb']);
    assert.deepEqual(updated.shipping, { name: 'Bob', phone: '+1', address: fullAddress({ line1: '2 St' }) });
  });

  test('a refused update throws before returning anything', () => {
    assertRefused(() => applyCustomerParams(base(), { name: 'ok', email: 'bad' }), 'email', 'email_invalid');
    assertRefused(() => applyCustomerParams(base(), { next_invoice_sequence: -1 }), 'next_invoice_sequence');
  });
});

describe('deletedCustomer', () => {
  test("Stripe's stub", () => {
    const stub = deletedCustomer(ID);
    assert.deepEqual(stub, { id: ID, object: 'customer', deleted: true });
    assertShape('deleted_customer', stub);
  });
});
