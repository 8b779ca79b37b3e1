// PaymentMethods through real interfaces: the official SDK with the secret
// key, and raw form posts carrying `key=pk_test_...` as Stripe.js sends them.
// Card details per brand, Stripe's card validation errors, attach/detach,
// lists, events, other accounts and publishable keys, and that the full card
// number and CVC are never stored, logged or returned.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { pino } from 'pino';
import Stripe from 'stripe';
import { createAccount } from '../../src/accounts/accounts.js';
import { createKassa } from '../../src/kassa.js';
import { openStore, type StoreConfig } from '../../src/store/store.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { assertShape } from '../support/shapes.js';
import { MIGRATIONS } from '../../src/schema.js';

const THIS_YEAR = new Date().getUTCFullYear();
const EXP_YEAR = THIS_YEAR + 3;
/** Distinctive CVCs, searched for in storage and responses afterwards. */
const CVC = '987';
const AMEX_CVC = '9876';
const SECRET_KEY_REQUIRED = 'secret_key_required';

interface Raw {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the parsed JSON answer, read field by field in the tests
  body: any;
}

type CardBrandRow = {
  number: string;
  brand: string;
  display: string;
  funding: string;
  country?: string;
  networks?: string[];
  cvc?: string;
};

// Stripe's documented brand test numbers (docs.stripe.com/testing#cards).
const BRAND_CARDS: CardBrandRow[] = [
  { number: '4242424242424242', brand: 'visa', display: 'visa', funding: 'credit', country: 'US' },
  { number: '4000056655665556', brand: 'visa', display: 'visa', funding: 'debit' },
  { number: '5555555555554444', brand: 'mastercard', display: 'mastercard', funding: 'credit' },
  { number: '2223003122003222', brand: 'mastercard', display: 'mastercard', funding: 'credit' },
  { number: '5200828282828210', brand: 'mastercard', display: 'mastercard', funding: 'debit' },
  { number: '5105105105105100', brand: 'mastercard', display: 'mastercard', funding: 'prepaid' },
  { number: '378282246310005', brand: 'amex', display: 'american_express', funding: 'credit', cvc: AMEX_CVC },
  { number: '371449635398431', brand: 'amex', display: 'american_express', funding: 'credit', cvc: AMEX_CVC },
  { number: '6011111111111117', brand: 'discover', display: 'discover', funding: 'credit' },
  { number: '6011000990139424', brand: 'discover', display: 'discover', funding: 'credit' },
  { number: '6011981111111113', brand: 'discover', display: 'discover', funding: 'debit' },
  { number: '3056930009020004', brand: 'diners', display: 'diners_club', funding: 'credit' },
  { number: '36227206271667', brand: 'diners', display: 'diners_club', funding: 'credit' },
  { number: '3566002020360505', brand: 'jcb', display: 'jcb', funding: 'credit' },
  { number: '6200000000000005', brand: 'unionpay', display: 'union_pay', funding: 'credit' },
  { number: '6200000000000047', brand: 'unionpay', display: 'union_pay', funding: 'debit' },
  { number: '6205500000000000004', brand: 'unionpay', display: 'union_pay', funding: 'credit' },
  // International and co-badged cards.
  { number: '4000008260000000', brand: 'visa', display: 'visa', funding: 'credit', country: 'GB' },
  { number: '4000003920000003', brand: 'visa', display: 'visa', funding: 'credit', country: 'JP' },
  {
    number: '4000002500001001',
    brand: 'visa',
    display: 'visa',
    funding: 'credit',
    country: 'FR',
    networks: ['cartes_bancaires', 'visa'],
  },
];

/** Every full card number any test here sent, to search for afterwards. */
const numbersSent = new Set<string>();

function card(number: string, extra: { cvc?: string | null; exp_month?: number; exp_year?: number } = {}) {
  numbersSent.add(number.replace(/\D/g, ''));
  const params: { number: string; exp_month: number; exp_year: number; cvc?: string } = {
    number,
    exp_month: extra.exp_month ?? 12,
    exp_year: extra.exp_year ?? EXP_YEAR,
  };
  if (extra.cvc !== null) params.cvc = extra.cvc ?? CVC;
  return params;
}

/** `payment_method_data` with a card, as Stripe.js confirms an intent with a card Element (the SDK's types leave `card` out). */
function cardData(number: string, cvc = CVC): never {
  return { type: 'card', card: card(number, { cvc }) } as never;
}

/** The same as a form, with the publishable key's requests. */
function cardDataForm(number: string, cvc = CVC): Record<string, string> {
  numbersSent.add(number);
  return {
    'payment_method_data[type]': 'card',
    'payment_method_data[card][number]': number,
    'payment_method_data[card][exp_month]': '12',
    'payment_method_data[card][exp_year]': String(EXP_YEAR),
    'payment_method_data[card][cvc]': cvc,
  };
}

/** A response header, whether the SDK's HTTP client gives a plain object or a fetch Headers. */
function header(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  return (headers as Record<string, string> | undefined)?.[name];
}

function plain<T extends object>(value: T): Omit<T, 'lastResponse'> {
  const { lastResponse: _lastResponse, ...rest } = value as T & { lastResponse?: unknown };
  return rest;
}

function isCardError(code: string, param: string, message: string) {
  return (e: Stripe.errors.StripeError) => {
    assert.ok(
      e instanceof Stripe.errors.StripeCardError,
      `expected StripeCardError, got ${e.constructor.name}: ${e.message}`,
    );
    assert.equal(e.statusCode, 402);
    assert.equal(e.rawType, 'card_error');
    assert.equal(e.code, code);
    assert.equal(e.param, param);
    assert.equal(e.message, message);
    assert.equal(e.doc_url, `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`);
    return true;
  };
}

function isInvalidRequest(
  status: number,
  param: string | undefined,
  options: { code?: string; message?: string | RegExp } = {},
) {
  return (e: Stripe.errors.StripeError) => {
    assert.ok(
      e instanceof Stripe.errors.StripeInvalidRequestError,
      `expected StripeInvalidRequestError, got ${e.constructor.name}: ${e.message}`,
    );
    assert.equal(e.statusCode, status);
    assert.equal(e.param, param);
    if (options.code) assert.equal(e.code, options.code);
    if (typeof options.message === 'string') assert.equal(e.message, options.message);
    else if (options.message) assert.match(e.message, options.message);
    return true;
  };
}

/** Where a stored or returned text gives a card number or one of our CVCs away. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const number of numbersSent) {
    if (text.includes(number)) found.push(number);
    // Grouped as typed: `4242 4242 4242 4242`.
    const grouped = number.replace(/(\d{4})(?=\d)/g, '$1 ');
    if (text.includes(grouped)) found.push(grouped);
  }
  for (const cvc of [CVC, AMEX_CVC]) {
    // The CVC as a value of its own (JSON string, form value) or near the word cvc.
    const standalone = new RegExp(`("${cvc}"|=${cvc}(?!\\d)|cvc.{0,16}${cvc}(?!\\d))`, 'is');
    if (standalone.test(text)) found.push(`cvc ${cvc}`);
  }
  return found;
}

describeEachStore('payment methods', (target) => {
  let kassa: TestKassa;
  let config: StoreConfig;
  /** The SDK with the secret key, recording every response body. */
  let stripe: Stripe;
  const bodies: string[] = [];

  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    bodies.push(await response.clone().text());
    return response;
  };

  before(async () => {
    config = await target.config();
    kassa = await startKassa(config);
    stripe = kassa.clientFor(kassa.account.secret_key, { httpClient: Stripe.createFetchHttpClient(recordingFetch) });
  });
  after(() => kassa.close());

  /** A form request as Stripe.js sends it: the publishable key in the body (or the query, for GET). */
  async function withPublishableKey(
    method: 'GET' | 'POST',
    path: string,
    form: Record<string, string> = {},
  ): Promise<Raw> {
    const params = new URLSearchParams({ ...form, key: kassa.account.publishable_key });
    const response =
      method === 'GET'
        ? await recordingFetch(`${kassa.url}${path}?${params}`)
        : await recordingFetch(`${kassa.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: params.toString(),
          });
    return { status: response.status, body: await response.json() };
  }

  function cardForm(number: string, cvc: string | null = CVC): Record<string, string> {
    numbersSent.add(number);
    const form: Record<string, string> = {
      type: 'card',
      'card[number]': number,
      'card[exp_month]': '12',
      'card[exp_year]': String(EXP_YEAR),
    };
    if (cvc !== null) form['card[cvc]'] = cvc;
    return form;
  }

  async function newCustomer(name = 'Ada'): Promise<Stripe.Customer> {
    return stripe.customers.create({ name });
  }

  async function eventsOfType(type: string): Promise<Stripe.Event[]> {
    return stripe.events.list({ type, limit: 100 }).autoPagingToArray({ limit: 1000 });
  }

  test('create with the secret key: card details, billing details, metadata, Stripe shape', async () => {
    const pm = await stripe.paymentMethods.create({
      type: 'card',
      card: card('4242424242424242'),
      billing_details: {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        phone: '+4712345678',
        address: {
          line1: '1 Analytical Way',
          line2: 'Flat 2',
          city: 'London',
          state: 'LDN',
          postal_code: 'N1 9GU',
          country: 'GB',
        },
      },
      metadata: { order: '42' },
    });
    assert.match(pm.id, /^pm_[A-Za-z0-9]{24}$/);
    assert.equal(pm.object, 'payment_method');
    assert.equal(pm.type, 'card');
    assert.equal(pm.livemode, false);
    assert.equal(pm.customer, null);
    assert.equal(typeof pm.created, 'number');
    assert.deepEqual(pm.metadata, { order: '42' });
    assert.deepEqual(pm.billing_details, {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+4712345678',
      tax_id: null,
      address: {
        line1: '1 Analytical Way',
        line2: 'Flat 2',
        city: 'London',
        state: 'LDN',
        postal_code: 'N1 9GU',
        country: 'GB',
      },
    });
    const details = pm.card!;
    assert.equal(details.brand, 'visa');
    assert.equal(details.display_brand, 'visa');
    assert.equal(details.last4, '4242');
    assert.equal(details.exp_month, 12);
    assert.equal(details.exp_year, EXP_YEAR);
    assert.equal(details.funding, 'credit');
    assert.equal(details.country, 'US');
    assert.match(details.fingerprint!, /^[A-Za-z0-9]{16}$/);
    // The CVC and address were given; their results come with the first authorization.
    assert.deepEqual(details.checks, {
      cvc_check: 'unchecked',
      address_line1_check: 'unchecked',
      address_postal_code_check: 'unchecked',
    });
    assert.equal(details.wallet, null);
    assert.equal(details.generated_from, null);
    assert.deepEqual(details.networks, { available: ['visa'], preferred: null });
    assert.deepEqual(details.three_d_secure_usage, { supported: true });
    assertShape('payment_method', pm);

    const fetched = await stripe.paymentMethods.retrieve(pm.id);
    assert.deepEqual(plain(fetched), plain(pm));
  });

  test('without a CVC or address the checks are null; a number typed with spaces is read as digits', async () => {
    const pm = await stripe.paymentMethods.create({ type: 'card', card: card('4242 4242 4242 4242', { cvc: null }) });
    assert.equal(pm.card!.last4, '4242');
    assert.deepEqual(pm.card!.checks, { cvc_check: null, address_line1_check: null, address_postal_code_check: null });
    assert.deepEqual(pm.billing_details, {
      name: null,
      email: null,
      phone: null,
      tax_id: null,
      address: { line1: null, line2: null, city: null, state: null, postal_code: null, country: null },
    });
    assert.deepEqual(pm.metadata, {});
    assertShape('payment_method', pm);
  });

  test('create with the publishable key, as Stripe.js sends it', async () => {
    const made = await withPublishableKey('POST', '/v1/payment_methods', {
      ...cardForm('5555555555554444'),
      'billing_details[name]': 'Grace Hopper',
      'billing_details[address][postal_code]': '94107',
    });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const pm = made.body as Stripe.PaymentMethod;
    assert.match(pm.id, /^pm_/);
    assert.equal(pm.card!.brand, 'mastercard');
    assert.equal(pm.card!.last4, '4444');
    assert.equal(pm.billing_details.name, 'Grace Hopper');
    assert.equal(pm.billing_details.address!.postal_code, '94107');
    assert.deepEqual(pm.card!.checks, {
      cvc_check: 'unchecked',
      address_line1_check: null,
      address_postal_code_check: 'unchecked',
    });
    assertShape('payment_method', pm);
    // The server sees the same object; the browser, its public view: no customer, metadata or fingerprint.
    const {
      customer: _customer,
      customer_account: _account,
      metadata: _metadata,
      ...seen
    } = plain(await stripe.paymentMethods.retrieve(pm.id));
    const { fingerprint: _fingerprint, ...card } = seen.card!;
    assert.deepEqual(pm, { ...seen, card });

    const byToken = await withPublishableKey('POST', '/v1/payment_methods', {
      type: 'card',
      'card[token]': 'tok_visa',
    });
    assert.equal(byToken.status, 200, JSON.stringify(byToken.body));
    assert.equal(byToken.body.card.brand, 'visa');
    assert.equal(byToken.body.card.last4, '4242');

    // Card errors reach Stripe.js the same way.
    const invalid = await withPublishableKey('POST', '/v1/payment_methods', cardForm('4242424242424241'));
    assert.equal(invalid.status, 402);
    assert.equal(invalid.body.error.type, 'card_error');
    assert.equal(invalid.body.error.code, 'incorrect_number');
    assert.equal(invalid.body.error.param, 'card[number]');
  });

  test("each brand's test number: brand, display_brand, last4, funding, country, networks", async () => {
    for (const row of BRAND_CARDS) {
      const pm = await stripe.paymentMethods.create({ type: 'card', card: card(row.number, { cvc: row.cvc }) });
      const details = pm.card!;
      const label = `${row.number}: ${JSON.stringify(details)}`;
      assert.equal(details.brand, row.brand, label);
      assert.equal(details.display_brand, row.display, label);
      assert.equal(details.last4, row.number.slice(-4), label);
      assert.equal(details.funding, row.funding, label);
      if (row.country) assert.equal(details.country, row.country, label);
      assert.match(details.country ?? '', /^[A-Z]{2}$/, label);
      assert.deepEqual(details.networks, { available: row.networks ?? [row.brand], preferred: null }, label);
      assert.equal(details.exp_month, 12);
      assert.equal(details.exp_year, EXP_YEAR);
      assertShape('payment_method', pm);
    }
  });

  test('card[token] test tokens make cards of their brand', async () => {
    const tokens: Array<[string, string, string, string]> = [
      ['tok_visa', 'visa', '4242', 'credit'],
      ['tok_visa_debit', 'visa', '5556', 'debit'],
      ['tok_mastercard', 'mastercard', '4444', 'credit'],
      ['tok_mastercard_prepaid', 'mastercard', '5100', 'prepaid'],
      ['tok_amex', 'amex', '0005', 'credit'],
      ['tok_discover', 'discover', '1117', 'credit'],
      ['tok_diners', 'diners', '0004', 'credit'],
      ['tok_jcb', 'jcb', '0505', 'credit'],
      ['tok_unionpay', 'unionpay', '0005', 'credit'],
    ];
    for (const [token, brand, last4, funding] of tokens) {
      const pm = await stripe.paymentMethods.create({ type: 'card', card: { token } });
      assert.deepEqual([pm.card!.brand, pm.card!.last4, pm.card!.funding], [brand, last4, funding], token);
      assert.ok(pm.card!.exp_year >= THIS_YEAR, token);
      assertShape('payment_method', pm);
    }
    await assert.rejects(
      stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_nosuchcard' } }),
      isInvalidRequest(404, 'card[token]', { code: 'resource_missing', message: "No such token: 'tok_nosuchcard'" }),
    );
  });

  test('fingerprint: one per card within an account, different across accounts and cards', async () => {
    const first = await stripe.paymentMethods.create({
      type: 'card',
      card: card('4000056655665556', { exp_month: 1, cvc: null }),
    });
    const again = await stripe.paymentMethods.create({
      type: 'card',
      card: card('4000056655665556', { exp_month: 7, exp_year: EXP_YEAR + 1 }),
    });
    assert.notEqual(again.id, first.id);
    assert.equal(again.card!.fingerprint, first.card!.fingerprint);

    const viaPublishable = await withPublishableKey('POST', '/v1/payment_methods', cardForm('4000056655665556'));
    assert.equal(viaPublishable.body.card.fingerprint, undefined, 'a publishable key is not shown it');
    assert.equal(
      (await stripe.paymentMethods.retrieve(viaPublishable.body.id)).card!.fingerprint,
      first.card!.fingerprint,
    );
    // A test token is that card's number: tok_visa_debit is 4000056655665556.
    const viaToken = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa_debit' } });
    assert.equal(viaToken.card!.fingerprint, first.card!.fingerprint);

    const otherCard = await stripe.paymentMethods.create({ type: 'card', card: card('5200828282828210') });
    assert.notEqual(otherCard.card!.fingerprint, first.card!.fingerprint);

    const otherAccount = await kassa.newAccount();
    const elsewhere = await kassa
      .clientFor(otherAccount.secret_key)
      .paymentMethods.create({ type: 'card', card: card('4000056655665556') });
    assert.equal(elsewhere.card!.last4, '5556');
    assert.notEqual(elsewhere.card!.fingerprint, first.card!.fingerprint);
  });

  test("invalid card details: 402 card_error with Stripe's code and param; nothing is created", async () => {
    const before = (await stripe.paymentMethods.list({ limit: 100 })).data.length;
    const cases: Array<[string, ReturnType<typeof card>, string, string, string]> = [
      ['Luhn failure', card('4242424242424241'), 'incorrect_number', 'card[number]', 'Your card number is incorrect.'],
      ['too short', card('424242424242'), 'invalid_number', 'card[number]', 'Your card number is invalid.'],
      ['too long', card('42424242424242424242'), 'invalid_number', 'card[number]', 'Your card number is invalid.'],
      ['amex length', card('3782822463100051'), 'invalid_number', 'card[number]', 'Your card number is invalid.'],
      [
        'not digits',
        { ...card('4242424242424242'), number: '4242abcd42424242' },
        'invalid_number',
        'card[number]',
        'Your card number is invalid.',
      ],
      [
        'month 13',
        card('4242424242424242', { exp_month: 13 }),
        'invalid_expiry_month',
        'card[exp_month]',
        "Your card's expiration month is invalid.",
      ],
      [
        'month 0',
        card('4242424242424242', { exp_month: 0 }),
        'invalid_expiry_month',
        'card[exp_month]',
        "Your card's expiration month is invalid.",
      ],
      [
        'past year',
        card('4242424242424242', { exp_year: THIS_YEAR - 1 }),
        'invalid_expiry_year',
        'card[exp_year]',
        "Your card's expiration year is invalid.",
      ],
      [
        'two-digit CVC',
        card('4242424242424242', { cvc: '98' }),
        'invalid_cvc',
        'card[cvc]',
        "Your card's security code is invalid.",
      ],
      [
        'letters in CVC',
        card('4242424242424242', { cvc: '9a7' }),
        'invalid_cvc',
        'card[cvc]',
        "Your card's security code is invalid.",
      ],
      [
        'three-digit CVC on amex',
        card('378282246310005', { cvc: CVC }),
        'invalid_cvc',
        'card[cvc]',
        "Your card's security code is invalid.",
      ],
    ];
    for (const [label, details, code, param, message] of cases) {
      await assert.rejects(
        stripe.paymentMethods.create({ type: 'card', card: details }),
        isCardError(code, param, message),
        label,
      );
    }
    assert.equal((await stripe.paymentMethods.list({ limit: 100 })).data.length, before);
  });

  test('invalid requests: missing card or type, other types, unknown parameters', async () => {
    await assert.rejects(
      stripe.paymentMethods.create({ type: 'card' }),
      isInvalidRequest(400, 'card', { code: 'parameter_missing', message: 'Missing required param: card.' }),
    );
    await assert.rejects(
      stripe.paymentMethods.create({ card: card('4242424242424242') } as Stripe.PaymentMethodCreateParams),
      isInvalidRequest(400, 'type', { code: 'parameter_missing', message: 'Missing required param: type.' }),
    );
    await assert.rejects(
      stripe.paymentMethods.create({ type: 'sepa_debit', sepa_debit: { iban: 'DE89370400440532013000' } }),
      isInvalidRequest(400, 'type'),
    );
    await assert.rejects(
      stripe.paymentMethods.create({ type: 'no_such_type' } as unknown as Stripe.PaymentMethodCreateParams),
      isInvalidRequest(400, 'type'),
    );
    await assert.rejects(
      stripe.paymentMethods.create({
        type: 'card',
        card: { exp_month: 12, exp_year: EXP_YEAR, number: '4242424242424242', brand: 'visa' } as never,
      }),
      isInvalidRequest(400, 'card[brand]', {
        code: 'parameter_unknown',
        message: 'Received unknown parameter: card[brand]',
      }),
    );
    // A card number sent as a parameter's name is never shown back whole.
    await assert.rejects(
      stripe.paymentMethods.create({
        type: 'card',
        card: { exp_month: 12, exp_year: EXP_YEAR, number: '4242424242424242', '4000-0566-5566-5556': 'x' } as never,
      }),
      isInvalidRequest(400, 'card[***************5556]', {
        code: 'parameter_unknown',
        message: 'Received unknown parameter: card[***************5556]',
      }),
    );
    // All digits, it reads as an array index past the limit: refused without naming it.
    await assert.rejects(
      stripe.paymentMethods.create({
        type: 'card',
        card: { exp_month: 12, exp_year: EXP_YEAR, number: '4242424242424242', '4000056655665556': 'x' } as never,
      }),
      (error: Stripe.errors.StripeError) => {
        assert.equal(error.statusCode, 400);
        assert.doesNotMatch(error.message, /4000056655665556/);
        return true;
      },
    );
    await assert.rejects(
      stripe.paymentMethods.create({ type: 'card', card: { number: '4242424242424242', exp_year: EXP_YEAR } }),
      isInvalidRequest(400, 'card[exp_month]', { code: 'parameter_missing' }),
    );
    await assert.rejects(
      stripe.paymentMethods.create({
        type: 'card',
        card: card('4242424242424242'),
        nickname: 'x',
      } as Stripe.PaymentMethodCreateParams),
      isInvalidRequest(400, 'nickname', { code: 'parameter_unknown' }),
    );
    await assert.rejects(
      stripe.paymentMethods.create({
        type: 'card',
        card: card('4242424242424242'),
        billing_details: { nickname: 'x' },
      } as Stripe.PaymentMethodCreateParams),
      isInvalidRequest(400, 'billing_details[nickname]', { code: 'parameter_unknown' }),
    );
    await assert.rejects(
      stripe.paymentMethods.create({
        type: 'card',
        card: { ...card('4242424242424242'), exp_month: 'december' } as never,
      }),
      isInvalidRequest(400, 'card[exp_month]', { code: 'parameter_invalid_integer' }),
    );
  });

  test('update: only once saved to a customer; billing details, metadata, expiry; payment_method.updated', async () => {
    const pm = await stripe.paymentMethods.create({
      type: 'card',
      card: card('4242424242424242'),
      billing_details: { name: 'Ada', address: { line1: '1 Way', city: 'London' } },
      metadata: { a: '1', b: '2' },
    });
    await assert.rejects(
      stripe.paymentMethods.update(pm.id, { metadata: { c: '3' } }),
      isInvalidRequest(400, 'payment_method', {
        message: 'You must save this PaymentMethod to a customer before you can update it.',
      }),
    );
    assert.deepEqual((await stripe.paymentMethods.retrieve(pm.id)).metadata, { a: '1', b: '2' });

    const customer = await newCustomer();
    await stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    const updated = await stripe.paymentMethods.update(pm.id, {
      billing_details: { email: 'ada@example.com', phone: '', address: { city: 'Paris', country: 'FR' } },
      metadata: { a: '', c: '3' },
      card: { exp_month: 3, exp_year: EXP_YEAR + 2 },
    });
    assert.equal(updated.billing_details.name, 'Ada');
    assert.equal(updated.billing_details.email, 'ada@example.com');
    assert.equal(updated.billing_details.phone, null);
    assert.deepEqual(updated.billing_details.address, {
      line1: null,
      line2: null,
      city: 'Paris',
      state: null,
      postal_code: null,
      country: 'FR',
    });
    assert.deepEqual(updated.metadata, { b: '2', c: '3' });
    assert.equal(updated.card!.exp_month, 3);
    assert.equal(updated.card!.exp_year, EXP_YEAR + 2);
    assert.equal(updated.card!.last4, '4242');
    assert.equal(updated.card!.fingerprint, pm.card!.fingerprint);
    assert.equal(updated.customer, customer.id);
    assertShape('payment_method', updated);
    assert.deepEqual(plain(await stripe.paymentMethods.retrieve(pm.id)), plain(updated));

    const [event] = (await eventsOfType('payment_method.updated')).filter(
      (e) => (e.data.object as Stripe.PaymentMethod).id === pm.id,
    );
    assert.ok(event, 'payment_method.updated recorded');
    assert.deepEqual(plain(event.data.object as Stripe.PaymentMethod), plain(updated));
    const previous = event.data.previous_attributes as Record<string, unknown>;
    assert.deepEqual(previous.metadata, { a: '1', c: null });
    assert.deepEqual((previous.card as Record<string, unknown>).exp_month, 12);
    assert.equal(event.request!.id, updated.lastResponse.requestId);

    // The expiry is checked as at creation; the number cannot change.
    await assert.rejects(
      stripe.paymentMethods.update(pm.id, { card: { exp_month: 13 } }),
      isCardError('invalid_expiry_month', 'card[exp_month]', "Your card's expiration month is invalid."),
    );
    await assert.rejects(
      stripe.paymentMethods.update(pm.id, { card: { exp_year: THIS_YEAR - 1 } }),
      isCardError('invalid_expiry_year', 'card[exp_year]', "Your card's expiration year is invalid."),
    );
    await assert.rejects(
      stripe.paymentMethods.update(pm.id, { card: { number: '4000056655665556' } } as Stripe.PaymentMethodUpdateParams),
      isInvalidRequest(400, 'card[number]', { code: 'parameter_unknown' }),
    );
    const unchanged = await stripe.paymentMethods.retrieve(pm.id);
    assert.deepEqual(
      [unchanged.card!.exp_month, unchanged.card!.exp_year, unchanged.card!.last4],
      [3, EXP_YEAR + 2, '4242'],
    );

    // A later charge shows the updated expiry.
    const intent = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      expand: ['latest_charge'],
    });
    assert.equal(intent.status, 'succeeded');
    const charged = (intent.latest_charge as Stripe.Charge).payment_method_details!.card!;
    assert.deepEqual([charged.exp_month, charged.exp_year, charged.last4], [3, EXP_YEAR + 2, '4242']);

    await assert.rejects(
      stripe.paymentMethods.retrieve('pm_nosuchpaymentmethod0000'),
      isInvalidRequest(404, 'payment_method', {
        code: 'resource_missing',
        message: "No such PaymentMethod: 'pm_nosuchpaymentmethod0000'",
      }),
    );
    await assert.rejects(
      stripe.paymentMethods.update('pm_nosuchpaymentmethod0000', { metadata: { a: '1' } }),
      isInvalidRequest(404, 'payment_method', { code: 'resource_missing' }),
    );
  });

  test('attach and detach: customer, events, errors', async () => {
    const customer = await newCustomer('Attach');
    const pm = await stripe.paymentMethods.create({ type: 'card', card: card('5555555555554444') });
    const attached = await stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    assert.equal(attached.customer, customer.id);
    assert.equal(attached.card!.fingerprint, pm.card!.fingerprint);
    assertShape('payment_method', attached);
    assert.equal((await stripe.paymentMethods.retrieve(pm.id)).customer, customer.id);

    const attachedEvents = (await eventsOfType('payment_method.attached')).filter(
      (e) => (e.data.object as Stripe.PaymentMethod).id === pm.id,
    );
    assert.equal(attachedEvents.length, 1);
    assert.deepEqual(plain(attachedEvents[0].data.object as Stripe.PaymentMethod), plain(attached));
    assert.equal(attachedEvents[0].request!.id, attached.lastResponse.requestId);

    const other = await newCustomer('Other');
    await assert.rejects(
      stripe.paymentMethods.attach(pm.id, { customer: other.id }),
      isInvalidRequest(400, 'customer', {
        message: 'The payment method you provided has already been attached to a customer.',
      }),
    );
    await assert.rejects(
      stripe.paymentMethods.attach(pm.id, { customer: 'cus_nosuchcustome' }),
      isInvalidRequest(404, 'customer', { code: 'resource_missing' }),
    );
    const loose = await stripe.paymentMethods.create({ type: 'card', card: card('5555555555554444') });
    await assert.rejects(
      stripe.paymentMethods.attach(loose.id, { customer: 'cus_nosuchcustome' }),
      isInvalidRequest(404, 'customer', { code: 'resource_missing' }),
    );
    assert.equal((await stripe.paymentMethods.retrieve(loose.id)).customer, null);
    const deleted = await newCustomer('Gone');
    await stripe.customers.del(deleted.id);
    await assert.rejects(
      stripe.paymentMethods.attach(loose.id, { customer: deleted.id }),
      isInvalidRequest(404, 'customer', { code: 'resource_missing' }),
    );
    await assert.rejects(
      stripe.paymentMethods.attach('pm_nosuchpaymentmethod0000', { customer: customer.id }),
      isInvalidRequest(404, 'payment_method', { code: 'resource_missing' }),
    );

    // A detached card stops being the customer's default.
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const detached = await stripe.paymentMethods.detach(pm.id);
    assert.equal(detached.customer, null);
    assertShape('payment_method', detached);
    assert.equal((await stripe.paymentMethods.retrieve(pm.id)).customer, null);
    assert.equal(
      ((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).invoice_settings.default_payment_method,
      null,
    );
    const [detachedEvent] = (await eventsOfType('payment_method.detached')).filter(
      (e) => (e.data.object as Stripe.PaymentMethod).id === pm.id,
    );
    assert.ok(detachedEvent, 'payment_method.detached recorded');
    assert.deepEqual(plain(detachedEvent.data.object as Stripe.PaymentMethod), plain(detached));
    assert.deepEqual(detachedEvent.data.previous_attributes, { customer: customer.id });

    await assert.rejects(
      stripe.paymentMethods.detach(pm.id),
      isInvalidRequest(400, 'payment_method', {
        message: 'The payment method you provided is not attached to a customer so detachment is impossible.',
      }),
    );
    await assert.rejects(
      stripe.paymentMethods.detach('pm_nosuchpaymentmethod0000'),
      isInvalidRequest(404, 'payment_method', { code: 'resource_missing' }),
    );
    assert.equal(
      (await eventsOfType('payment_method.detached')).filter(
        (e) => (e.data.object as Stripe.PaymentMethod).id === pm.id,
      ).length,
      1,
    );
  });

  test('attaching runs a check with the issuer: a declined card is not saved, 4000000000000341 is', async () => {
    const customer = await newCustomer('Decline');
    const declined = await stripe.paymentMethods.create({ type: 'card', card: card('4000000000000002') });
    await assert.rejects(
      stripe.paymentMethods.attach(declined.id, { customer: customer.id }),
      (e: Stripe.errors.StripeError) => {
        assert.ok(e instanceof Stripe.errors.StripeCardError, e.constructor.name);
        assert.equal(e.statusCode, 402);
        assert.equal(e.code, 'card_declined');
        assert.equal(e.decline_code, 'generic_decline');
        assert.equal(e.message, 'Your card was declined.');
        return true;
      },
    );
    assert.equal((await stripe.paymentMethods.retrieve(declined.id)).customer, null);

    const pmCount = (await stripe.paymentMethods.list({ limit: 100 })).data.length;
    await assert.rejects(
      stripe.paymentMethods.attach('pm_card_visa_chargeDeclined', { customer: customer.id }),
      (e: Stripe.errors.StripeError) => e.statusCode === 402 && e.code === 'card_declined',
    );
    assert.equal(
      (await stripe.paymentMethods.list({ limit: 100 })).data.length,
      pmCount,
      'a declined test id leaves no PaymentMethod behind',
    );
    assert.equal((await stripe.customers.listPaymentMethods(customer.id)).data.length, 0);
    const attachedIds = (await eventsOfType('payment_method.attached')).map(
      (e) => (e.data.object as Stripe.PaymentMethod).id,
    );
    assert.ok(!attachedIds.includes(declined.id));

    const chargeFails = await stripe.paymentMethods.create({ type: 'card', card: card('4000000000000341') });
    const saved = await stripe.paymentMethods.attach(chargeFails.id, { customer: customer.id });
    assert.equal(saved.customer, customer.id);
    assert.deepEqual(
      (await stripe.customers.listPaymentMethods(customer.id)).data.map((p) => p.id),
      [chargeFails.id],
    );
  });

  test('attaching pm_card_visa makes a new PaymentMethod with the Visa test card each time', async () => {
    const customer = await newCustomer('Magic');
    const first = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const second = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    for (const pm of [first, second]) {
      assert.match(pm.id, /^pm_[A-Za-z0-9]{24}$/);
      assert.equal(pm.customer, customer.id);
      assert.equal(pm.card!.brand, 'visa');
      assert.equal(pm.card!.last4, '4242');
      assertShape('payment_method', pm);
    }
    assert.notEqual(first.id, second.id);
    assert.equal(first.card!.fingerprint, second.card!.fingerprint);
    assert.deepEqual(plain(await stripe.paymentMethods.retrieve(first.id)), plain(first));
    assert.deepEqual(
      (await stripe.customers.listPaymentMethods(customer.id)).data.map((p) => p.id),
      [second.id, first.id],
    );
    await assert.rejects(
      stripe.paymentMethods.attach('pm_card_nosuchcard', { customer: customer.id }),
      isInvalidRequest(404, 'payment_method', { code: 'resource_missing' }),
    );
  });

  test("lists: by customer and type, newest first, cursors; a customer's PaymentMethods", async () => {
    const ada = await newCustomer('Ada list');
    const bob = await newCustomer('Bob list');
    const adas: Stripe.PaymentMethod[] = [];
    for (const number of ['4242424242424242', '5555555555554444', '6011111111111117']) {
      const pm = await stripe.paymentMethods.create({ type: 'card', card: card(number) });
      adas.unshift(await stripe.paymentMethods.attach(pm.id, { customer: ada.id }));
    }
    const bobs = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: bob.id });
    const loose = await stripe.paymentMethods.create({ type: 'card', card: card('4242424242424242') });

    const ids = (list: Stripe.ApiList<Stripe.PaymentMethod>) => list.data.map((p) => p.id);
    const all = await stripe.paymentMethods.list({ customer: ada.id, type: 'card' });
    assert.deepEqual(
      ids(all),
      adas.map((p) => p.id),
    );
    assert.equal(all.has_more, false);
    assert.equal(all.url, '/v1/payment_methods');
    for (const pm of all.data) assertShape('payment_method', pm);

    const page1 = await stripe.paymentMethods.list({ customer: ada.id, limit: 2 });
    assert.deepEqual(
      ids(page1),
      adas.slice(0, 2).map((p) => p.id),
    );
    assert.equal(page1.has_more, true);
    const page2 = await stripe.paymentMethods.list({ customer: ada.id, limit: 2, starting_after: page1.data[1].id });
    assert.deepEqual(ids(page2), [adas[2].id]);
    assert.equal(page2.has_more, false);
    const back = await stripe.paymentMethods.list({ customer: ada.id, limit: 2, ending_before: adas[2].id });
    assert.deepEqual(
      ids(back),
      adas.slice(0, 2).map((p) => p.id),
    );
    const paged = await stripe.paymentMethods.list({ customer: ada.id, limit: 1 }).autoPagingToArray({ limit: 10 });
    assert.deepEqual(
      paged.map((p) => p.id),
      adas.map((p) => p.id),
    );

    const none = await stripe.paymentMethods.list({ customer: ada.id, type: 'sepa_debit' });
    assert.deepEqual(none.data, []);
    const everything = ids(await stripe.paymentMethods.list({ limit: 100 }));
    assert.ok(everything.includes(loose.id) && everything.includes(bobs.id));

    const ofAda = await stripe.customers.listPaymentMethods(ada.id);
    assert.deepEqual(
      ids(ofAda),
      adas.map((p) => p.id),
    );
    assert.equal(ofAda.url, `/v1/customers/${ada.id}/payment_methods`);
    assert.deepEqual(
      ids(await stripe.customers.listPaymentMethods(ada.id, { type: 'card', limit: 1, starting_after: adas[0].id })),
      [adas[1].id],
    );
    assert.deepEqual(ids(await stripe.customers.listPaymentMethods(bob.id)), [bobs.id]);
    await assert.rejects(
      stripe.customers.listPaymentMethods('cus_nosuchcustome'),
      isInvalidRequest(404, 'id', { code: 'resource_missing' }),
    );

    assert.deepEqual(plain(await stripe.customers.retrievePaymentMethod(ada.id, adas[1].id)), plain(adas[1]));
    await assert.rejects(
      stripe.customers.retrievePaymentMethod(ada.id, bobs.id),
      isInvalidRequest(404, 'payment_method', { code: 'resource_missing' }),
    );
    await assert.rejects(
      stripe.customers.retrievePaymentMethod(ada.id, loose.id),
      isInvalidRequest(404, 'payment_method', { code: 'resource_missing' }),
    );
  });

  test("another account cannot see, change or attach this account's PaymentMethods", async () => {
    const pm = await stripe.paymentMethods.create({ type: 'card', card: card('4242424242424242') });
    const mine = await newCustomer('Mine');
    const attached = await stripe.paymentMethods.create({ type: 'card', card: card('5555555555554444') });
    await stripe.paymentMethods.attach(attached.id, { customer: mine.id });

    const otherAccount = await kassa.newAccount();
    const other = kassa.clientFor(otherAccount.secret_key);
    const theirs = await other.customers.create({ name: 'Theirs' });
    const missing = isInvalidRequest(404, 'payment_method', {
      code: 'resource_missing',
      message: `No such PaymentMethod: '${pm.id}'`,
    });
    await assert.rejects(other.paymentMethods.retrieve(pm.id), missing);
    await assert.rejects(other.paymentMethods.attach(pm.id, { customer: theirs.id }), missing);
    await assert.rejects(
      other.paymentMethods.detach(attached.id),
      isInvalidRequest(404, 'payment_method', { code: 'resource_missing' }),
    );
    await assert.rejects(
      other.paymentMethods.update(attached.id, { metadata: { x: '1' } }),
      isInvalidRequest(404, 'payment_method', { code: 'resource_missing' }),
    );
    await assert.rejects(
      other.customers.retrievePaymentMethod(mine.id, attached.id),
      (e: Stripe.errors.StripeError) => e.statusCode === 404,
    );
    // Nor attach to this account's customer from there.
    const theirPm = await other.paymentMethods.create({ type: 'card', card: card('4242424242424242') });
    await assert.rejects(
      other.paymentMethods.attach(theirPm.id, { customer: mine.id }),
      isInvalidRequest(404, 'customer', { code: 'resource_missing' }),
    );
    assert.deepEqual(
      (await other.paymentMethods.list({ limit: 100 })).data.map((p) => p.id),
      [theirPm.id],
    );
    assert.deepEqual((await other.paymentMethods.list({ customer: mine.id })).data, []);

    assert.equal((await stripe.paymentMethods.retrieve(pm.id)).customer, null);
    assert.equal((await stripe.paymentMethods.retrieve(attached.id)).customer, mine.id);
  });

  test('a publishable key can create but not retrieve, list, update, attach or detach: 401 secret_key_required', async () => {
    const customer = await newCustomer('Browser');
    const pm = await stripe.paymentMethods.create({ type: 'card', card: card('4242424242424242') });
    const attached = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const refused: Array<[string, Promise<Raw>]> = [
      ['retrieve', withPublishableKey('GET', `/v1/payment_methods/${pm.id}`)],
      ['list', withPublishableKey('GET', '/v1/payment_methods', { customer: customer.id })],
      ['update', withPublishableKey('POST', `/v1/payment_methods/${attached.id}`, { 'metadata[a]': '1' })],
      ['attach', withPublishableKey('POST', `/v1/payment_methods/${pm.id}/attach`, { customer: customer.id })],
      [
        'attach a test id',
        withPublishableKey('POST', '/v1/payment_methods/pm_card_visa/attach', { customer: customer.id }),
      ],
      ['detach', withPublishableKey('POST', `/v1/payment_methods/${attached.id}/detach`)],
      ["customer's list", withPublishableKey('GET', `/v1/customers/${customer.id}/payment_methods`)],
      ["customer's one", withPublishableKey('GET', `/v1/customers/${customer.id}/payment_methods/${attached.id}`)],
    ];
    for (const [label, pending] of refused) {
      const response = await pending;
      assert.equal(response.status, 401, label);
      assert.equal(response.body.error.code, SECRET_KEY_REQUIRED, label);
      assert.equal(response.body.error.type, 'invalid_request_error', label);
    }
    // The SDK with a publishable key is refused the same way.
    await assert.rejects(
      kassa.clientFor(kassa.account.publishable_key).paymentMethods.retrieve(pm.id),
      (e: Stripe.errors.StripeError) => e.statusCode === 401 && e.code === SECRET_KEY_REQUIRED,
    );
    assert.equal((await stripe.paymentMethods.retrieve(pm.id)).customer, null);
    assert.equal((await stripe.paymentMethods.retrieve(attached.id)).customer, customer.id);
    assert.deepEqual((await stripe.paymentMethods.retrieve(attached.id)).metadata, {});
    assert.deepEqual(
      (await stripe.customers.listPaymentMethods(customer.id)).data.map((p) => p.id),
      [attached.id],
    );
  });

  test('idempotent creation replays the PaymentMethod; a replayed card error too', async () => {
    const key = `pm-create-${Date.now()}`;
    const params = { type: 'card' as const, card: card('6011000990139424') };
    const first = await stripe.paymentMethods.create(params, { idempotencyKey: key });
    const replay = await stripe.paymentMethods.create(params, { idempotencyKey: key });
    assert.equal(replay.id, first.id);
    assert.equal(header(replay.lastResponse.headers, 'idempotent-replayed'), 'true');

    const badKey = `${key}-bad`;
    const bad = { type: 'card' as const, card: card('6011000990139424', { cvc: '98' }) };
    await assert.rejects(
      stripe.paymentMethods.create(bad, { idempotencyKey: badKey }),
      (e: Stripe.errors.StripeError) => e.code === 'invalid_cvc',
    );
    await assert.rejects(
      stripe.paymentMethods.create(bad, { idempotencyKey: badKey }),
      (e: Stripe.errors.StripeError) => {
        assert.equal(e.code, 'invalid_cvc');
        assert.equal(header(e.headers, 'idempotent-replayed'), 'true');
        return true;
      },
    );
  });

  test('card data sent to intents: payment_method_data on PaymentIntent and SetupIntent create and confirm, with either key', async () => {
    const once = (name: string) => ({ idempotencyKey: `${name}-${Date.now()}` });
    // Card-only intents need no return_url (the SDK's types no longer name payment_method_types).
    const intent = {
      amount: 1200,
      currency: 'usd',
      payment_method_types: ['card'],
    } as Stripe.PaymentIntentCreateParams;
    // PaymentIntents with the secret key: the card kept for a later confirm, paid at creation, paid at confirmation.
    const kept = await stripe.paymentIntents.create(
      { ...intent, payment_method_data: cardData('5200828282828210') },
      once('pi-data'),
    );
    assert.equal(kept.status, 'requires_confirmation');
    const paid = await stripe.paymentIntents.create(
      { ...intent, confirm: true, payment_method_data: cardData('371449635398431', AMEX_CVC) },
      once('pi-create-confirm'),
    );
    assert.equal(paid.status, 'succeeded');
    const open = await stripe.paymentIntents.create(intent);
    assert.equal(
      (
        await stripe.paymentIntents.confirm(
          open.id,
          { payment_method_data: cardData('6011981111111113') },
          once('pi-confirm'),
        )
      ).status,
      'succeeded',
    );
    // With the publishable key and the client secret, as Stripe.js confirms: a declined card, then a good one.
    const browser = await stripe.paymentIntents.create(intent);
    const declined = await withPublishableKey('POST', `/v1/payment_intents/${browser.id}/confirm`, {
      client_secret: browser.client_secret!,
      ...cardDataForm('4000000000000002'),
    });
    assert.equal(declined.status, 402);
    const confirmed = await withPublishableKey('POST', `/v1/payment_intents/${browser.id}/confirm`, {
      client_secret: browser.client_secret!,
      ...cardDataForm('36227206271667'),
    });
    assert.equal(confirmed.body.status, 'succeeded', JSON.stringify(confirmed.body));
    // The pages Kassa hosts about these cards: a 3-D Secure challenge and a receipt.
    const challenged = await stripe.paymentIntents.create({
      ...intent,
      confirm: true,
      return_url: 'https://shop.example/done',
      payment_method_data: cardData('4000002760003184'),
    });
    assert.equal(challenged.status, 'requires_action');
    assert.equal((await recordingFetch(challenged.next_action!.redirect_to_url!.url!)).status, 200);
    assert.equal(
      (await recordingFetch((await stripe.charges.retrieve(paid.latest_charge as string)).receipt_url!)).status,
      200,
    );

    // SetupIntents, the same ways.
    const setup = { payment_method_types: ['card'] } as Stripe.SetupIntentCreateParams;
    const keptSetup = await stripe.setupIntents.create(
      { ...setup, payment_method_data: cardData('3566002020360505') },
      once('si-data'),
    );
    assert.equal(keptSetup.status, 'requires_confirmation');
    assert.equal(
      (
        await stripe.setupIntents.create(
          { ...setup, confirm: true, payment_method_data: cardData('6200000000000047') },
          once('si-create-confirm'),
        )
      ).status,
      'succeeded',
    );
    const openSetup = await stripe.setupIntents.create(setup);
    assert.equal(
      (
        await stripe.setupIntents.confirm(
          openSetup.id,
          { payment_method_data: cardData('6205500000000000004') },
          once('si-confirm'),
        )
      ).status,
      'succeeded',
    );
    const browserSetup = await stripe.setupIntents.create(setup);
    const declinedSetup = await withPublishableKey('POST', `/v1/setup_intents/${browserSetup.id}/confirm`, {
      client_secret: browserSetup.client_secret!,
      ...cardDataForm('4000000000000002'),
    });
    assert.equal(declinedSetup.status, 402);
    const confirmedSetup = await withPublishableKey('POST', `/v1/setup_intents/${browserSetup.id}/confirm`, {
      client_secret: browserSetup.client_secret!,
      ...cardDataForm('2223003122003222'),
    });
    assert.equal(confirmedSetup.body.status, 'succeeded', JSON.stringify(confirmedSetup.body));
  });

  // Runs after the tests above, which made cards with every number in numbersSent.
  test('no full card number or CVC in the database, the responses or the events', async () => {
    // One more of each path, with an idempotency key, so its stored response is there too.
    await stripe.paymentMethods.create(
      { type: 'card', card: card('378282246310005', { cvc: AMEX_CVC }) },
      { idempotencyKey: `amex-${Date.now()}` },
    );
    await withPublishableKey('POST', '/v1/payment_methods', cardForm('3566002020360505'));
    assert.ok(numbersSent.size >= BRAND_CARDS.length, 'the suite sent card numbers');
    // The search finds what it looks for.
    assert.deepEqual(leaks('{"card":{"cvc":"987"}}'), [`cvc ${CVC}`]);
    assert.deepEqual(leaks('card%5Bcvc%5D=9876&x'), [`cvc ${AMEX_CVC}`]);
    assert.ok(leaks('..4242 4242 4242 4242..').includes('4242 4242 4242 4242'));
    assert.deepEqual(leaks('{"fingerprint":"a987Bc","exp_year":2029,"last4":"4242"}'), []);

    const events = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
    assert.ok(events.some((e) => e.type === 'payment_method.attached'));
    assert.deepEqual(leaks(JSON.stringify(events)), [], 'events');

    assert.ok(bodies.length > 50, 'responses were recorded');
    assert.ok(bodies.some((b) => b.includes('"last4"')));
    const leakingBodies = bodies.filter((b) => leaks(b).length > 0);
    assert.deepEqual(leakingBodies, [], 'response bodies');

    if (config.sqlitePath) {
      const dir = dirname(config.sqlitePath);
      const files = readdirSync(dir);
      assert.ok(files.includes('kassa.db'));
      for (const file of files) {
        const text = readFileSync(join(dir, file)).toString('latin1');
        assert.deepEqual(leaks(text), [], file);
      }
      // The check can see what it looks for: the fingerprints are in the file.
      const dbText = files.map((f) => readFileSync(join(dir, f)).toString('latin1')).join('');
      const somePm = (await stripe.paymentMethods.list({ limit: 1 })).data[0];
      assert.ok(dbText.includes(somePm.card!.fingerprint!));
    } else {
      const client = new pg.Client({ connectionString: config.databaseUrl });
      await client.connect();
      try {
        const tables = await client.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        );
        const names = tables.rows.map((r) => r.table_name);
        for (const name of ['objects', 'events', 'idempotency_keys']) assert.ok(names.includes(name), name);
        for (const name of names) {
          const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
          const text = rows.rows.map((r) => r.row).join('\n');
          assert.deepEqual(leaks(text), [], name);
          if (name === 'objects') assert.ok(text.includes('"last4"'), 'the check sees the stored cards');
          if (name === 'idempotency_keys') assert.ok(rows.rows.length > 0, 'idempotency records were kept');
        }
      } finally {
        await client.end();
      }
    }
  });

  test('nothing logged carries a card number or CVC, even at trace level', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    const store = await openStore(await target.config(), MIGRATIONS);
    const app = createKassa({ store, logger });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as { port: number }).port;
      const account = await createAccount(store, { now: Math.floor(Date.now() / 1000) });
      const client = new Stripe(account.secret_key, {
        host: '127.0.0.1',
        port,
        protocol: 'http',
        maxNetworkRetries: 0,
        telemetry: false,
      });
      const customer = await client.customers.create({ name: 'Logged' });
      const pm = await client.paymentMethods.create(
        { type: 'card', card: card('4000002500001001') },
        { idempotencyKey: `log-${Date.now()}` },
      );
      await client.paymentMethods.attach(pm.id, { customer: customer.id });
      await assert.rejects(
        client.paymentMethods.create({ type: 'card', card: card('4000002500001001', { exp_month: 13 }) }),
      );
      await assert.rejects(
        client.paymentMethods
          .create({ type: 'card', card: card('4000000000000002') })
          .then((d) => client.paymentMethods.attach(d.id, { customer: customer.id })),
      );
      await assert.rejects(
        client.paymentMethods.create({ type: 'card', card: { ...card('4000002500001001'), extra: CVC } as never }),
      );
      // Card data sent to intents, with either key.
      const intent = {
        amount: 1000,
        currency: 'usd',
        payment_method_types: ['card'],
      } as Stripe.PaymentIntentCreateParams;
      await client.paymentIntents.create({
        ...intent,
        confirm: true,
        payment_method_data: cardData('4000002500001001'),
      });
      await client.setupIntents.create({
        payment_method_types: ['card'],
        confirm: true,
        payment_method_data: cardData('4000002500001001'),
      } as Stripe.SetupIntentCreateParams);
      const open = await client.paymentIntents.create(intent);
      const confirmed = await fetch(`http://127.0.0.1:${port}/v1/payment_intents/${open.id}/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          key: account.publishable_key,
          client_secret: open.client_secret!,
          ...cardDataForm('4000002500001001'),
        }).toString(),
      });
      assert.equal(confirmed.status, 200);
    } finally {
      await app.close();
      await store.close();
    }
    assert.ok(lines.length > 0, 'the logger was written to');
    assert.deepEqual(leaks(lines.join('\n')), []);
  });
});
