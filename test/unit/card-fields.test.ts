// The card inputs' rules, as plain functions (no browser): formatting as the
// customer types, brand, lengths, Luhn, expiry dates, CVC and postal code, and
// which error a change event shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockingError, changeEvent, shownError } from '../../src/browser/card-fields/change-event.js';
import { cvcState } from '../../src/browser/card-fields/cvc.js';
import { expiryState, formatExpiry } from '../../src/browser/card-fields/expiry.js';
import { FIELD_MESSAGES } from '../../src/browser/card-fields/messages.js';
import { numberFilled, numberState } from '../../src/browser/card-fields/number.js';
import { postalState } from '../../src/browser/card-fields/postal.js';

test('numbers are grouped 4-4-4-4, Amex 4-6-5, Diners 14 as 4-6-4, and capped at the brand length', () => {
  assert.equal(numberState('4242424242424242').display, '4242 4242 4242 4242');
  assert.equal(numberState('42424').display, '4242 4');
  assert.equal(numberState('378282246310005').display, '3782 822463 10005');
  assert.equal(numberState('37828224631000599').digits, '378282246310005', 'Amex stops at 15 digits');
  assert.equal(numberState('36227206271667').display, '3622 720627 1667');
  assert.equal(numberState('4242-4242 4242a4242').digits, '4242424242424242', 'anything but digits is dropped');
  assert.equal(numberState('5555555555554444').brand, 'mastercard');
  assert.equal(numberState('2223').brand, 'mastercard');
  assert.equal(numberState('6011').brand, 'discover');
  assert.equal(numberState('3').brand, 'unknown', 'a single 3 could be Amex, Diners or JCB');
});

test('number completeness and errors: incomplete while short, invalid when a full number fails Luhn', () => {
  assert.deepEqual(pick(numberState('')), { empty: true, complete: false, error: 'incomplete_number' });
  assert.deepEqual(pick(numberState('4242 4242')), { empty: false, complete: false, error: 'incomplete_number' });
  assert.deepEqual(pick(numberState('4242424242424242')), { empty: false, complete: true, error: null });
  assert.deepEqual(pick(numberState('4242424242424241')), { empty: false, complete: false, error: 'invalid_number' });
  assert.deepEqual(pick(numberState('378282246310006')), { empty: false, complete: false, error: 'invalid_number' });
  assert.deepEqual(pick(numberState('378282246310005')), { empty: false, complete: true, error: null });
});

test('focus moves on only at the usual length: a Luhn-valid 13-digit prefix of a Visa does not end typing', () => {
  const thirteen = numberState('4000002760003');
  assert.equal(thirteen.complete, true);
  assert.equal(numberFilled(thirteen), false);
  assert.equal(numberFilled(numberState('4000002760003184')), true);
  assert.equal(numberFilled(numberState('378282246310005')), true);
});

test('expiry is typed as MM / YY: a leading 2-9 becomes 0d, 1 then 3-9 becomes 01 / d', () => {
  assert.equal(formatExpiry('4'), '04 / ');
  assert.equal(formatExpiry('1'), '1');
  assert.equal(formatExpiry('12'), '12 / ');
  assert.equal(formatExpiry('12', true), '12', 'deleting the separator removes it');
  assert.equal(formatExpiry('13'), '01 / 3');
  assert.equal(formatExpiry('1234'), '12 / 34');
  assert.equal(formatExpiry('12 / 345'), '12 / 34');
});

test('expiry dates in the past are refused with Stripe.js codes; the current month is still valid', () => {
  const now = new Date(2026, 10, 26); // November 2026
  assert.equal(expiryState('', now).error, 'incomplete_expiry');
  assert.equal(expiryState('12 / 3', now).error, 'incomplete_expiry');
  assert.equal(expiryState('01 / 25', now).error, 'invalid_expiry_year_past');
  assert.equal(expiryState('10 / 26', now).error, 'invalid_expiry_month_past');
  assert.deepEqual(pick(expiryState('11 / 26', now)), { empty: false, complete: true, error: null });
  assert.equal(expiryState('00 / 30', now).error, 'invalid_expiry_month');
  assert.equal(expiryState('12 / 99', now).error, 'invalid_expiry_year');
  const ok = expiryState('0430', now);
  assert.deepEqual([ok.month, ok.year, ok.display], [4, 2030, '04 / 30']);
});

test('CVC length follows the brand: 3 digits, 4 for Amex, 3-4 while unknown', () => {
  assert.deepEqual(pick(cvcState('12', 'visa')), { empty: false, complete: false, error: 'incomplete_cvc' });
  assert.equal(cvcState('1234', 'visa').digits, '123');
  assert.equal(cvcState('123', 'amex').complete, false);
  assert.equal(cvcState('1234', 'amex').complete, true);
  assert.equal(cvcState('123', 'unknown').complete, true);
  assert.equal(cvcState('1234', 'unknown').digits, '1234');
});

test('postal codes: a 5-digit ZIP or 3+ other characters', () => {
  assert.equal(postalState('1234').error, 'incomplete_zip');
  assert.equal(postalState('94107').complete, true);
  assert.equal(postalState('sw1a 1aa').value, 'SW1A 1AA');
  assert.equal(postalState('SW1A 1AA').complete, true);
  assert.equal(postalState('<b>').value, 'B');
});

test('a change event shows invalid values at once and incomplete ones only after the customer left the field', () => {
  const short = { state: numberState('4242'), touched: false };
  assert.equal(shownError(short), undefined);
  assert.equal(shownError({ ...short, touched: true })?.code, 'incomplete_number');
  assert.equal(
    shownError({ state: numberState(''), touched: true }),
    undefined,
    'an empty field left alone is not an error',
  );
  assert.equal(
    shownError({ state: numberState(''), touched: true, submitted: true })?.code,
    'incomplete_number',
    'after a confirm it is',
  );
  assert.deepEqual(shownError({ state: numberState('4242424242424241'), touched: false }), {
    type: 'validation_error',
    code: 'invalid_number',
    message: FIELD_MESSAGES.invalid_number,
  });

  const now = new Date();
  const fields = [
    numberState('4242424242424242'),
    expiryState(`12 / ${String(now.getFullYear() + 2).slice(2)}`, now),
    cvcState('123', 'visa'),
    postalState('10115'),
  ].map((state) => ({ state, touched: true }));
  assert.deepEqual(changeEvent('card', fields, { brand: 'visa', postalCode: '10115' }), {
    elementType: 'card',
    empty: false,
    complete: true,
    brand: 'visa',
    value: { postalCode: '10115' },
  });
  assert.deepEqual(changeEvent('payment', fields, { brand: 'visa' }), {
    elementType: 'payment',
    empty: false,
    complete: true,
    value: { type: 'card' },
  });
  assert.equal(
    changeEvent('cardNumber', [{ state: numberState(''), touched: false }], { brand: 'unknown' }).empty,
    true,
  );
  assert.equal(blockingError(fields.map((f) => f.state)), undefined);
  assert.equal(blockingError([numberState('4242424242424242'), expiryState('1', now)])?.code, 'incomplete_expiry');
});

function pick(state: { empty: boolean; complete: boolean; error: unknown }) {
  return { empty: state.empty, complete: state.complete, error: state.error };
}
