// Tokenizing card data, looking up a test card (`pm_card_visa`) and checking a
// card being attached (to a customer, or at the customer's creation) are calls
// to the card network too: they are asked
// before the write's transaction opens, so that no transaction waits on them.
// The only exception is an account's very first card, whose fingerprint key is
// made in the transaction.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PaymentNetwork } from '../../src/network/network.js';
import { createSimulatedNetwork } from '../../src/network/simulator/simulated-network.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa } from '../support/kassa.js';

const CARD = { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' };
const NO_REDIRECTS = { enabled: true, allow_redirects: 'never' } as const;

describeEachStore('card questions before the transaction', (target) => {
  test('tokenizing, test-card lookups and the attach check run with no transaction open; the answers are the network’s', async () => {
    const inner = createSimulatedNetwork();
    let open = 0;
    const asked: Array<{ question: string; inTransaction: boolean }> = [];
    const network: PaymentNetwork = {
      ...inner,
      async tokenize(card, context) {
        asked.push({ question: `tokenize ${card.number.slice(-4)}`, inTransaction: open > 0 });
        return inner.tokenize(card, context);
      },
      async profileForTestId(id, context) {
        asked.push({ question: id, inTransaction: open > 0 });
        return inner.profileForTestId(id, context);
      },
      async verify(request) {
        asked.push({ question: `verify ${request.profile.last4}`, inTransaction: open > 0 });
        return inner.verify(request);
      },
    };
    const kassa = await startKassa(await target.config(), { network, jobPollMs: 60_000 });
    const transaction = kassa.store.transaction.bind(kassa.store);
    kassa.store.transaction = async (fn) => {
      open++;
      try {
        return await transaction(fn);
      } finally {
        open--;
      }
    };
    try {
      const { stripe } = await kassa.freshClient();
      // The account's first card makes its fingerprint key, in the transaction.
      await stripe.paymentMethods.create({ type: 'card', card: CARD });
      assert.deepEqual(asked, [{ question: 'tokenize 4242', inTransaction: true }]);
      asked.length = 0;

      const pm = await stripe.paymentMethods.create({ type: 'card', card: { ...CARD, number: '4000056655665556' } });
      assert.equal(pm.card?.last4, '5556');
      const paid = await stripe.paymentIntents.create({
        amount: 1500,
        currency: 'usd',
        payment_method: 'pm_card_mastercard',
        automatic_payment_methods: NO_REDIRECTS,
        confirm: true,
      });
      assert.equal(paid.status, 'succeeded');
      const intent = await stripe.paymentIntents.create({
        amount: 1600,
        currency: 'usd',
        automatic_payment_methods: NO_REDIRECTS,
      });
      const confirmed = await stripe.paymentIntents.confirm(intent.id, {
        payment_method_data: { type: 'card', card: CARD } as never,
      });
      assert.equal(confirmed.status, 'succeeded');
      const another = await stripe.paymentIntents.create({
        amount: 1700,
        currency: 'usd',
        automatic_payment_methods: NO_REDIRECTS,
      });
      const declined = await stripe.paymentIntents
        .confirm(another.id, {
          payment_method_data: { type: 'card', card: { ...CARD, number: '4000000000000002' } } as never,
        })
        .catch((error: { code?: string }) => error.code);
      assert.equal(declined, 'card_declined');
      const setup = await stripe.setupIntents.create({
        payment_method: 'pm_card_visa',
        confirm: true,
        automatic_payment_methods: NO_REDIRECTS,
      });
      assert.equal(setup.status, 'succeeded');
      const invalid = await stripe.paymentMethods
        .create({ type: 'card', card: { ...CARD, number: '4242424242424241' } })
        .catch((error: { code?: string; param?: string }) => `${error.code} ${error.param}`);
      assert.equal(invalid, 'incorrect_number card[number]');
      const customer = await stripe.customers.create({ name: 'Attaching' });
      const attached = await stripe.paymentMethods.attach(pm.id, { customer: customer.id });
      assert.equal(attached.customer, customer.id);
      const amex = await stripe.paymentMethods.attach('pm_card_amex', { customer: customer.id });
      assert.equal(amex.card?.last4, '0005');
      const refused = await stripe.paymentMethods
        .attach('pm_card_chargeDeclined', { customer: customer.id })
        .catch((error: { code?: string }) => error.code);
      assert.equal(refused, 'card_declined');
      const saved = await stripe.customers.create({
        payment_method: 'pm_card_discover',
        invoice_settings: { default_payment_method: 'pm_card_discover' },
      });
      const [discover] = (await stripe.customers.listPaymentMethods(saved.id)).data;
      assert.equal(discover?.card?.last4, '1117');
      assert.equal(saved.invoice_settings.default_payment_method, discover?.id);
      const notSaved = await stripe.customers
        .create({ payment_method: 'pm_card_visa_chargeDeclined' })
        .catch((error: { code?: string }) => error.code);
      assert.equal(notSaved, 'card_declined');

      assert.deepEqual(asked, [
        { question: 'tokenize 5556', inTransaction: false },
        { question: 'pm_card_mastercard', inTransaction: false },
        { question: 'tokenize 4242', inTransaction: false },
        { question: 'tokenize 0002', inTransaction: false },
        { question: 'pm_card_visa', inTransaction: false },
        { question: 'verify 4242', inTransaction: false },
        { question: 'tokenize 4241', inTransaction: false },
        { question: 'verify 5556', inTransaction: false },
        { question: 'pm_card_amex', inTransaction: false },
        { question: 'verify 0005', inTransaction: false },
        { question: 'pm_card_chargeDeclined', inTransaction: false },
        { question: 'verify 0002', inTransaction: false },
        { question: 'pm_card_discover', inTransaction: false },
        { question: 'verify 1117', inTransaction: false },
        { question: 'pm_card_visa_chargeDeclined', inTransaction: false },
        { question: 'verify 0002', inTransaction: false },
      ]);
    } finally {
      await kassa.close();
    }
  });
});
