// Catalog rules (src/billing/price.ts, plan.ts, product.ts), without HTTP or a database.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyPlanUpdate, planOf, PLAN_PARAMS, priceParamsOfPlan } from '../../src/billing/plan.js';
import {
  applyPriceUpdate,
  exactDecimal,
  expandedCurrencyOptions,
  nestedParams,
  newPrice,
  type ParamNames,
  type PriceParams,
} from '../../src/billing/price.js';
import { applyProductParams, newProduct } from '../../src/billing/product.js';
import { StripeError } from '../../src/server/errors.js';

const NOW = 1_700_000_000;

function assertRefused(apply: () => unknown, param: string, message?: RegExp): void {
  assert.throws(apply, (error: unknown) => {
    assert.ok(error instanceof StripeError, String(error));
    assert.equal(error.statusCode, 400);
    assert.equal(error.body.type, 'invalid_request_error');
    assert.equal(error.body.param, param);
    if (message) assert.match(error.body.message, message);
    return true;
  });
}

const price = (params: Partial<PriceParams>, names?: ParamNames) =>
  newPrice('price_1', 'prod_1', { currency: 'usd', ...params }, NOW, names);

describe('newPrice', () => {
  test('a one-time price with the defaults Stripe shows', () => {
    const { price: made, extras } = price({ unit_amount: 1500 });
    assert.deepEqual(made, {
      id: 'price_1',
      object: 'price',
      active: true,
      billing_scheme: 'per_unit',
      created: NOW,
      currency: 'usd',
      custom_unit_amount: null,
      livemode: false,
      lookup_key: null,
      metadata: {},
      nickname: null,
      product: 'prod_1',
      recurring: null,
      tax_behavior: 'unspecified',
      tiers_mode: null,
      transform_quantity: null,
      type: 'one_time',
      unit_amount: 1500,
      unit_amount_decimal: '1500',
    });
    assert.deepEqual(extras, {});
  });

  test('a recurring price: interval_count 1 and licensed by default', () => {
    const { price: made } = price({ unit_amount: 0, recurring: { interval: 'month' } });
    assert.equal(made.type, 'recurring');
    assert.deepEqual(made.recurring, {
      interval: 'month',
      interval_count: 1,
      meter: null,
      trial_period_days: null,
      usage_type: 'licensed',
    });
  });

  test('the currency is checked and kept in lower case', () => {
    assert.equal(price({ unit_amount: 1, currency: 'EUR' }).price.currency, 'eur');
    assertRefused(() => price({ unit_amount: 1, currency: 'xxx' }), 'currency', /Invalid currency: xxx/);
  });

  test('interval_count: at most one year in each unit', () => {
    for (const [interval, max] of [
      ['day', 365],
      ['week', 52],
      ['month', 12],
      ['year', 1],
    ] as const) {
      assert.equal(
        price({ unit_amount: 1, recurring: { interval, interval_count: max } }).price.recurring?.interval_count,
        max,
      );
      assertRefused(
        () => price({ unit_amount: 1, recurring: { interval, interval_count: max + 1 } }),
        'recurring[interval_count]',
        /maximum billing interval is one year/,
      );
    }
    assertRefused(
      () => price({ unit_amount: 1, recurring: { interval: 'month', interval_count: 0 } }),
      'recurring[interval_count]',
    );
  });

  test('unit_amount or unit_amount_decimal, one of them, not negative', () => {
    assertRefused(() => price({}), 'unit_amount', /Missing required param: unit_amount/);
    assertRefused(() => price({ unit_amount: 1, unit_amount_decimal: '1' }), 'unit_amount_decimal');
    assertRefused(() => price({ unit_amount: -1 }), 'unit_amount');
  });

  test('unit_amount_decimal stays exact: an integral one sets unit_amount too', () => {
    const fractional = price({ unit_amount_decimal: '0.123456789012' }).price;
    assert.equal(fractional.unit_amount, null);
    assert.equal(fractional.unit_amount_decimal, '0.123456789012');
    const integral = price({ unit_amount_decimal: '0150.00' }).price;
    assert.equal(integral.unit_amount, 150);
    assert.equal(integral.unit_amount_decimal, '150');
    assertRefused(() => price({ unit_amount_decimal: '1.0000000000001' }), 'unit_amount_decimal', /12 decimal places/);
    assertRefused(() => price({ unit_amount_decimal: '1e3' }), 'unit_amount_decimal', /Invalid decimal/);
    assertRefused(() => price({ unit_amount_decimal: '-5' }), 'unit_amount_decimal');
  });

  test('exactDecimal never goes through a float', () => {
    assert.equal(exactDecimal('12345678901234567890.123456789012', 'x'), '12345678901234567890.123456789012');
    assert.equal(exactDecimal('000', 'x'), '0');
    assert.equal(exactDecimal('0.50', 'x'), '0.5');
  });

  test('tiered prices: tiers in the extras, in order, the last up to inf', () => {
    const { price: made, extras } = price({
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      recurring: { interval: 'month' },
      tiers: [
        { up_to: 10, unit_amount: 500 },
        { up_to: 100, unit_amount_decimal: '4.5', flat_amount: 100 },
        { up_to: 'inf', flat_amount_decimal: '2000' },
      ],
    });
    assert.equal(made.billing_scheme, 'tiered');
    assert.equal(made.tiers_mode, 'graduated');
    assert.equal(made.unit_amount, null);
    assert.equal(made.unit_amount_decimal, null);
    assert.equal('tiers' in made, false, 'tiers appear only when expanded');
    assert.deepEqual(extras.tiers, [
      { flat_amount: null, flat_amount_decimal: null, unit_amount: 500, unit_amount_decimal: '500', up_to: 10 },
      { flat_amount: 100, flat_amount_decimal: '100', unit_amount: null, unit_amount_decimal: '4.5', up_to: 100 },
      { flat_amount: 2000, flat_amount_decimal: '2000', unit_amount: null, unit_amount_decimal: null, up_to: null },
    ]);
  });

  test('tiers: what Stripe refuses, naming the tier', () => {
    const tiered = { billing_scheme: 'tiered', tiers_mode: 'volume' } as const;
    assertRefused(() => price({ ...tiered }), 'tiers', /Missing required param: tiers/);
    assertRefused(() => price({ billing_scheme: 'tiered', tiers: [{ up_to: 'inf', unit_amount: 1 }] }), 'tiers_mode');
    assertRefused(() => price({ ...tiered, tiers: [{ up_to: 10, unit_amount: 1 }] }), 'tiers[0][up_to]', /last tier/);
    assertRefused(
      () =>
        price({
          ...tiered,
          tiers: [
            { up_to: 'inf', unit_amount: 1 },
            { up_to: 'inf', unit_amount: 1 },
          ],
        }),
      'tiers[0][up_to]',
    );
    assertRefused(
      () =>
        price({
          ...tiered,
          tiers: [
            { up_to: 10, unit_amount: 1 },
            { up_to: 5, unit_amount: 1 },
            { up_to: 'inf', unit_amount: 1 },
          ],
        }),
      'tiers[1][up_to]',
      /increasing/,
    );
    assertRefused(() => price({ ...tiered, tiers: [{ up_to: 'inf' }] }), 'tiers[0][unit_amount]');
    assertRefused(
      () => price({ ...tiered, tiers: [{ up_to: 'inf', unit_amount: 1, unit_amount_decimal: '1' }] }),
      'tiers[0][unit_amount_decimal]',
    );
    assertRefused(() => price({ ...tiered, unit_amount: 5, tiers: [{ up_to: 'inf', unit_amount: 1 }] }), 'unit_amount');
    assertRefused(
      () =>
        price({
          ...tiered,
          tiers: [{ up_to: 'inf', unit_amount: 1 }],
          transform_quantity: { divide_by: 2, round: 'up' },
        }),
      'transform_quantity',
    );
    assertRefused(() => price({ unit_amount: 1, tiers: [{ up_to: 'inf', unit_amount: 1 }] }), 'tiers');
    assertRefused(() => price({ unit_amount: 1, tiers_mode: 'volume' }), 'tiers_mode');
  });

  test('transform_quantity divides by at least 1', () => {
    const made = price({ unit_amount: 1, transform_quantity: { divide_by: 10, round: 'up' } }).price;
    assert.deepEqual(made.transform_quantity, { divide_by: 10, round: 'up' });
    assertRefused(
      () => price({ unit_amount: 1, transform_quantity: { divide_by: 0, round: 'up' } }),
      'transform_quantity[divide_by]',
    );
  });

  test('custom_unit_amount: one-time prices only, in place of a unit amount', () => {
    const made = price({ custom_unit_amount: { enabled: true, minimum: 100, preset: 500 } }).price;
    assert.deepEqual(made.custom_unit_amount, { maximum: null, minimum: 100, preset: 500 });
    assert.equal(made.unit_amount, null);
    assertRefused(
      () => price({ custom_unit_amount: { enabled: true }, recurring: { interval: 'month' } }),
      'custom_unit_amount',
    );
    assertRefused(
      () => price({ custom_unit_amount: { enabled: true, minimum: 10, maximum: 5 } }),
      'custom_unit_amount[minimum]',
    );
  });

  test('currency_options: other currencies, shown with the own one when expanded', () => {
    const { price: made, extras } = price({
      unit_amount: 1000,
      currency_options: { eur: { unit_amount: 900, tax_behavior: 'inclusive' } },
    });
    assert.deepEqual(expandedCurrencyOptions(made, extras), {
      usd: { custom_unit_amount: null, tax_behavior: 'unspecified', unit_amount: 1000, unit_amount_decimal: '1000' },
      eur: { custom_unit_amount: null, tax_behavior: 'inclusive', unit_amount: 900, unit_amount_decimal: '900' },
    });
    assertRefused(() => price({ unit_amount: 1, currency_options: { eur: {} } }), 'currency_options[eur][unit_amount]');
    assertRefused(
      () => price({ unit_amount: 1, currency_options: { usd: { unit_amount: 1 } } }),
      'currency_options[usd]',
    );
    assertRefused(
      () => price({ unit_amount: 1, currency_options: { zzz: { unit_amount: 1 } } }),
      'currency_options[zzz]',
    );
  });

  test('errors name the parameters of the route the price came through', () => {
    assertRefused(
      () =>
        price(
          { recurring: { interval: 'week', interval_count: 53 }, unit_amount: 1 },
          nestedParams('default_price_data'),
        ),
      'default_price_data[recurring][interval_count]',
    );
    assertRefused(
      () => price({ unit_amount: -1 }, nestedParams('default_price_data')),
      'default_price_data[unit_amount]',
    );
    assertRefused(
      () => newPrice('gold', 'prod_1', priceParamsOfPlan({ currency: 'usd', interval: 'month' }), NOW, PLAN_PARAMS),
      'amount',
    );
    assertRefused(
      () =>
        newPrice(
          'gold',
          'prod_1',
          priceParamsOfPlan({ currency: 'usd', interval: 'day', interval_count: 366, amount: 1 }),
          NOW,
          PLAN_PARAMS,
        ),
      'interval_count',
    );
  });
});

describe('applyPriceUpdate', () => {
  const base = price({ unit_amount: 100, lookup_key: 'basic', nickname: 'Basic', metadata: { a: '1' } });

  test('changes what Stripe lets change; empty strings unset', () => {
    const { price: next } = applyPriceUpdate(base.price, base.extras, {
      active: false,
      lookup_key: '',
      nickname: '',
      metadata: { a: '', b: '2' },
      tax_behavior: 'exclusive',
    });
    assert.equal(next.active, false);
    assert.equal(next.lookup_key, null);
    assert.equal(next.nickname, null);
    assert.deepEqual(next.metadata, { b: '2' });
    assert.equal(next.tax_behavior, 'exclusive');
    assert.equal(base.price.active, true, 'the price it was given is left as it was');
  });

  test('tax_behavior is set once, while unspecified', () => {
    const set = applyPriceUpdate(base.price, base.extras, { tax_behavior: 'inclusive' }).price;
    assertRefused(() => applyPriceUpdate(set, {}, { tax_behavior: 'exclusive' }), 'tax_behavior');
    assert.equal(applyPriceUpdate(set, {}, { tax_behavior: 'inclusive' }).price.tax_behavior, 'inclusive');
  });

  test('currency_options are replaced, or removed with an empty string', () => {
    const next = applyPriceUpdate(base.price, base.extras, { currency_options: { gbp: { unit_amount: 80 } } });
    assert.deepEqual(Object.keys(next.extras.currency_options ?? {}), ['gbp']);
    assert.deepEqual(applyPriceUpdate(next.price, next.extras, { currency_options: '' }).extras, {});
  });
});

describe('planOf', () => {
  test('the plan view of a recurring price, field for field', () => {
    const { price: made } = newPrice(
      'gold',
      'prod_1',
      priceParamsOfPlan({
        currency: 'usd',
        interval: 'week',
        interval_count: 2,
        amount: 2000,
        nickname: 'Gold',
        trial_period_days: 14,
        usage_type: 'metered',
        transform_usage: { divide_by: 5, round: 'down' },
        metadata: { tier: 'gold' },
      }),
      NOW,
      PLAN_PARAMS,
    );
    assert.deepEqual(planOf(made), {
      id: 'gold',
      object: 'plan',
      active: true,
      amount: 2000,
      amount_decimal: '2000',
      billing_scheme: 'per_unit',
      created: NOW,
      currency: 'usd',
      interval: 'week',
      interval_count: 2,
      livemode: false,
      metadata: { tier: 'gold' },
      meter: null,
      nickname: 'Gold',
      product: 'prod_1',
      tiers_mode: null,
      transform_usage: { divide_by: 5, round: 'down' },
      trial_period_days: 14,
      usage_type: 'metered',
    });
    assert.equal(made.type, 'recurring');
    assert.deepEqual(made.transform_quantity, { divide_by: 5, round: 'down' });
  });

  test("a plan's update changes its price", () => {
    const { price: made } = newPrice(
      'gold',
      'prod_1',
      priceParamsOfPlan({ currency: 'usd', interval: 'month', amount: 1 }),
      NOW,
      PLAN_PARAMS,
    );
    const next = applyPlanUpdate(made, { trial_period_days: 7, nickname: 'G', product: 'prod_2', active: false });
    assert.equal(next.recurring?.trial_period_days, 7);
    assert.equal(next.product, 'prod_2');
    assert.equal(planOf(next).trial_period_days, 7);
    assert.equal(planOf(next).active, false);
    assertRefused(() => applyPlanUpdate(made, { trial_period_days: 731 }), 'trial_period_days');
  });
});

describe('products', () => {
  test('a new product with the defaults Stripe shows', () => {
    assert.deepEqual(newProduct('prod_1', { name: 'Shirt' }, NOW), {
      id: 'prod_1',
      object: 'product',
      active: true,
      created: NOW,
      default_price: null,
      description: null,
      images: [],
      livemode: false,
      marketing_features: [],
      metadata: {},
      name: 'Shirt',
      package_dimensions: null,
      shippable: null,
      statement_descriptor: null,
      tax_code: null,
      tax_details: null,
      type: 'service',
      unit_label: null,
      updated: NOW,
      url: null,
    });
  });

  test('updated moves only when something changed', () => {
    const product = newProduct('prod_1', { name: 'Shirt' }, NOW);
    assert.equal(applyProductParams(product, { name: 'Shirt' }, NOW + 5).updated, NOW);
    assert.equal(applyProductParams(product, { name: 'Tee' }, NOW + 5).updated, NOW + 5);
  });

  test('what Stripe refuses, naming the parameter', () => {
    const product = newProduct('prod_1', { name: 'Shirt' }, NOW);
    assertRefused(() => applyProductParams(product, { name: '' }, NOW), 'name');
    assertRefused(() => applyProductParams(product, { url: 'not a url' }, NOW), 'url');
    assertRefused(() => applyProductParams(product, { images: Array(9).fill('https://x.test/a.png') }, NOW), 'images');
    assertRefused(() => applyProductParams(product, { statement_descriptor: 'A<B' }, NOW), 'statement_descriptor');
    assertRefused(() => applyProductParams(product, { statement_descriptor: '12345' }, NOW), 'statement_descriptor');
    assertRefused(() => applyProductParams(product, { tax_code: 'food' }, NOW), 'tax_code');
    assertRefused(
      () => applyProductParams(product, { marketing_features: [{ name: 'x'.repeat(81) }] }, NOW),
      'marketing_features[0][name]',
    );
  });
});
