// Customers and their cards: created with a payment_method, a default
// payment method that must be attached, and the fields a customer shows only
// when expanded (tax, cash_balance, tax_ids).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';

const rejectsWith = (status: number, param?: string) => (e: Stripe.errors.StripeError) => {
  assert.equal(e.statusCode, status, e.message);
  if (param !== undefined) assert.equal(e.param, param);
  return true;
};

describeEachStore('customers with payment methods and expanded fields', (target) => {
  let kassa: TestKassa;
  let stripe: Stripe;
  before(async () => {
    kassa = await startKassa(await target.config());
    stripe = kassa.stripe;
  });
  after(() => kassa.close());

  test('created with payment_method and the same default: the card is attached and the default', async () => {
    const customer = await stripe.customers.create({
      email: 'card@example.com',
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const defaultId = customer.invoice_settings.default_payment_method as string;
    assert.match(defaultId, /^pm_/);
    const cards = await stripe.customers.listPaymentMethods(customer.id);
    assert.deepEqual(
      cards.data.map((pm) => pm.id),
      [defaultId],
    );
    assert.equal(cards.data[0].card?.last4, '4242');
    const types = (await stripe.events.list({ limit: 5 })).data.map((e) => e.type).reverse();
    assert.deepEqual(types.slice(-2), ['customer.created', 'payment_method.attached']);
    // The saved card pays off-session for this customer.
    const intent = await stripe.paymentIntents.create({
      amount: 1200,
      currency: 'usd',
      customer: customer.id,
      payment_method: defaultId,
      off_session: true,
      confirm: true,
    });
    assert.equal(intent.status, 'succeeded');
  });

  test('deleting a customer detaches its cards, which can no longer pay', async () => {
    const customer = await stripe.customers.create({ payment_method: 'pm_card_visa' });
    const second = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    const cards = (await stripe.customers.listPaymentMethods(customer.id)).data.map((pm) => pm.id).sort();
    assert.equal(cards.length, 2);
    await stripe.customers.del(customer.id);
    for (const id of cards) assert.equal((await stripe.paymentMethods.retrieve(id)).customer, null);
    const detached = (await stripe.events.list({ type: 'payment_method.detached', limit: 10 })).data.filter(
      (e) => (e.data.previous_attributes as { customer?: string } | undefined)?.customer === customer.id,
    );
    assert.deepEqual(detached.map((e) => (e.data.object as Stripe.PaymentMethod).id).sort(), cards);
    await assert.rejects(
      stripe.paymentIntents.create({
        amount: 500,
        currency: 'usd',
        payment_method: second.id,
        confirm: true,
        payment_method_types: ['card'],
      } as Stripe.PaymentIntentCreateParams),
      rejectsWith(400),
    );
  });

  test('a card the issuer declines is not attached, and the customer is not created', async () => {
    const before = (await stripe.customers.list({ limit: 100 })).data.length;
    await assert.rejects(stripe.customers.create({ payment_method: 'pm_card_visa_chargeDeclined' }), rejectsWith(402));
    assert.equal((await stripe.customers.list({ limit: 100 })).data.length, before);
  });

  test('the default payment method must be attached to the customer', async () => {
    const customer = await stripe.customers.create({ email: 'default@example.com' });
    await assert.rejects(
      stripe.customers.create({ invoice_settings: { default_payment_method: 'pm_card_visa' } }),
      rejectsWith(400, 'invoice_settings[default_payment_method]'),
    );
    const loose = await stripe.paymentMethods.create({
      type: 'card',
      card: { number: '5555555555554444', exp_month: 1, exp_year: 2035, cvc: '123' },
    });
    await assert.rejects(
      stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: loose.id } }),
      rejectsWith(400, 'invoice_settings[default_payment_method]'),
    );
    await stripe.paymentMethods.attach(loose.id, { customer: customer.id });
    const updated = await stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: loose.id },
    });
    assert.equal(updated.invoice_settings.default_payment_method, loose.id);
    const expanded = await stripe.customers.retrieve(customer.id, {
      expand: ['invoice_settings.default_payment_method'],
    });
    assert.equal(
      ((expanded as Stripe.Customer).invoice_settings.default_payment_method as Stripe.PaymentMethod).card?.last4,
      '4444',
    );
    // Detaching the card clears the default.
    await stripe.paymentMethods.detach(loose.id);
    const afterDetach = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    assert.equal(afterDetach.invoice_settings.default_payment_method, null);
    const unset = await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: '' } });
    assert.equal(unset.invoice_settings.default_payment_method, null);
  });

  test('tax, cash_balance and tax_ids appear when expanded, from what the customer was created with', async () => {
    const customer = await stripe.customers.create({
      address: { country: 'DE', city: 'Berlin' },
      tax: { ip_address: '127.0.0.1' },
      cash_balance: { settings: { reconciliation_mode: 'manual' } },
      tax_id_data: [
        { type: 'eu_vat', value: 'DE123456789' },
        { type: 'gb_vat', value: 'GB123456789' },
      ],
      expand: ['tax', 'cash_balance', 'tax_ids'],
    });
    assert.deepEqual(customer.tax, {
      automatic_tax: 'supported',
      ip_address: '127.0.0.1',
      location: { country: 'DE', source: 'billing_address', state: null },
      provider: 'stripe',
    });
    assert.equal(customer.cash_balance?.settings.reconciliation_mode, 'manual');
    assert.equal(customer.cash_balance?.settings.using_merchant_default, false);
    const taxIds = customer.tax_ids!.data;
    assert.deepEqual(taxIds.map((t) => [t.type, t.value, t.country]).sort(), [
      ['eu_vat', 'DE123456789', 'DE'],
      ['gb_vat', 'GB123456789', 'GB'],
    ]);
    assert.ok(taxIds.every((t) => /^txi_/.test(t.id) && t.customer === customer.id));
    const plain = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    assert.equal(plain.tax, undefined);
    assert.equal(plain.tax_ids, undefined);
    const updated = await stripe.customers.update(customer.id, { tax: { ip_address: '' }, expand: ['tax'] });
    assert.equal(updated.tax?.ip_address, null);
    const events = (await stripe.events.list({ type: 'customer.tax_id.created', limit: 10 })).data;
    assert.ok(events.length >= 2);
  });
});
