import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectBrand, luhnValid, validLength } from '../../src/network/card-brands.js';
import {
  TEST_CARDS,
  testCardById,
  testCardByNumber,
  testCardByPaymentMethodId,
  testCardByTestId,
  testCardByTokenId,
  type TestCard,
} from '../../src/network/simulator/test-cards.js';

function card(number: string): TestCard {
  const found = testCardByNumber(number);
  assert.ok(found, `no test card ${number}`);
  return found;
}

test('every entry resolves by number, by entry id and by each of its ids', () => {
  assert.ok(TEST_CARDS.length > 100);
  for (const entry of TEST_CARDS) {
    assert.equal(testCardByNumber(entry.number), entry, entry.number);
    assert.equal(testCardById(entry.id), entry, entry.id);
    for (const id of entry.payment_methods) {
      assert.match(id, /^pm_card_[A-Za-z0-9_]+$/);
      assert.equal(testCardByPaymentMethodId(id), entry, id);
      assert.equal(testCardByTestId(id), entry, id);
    }
    for (const id of entry.tokens) {
      assert.match(id, /^tok_[A-Za-z0-9_]+$/);
      assert.equal(testCardByTokenId(id), entry, id);
      assert.equal(testCardByTestId(id), entry, id);
    }
  }
});

test('numbers, entry ids and test ids are unique', () => {
  const numbers = TEST_CARDS.map((c) => c.number);
  assert.equal(new Set(numbers).size, numbers.length);
  const entryIds = TEST_CARDS.map((c) => c.id);
  assert.equal(new Set(entryIds).size, entryIds.length);
  const ids = TEST_CARDS.flatMap((c) => [...c.payment_methods, ...c.tokens]);
  assert.equal(new Set(ids).size, ids.length);
});

test('pm_card_X and tok_X name the same card', () => {
  for (const entry of TEST_CARDS) {
    for (const id of entry.payment_methods) assert.equal(testCardByTestId(`tok_${id.slice(8)}`), entry, id);
    for (const id of entry.tokens) assert.equal(testCardByTestId(`pm_card_${id.slice(4)}`), entry, id);
  }
  assert.equal(testCardByTestId('pm_card_visa_chargeDeclinedVelocityLimitExceeded'), card('4000000000006975'));
  assert.equal(testCardByTestId('tok_debit_visaFsaProductCode'), card('4000051230000072'));
});

test('unknown ids and numbers do not resolve', () => {
  assert.equal(testCardByNumber('4111111111111111'), undefined);
  assert.equal(testCardByTestId('pm_card_doesNotExist'), undefined);
  assert.equal(testCardByTestId('pm_1PgafyB7WZ01zgkWSjxsAJo3'), undefined);
  assert.equal(testCardByPaymentMethodId('tok_visa'), undefined);
  assert.equal(testCardByTokenId('pm_card_visa'), undefined);
});

test('every number is Luhn-valid, of a valid length, and its brand matches its leading digits', () => {
  for (const entry of TEST_CARDS) {
    assert.ok(luhnValid(entry.number), entry.number);
    assert.ok(validLength(entry.number), entry.number);
    assert.equal(detectBrand(entry.number), entry.brand, entry.number);
    assert.match(entry.country, /^[A-Z]{2}$/);
    assert.ok(['credit', 'debit', 'prepaid'].includes(entry.funding), entry.number);
    assert.ok(entry.networks.includes(entry.brand as never) || entry.brand === 'unknown', entry.number);
  }
});

test('outcome type follows the decline', () => {
  for (const entry of TEST_CARDS) {
    assert.equal(entry.outcome, entry.decline ? entry.decline.outcome.type : 'authorized', entry.number);
    if (entry.decline) {
      assert.ok(entry.decline.message.endsWith('.'), entry.number);
      assert.equal(
        entry.decline.outcome.network_status === 'not_sent_to_network',
        entry.decline.outcome.type === 'blocked',
        entry.number,
      );
    }
  }
});

test('the cards named in the brief are all in the table', () => {
  const numbers = [
    '4242424242424242',
    '4012888888881881',
    '4000056655665556',
    '5555555555554444',
    '2223003122003222',
    '5200828282828210',
    '5105105105105100',
    '378282246310005',
    '371449635398431',
    '6011111111111117',
    '6011000990139424',
    '6011981111111113',
    '3056930009020004',
    '36227206271667',
    '3566002020360505',
    '6200000000000005',
    '4000000000000002',
    '4000000000009995',
    '4000000000009987',
    '4000000000009979',
    '4000000000000069',
    '4000000000000127',
    '4000000000000119',
    '4000000000006975',
    '4100000000000019',
    '4000000000000101',
    '4000000000000341',
    '4000000000004954',
    '4000000000009235',
    '4000000000000010',
    '4000000000000028',
    '4000000000000036',
    '4000000000000044',
    '4000000000000077',
    '4000003720000278',
    '4000000000007726',
    '4000000000005126',
    '4000000000000259',
    '4000000000002685',
    '4000000000001976',
    '4000000000005423',
    '4000002500003155',
    '4000002760003184',
    '4000003800000446',
    '4000008260003178',
    '4000000000003220',
    '4000008400000027',
    '4000008400001629',
    '4000008400001280',
    '4000000000003055',
    '4000000000003097',
    '4000000032200000',
  ];
  for (const number of numbers) card(number);
});

test('brand cards: funding, country and ids', () => {
  const visa = card('4242424242424242');
  assert.deepEqual([visa.brand, visa.funding, visa.country], ['visa', 'credit', 'US']);
  assert.deepEqual(visa.payment_methods, ['pm_card_visa', 'pm_card_us']);
  assert.deepEqual(visa.tokens, ['tok_visa', 'tok_us']);
  assert.equal(card('4000056655665556').funding, 'debit');
  assert.equal(card('5200828282828210').funding, 'debit');
  assert.equal(card('5105105105105100').funding, 'prepaid');
  assert.equal(card('6011981111111113').funding, 'debit');
  assert.equal(testCardByTestId('pm_card_jcb')?.country, 'JP');
  assert.equal(testCardByTestId('pm_card_unionpay')?.country, 'CN');
  assert.equal(testCardByTestId('pm_card_amex_threeDSecureNotSupported'), card('378282246310005'));
  assert.deepEqual(card('4000002500001001').networks, ['cartes_bancaires', 'visa']);
  assert.deepEqual(card('4000050360000001').networks, ['eftpos_au', 'visa']);
});

test('country cards carry their country', () => {
  const cases: Array<[string, string, string]> = [
    ['pm_card_gb', '4000008260000000', 'GB'],
    ['pm_card_jp', '4000003920000003', 'JP'],
    ['pm_card_br', '4000000760000002', 'BR'],
    ['tok_de', '4000002760000016', 'DE'],
    ['pm_card_ae_mastercard', '5200007840000022', 'AE'],
    ['pm_card_gb_debit', '4000058260000005', 'GB'],
    ['pm_card_th_debit', '4000057640000008', 'TH'],
  ];
  for (const [id, number, country] of cases) {
    const entry = testCardByTestId(id);
    assert.equal(entry?.number, number, id);
    assert.equal(entry?.country, country, id);
  }
  for (const entry of TEST_CARDS.filter((c) => c.section === 'country')) {
    for (const id of entry.payment_methods) assert.ok(id.startsWith(`pm_card_${entry.country.toLowerCase()}`), id);
  }
});

test('decline cards carry Stripe codes and customer-facing messages', () => {
  const cases: Array<[string, string, string, string, string | null, string | null]> = [
    ['4000000000000002', 'card_declined', 'generic_decline', 'Your card was declined.', 'try_again_later', null],
    [
      '4000000000009995',
      'card_declined',
      'insufficient_funds',
      'Your card has insufficient funds.',
      'try_again_later',
      null,
    ],
    ['4000000000009987', 'card_declined', 'lost_card', 'Your card was declined.', 'do_not_try_again', null],
    ['4000000000009979', 'card_declined', 'stolen_card', 'Your card was declined.', 'do_not_try_again', null],
    ['4000000000000069', 'expired_card', 'expired_card', 'Your card has expired.', 'confirm_card_data', 'exp_month'],
    [
      '4000000000000127',
      'incorrect_cvc',
      'incorrect_cvc',
      "Your card's security code is incorrect.",
      'confirm_card_data',
      'cvc',
    ],
    [
      '4000000000000119',
      'processing_error',
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
      'try_again_later',
      null,
    ],
    [
      '4000000000006975',
      'card_declined',
      'card_velocity_exceeded',
      'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
      'try_again_later',
      null,
    ],
    ['4100000000000019', 'card_declined', 'fraudulent', 'Your card was declined.', null, null],
  ];
  for (const [number, code, declineCode, message, advice, param] of cases) {
    const { decline } = card(number);
    assert.ok(decline, number);
    assert.deepEqual(
      [decline.code, decline.decline_code, decline.message, decline.advice_code, decline.param],
      [code, declineCode, message, advice, param],
      number,
    );
  }
  assert.equal(
    card('4000000000000002').decline?.outcome.seller_message,
    'The bank did not return any further details with this decline.',
  );
  for (const number of ['4000000000000002', '4000000000009995', '4000000000000069'])
    assert.equal(card(number).attach_declined, true);
});

test('old and new names of the same decline card', () => {
  const pairs = [
    ['pm_card_visa_chargeDeclined', 'pm_card_chargeDeclined'],
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'pm_card_chargeDeclinedInsufficientFunds'],
    ['pm_card_visa_chargeDeclinedLostCard', 'pm_card_chargeDeclinedLostCard'],
    ['pm_card_visa_chargeDeclinedStolenCard', 'tok_chargeDeclinedStolenCard'],
    ['pm_card_radarBlock', 'pm_card_chargeDeclinedFraudulent'],
    ['tok_radarBlock', 'tok_chargeDeclinedFraudulent'],
    ['pm_card_chargeDeclinedExpiredCard', 'tok_visa_chargeDeclinedExpiredCard'],
  ];
  for (const [current, older] of pairs) {
    const entry = testCardByTestId(current);
    assert.ok(entry, current);
    assert.equal(testCardByTestId(older), entry, older);
  }
  assert.equal(testCardByTestId('pm_card_chargeDeclined')?.number, '4000000000000002');
  assert.equal(testCardByTestId('tok_chargeDeclinedFraudulent')?.number, '4100000000000019');
});

test('fraud, check, balance, refund and dispute behaviour', () => {
  assert.equal(card('4100000000000019').outcome, 'blocked');
  assert.deepEqual(card('4100000000000019').risk.level, 'highest');
  assert.equal(card('4000000000004954').outcome, 'blocked');
  assert.equal(card('4000000000009235').outcome, 'authorized');
  assert.equal(card('4000000000009235').risk.level, 'elevated');

  const cvc = card('4000000000000101');
  assert.equal(cvc.checks.cvc_check, 'fail');
  assert.equal(cvc.decline_when, 'cvc_provided');
  assert.deepEqual(card('4000000000000010').checks, {
    cvc_check: 'pass',
    address_line1_check: 'fail',
    address_postal_code_check: 'fail',
  });
  assert.deepEqual(card('4000000000000028').checks, {
    cvc_check: 'pass',
    address_line1_check: 'fail',
    address_postal_code_check: 'pass',
  });
  assert.deepEqual(card('4000000000000036').checks, {
    cvc_check: 'pass',
    address_line1_check: 'pass',
    address_postal_code_check: 'fail',
  });
  assert.deepEqual(card('4000000000000044').checks, {
    cvc_check: 'pass',
    address_line1_check: 'unavailable',
    address_postal_code_check: 'unavailable',
  });

  assert.equal(card('4000000000000077').available_immediately, true);
  assert.equal(card('4000003720000278').available_immediately, true);
  assert.equal(card('4242424242424242').available_immediately, false);

  const attach = card('4000000000000341');
  assert.equal(attach.attach_ok_charge_fails, true);
  assert.equal(attach.attach_declined, false);
  assert.equal(attach.decline?.decline_code, 'generic_decline');

  assert.deepEqual(card('4000000000007726').refund, {
    status: 'pending',
    later: { status: 'succeeded', failure_reason: null },
  });
  assert.deepEqual(card('4000000000005126').refund, {
    status: 'succeeded',
    later: { status: 'failed', failure_reason: 'expired_or_canceled_card' },
  });
  assert.deepEqual(card('4242424242424242').refund, { status: 'succeeded' });

  assert.deepEqual(card('4000000000000259').dispute, { kind: 'chargeback', reason: 'fraudulent' });
  assert.deepEqual(card('4000000000002685').dispute, { kind: 'chargeback', reason: 'product_not_received' });
  assert.equal(card('4000000000001976').dispute?.kind, 'inquiry');
  assert.equal(card('4000000000005423').dispute?.kind, 'early_fraud_warning');
  assert.equal(card('4242424242424242').dispute, null);
});

test('3-D Secure kinds', () => {
  const cases: Array<[string, string]> = [
    ['4000002500003155', 'required_unless_setup'],
    ['4000002760003184', 'always'],
    ['4000003800000446', 'required_on_session'],
    ['4000008260003178', 'required_unless_setup'],
    ['4000000000003220', 'required'],
    ['4000008400000027', 'required'],
    ['4000008400001629', 'required'],
    ['4000008400001280', 'required'],
    ['4000000000003055', 'optional'],
    ['4000000000003097', 'optional'],
    ['4000000032200000', 'frictionless'],
    ['378282246310005', 'not_supported'],
    ['4242424242424242', 'not_enrolled'],
  ];
  for (const [number, kind] of cases) assert.equal(card(number).three_d_secure, kind, number);
  assert.equal(card('4000008260003178').decline?.decline_code, 'insufficient_funds');
  assert.equal(card('4000008400001629').decline?.code, 'card_declined');
  assert.equal(card('4000000000003097').decline_when, 'three_d_secure_attempted');
  assert.equal(testCardByTestId('pm_card_threeDSecure2Required')?.country, 'IE');
  assert.equal(testCardByTestId('pm_card_authenticationRequired')?.number, '4000002760003184');
});
