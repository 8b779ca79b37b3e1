import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';

describeEachStore("a charge's receipt page", (target) => {
  let kassa: TestKassa;
  before(async () => {
    kassa = await startKassa(await target.config());
  });
  after(() => kassa.close());

  test('receipt_url serves an HTML receipt; a wrong token or another charge shows nothing', async () => {
    const intent = await kassa.stripe.paymentIntents.create({
      amount: 1234,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      description: 'T-shirt <b>bold</b>',
    });
    const charge = await kassa.stripe.charges.retrieve(intent.latest_charge as string);
    assert.ok(charge.receipt_url?.startsWith(kassa.url));
    const page = await fetch(charge.receipt_url!);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.ok(html.includes('$12.34'));
    assert.ok(html.includes('4242'));
    assert.ok(!html.includes('<b>bold</b>'), 'the description is escaped');
    assert.ok(!html.includes('4242424242424242'), 'never the full number');

    const forged = await fetch(charge.receipt_url!.replace(/[^/]+$/, 'x'.repeat(32)));
    assert.equal(forged.status, 404);
    assert.ok(!(await forged.text()).includes('12.34'));
    const otherAccount = await kassa.newAccount();
    const moved = charge.receipt_url!.replace(/acct_[A-Za-z0-9]+/, otherAccount.id);
    assert.equal((await fetch(moved)).status, 404);
  });
});
