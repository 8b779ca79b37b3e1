// Deleting a customer detaches its cards; detaching a card clears it as its
// customer's default. The two lock the customer and the cards in opposite
// orders, so on PostgreSQL they can deadlock: the database gives one up, and
// Kassa runs it again instead of answering 500.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';

describeEachStore('detaching cards while their customer is deleted', (target) => {
  let kassa: TestKassa;
  before(async () => {
    kassa = await startKassa(await target.config());
  });
  after(() => kassa.close());

  test('every request answers as Stripe would, none with a 500, and every card ends detached', async () => {
    const { stripe } = await kassa.freshClient();
    const outcomes = new Map<string, number>();
    const count = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    for (let round = 0; round < 10; round++) {
      const customer = await stripe.customers.create({ name: `Race ${round}` });
      const cards: Stripe.PaymentMethod[] = [];
      for (let i = 0; i < 6; i++)
        cards.push(await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id }));
      await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: cards[5]!.id } });
      await Promise.all([
        ...cards.reverse().map((card) =>
          stripe.paymentMethods.detach(card.id).then(
            () => count('detached'),
            (error: Stripe.errors.StripeError) => {
              // The customer's deletion detached it first.
              assert.equal(error.statusCode, 400, error.message);
              assert.match(error.message, /not attached to a customer/);
              count('already detached');
            },
          ),
        ),
        stripe.customers.del(customer.id).then(() => count('customer deleted')),
      ]);
      for (const card of cards) assert.equal((await stripe.paymentMethods.retrieve(card.id)).customer, null);
    }
    assert.equal(outcomes.get('customer deleted'), 10);
    assert.equal((outcomes.get('detached') ?? 0) + (outcomes.get('already detached') ?? 0), 60);
  });
});
