import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  brandName,
  cardLengths,
  cvcLength,
  detectBrand,
  displayBrand,
  formatCardNumber,
  formatGroups,
  luhnValid,
  maxLength,
  normalizeCardNumber,
  validLength,
} from '../../src/network/card-brands.js';

test('card-brands.ts imports nothing (it is bundled for the browser)', () => {
  const source = readFileSync(new URL('../../src/network/card-brands.ts', import.meta.url), 'utf8');
  assert.doesNotMatch(source, /^\s*import\s/m);
  assert.doesNotMatch(source, /\brequire\(/);
});

test('Luhn', () => {
  for (const number of ['4242424242424242', '378282246310005', '36227206271667', '6205500000000000004', '0']) {
    assert.equal(luhnValid(number), true, number);
  }
  for (const number of [
    '4242424242424241',
    '4000000000000003',
    '1234567812345678',
    '',
    '4242 4242 4242 4242',
    '42424242424242a2',
  ]) {
    assert.equal(luhnValid(number), false, number);
  }
});

test('normalizing a typed number keeps digits and drops spaces and dashes only', () => {
  assert.equal(normalizeCardNumber('4242 4242-4242 4242'), '4242424242424242');
  assert.equal(normalizeCardNumber(' 3782 822463 10005 '), '378282246310005');
  assert.equal(normalizeCardNumber('4242.4242'), null);
  assert.equal(normalizeCardNumber('4242x'), null);
  assert.equal(normalizeCardNumber(''), null);
});

test('brand of complete numbers', () => {
  const cases: Array<[string, string]> = [
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['2720990000000007', 'mastercard'],
    ['378282246310005', 'amex'],
    ['371449635398431', 'amex'],
    ['6011111111111117', 'discover'],
    ['6555900000604105', 'discover'],
    ['3056930009020004', 'diners'],
    ['36227206271667', 'diners'],
    ['3566002020360505', 'jcb'],
    ['6200000000000005', 'unionpay'],
    ['8171999927660000', 'unionpay'],
    ['5062210000000009', 'unknown'],
    ['1234567812345670', 'unknown'],
  ];
  for (const [number, brand] of cases) assert.equal(detectBrand(number), brand, number);
});

test('brand of partial numbers while typing: only when one brand can still match', () => {
  const cases: Array<[string, string]> = [
    ['', 'unknown'],
    ['4', 'visa'],
    ['5', 'mastercard'],
    ['50', 'unknown'],
    ['56', 'unknown'],
    ['2', 'mastercard'],
    ['22', 'mastercard'],
    ['220', 'unknown'],
    ['2220', 'unknown'],
    ['2221', 'mastercard'],
    ['27', 'mastercard'],
    ['2720', 'mastercard'],
    ['2721', 'unknown'],
    ['28', 'unknown'],
    ['3', 'unknown'],
    ['34', 'amex'],
    ['37', 'amex'],
    ['35', 'jcb'],
    ['3527', 'unknown'],
    ['3528', 'jcb'],
    ['3589', 'jcb'],
    ['3590', 'unknown'],
    ['30', 'diners'],
    ['36', 'diners'],
    ['38', 'diners'],
    ['6', 'unknown'],
    ['60', 'discover'],
    ['64', 'discover'],
    ['65', 'discover'],
    ['63', 'unknown'],
    ['62', 'unionpay'],
    ['8', 'unionpay'],
    ['82', 'unknown'],
    ['1', 'unknown'],
    ['9', 'unknown'],
  ];
  for (const [digits, brand] of cases) assert.equal(detectBrand(digits), brand, `"${digits}"`);
});

test('valid lengths per brand', () => {
  assert.deepEqual(cardLengths('amex'), [15]);
  assert.deepEqual(cardLengths('mastercard'), [16]);
  assert.deepEqual(cardLengths('visa'), [13, 16, 19]);
  assert.ok(cardLengths('diners').includes(14));
  assert.ok(cardLengths('unionpay').includes(19));
  assert.equal(maxLength('amex'), 15);
  assert.equal(maxLength('unionpay'), 19);
  assert.equal(validLength('4242424242424242'), true);
  assert.equal(validLength('424242424242424'), false);
  assert.equal(validLength('378282246310005'), true);
  assert.equal(validLength('3782822463100050'), false);
  assert.equal(validLength('555555555555444'), false);
  assert.equal(validLength('36227206271667'), true);
  assert.equal(validLength('6205500000000000004'), true);
});

test('CVC length: 4 for American Express, 3 otherwise', () => {
  assert.equal(cvcLength('amex'), 4);
  for (const brand of ['visa', 'mastercard', 'discover', 'diners', 'jcb', 'unionpay', 'unknown'] as const) {
    assert.equal(cvcLength(brand), 3, brand);
  }
});

test('display grouping', () => {
  assert.deepEqual(formatGroups('visa', 16), [4, 4, 4, 4]);
  assert.deepEqual(formatGroups('amex', 15), [4, 6, 5]);
  assert.deepEqual(formatGroups('diners', 14), [4, 6, 4]);
  assert.deepEqual(formatGroups('diners', 16), [4, 4, 4, 4]);
  assert.deepEqual(formatGroups('unionpay', 19), [4, 4, 4, 4, 3]);
  assert.equal(formatCardNumber('4242424242424242'), '4242 4242 4242 4242');
  assert.equal(formatCardNumber('378282246310005'), '3782 822463 10005');
  assert.equal(formatCardNumber('36227206271667'), '3622 720627 1667');
  assert.equal(formatCardNumber('6205500000000000004'), '6205 5000 0000 0000 004');
  assert.equal(formatCardNumber('42424'), '4242 4');
  assert.equal(formatCardNumber('3782822'), '3782 822');
  assert.equal(formatCardNumber(''), '');
});

test("Stripe's display brand values and names", () => {
  assert.equal(displayBrand('amex'), 'american_express');
  assert.equal(displayBrand('diners'), 'diners_club');
  assert.equal(displayBrand('unionpay'), 'union_pay');
  assert.equal(displayBrand('cartes_bancaires'), 'cartes_bancaires');
  assert.equal(displayBrand('eftpos_au'), 'eftpos_australia');
  assert.equal(displayBrand('unknown'), 'other');
  assert.equal(displayBrand('visa'), 'visa');
  assert.equal(brandName('amex'), 'American Express');
  assert.equal(brandName('diners'), 'Diners Club');
  assert.equal(brandName('unionpay'), 'UnionPay');
  assert.equal(brandName('jcb'), 'JCB');
  assert.equal(brandName('mastercard'), 'Mastercard');
});
