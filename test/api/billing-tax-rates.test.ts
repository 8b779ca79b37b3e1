// Tax rates through the official SDK: create, retrieve, update (archive),
// list with its filters, the events, and Stripe's refusals.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { rejectsWith } from '../support/rejects.js';

describeEachStore('tax rates through the official SDK', (target) => {
  let kassa: TestKassa;
  before(async () => {
    kassa = await startKassa(await target.config());
  });
  after(() => kassa.close());

  test('create, retrieve, update and archive; percentage and inclusive never change', async () => {
    const { stripe } = await kassa.freshClient();
    const vat = await stripe.taxRates.create({
      display_name: 'VAT',
      description: 'VAT Germany',
      jurisdiction: 'DE',
      country: 'de',
      percentage: 19,
      inclusive: false,
      tax_type: 'vat',
      metadata: { region: 'eu' },
    });
    assert.match(vat.id, /^txr_/);
    assert.deepEqual(
      { ...vat, id: undefined, created: undefined, lastResponse: undefined },
      {
        id: undefined,
        object: 'tax_rate',
        active: true,
        country: 'DE',
        created: undefined,
        description: 'VAT Germany',
        display_name: 'VAT',
        effective_percentage: null,
        flat_amount: null,
        inclusive: false,
        jurisdiction: 'DE',
        jurisdiction_level: null,
        livemode: false,
        metadata: { region: 'eu' },
        percentage: 19,
        rate_type: 'percentage',
        state: null,
        tax_type: 'vat',
        lastResponse: undefined,
      },
    );
    const fetched = await stripe.taxRates.retrieve(vat.id);
    assert.deepEqual({ ...fetched, lastResponse: undefined }, { ...vat, lastResponse: undefined });

    const archived = await stripe.taxRates.update(vat.id, {
      active: false,
      display_name: 'MwSt',
      metadata: { region: '', note: 'old' },
    });
    assert.equal(archived.active, false);
    assert.equal(archived.display_name, 'MwSt');
    assert.deepEqual(archived.metadata, { note: 'old' });
    assert.equal(archived.percentage, 19);

    await assert.rejects(
      stripe.taxRates.update(vat.id, { percentage: 20 } as never),
      rejectsWith({ status: 400, code: 'parameter_unknown', param: 'percentage' }),
    );
    const events = await stripe.events.list({ type: 'tax_rate.updated' });
    assert.equal(events.data.length, 1);
    assert.deepEqual(events.data[0]?.data.previous_attributes, {
      active: true,
      display_name: 'VAT',
      metadata: { region: 'eu', note: null },
    });
    const created = await stripe.events.list({ type: 'tax_rate.created' });
    assert.deepEqual(
      created.data.map((e) => (e.data.object as { id: string }).id),
      [vat.id],
    );
  });

  test('list: newest first, by active, inclusive and created, paginated', async () => {
    const { stripe } = await kassa.freshClient();
    const rates = [];
    for (const [name, percentage, inclusive] of [
      ['GST', 10, true],
      ['Sales tax', 7.25, false],
      ['HST', 13, true],
    ] as const) {
      rates.push(await stripe.taxRates.create({ display_name: name, percentage, inclusive }));
    }
    await stripe.taxRates.update(rates[0]!.id, { active: false });
    const ids = (list: { data: Array<{ id: string }> }) => list.data.map((r) => r.id);

    assert.deepEqual(ids(await stripe.taxRates.list()), [rates[2]!.id, rates[1]!.id, rates[0]!.id]);
    assert.deepEqual(ids(await stripe.taxRates.list({ active: true })), [rates[2]!.id, rates[1]!.id]);
    assert.deepEqual(ids(await stripe.taxRates.list({ active: false })), [rates[0]!.id]);
    assert.deepEqual(ids(await stripe.taxRates.list({ inclusive: true })), [rates[2]!.id, rates[0]!.id]);
    assert.deepEqual(ids(await stripe.taxRates.list({ inclusive: false, active: true })), [rates[1]!.id]);
    assert.deepEqual(ids(await stripe.taxRates.list({ created: { gt: rates[2]!.created } })), []);
    const first = await stripe.taxRates.list({ limit: 2 });
    assert.equal(first.has_more, true);
    const rest = await stripe.taxRates.list({ limit: 2, starting_after: first.data[1]!.id });
    assert.deepEqual(ids(rest), [rates[0]!.id]);
    assert.equal(rest.has_more, false);
    assert.equal((await stripe.taxRates.retrieve(rates[1]!.id)).percentage, 7.25);
  });

  test('bad input names the parameter and stores nothing', async () => {
    const { stripe } = await kassa.freshClient();
    const refused: Array<[Record<string, unknown>, string]> = [
      [{ display_name: 'VAT', inclusive: false }, 'percentage'],
      [{ percentage: 19, inclusive: false }, 'display_name'],
      [{ display_name: 'VAT', percentage: 19 }, 'inclusive'],
      [{ display_name: 'VAT', percentage: -1, inclusive: false }, 'percentage'],
      [{ display_name: 'VAT', percentage: 100.5, inclusive: false }, 'percentage'],
      [{ display_name: 'VAT', percentage: 19.12345, inclusive: false }, 'percentage'],
      [{ display_name: 'VAT', percentage: 19, inclusive: false, country: 'Germany' }, 'country'],
      [{ display_name: '  ', percentage: 19, inclusive: false }, 'display_name'],
      [{ display_name: 'x'.repeat(51), percentage: 19, inclusive: false }, 'display_name'],
    ];
    for (const [params, param] of refused) {
      await assert.rejects(stripe.taxRates.create(params as never), rejectsWith({ status: 400, param }));
    }
    assert.deepEqual((await stripe.taxRates.list()).data, []);
    assert.deepEqual((await stripe.events.list({ type: 'tax_rate.created' })).data, []);
    await assert.rejects(
      stripe.taxRates.retrieve('txr_missing'),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'id' }),
    );
    const customer = await stripe.customers.create({ name: 'Not a tax rate' });
    await assert.rejects(
      stripe.taxRates.update(customer.id, { active: false }),
      rejectsWith({ status: 404, code: 'resource_missing', param: 'id' }),
    );
  });
});
