// HTTP that never reaches a route: headers too large, a request line or
// headers the parser refuses, a body over the limit, an Expect header Kassa
// cannot meet, no Host. Every answer Kassa can still write is Stripe's error
// JSON with a Request-Id. Raw sockets, since no HTTP client sends these. The
// store plays no part: SQLite in memory.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { assertStripeError, RawConnection } from '../support/raw-http.js';

describe('malformed HTTP', () => {
  let kassa: TestKassa;
  let key: string;
  before(async () => {
    kassa = await startKassa({ sqlitePath: ':memory:' });
    key = kassa.account.secret_key;
  });
  after(() => kassa.close());

  async function exchange(bytes: string | Buffer): Promise<RawConnection> {
    const connection = new RawConnection(kassa.port);
    await connection.write(bytes);
    return connection;
  }

  test("the parser refuses it: 400, 431 for headers over 16 KiB, in Stripe's shape, and the connection is closed", async () => {
    const cases: Array<{ label: string; bytes: string; status: number; message: RegExp }> = [
      {
        label: 'headers over 16 KiB',
        bytes: `GET /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`,
        status: 431,
        message: /headers are too large/,
      },
      {
        label: 'raw spaces in the request line',
        bytes: 'GET /v1/cus tomers HTTP/1.1\r\nHost: x\r\n\r\n',
        status: 400,
        message: /malformed/,
      },
      { label: 'not HTTP', bytes: 'HELLO\r\n\r\n', status: 400, message: /malformed/ },
      {
        label: 'a GET whose body is read as the next request',
        bytes: `GET /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n\r\nname=x`,
        status: 400,
        message: /malformed/,
      },
      {
        label: 'an invalid Content-Length',
        bytes: 'POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
        status: 400,
        message: /malformed/,
      },
      {
        label: 'Content-Length with Transfer-Encoding',
        bytes:
          'POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        status: 400,
        message: /malformed/,
      },
      {
        label: 'a NUL in Idempotency-Key',
        bytes: `POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nIdempotency-Key: a\u0000b\r\nContent-Length: 6\r\n\r\nname=x`,
        status: 400,
        message: /malformed/,
      },
      {
        label: 'a NUL in Stripe-Account',
        bytes: `GET /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nStripe-Account: acct_\u0000\r\n\r\n`,
        status: 400,
        message: /malformed/,
      },
      {
        label: 'a raw NUL in the path',
        bytes: `GET /v1/customers/cus_\u0000 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n\r\n`,
        status: 400,
        message: /malformed/,
      },
    ];
    for (const c of cases) {
      const connection = await exchange(c.bytes);
      assertStripeError(await connection.answer(), c.status, c.message, c.label);
    }
    assert.equal((await kassa.stripe.customers.list()).object, 'list');
  });

  test("an Expect header other than 100-continue: 417 in Stripe's shape", async () => {
    const connection = await exchange(
      `POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nExpect: something-else\r\nConnection: close\r\nContent-Length: 6\r\n\r\nname=x`,
    );
    assertStripeError(await connection.answer(), 417, /Expect/);
  });

  test("an HTTP/1.1 request without a Host header: 400 in Stripe's shape", async () => {
    const connection = await exchange(`GET /v1/customers HTTP/1.1\r\nAuthorization: Bearer ${key}\r\n\r\n`);
    assertStripeError(await connection.answer(), 400, /Host/);
  });

  test('a 5 MiB body, with a Content-Length or chunked: the client can send it all, then reads the 400', async () => {
    const body = `description=${'x'.repeat(5 * 1024 * 1024)}`;
    const head = `POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/x-www-form-urlencoded\r\n`;
    const chunked = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n0\r\n\r\n`;
    for (const [label, bytes] of [
      ['Content-Length', `${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`],
      ['chunked', `${head}Transfer-Encoding: chunked\r\n\r\n${chunked(body)}`],
    ]) {
      const connection = new RawConnection(kassa.port);
      // Like most clients, it writes the whole request before it reads: a reset fails this write.
      await connection.write(bytes);
      assertStripeError(await connection.answer(), 400, /Request body is larger than 1048576 bytes/, label);
    }
    assert.equal((await kassa.stripe.customers.list()).data.length, 0);
  });
});
