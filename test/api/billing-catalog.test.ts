// The product catalog (products, prices, plans) through the official SDK, on both stores.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, testClock, type TestKassa } from '../support/kassa.js';
import { rejectsWith } from '../support/rejects.js';

/** A decimal the SDK hands back as a Stripe.Decimal, as the string on the wire. */
const text = (value: unknown) => (value === null ? null : String(value));

/** Same object, without the SDK's response metadata. */
const plain = <T>(value: T) => JSON.parse(JSON.stringify(value, (k, v) => (k === 'lastResponse' ? undefined : v)));

describeEachStore('product catalog through the official SDK', (target) => {
  let kassa: TestKassa;
  const clock = testClock();
  before(async () => {
    kassa = await startKassa(await target.config(), { clock });
  });
  after(() => kassa.close());

  /** A form POST with the account's key, to see the JSON exactly as sent. */
  async function rawPost(stripeKey: string, path: string, form: Record<string, string>) {
    const response = await fetch(`${kassa.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${stripeKey}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  test('products: create with every field, retrieve, update, delete', async () => {
    const { stripe } = await kassa.freshClient();
    const created = await stripe.products.create({
      id: 'shirt-basic',
      name: 'T-shirt',
      active: true,
      description: 'Comfortable cotton',
      images: ['https://example.com/shirt.png'],
      marketing_features: [{ name: 'Organic' }],
      metadata: { sku: '42' },
      package_dimensions: { height: 1.5, length: 20, weight: 100, width: 10 },
      shippable: true,
      statement_descriptor: 'KASSA SHIRT',
      tax_code: 'txcd_99999999',
      unit_label: 'shirt',
      url: 'https://example.com/shirt',
    });
    assert.deepEqual(plain(created), {
      id: 'shirt-basic',
      object: 'product',
      active: true,
      created: created.created,
      default_price: null,
      description: 'Comfortable cotton',
      images: ['https://example.com/shirt.png'],
      livemode: false,
      marketing_features: [{ name: 'Organic' }],
      metadata: { sku: '42' },
      name: 'T-shirt',
      package_dimensions: { height: 1.5, length: 20, weight: 100, width: 10 },
      shippable: true,
      statement_descriptor: 'KASSA SHIRT',
      tax_code: 'txcd_99999999',
      tax_details: { performance_location: null, tax_code: 'txcd_99999999' },
      type: 'service',
      unit_label: 'shirt',
      updated: created.created,
      url: 'https://example.com/shirt',
    });
    assert.deepEqual(plain(await stripe.products.retrieve('shirt-basic')), plain(created));

    const generated = await stripe.products.create({ name: 'Mug' });
    assert.match(generated.id, /^prod_[A-Za-z0-9]{14}$/);
    assert.equal(generated.shippable, null);

    const updated = await stripe.products.update(created.id, {
      name: 'Tee',
      description: '',
      images: '',
      metadata: { sku: '', size: 'M' },
      package_dimensions: '',
      url: '',
    });
    assert.equal(updated.name, 'Tee');
    assert.equal(updated.description, null);
    assert.deepEqual(updated.images, []);
    assert.deepEqual(updated.metadata, { size: 'M' });
    assert.equal(updated.package_dimensions, null);
    assert.equal(updated.url, null);

    await assert.rejects(
      stripe.products.create({ id: 'shirt-basic', name: 'Again' }),
      rejectsWith({ status: 400, code: 'resource_already_exists', param: 'id' }),
    );

    const deleted = await stripe.products.del(created.id);
    assert.deepEqual(plain(deleted), { id: created.id, object: 'product', deleted: true });
    await assert.rejects(
      stripe.products.retrieve(created.id),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'id' }),
    );
    await assert.rejects(stripe.products.del(created.id), rejectsWith({ status: 404, code: 'resource_missing' }));
    await assert.rejects(stripe.products.update(created.id, { name: 'x' }), rejectsWith({ status: 404 }));
  });

  test('products: bad input names the parameter and writes nothing', async () => {
    const { stripe } = await kassa.freshClient();
    const cases: Array<[Stripe.ProductCreateParams, string]> = [
      [{ name: 'x', url: 'nope' }, 'url'],
      [{ name: 'x', statement_descriptor: 'bad<' }, 'statement_descriptor'],
      [{ name: 'x', default_price_data: { currency: 'usd', unit_amount: -5 } }, 'default_price_data[unit_amount]'],
      [
        {
          name: 'x',
          default_price_data: { currency: 'usd', unit_amount: 5, recurring: { interval: 'month', interval_count: 13 } },
        },
        'default_price_data[recurring][interval_count]',
      ],
      [{ name: 'x', default_price_data: { currency: 'usd' } }, 'default_price_data[unit_amount]'],
      [{ name: 'x', default_price_data: { currency: 'nope', unit_amount: 1 } }, 'default_price_data[currency]'],
      [{ name: 'x', unit_label: 'much too long a label' }, 'unit_label'],
    ];
    for (const [params, param] of cases) {
      await assert.rejects(
        stripe.products.create(params),
        rejectsWith({ status: 400, param, type: 'invalid_request_error' }),
        param,
      );
    }
    assert.deepEqual((await stripe.products.list()).data, []);
    assert.deepEqual((await stripe.prices.list()).data, []);
    assert.deepEqual((await stripe.events.list()).data, []);
  });

  test('default_price_data makes a price and sets default_price; default_price must be a price of the product', async () => {
    const { stripe } = await kassa.freshClient();
    const product = await stripe.products.create({
      name: 'Pro',
      default_price_data: { currency: 'usd', unit_amount: 1200, recurring: { interval: 'month' } },
    });
    assert.match(product.default_price as string, /^price_[A-Za-z0-9]{24}$/);
    const price = await stripe.prices.retrieve(product.default_price as string);
    assert.equal(price.product, product.id);
    assert.equal(price.unit_amount, 1200);
    assert.equal(price.type, 'recurring');

    const expanded = await stripe.products.retrieve(product.id, { expand: ['default_price'] });
    assert.equal((expanded.default_price as Stripe.Price).id, price.id);

    const second = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 900 });
    const changed = await stripe.products.update(product.id, { default_price: second.id });
    assert.equal(changed.default_price, second.id);

    const other = await stripe.products.create({
      name: 'Other',
      default_price_data: { currency: 'usd', unit_amount: 1 },
    });
    await assert.rejects(
      stripe.products.update(product.id, { default_price: other.default_price as string }),
      rejectsWith({ status: 400, param: 'default_price', type: 'invalid_request_error' }),
    );
    await assert.rejects(
      stripe.products.update(product.id, { default_price: 'price_nope' }),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'default_price' }),
    );
    await assert.rejects(
      stripe.prices.update(second.id, { active: false }),
      rejectsWith({ status: 400, param: 'active' }),
      'the default price cannot be archived',
    );
    assert.equal((await stripe.products.retrieve(product.id)).default_price, second.id);
  });

  test('a product with prices cannot be deleted', async () => {
    const { stripe } = await kassa.freshClient();
    const product = await stripe.products.create({ name: 'Keeps prices' });
    const price = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 100 });
    await stripe.prices.update(price.id, { active: false });
    await assert.rejects(
      stripe.products.del(product.id),
      rejectsWith({
        status: 400,
        type: 'invalid_request_error',
        message: /^This product cannot be deleted because it has one or more user-created prices\.$/,
      }),
    );
    assert.equal((await stripe.products.retrieve(product.id)).id, product.id);
  });

  test('products: list filters, pagination and search', async () => {
    const { stripe } = await kassa.freshClient();
    const made: Stripe.Product[] = [];
    for (let i = 0; i < 7; i++) {
      made.push(
        await stripe.products.create({
          name: `Item ${i}`,
          active: i % 2 === 0,
          shippable: i < 3,
          url: i === 4 ? 'https://example.com/four' : undefined,
          description: i === 5 ? 'a special thing' : undefined,
          metadata: { group: i < 2 ? 'a' : 'b' },
        }),
      );
    }
    const newestFirst = made.map((p) => p.id).reverse();
    const page = await stripe.products.list({ limit: 3 });
    assert.deepEqual(
      page.data.map((p) => p.id),
      newestFirst.slice(0, 3),
    );
    assert.equal(page.has_more, true);
    const next = await stripe.products.list({ limit: 3, starting_after: page.data[2].id });
    assert.deepEqual(
      next.data.map((p) => p.id),
      newestFirst.slice(3, 6),
    );
    const back = await stripe.products.list({ limit: 2, ending_before: next.data[0].id });
    assert.deepEqual(
      back.data.map((p) => p.id),
      newestFirst.slice(1, 3),
    );
    const all: string[] = [];
    await stripe.products.list({ limit: 2 }).autoPagingEach((p) => {
      all.push(p.id);
    });
    assert.deepEqual(all, newestFirst);

    const ids = (list: { data: Stripe.Product[] }) => list.data.map((p) => p.id).sort();
    const expect = (pick: (i: number) => boolean) =>
      made
        .filter((_, i) => pick(i))
        .map((p) => p.id)
        .sort();
    assert.deepEqual(
      ids(await stripe.products.list({ active: true })),
      expect((i) => i % 2 === 0),
    );
    assert.deepEqual(
      ids(await stripe.products.list({ active: false })),
      expect((i) => i % 2 === 1),
    );
    assert.deepEqual(
      ids(await stripe.products.list({ shippable: true })),
      expect((i) => i < 3),
    );
    assert.deepEqual(
      ids(await stripe.products.list({ shippable: false })),
      expect((i) => i >= 3),
    );
    assert.deepEqual(
      ids(await stripe.products.list({ url: 'https://example.com/four' })),
      expect((i) => i === 4),
    );
    assert.deepEqual(
      ids(await stripe.products.list({ ids: [made[1].id, made[6].id, 'prod_none'] })),
      expect((i) => i === 1 || i === 6),
    );
    assert.deepEqual(
      ids(await stripe.products.list({ created: { gte: made[0].created } })),
      expect(() => true),
    );
    assert.deepEqual(ids(await stripe.products.list({ created: { gt: made[6].created + 100 } })), []);
    await assert.rejects(
      stripe.products.list({ starting_after: 'prod_none' }),
      rejectsWith({ status: 404, param: 'starting_after' }),
    );

    const search = async (query: string) => ids(await stripe.products.search({ query }));
    assert.deepEqual(
      await search("active:'true' AND metadata['group']:'b'"),
      expect((i) => i % 2 === 0 && i >= 2),
    );
    assert.deepEqual(
      await search("name:'Item 3'"),
      expect((i) => i === 3),
    );
    assert.deepEqual(
      await search("description~'special'"),
      expect((i) => i === 5),
    );
    assert.deepEqual(
      await search("shippable:'true'"),
      expect((i) => i < 3),
    );
    assert.deepEqual(
      await search("url:'https://example.com/four'"),
      expect((i) => i === 4),
    );
    assert.deepEqual(
      await search(`created>=${made[0].created}`),
      expect(() => true),
    );
    await assert.rejects(
      stripe.products.search({ query: "currency:'usd'" }),
      rejectsWith({ status: 400, param: 'query' }),
    );
  });

  test('prices: one-time, recurring, decimal amounts, product_data', async () => {
    const { stripe } = await kassa.freshClient();
    const product = await stripe.products.create({ name: 'Catalog' });
    const oneTime = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2500,
      nickname: 'once',
      metadata: { k: 'v' },
      tax_behavior: 'exclusive',
    });
    assert.match(oneTime.id, /^price_[A-Za-z0-9]{24}$/);
    assert.deepEqual(plain(oneTime), {
      id: oneTime.id,
      object: 'price',
      active: true,
      billing_scheme: 'per_unit',
      created: oneTime.created,
      currency: 'usd',
      custom_unit_amount: null,
      livemode: false,
      lookup_key: null,
      metadata: { k: 'v' },
      nickname: 'once',
      product: product.id,
      recurring: null,
      tax_behavior: 'exclusive',
      tiers_mode: null,
      transform_quantity: null,
      type: 'one_time',
      unit_amount: 2500,
      unit_amount_decimal: '2500',
    });
    assert.deepEqual(plain(await stripe.prices.retrieve(oneTime.id)), plain(oneTime));

    const recurring = await stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: 999,
      recurring: { interval: 'week', interval_count: 2, usage_type: 'metered', trial_period_days: 7 },
      transform_quantity: { divide_by: 100, round: 'up' },
    });
    assert.equal(recurring.type, 'recurring');
    assert.deepEqual(recurring.recurring, {
      interval: 'week',
      interval_count: 2,
      meter: null,
      trial_period_days: 7,
      usage_type: 'metered',
    });
    assert.deepEqual(recurring.transform_quantity, { divide_by: 100, round: 'up' });

    // The decimal string as sent on the wire: exact, and unit_amount only when it is whole.
    const { secret_key } = await kassa.newAccount();
    const rawProduct = await rawPost(secret_key, '/v1/products', { name: 'Raw' });
    const fractional = await rawPost(secret_key, '/v1/prices', {
      product: rawProduct.body.id as string,
      currency: 'usd',
      unit_amount_decimal: '12.345678901234',
    });
    assert.equal(fractional.status, 200);
    assert.equal(fractional.body.unit_amount, null);
    assert.equal(fractional.body.unit_amount_decimal, '12.345678901234');
    const whole = await rawPost(secret_key, '/v1/prices', {
      product: rawProduct.body.id as string,
      currency: 'usd',
      unit_amount_decimal: '1500',
    });
    assert.equal(whole.body.unit_amount, 1500);
    assert.equal(whole.body.unit_amount_decimal, '1500');

    const withData = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 100,
      product_data: { name: 'Inline', id: 'inline-product', metadata: { a: 'b' } },
    });
    assert.equal(withData.product, 'inline-product');
    const inline = await stripe.products.retrieve('inline-product');
    assert.equal(inline.name, 'Inline');
    assert.deepEqual(inline.metadata, { a: 'b' });
    const withProduct = await stripe.prices.retrieve(withData.id, { expand: ['product'] });
    assert.equal((withProduct.product as Stripe.Product).name, 'Inline');
  });

  test('prices: bad input names the parameter, and a refused create writes nothing', async () => {
    const { stripe } = await kassa.freshClient();
    const product = await stripe.products.create({ name: 'P' });
    const base = { product: product.id, currency: 'usd' };
    const cases: Array<[Stripe.PriceCreateParams, string]> = [
      [{ ...base }, 'unit_amount'],
      [{ ...base, unit_amount: 1, recurring: { interval: 'month', interval_count: 13 } }, 'recurring[interval_count]'],
      [{ ...base, unit_amount: 1, recurring: { interval: 'week', interval_count: 53 } }, 'recurring[interval_count]'],
      [{ ...base, unit_amount: 1, recurring: { interval: 'day', interval_count: 366 } }, 'recurring[interval_count]'],
      [{ ...base, unit_amount: 1, recurring: { interval: 'year', interval_count: 2 } }, 'recurring[interval_count]'],
      [{ ...base, billing_scheme: 'tiered', tiers_mode: 'volume' }, 'tiers'],
      [{ ...base, unit_amount: 1, tiers: [{ up_to: 'inf', unit_amount: 1 }] }, 'tiers'],
      [
        { ...base, billing_scheme: 'tiered', tiers_mode: 'graduated', tiers: [{ up_to: 5, unit_amount: 1 }] },
        'tiers[0][up_to]',
      ],
      [{ ...base, currency: 'zzz', unit_amount: 1 }, 'currency'],
      [{ currency: 'usd', unit_amount: 1 }, 'product'],
      [{ ...base, unit_amount: 1, product_data: { name: 'both' } }, 'product_data'],
      [{ currency: 'usd', unit_amount: 1, product_data: { name: 'x', id: product.id } }, 'product_data[id]'],
      [{ currency: 'usd', unit_amount: -1, product_data: { name: 'x', id: 'never-made' } }, 'unit_amount'],
    ];
    for (const [params, param] of cases) {
      await assert.rejects(
        stripe.prices.create(params),
        rejectsWith({ status: 400, param, type: 'invalid_request_error' }),
        param,
      );
    }
    await assert.rejects(
      stripe.prices.create({ product: 'prod_nope', currency: 'usd', unit_amount: 1 }),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'product' }),
    );
    await assert.rejects(stripe.products.retrieve('never-made'), rejectsWith({ status: 404 }));
    assert.deepEqual((await stripe.prices.list()).data, []);
    const events = await stripe.events.list();
    assert.deepEqual(
      events.data.map((e) => e.type),
      ['product.created'],
    );
  });

  test('tiered prices: tiers appear only when expanded', async () => {
    const { stripe } = await kassa.freshClient();
    const product = await stripe.products.create({ name: 'Tiers' });
    const created = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      recurring: { interval: 'month' },
      tiers: [
        { up_to: 1000, unit_amount: 10 },
        { up_to: 'inf', unit_amount_decimal: Stripe.Decimal.from('7.5'), flat_amount: 500 },
      ],
    });
    assert.equal(created.billing_scheme, 'tiered');
    assert.equal(created.tiers_mode, 'graduated');
    assert.equal(created.unit_amount, null);
    assert.equal('tiers' in created, false);
    const expanded = await stripe.prices.retrieve(created.id, { expand: ['tiers'] });
    assert.deepEqual(
      expanded.tiers?.map((t) => ({
        ...t,
        unit_amount_decimal: text(t.unit_amount_decimal),
        flat_amount_decimal: text(t.flat_amount_decimal),
      })),
      [
        { flat_amount: null, flat_amount_decimal: null, unit_amount: 10, unit_amount_decimal: '10', up_to: 1000 },
        { flat_amount: 500, flat_amount_decimal: '500', unit_amount: null, unit_amount_decimal: '7.5', up_to: null },
      ],
    );
    const listed = await stripe.prices.list({ expand: ['data.tiers'] });
    assert.equal(listed.data[0].tiers?.length, 2);
    const plan = await stripe.plans.retrieve(created.id, { expand: ['tiers'] });
    assert.equal(plan.tiers?.length, 2);
    assert.equal('tiers' in (await stripe.plans.retrieve(created.id)), false);
  });

  test('currency_options appear when expanded, with the own currency first', async () => {
    const { stripe } = await kassa.freshClient();
    const product = await stripe.products.create({ name: 'Multi' });
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1000,
      currency_options: { eur: { unit_amount: 900 } },
    });
    assert.equal(price.currency_options, undefined);
    const expanded = await stripe.prices.retrieve(price.id, { expand: ['currency_options'] });
    assert.deepEqual(Object.keys(expanded.currency_options ?? {}), ['usd', 'eur']);
    assert.equal(expanded.currency_options?.eur.unit_amount, 900);
    await stripe.prices.update(price.id, { currency_options: { gbp: { unit_amount: 800 } } });
    const replaced = await stripe.prices.retrieve(price.id, { expand: ['currency_options'] });
    assert.deepEqual(Object.keys(replaced.currency_options ?? {}), ['usd', 'gbp']);
    const [updated] = (await stripe.events.list({ type: 'price.updated' })).data;
    assert.ok(updated, 'price.updated was recorded');
    assert.equal((updated.data.object as { id: string }).id, price.id);
    assert.deepEqual(
      Object.keys((updated.data.previous_attributes as { currency_options?: object }).currency_options ?? {}),
      ['usd', 'eur'],
      'the update is told, with the options the price had',
    );
  });

  test('prices: update only what Stripe allows; tax_behavior while unspecified; no delete', async () => {
    const { secret_key } = await kassa.newAccount();
    const stripe = kassa.clientFor(secret_key);
    const product = await stripe.products.create({ name: 'U' });
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100 });
    const updated = await stripe.prices.update(price.id, {
      nickname: 'nick',
      metadata: { a: '1' },
      tax_behavior: 'inclusive',
      active: false,
    });
    assert.equal(updated.nickname, 'nick');
    assert.deepEqual(updated.metadata, { a: '1' });
    assert.equal(updated.tax_behavior, 'inclusive');
    assert.equal(updated.active, false);
    await assert.rejects(
      stripe.prices.update(price.id, { tax_behavior: 'exclusive' }),
      rejectsWith({ status: 400, param: 'tax_behavior' }),
    );
    await assert.rejects(
      // @ts-expect-error: unit_amount cannot change, so the SDK does not type it
      stripe.prices.update(price.id, { unit_amount: 5 }),
      rejectsWith({ status: 400, code: 'parameter_unknown', param: 'unit_amount' }),
    );
    const response = await fetch(`${kassa.url}/v1/prices/${price.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${secret_key}` },
    });
    assert.equal(response.status, 404);
    assert.equal((await stripe.prices.retrieve(price.id)).id, price.id);
  });

  test('lookup keys claimed at the same moment: one price gets the key, the others are refused naming it', async () => {
    const { stripe } = await kassa.freshClient();
    // Prices of different products: a new price locks its product, so prices of one product take turns anyway.
    const products = await Promise.all(
      Array.from({ length: 6 }, (_, i) => stripe.products.create({ name: `Raced ${i}` })),
    );
    const outcomes = await Promise.all(
      products.map((product, i) =>
        stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100 + i, lookup_key: 'raced' }).then(
          (price) => `created ${price.lookup_key}`,
          (error: { statusCode?: number; param?: string }) => `${error.statusCode} ${error.param}`,
        ),
      ),
    );
    assert.deepEqual(outcomes.sort(), [
      '400 lookup_key',
      '400 lookup_key',
      '400 lookup_key',
      '400 lookup_key',
      '400 lookup_key',
      'created raced',
    ]);
    assert.equal((await stripe.prices.list({ lookup_keys: ['raced'] })).data.length, 1);
    const moved = await Promise.all(
      products.slice(0, 4).map((product, i) =>
        stripe.prices.create({
          product: product.id,
          currency: 'usd',
          unit_amount: 200 + i,
          lookup_key: 'raced',
          transfer_lookup_key: true,
        }),
      ),
    );
    const holders = (await stripe.prices.list({ lookup_keys: ['raced'] })).data;
    assert.equal(holders.length, 1, 'after the transfers, one price holds the key');
    assert.ok(moved.some((price) => price.id === holders[0]?.id));
  });

  test('lookup keys: unique in an account; transfer_lookup_key moves one', async () => {
    const { stripe } = await kassa.freshClient();
    const product = await stripe.products.create({ name: 'L' });
    const first = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 100,
      lookup_key: 'standard_monthly',
    });
    await assert.rejects(
      stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 200, lookup_key: 'standard_monthly' }),
      rejectsWith({ status: 400, param: 'lookup_key', type: 'invalid_request_error' }),
    );
    assert.equal((await stripe.prices.list()).data.length, 1, 'the refused price was not made');

    const second = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 200,
      lookup_key: 'standard_monthly',
      transfer_lookup_key: true,
    });
    assert.equal(second.lookup_key, 'standard_monthly');
    assert.equal((await stripe.prices.retrieve(first.id)).lookup_key, null);
    const byKey = await stripe.prices.list({ lookup_keys: ['standard_monthly'] });
    assert.deepEqual(
      byKey.data.map((p) => p.id),
      [second.id],
    );
    const updates = await stripe.events.list({ type: 'price.updated' });
    assert.equal(updates.data.length, 1);
    assert.equal((updates.data[0].data.object as Stripe.Price).id, first.id);
    assert.deepEqual(updates.data[0].data.previous_attributes, { lookup_key: 'standard_monthly' });

    // Through an update, the same: refused without transfer, moved with it.
    await assert.rejects(
      stripe.prices.update(first.id, { lookup_key: 'standard_monthly' }),
      rejectsWith({ status: 400, param: 'lookup_key' }),
    );
    await stripe.prices.update(first.id, { lookup_key: 'standard_monthly', transfer_lookup_key: true });
    assert.equal((await stripe.prices.retrieve(second.id)).lookup_key, null);
    assert.equal((await stripe.prices.retrieve(first.id)).lookup_key, 'standard_monthly');

    // Another account may use the same key.
    const other = await kassa.freshClient();
    const otherProduct = await other.stripe.products.create({ name: 'L2' });
    const otherPrice = await other.stripe.prices.create({
      product: otherProduct.id,
      currency: 'usd',
      unit_amount: 1,
      lookup_key: 'standard_monthly',
    });
    assert.equal(otherPrice.lookup_key, 'standard_monthly');
  });

  test('prices: list filters, pagination and search', async () => {
    const { stripe } = await kassa.freshClient();
    const a = await stripe.products.create({ name: 'A' });
    const b = await stripe.products.create({ name: 'B' });
    const oneTime = await stripe.prices.create({ product: a.id, currency: 'usd', unit_amount: 1, lookup_key: 'one' });
    const monthly = await stripe.prices.create({
      product: a.id,
      currency: 'usd',
      unit_amount: 2,
      recurring: { interval: 'month' },
      lookup_key: 'monthly',
    });
    const yearlyMetered = await stripe.prices.create({
      product: b.id,
      currency: 'eur',
      unit_amount: 3,
      recurring: { interval: 'year', usage_type: 'metered' },
      metadata: { plan: 'big' },
    });
    const archived = await stripe.prices.create({ product: b.id, currency: 'usd', unit_amount: 4, active: false });

    const ids = (list: { data: Stripe.Price[] }) => list.data.map((p) => p.id);
    assert.deepEqual(ids(await stripe.prices.list()), [archived.id, yearlyMetered.id, monthly.id, oneTime.id]);
    assert.deepEqual(ids(await stripe.prices.list({ active: true })), [yearlyMetered.id, monthly.id, oneTime.id]);
    assert.deepEqual(ids(await stripe.prices.list({ active: false })), [archived.id]);
    assert.deepEqual(ids(await stripe.prices.list({ currency: 'eur' })), [yearlyMetered.id]);
    assert.deepEqual(ids(await stripe.prices.list({ product: a.id })), [monthly.id, oneTime.id]);
    assert.deepEqual(ids(await stripe.prices.list({ type: 'one_time' })), [archived.id, oneTime.id]);
    assert.deepEqual(ids(await stripe.prices.list({ type: 'recurring' })), [yearlyMetered.id, monthly.id]);
    assert.deepEqual(ids(await stripe.prices.list({ lookup_keys: ['one', 'monthly'] })), [monthly.id, oneTime.id]);
    assert.deepEqual(ids(await stripe.prices.list({ recurring: { interval: 'year' } })), [yearlyMetered.id]);
    assert.deepEqual(ids(await stripe.prices.list({ recurring: { usage_type: 'licensed' } })), [monthly.id]);
    assert.deepEqual(ids(await stripe.prices.list({ created: { gt: archived.created + 100 } })), []);
    const page = await stripe.prices.list({ limit: 2 });
    assert.equal(page.has_more, true);
    assert.deepEqual(ids(await stripe.prices.list({ limit: 2, starting_after: page.data[1].id })), [
      monthly.id,
      oneTime.id,
    ]);
    const expanded = await stripe.prices.list({ product: b.id, expand: ['data.product'] });
    assert.equal((expanded.data[0].product as Stripe.Product).name, 'B');

    const search = async (query: string) => ids(await stripe.prices.search({ query }));
    assert.deepEqual(await search("currency:'eur'"), [yearlyMetered.id]);
    assert.deepEqual(await search(`product:'${a.id}' AND type:'recurring'`), [monthly.id]);
    assert.deepEqual(await search("lookup_key:'one'"), [oneTime.id]);
    assert.deepEqual(await search("active:'false'"), [archived.id]);
    assert.deepEqual(await search("metadata['plan']:'big'"), [yearlyMetered.id]);
    assert.deepEqual(await search(`created>=${oneTime.created}`), [
      archived.id,
      yearlyMetered.id,
      monthly.id,
      oneTime.id,
    ]);
  });

  test('plans: a plan is a price, and a recurring price is a plan', async () => {
    const { stripe } = await kassa.freshClient();
    const plan = await stripe.plans.create({
      id: 'gold',
      amount: 2000,
      currency: 'usd',
      interval: 'month',
      interval_count: 3,
      nickname: 'Gold',
      product: { name: 'Gold membership' },
      trial_period_days: 14,
      metadata: { level: '3' },
    });
    assert.deepEqual(plain(plan), {
      id: 'gold',
      object: 'plan',
      active: true,
      amount: 2000,
      amount_decimal: '2000',
      billing_scheme: 'per_unit',
      created: plan.created,
      currency: 'usd',
      interval: 'month',
      interval_count: 3,
      livemode: false,
      metadata: { level: '3' },
      meter: null,
      nickname: 'Gold',
      product: plan.product,
      tiers_mode: null,
      transform_usage: null,
      trial_period_days: 14,
      usage_type: 'licensed',
    });
    const asPrice = await stripe.prices.retrieve('gold');
    assert.equal(asPrice.object, 'price');
    assert.equal(asPrice.unit_amount, 2000);
    assert.equal(asPrice.type, 'recurring');
    assert.deepEqual(asPrice.recurring, {
      interval: 'month',
      interval_count: 3,
      meter: null,
      trial_period_days: 14,
      usage_type: 'licensed',
    });
    assert.equal(asPrice.product, plan.product);
    assert.equal((await stripe.products.retrieve(plan.product as string)).name, 'Gold membership');

    const price = await stripe.prices.create({
      product: plan.product as string,
      currency: 'usd',
      unit_amount: 500,
      recurring: { interval: 'year' },
    });
    const priceAsPlan = await stripe.plans.retrieve(price.id, { expand: ['product'] });
    assert.equal(priceAsPlan.object, 'plan');
    assert.equal(priceAsPlan.amount, 500);
    assert.equal(priceAsPlan.interval, 'year');
    assert.equal((priceAsPlan.product as Stripe.Product).id, plan.product);

    const oneTime = await stripe.prices.create({ product: plan.product as string, currency: 'usd', unit_amount: 1 });
    await assert.rejects(
      stripe.plans.retrieve(oneTime.id),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'plan' }),
    );
    const listed = await stripe.plans.list();
    assert.deepEqual(
      listed.data.map((p) => p.id),
      [price.id, 'gold'],
    );
    assert.ok(listed.data.every((p) => p.object === 'plan'));
    assert.deepEqual(
      (await stripe.plans.list({ limit: 1, starting_after: price.id })).data.map((p) => p.id),
      ['gold'],
    );

    const updated = await stripe.plans.update('gold', { nickname: 'Golden', trial_period_days: 30, active: false });
    assert.equal(updated.nickname, 'Golden');
    assert.equal(updated.trial_period_days, 30);
    assert.equal((await stripe.prices.retrieve('gold')).recurring?.trial_period_days, 30);
    assert.deepEqual(
      (await stripe.plans.list({ active: true })).data.map((p) => p.id),
      [price.id],
    );

    await assert.rejects(
      stripe.plans.create({
        id: 'gold',
        amount: 1,
        currency: 'usd',
        interval: 'month',
        product: plan.product as string,
      }),
      rejectsWith({ status: 400, code: 'resource_already_exists', param: 'id' }),
    );
    await assert.rejects(
      stripe.plans.create({
        amount: 1,
        currency: 'usd',
        interval: 'year',
        interval_count: 2,
        product: plan.product as string,
      }),
      rejectsWith({ status: 400, param: 'interval_count' }),
    );
    await assert.rejects(
      stripe.plans.create({ currency: 'usd', interval: 'month', product: plan.product as string }),
      rejectsWith({ status: 400, param: 'amount' }),
    );

    const deleted = await stripe.plans.del('gold');
    assert.deepEqual(plain(deleted), { id: 'gold', object: 'plan', deleted: true });
    await assert.rejects(stripe.plans.retrieve('gold'), rejectsWith({ status: 404, param: 'plan' }));
    await assert.rejects(stripe.prices.retrieve('gold'), rejectsWith({ status: 404, param: 'price' }));
    await assert.rejects(stripe.plans.del('gold'), rejectsWith({ status: 404 }));
  });

  test('plans: tiered with transform_usage refused, tiers and usage type kept', async () => {
    const { stripe } = await kassa.freshClient();
    const product = await stripe.products.create({ name: 'Metered' });
    const plan = await stripe.plans.create({
      currency: 'usd',
      interval: 'month',
      product: product.id,
      billing_scheme: 'tiered',
      tiers_mode: 'volume',
      usage_type: 'metered',
      tiers: [
        { up_to: 100, unit_amount: 5 },
        { up_to: 'inf', unit_amount: 3 },
      ],
    });
    assert.match(plan.id, /^price_/);
    assert.equal(plan.billing_scheme, 'tiered');
    assert.equal(plan.amount, null);
    assert.equal(plan.usage_type, 'metered');
    await assert.rejects(
      stripe.plans.create({
        currency: 'usd',
        interval: 'month',
        product: product.id,
        billing_scheme: 'tiered',
        tiers_mode: 'volume',
        tiers: [{ up_to: 'inf', unit_amount: 3 }],
        transform_usage: { divide_by: 2, round: 'up' },
      }),
      rejectsWith({ status: 400, param: 'transform_usage' }),
    );
  });

  test('events: created, updated with previous_attributes, deleted; plans and recurring prices tell both', async () => {
    const { stripe } = await kassa.freshClient();
    const product = await stripe.products.create({ name: 'Evented' });
    clock.advance(60);
    const renamed = await stripe.products.update(product.id, { name: 'Renamed', metadata: { a: '1' } });
    assert.equal(renamed.updated, product.updated + 60);
    const oneTime = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1 });
    const recurring = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2,
      recurring: { interval: 'month' },
    });
    await stripe.prices.update(recurring.id, { nickname: 'R' });
    await stripe.prices.update(recurring.id, { lookup_key: 'r' });
    const plan = await stripe.plans.create({ amount: 3, currency: 'usd', interval: 'week', product: product.id });
    await stripe.plans.update(plan.id, { metadata: { m: 'n' } });
    await stripe.plans.del(plan.id);
    await stripe.plans.del(recurring.id);
    const extra = await stripe.products.create({ name: 'Gone' });
    await stripe.products.del(extra.id);

    const events = (await stripe.events.list({ limit: 100 })).data.reverse();
    const seen = events.map((e) => `${e.type} ${(e.data.object as { id: string }).id}`);
    assert.deepEqual(seen, [
      `product.created ${product.id}`,
      `product.updated ${product.id}`,
      `price.created ${oneTime.id}`,
      `price.created ${recurring.id}`,
      `plan.created ${recurring.id}`,
      `price.updated ${recurring.id}`,
      `plan.updated ${recurring.id}`,
      // A lookup key is no part of a plan: no plan.updated.
      `price.updated ${recurring.id}`,
      `plan.created ${plan.id}`,
      `price.created ${plan.id}`,
      `plan.updated ${plan.id}`,
      `price.updated ${plan.id}`,
      `plan.deleted ${plan.id}`,
      `price.deleted ${plan.id}`,
      `plan.deleted ${recurring.id}`,
      `price.deleted ${recurring.id}`,
      `product.created ${extra.id}`,
      `product.deleted ${extra.id}`,
    ]);
    const byType = (type: string) => events.filter((e) => e.type === type);
    const productUpdated = byType('product.updated')[0];
    assert.deepEqual(productUpdated.data.previous_attributes, {
      name: 'Evented',
      metadata: { a: null },
      updated: product.updated,
    });
    assert.equal((byType('plan.created')[0].data.object as Stripe.Plan).object, 'plan');
    assert.deepEqual(byType('plan.updated')[0].data.previous_attributes, { nickname: null });
    assert.deepEqual(byType('plan.updated')[1].data.previous_attributes, { metadata: { m: null } });
    assert.equal((byType('product.deleted')[0].data.object as Stripe.Product).name, 'Gone');
    // The product can go once its prices are gone with their plans; the one-time price keeps it.
    await assert.rejects(stripe.products.del(product.id), rejectsWith({ status: 400 }));
  });
});
