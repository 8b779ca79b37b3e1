// A client that sends its request too slowly is cut off with Stripe's 408,
// while other clients are served; an idle keep-alive connection is closed.
// Short timeouts (500 ms) keep the test fast; it asserts outcomes, never
// durations. Raw sockets on loopback; the store plays no part.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { assertStripeError, RawConnection } from '../support/raw-http.js';

/** Far beyond the timeouts: a connection still open then was never cut off. */
const GUARD_MS = 15_000;

describe('request timeouts', () => {
  let kassa: TestKassa;
  let key: string;
  before(async () => {
    kassa = await startKassa(
      { sqlitePath: ':memory:' },
      { timeouts: { headersMs: 500, requestMs: 500, keepAliveMs: 500 } },
    );
    key = kassa.account.secret_key;
  });
  after(() => kassa.close());

  /** Serves SDK requests one after another until the slow connection closes (or the guard runs out); how many were served. */
  async function serveWhileOpen(slow: RawConnection): Promise<number> {
    const guard = Date.now() + GUARD_MS;
    let served = 0;
    while (!slow.isClosed && Date.now() < guard) {
      const customer = await kassa.stripe.customers.create({ name: 'served meanwhile' });
      assert.equal(customer.name, 'served meanwhile');
      served++;
    }
    assert.ok(slow.isClosed, `the slow connection was still open after ${GUARD_MS} ms`);
    return served;
  }

  test("a body that trickles in: 408 in Stripe's shape, the connection closed, other clients served meanwhile", async () => {
    // The slow request is its account's only one: served requests go to another.
    const account = await kassa.newAccount();
    const slow = new RawConnection(kassa.port);
    await slow.write(
      `POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${account.secret_key}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nname=`,
    );
    void slow.trickle('s'.repeat(995), 50);
    assert.ok((await serveWhileOpen(slow)) >= 1);
    assertStripeError(await slow.answer(), 408, /Request timeout/);
    assert.deepEqual((await kassa.clientFor(account.secret_key).customers.list()).data, []);
  });

  test("headers that trickle in: 408 in Stripe's shape, other clients served meanwhile", async () => {
    const slow = new RawConnection(kassa.port);
    await slow.write(`GET /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nX-Slow: `);
    void slow.trickle('h'.repeat(1000), 50);
    assert.ok((await serveWhileOpen(slow)) >= 1);
    assertStripeError(await slow.answer(), 408, /Request timeout/);
  });

  test('a body over the limit that trickles in: reading the rest of it ends at the request timeout, with a 408', async () => {
    const slow = new RawConnection(kassa.port);
    await slow.write(
      `POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Length: ${5 * 1024 * 1024}\r\n\r\nname=`,
    );
    void slow.trickle('s'.repeat(1000), 50);
    assert.ok((await serveWhileOpen(slow)) >= 1);
    assertStripeError(await slow.answer(), 408, /Request timeout/);
  });

  test('an idle keep-alive connection is closed after its answer', async () => {
    const idle = new RawConnection(kassa.port);
    await idle.write(`GET /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n\r\n`);
    await Promise.race([idle.closed, new Promise((resolve) => setTimeout(resolve, GUARD_MS).unref())]);
    assert.ok(idle.isClosed, `the idle connection was still open after ${GUARD_MS} ms`);
    const answers = await idle.answers();
    assert.deepEqual(
      answers.map((a) => [a.status, a.body.object]),
      [[200, 'list']],
    );
  });
});
