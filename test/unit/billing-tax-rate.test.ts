// Tax rate rules without HTTP or a database.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTaxRateParams, newTaxRate } from '../../src/billing/tax-rate.js';
import { StripeError } from '../../src/server/errors.js';

const base = { display_name: 'VAT', percentage: 19, inclusive: false };

describe('tax rate rules', () => {
  test('a new rate is active, a percentage rate, with what was given', () => {
    const rate = newTaxRate('txr_1', { ...base, country: 'fr', state: '', jurisdiction: 'FR' }, 1000);
    assert.equal(rate.active, true);
    assert.equal(rate.rate_type, 'percentage');
    assert.equal(rate.country, 'FR');
    assert.equal(rate.state, null);
    assert.equal(rate.jurisdiction, 'FR');
    assert.equal(rate.created, 1000);
  });

  test('percentages from 0 to 100 with up to four decimals', () => {
    for (const percentage of [0, 0.0001, 7.25, 19.6, 100])
      assert.equal(newTaxRate('t', { ...base, percentage }, 1).percentage, percentage);
    for (const percentage of [-0.5, 100.01, 1.23456, Number.NaN]) {
      assert.throws(
        () => newTaxRate('t', { ...base, percentage }, 1),
        (e: unknown) => e instanceof StripeError && e.body.param === 'percentage',
      );
    }
  });

  test('updates change what they name; an empty string clears a text field', () => {
    const rate = newTaxRate('txr_1', { ...base, description: 'd', metadata: { a: '1' } }, 1);
    const next = applyTaxRateParams(rate, { description: '', metadata: { b: '2' }, active: false });
    assert.equal(next.description, null);
    assert.deepEqual(next.metadata, { a: '1', b: '2' });
    assert.equal(next.active, false);
    assert.equal(rate.active, true, 'the rate given is left as it was');
  });
});
