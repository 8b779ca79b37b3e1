// The Stripe wire protocol: keys, Request-Id and Stripe-Version, routes
// Kassa does not know, bodies in every encoding Stripe takes, and bad input
// of every kind. The official SDK where it can say it, fetch where it cannot.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import type { CreatedAccount } from '../../src/accounts/accounts.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';

const NO_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";
const SECRET_KEY_REQUIRED =
  'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.';
const unrecognized = (method: string, path: string) =>
  `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`;

interface Sent {
  method?: string;
  /** The Authorization header; by default `Bearer <the test account's secret key>`, null for none. */
  authorization?: string | null;
  headers?: Record<string, string>;
  /** A string is sent as a form unless `headers` names another content type. */
  body?: string | Buffer;
}

interface Received {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: the parsed JSON answer, read field by field in the tests
  body: any;
}

describeEachStore('the Stripe wire protocol', (target) => {
  let kassa: TestKassa;
  before(async () => {
    kassa = await startKassa(await target.config());
  });
  after(() => kassa.close());

  /** A raw request; every answer must be JSON with a Request-Id, whatever the status. */
  async function send(path: string, sent: Sent = {}): Promise<Received> {
    const headers: Record<string, string> = {};
    const authorization = sent.authorization === undefined ? `Bearer ${kassa.account.secret_key}` : sent.authorization;
    if (authorization !== null) headers.authorization = authorization;
    if (sent.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    Object.assign(headers, sent.headers);
    const response = await fetch(`${kassa.url}${path}`, {
      method: sent.method ?? (sent.body === undefined ? 'GET' : 'POST'),
      headers,
      body: sent.body as BodyInit | undefined,
    });
    const text = await response.text();
    const label = `${sent.method ?? 'GET'} ${path.slice(0, 80)} -> ${response.status} ${text.slice(0, 200)}`;
    assert.match(response.headers.get('request-id') ?? '', /^req_[A-Za-z0-9]{14,}$/, label);
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8', label);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      assert.fail(`not JSON: ${label}`);
    }
    return { status: response.status, headers: response.headers, body };
  }

  /** A Stripe error response: status, type invalid_request_error, and the param when given (null: none). */
  function assertError(
    response: Received,
    status: number,
    expected: { param?: string | null; code?: string; message?: string | RegExp; label?: string } = {},
  ): void {
    const label = `${expected.label ?? ''} ${JSON.stringify(response.body).slice(0, 300)}`;
    assert.equal(response.status, status, label);
    assert.deepEqual(Object.keys(response.body), ['error'], label);
    assert.equal(response.body.error.type, 'invalid_request_error', label);
    assert.equal(typeof response.body.error.message, 'string', label);
    if (expected.param === null) assert.equal(response.body.error.param, undefined, label);
    else if (expected.param !== undefined) assert.equal(response.body.error.param, expected.param, label);
    if (expected.code !== undefined) assert.equal(response.body.error.code, expected.code, label);
    if (typeof expected.message === 'string') assert.equal(response.body.error.message, expected.message, label);
    else if (expected.message) assert.match(response.body.error.message, expected.message, label);
  }

  describe('API keys', () => {
    test('Bearer, HTTP Basic with the key as user name (curl -u sk:), and a key parameter', async () => {
      const { secret_key } = kassa.account;
      const bearer = await kassa.stripe.customers.list({ limit: 1 });
      assert.equal(bearer.object, 'list');
      for (const authorization of [
        `Basic ${Buffer.from(`${secret_key}:`).toString('base64')}`,
        `bearer ${secret_key}`,
      ]) {
        const response = await send('/v1/customers?limit=1', { authorization });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal(response.body.object, 'list');
      }
      const inQuery = await send(`/v1/customers?limit=1&key=${secret_key}`, { authorization: null });
      assert.equal(inQuery.status, 200);
      // The key parameter is the key, not a parameter of the operation.
      const account = await kassa.newAccount();
      const inBody = await send('/v1/customers', { authorization: null, body: `key=${account.secret_key}&name=Keyed` });
      assert.equal(inBody.status, 200, JSON.stringify(inBody.body));
      assert.equal(inBody.body.name, 'Keyed');
      const mine = await kassa.clientFor(account.secret_key).customers.list();
      assert.deepEqual(
        mine.data.map((c) => c.id),
        [inBody.body.id],
      );
    });

    test("no key: 401 with Stripe's message", async () => {
      assertError(await send('/v1/customers', { authorization: null }), 401, { message: NO_KEY });
      assertError(await send('/v1/customers', { authorization: 'Bearer ' }), 401, { message: NO_KEY });
      assertError(await send('/v1/customers', { authorization: null, body: 'name=x' }), 401, { message: NO_KEY });
    });

    test('an unknown key: 401 naming it masked, never in full', async () => {
      const unknown = `sk_test_${'x'.repeat(40)}9zQw`;
      const response = await send('/v1/customers', { authorization: `Bearer ${unknown}` });
      assertError(response, 401, { message: 'Invalid API Key provided: sk_test_****9zQw' });
      await assert.rejects(kassa.clientFor(unknown).customers.list(), (e: Stripe.errors.StripeError) => {
        assert.ok(e instanceof Stripe.errors.StripeAuthenticationError);
        assert.equal(e.statusCode, 401);
        assert.equal(e.message, 'Invalid API Key provided: sk_test_****9zQw');
        assert.ok(!e.message.includes(unknown));
        assert.match(e.requestId ?? '', /^req_/);
        return true;
      });
      const basic = await send('/v1/customers', {
        authorization: `Basic ${Buffer.from(`${unknown}:`).toString('base64')}`,
      });
      assertError(basic, 401, { message: 'Invalid API Key provided: sk_test_****9zQw' });
      const notAKey = 'not-a-stripe-key-at-all-12345678';
      const garbage = await send('/v1/customers', { authorization: `Bearer ${notAKey}` });
      assertError(garbage, 401, { message: /^Invalid API Key provided: / });
      assert.ok(!garbage.body.error.message.includes(notAKey));
    });

    test('a publishable key on a secret-key route: 401 secret_key_required, however it is sent', async () => {
      const { publishable_key } = kassa.account;
      await assert.rejects(kassa.clientFor(publishable_key).customers.list(), (e: Stripe.errors.StripeError) => {
        assert.ok(e instanceof Stripe.errors.StripeAuthenticationError);
        assert.equal(e.code, 'secret_key_required');
        assert.equal(e.message, SECRET_KEY_REQUIRED);
        return true;
      });
      const expected = { code: 'secret_key_required', message: SECRET_KEY_REQUIRED };
      assertError(await send(`/v1/customers?key=${publishable_key}`, { authorization: null }), 401, expected);
      assertError(
        await send('/v1/customers', { authorization: null, body: `key=${publishable_key}&name=x` }),
        401,
        expected,
      );
      assertError(
        await send('/v1/customers', {
          authorization: `Basic ${Buffer.from(`${publishable_key}:`).toString('base64')}`,
        }),
        401,
        expected,
      );
      assert.equal(
        (await kassa.stripe.customers.list({ limit: 100 })).data.some((c) => c.name === 'x'),
        false,
      );
    });

    test("Stripe-Account naming another account: 403; naming the key's own account works", async () => {
      const other = await kassa.newAccount();
      for (const stripeAccount of [other.id, 'acct_doesnotexist0001']) {
        await assert.rejects(
          kassa.stripe.customers.create({ name: 'elsewhere' }, { stripeAccount }),
          (e: Stripe.errors.StripeError) => {
            assert.ok(e instanceof Stripe.errors.StripePermissionError);
            assert.equal(e.statusCode, 403);
            assert.equal(e.rawType, 'invalid_request_error');
            assert.ok(e.message.includes(stripeAccount));
            return true;
          },
        );
      }
      assert.equal((await kassa.clientFor(other.secret_key).customers.list()).data.length, 0);
      const own = await kassa.stripe.customers.list({ limit: 1 }, { stripeAccount: kassa.account.id });
      assert.equal(own.object, 'list');
    });
  });

  describe('Request-Id and Stripe-Version', () => {
    test('every response carries its own Request-Id', async () => {
      const ids: string[] = [];
      const collect = (response: Received) => ids.push(response.headers.get('request-id')!);
      collect(await send('/v1/customers?limit=1'));
      collect(await send('/v1/customers', { body: 'bogus=1' }));
      collect(await send('/v1/customers', { authorization: null }));
      collect(await send('/v1/nope'));
      collect(await send('/healthz', { authorization: null }));
      collect(await send('/v1/customers/%FF'));
      collect(await send('/v1/customers', { headers: { 'stripe-version': 'garbage' } }));
      const created = await kassa.stripe.customers.create({ name: 'ids' });
      ids.push(created.lastResponse.requestId);
      await assert.rejects(kassa.stripe.customers.retrieve('cus_missing'), (e: Stripe.errors.StripeError) => {
        ids.push(e.requestId!);
        return true;
      });
      for (const id of ids) assert.match(id, /^req_[A-Za-z0-9]{14,}$/);
      assert.equal(new Set(ids).size, ids.length);
    });

    test('the default version is 2026-10-28.endive; a version sent is echoed', async () => {
      const plain = await send('/v1/customers?limit=1');
      assert.equal(plain.headers.get('stripe-version'), '2026-10-28.endive');
      const sdk = await kassa.stripe.customers.list({ limit: 1 });
      assert.equal(sdk.lastResponse.apiVersion, '2026-10-28.endive');
      for (const version of ['2020-08-27', '2024-06-20', '2025-03-31.basil']) {
        const old = await kassa.stripe.customers.list({ limit: 1 }, { apiVersion: version });
        assert.equal(old.lastResponse.apiVersion, version);
      }
      const error = await send('/v1/customers', { body: 'bogus=1', headers: { 'stripe-version': '2020-08-27' } });
      assert.equal(error.headers.get('stripe-version'), '2020-08-27');
    });

    test('an invalid version: 400 invalid_request_error without a code', async () => {
      for (const version of ['garbage', '2099-99-99', '2026-10-28.acacia', '2026-10-28.zucchini']) {
        await assert.rejects(
          kassa.stripe.customers.list({}, { apiVersion: version }),
          (e: Stripe.errors.StripeError) => {
            assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError, version);
            assert.equal(e.statusCode, 400);
            assert.equal(e.rawType, 'invalid_request_error');
            assert.equal(e.code, undefined);
            assert.equal(e.message, `Invalid Stripe API version: ${version}`);
            return true;
          },
        );
      }
      // Checked before anything is written.
      const refused = await send('/v1/customers', { body: 'name=versioned', headers: { 'stripe-version': 'garbage' } });
      assertError(refused, 400, { code: undefined });
      assert.equal(
        (await kassa.stripe.customers.list({ limit: 100 })).data.some((c) => c.name === 'versioned'),
        false,
      );
    });

    test('healthz answers without a key', async () => {
      const response = await send('/healthz', { authorization: null });
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { status: 'ok' });
    });
  });

  describe('routes Kassa does not serve', () => {
    test("an unknown URL: 404 with Stripe's message", async () => {
      assertError(await send('/v1/nope'), 404, {
        message: unrecognized('GET', '/v1/nope'),
        code: undefined,
        param: null,
      });
      assertError(await send('/v1/nope?limit=3'), 404, { message: unrecognized('GET', '/v1/nope') });
      assertError(await send('/'), 404, { message: unrecognized('GET', '/') });
      assertError(await send('/v1/nope', { authorization: null }), 404);
    });

    test('a Stripe path Kassa does not implement yet: 404 saying so', async () => {
      const response = await send('/v1/issuing/cards/ic_x');
      assertError(response, 404, { message: /Kassa does not implement GET \/v1\/issuing\/cards\/\{card\} yet/ });
      await assert.rejects(kassa.stripe.issuing.cards.retrieve('ic_x'), (e: Stripe.errors.StripeError) => {
        assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError);
        assert.equal(e.statusCode, 404);
        assert.match(e.message, /Kassa does not implement/);
        return true;
      });
      assertError(await send('/v1/issuing/cards', { body: 'currency=usd' }), 404, {
        message: /Kassa does not implement POST \/v1\/issuing\/cards yet/,
      });
    });

    test('a wrong method on a known path: a JSON error, never HTML or text', async () => {
      for (const [method, path] of [
        ['PUT', '/v1/customers'],
        ['PATCH', '/v1/customers/cus_x'],
        ['DELETE', '/v1/customers'],
        ['POST', '/v1/events/evt_x'],
        ['DELETE', '/v1/events'],
        ['OPTIONS', '/v1/customers'],
      ]) {
        const response = await send(path, { method });
        assertError(response, 404, { message: unrecognized(method, path) });
      }
    });

    test('a path the router cannot read: a JSON error', async () => {
      assertError(await send('/v1/customers/%FF'), 400, { message: /Invalid request URL/ });
      assertError(await send(`/v1/customers/cus_${'x'.repeat(600)}`), 400, { message: /Invalid request URL/ });
    });
  });

  describe('bodies and query strings', () => {
    let secretKey: string;
    let stripe: Stripe;
    before(async () => {
      secretKey = (await kassa.newAccount()).secret_key;
      stripe = kassa.clientFor(secretKey);
    });

    /** Creates a customer from a raw body, in this suite's account. */
    async function createRaw(body: string, contentType?: string): Promise<Stripe.Customer> {
      const response = await send('/v1/customers', {
        authorization: `Bearer ${secretKey}`,
        body,
        headers: contentType ? { 'content-type': contentType } : {},
      });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body as Stripe.Customer;
    }

    const expected = {
      name: 'Ada Lovelace',
      address: { line1: '1 Way', line2: null, city: 'New York', state: null, postal_code: null, country: null },
      metadata: { 'order id': 'a+b', k: 'v' },
      preferred_locales: ['en', 'fr'],
      custom_fields: [{ name: 'VAT', value: 'GB1' }],
    };

    function assertParsed(customer: Stripe.Customer): void {
      assert.equal(customer.name, expected.name);
      assert.deepEqual(customer.address, expected.address);
      assert.deepEqual(customer.metadata, expected.metadata);
      assert.deepEqual(customer.preferred_locales, expected.preferred_locales);
      assert.deepEqual(customer.invoice_settings.custom_fields, expected.custom_fields);
    }

    test('a form in bracket notation: nested objects, a[]=, a[0][b]=, + as space', async () => {
      assertParsed(
        await createRaw(
          'name=Ada+Lovelace&address[line1]=1+Way&address[city]=New%20York&metadata[order+id]=a%2Bb&metadata[k]=v' +
            '&preferred_locales[]=en&preferred_locales[]=fr&invoice_settings[custom_fields][0][name]=VAT&invoice_settings[custom_fields][0][value]=GB1',
        ),
      );
    });

    test('a form with percent-encoded brackets and indexed arrays', async () => {
      assertParsed(
        await createRaw(
          'name=Ada%20Lovelace&address%5Bline1%5D=1%20Way&address%5Bcity%5D=New+York&metadata%5Border%20id%5D=a%2Bb&metadata%5Bk%5D=v' +
            '&preferred_locales%5B0%5D=en&preferred_locales%5B1%5D=fr&invoice_settings%5Bcustom_fields%5D%5B0%5D%5Bname%5D=VAT&invoice_settings%5Bcustom_fields%5D%5B0%5D%5Bvalue%5D=GB1',
        ),
      );
    });

    test('a JSON body', async () => {
      const body = JSON.stringify({
        name: 'Ada Lovelace',
        address: { line1: '1 Way', city: 'New York' },
        metadata: { 'order id': 'a+b', k: 'v' },
        preferred_locales: ['en', 'fr'],
        invoice_settings: { custom_fields: [{ name: 'VAT', value: 'GB1' }] },
      });
      assertParsed(await createRaw(body, 'application/json'));
      assertParsed(await createRaw(body, 'application/json; charset=utf-8'));
      const typed = await createRaw('{"balance": -250, "tax_exempt": "reverse", "phone": null}', 'application/json');
      assert.equal(typed.balance, -250);
      assert.equal(typed.tax_exempt, 'reverse');
      assert.equal(typed.phone, null);
    });

    test('UTF-8 text in forms and JSON', async () => {
      assert.equal((await createRaw('name=%C3%98ystein+%F0%9F%98%80')).name, 'Øystein 😀');
      assert.equal((await createRaw('{"name":"Øystein 😀"}', 'application/json')).name, 'Øystein 😀');
    });

    test('GET query strings in the same notation: created[gte], expand[] and expand[0]', async () => {
      const customer = await stripe.customers.create({ email: 'query@example.com' });
      const key = `Bearer ${secretKey}`;
      for (const query of [
        `created[gte]=${customer.created}`,
        `created%5Bgte%5D=${customer.created}`,
        `created=${customer.created}`,
      ]) {
        const found = await send(`/v1/customers?${query}&email=query%40example.com`, { authorization: key });
        assert.deepEqual(
          found.body.data.map((c: Stripe.Customer) => c.id),
          [customer.id],
          query,
        );
      }
      const none = await send(`/v1/customers?created[gt]=${customer.created + 1000}`, { authorization: key });
      assert.deepEqual(none.body.data, []);
      for (const query of [
        'expand[]=sources',
        'expand[0]=sources',
        'expand%5B%5D=sources',
        'expand[]=sources&expand[]=tax_ids',
      ]) {
        const expanded = await send(`/v1/customers/${customer.id}?${query}`, { authorization: key });
        assert.equal(expanded.status, 200, query);
        assert.deepEqual(
          expanded.body.sources,
          { object: 'list', data: [], has_more: false, url: `/v1/customers/${customer.id}/sources` },
          query,
        );
      }
      const plain = await send(`/v1/customers/${customer.id}`, { authorization: key });
      assert.equal(plain.body.sources, undefined);
      const listExpanded = await send('/v1/customers?limit=1&expand[]=data.tax_ids', { authorization: key });
      assert.equal(listExpanded.body.data[0].tax_ids.object, 'list');
      // expand[] in a form body of a write, too.
      const written = await send('/v1/customers', { authorization: key, body: 'name=e&expand[]=tax_ids' });
      assert.equal(written.body.tax_ids.object, 'list');
    });
  });

  describe('bad input', () => {
    let account: CreatedAccount;
    before(async () => {
      account = await kassa.newAccount();
    });

    const json = { 'content-type': 'application/json' };
    const deepForm = 'metadata' + '[a]'.repeat(11) + '=1';
    const cases: Array<{
      label: string;
      sent: Sent;
      path?: string;
      status?: number;
      param?: string | null;
      code?: string;
      message?: RegExp;
    }> = [
      { label: 'malformed JSON', sent: { body: '{"name": ', headers: json }, param: null },
      { label: 'a JSON array', sent: { body: '[{"name":"x"}]', headers: json }, param: null },
      { label: 'a JSON string', sent: { body: '"name=x"', headers: json }, param: null },
      {
        label: 'raw invalid UTF-8 in a form',
        sent: { body: Buffer.concat([Buffer.from('email=a%40b.co&name='), Buffer.from([0xff, 0xfe])]) },
        param: 'name',
      },
      {
        label: 'raw invalid UTF-8 in JSON',
        sent: {
          body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3]), Buffer.from('"}')]),
          headers: json,
        },
      },
      { label: '%FF', sent: { body: 'name=%FF' }, param: 'name', message: /percent-encoding/ },
      { label: '%E0%A4', sent: { body: 'description=fine&name=%E0%A4' }, param: 'name' },
      { label: 'a lone %', sent: { body: 'metadata[k]=100%' }, param: 'metadata[k]' },
      {
        label: '%FF in the query',
        sent: { body: 'name=x' },
        path: '/v1/customers?description=%FF',
        param: 'description',
      },
      { label: 'nesting too deep', sent: { body: deepForm }, message: /nested at most 10 levels/ },
      {
        label: 'nesting too deep in JSON',
        sent: { body: '{"metadata":' + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_001), headers: json },
        message: /nested at most/,
      },
      {
        label: 'too many parameters',
        sent: { body: Array.from({ length: 2001 }, (_, i) => `metadata[k${i}]=v`).join('&') },
        message: /at most 2000 parameters/,
      },
      {
        label: 'too many values in JSON',
        sent: { body: JSON.stringify({ preferred_locales: Array.from({ length: 5000 }, () => 'en') }), headers: json },
        message: /at most 2000/,
      },
      { label: 'a body over 1 MB', sent: { body: `description=${'x'.repeat(1024 * 1024)}` }, message: /larger than/ },
      {
        label: 'a JSON body over 1 MB',
        sent: { body: JSON.stringify({ description: 'x'.repeat(1024 * 1024) }), headers: json },
        message: /larger than/,
      },
      {
        label: 'a huge integer',
        sent: { body: 'balance=99999999999999999999' },
        param: 'balance',
        code: 'parameter_invalid_integer',
      },
      {
        label: 'a huge JSON integer',
        sent: { body: '{"balance": 1e400}', headers: json },
        param: 'balance',
        code: 'parameter_invalid_integer',
      },
      {
        label: 'a fraction for an integer',
        sent: { body: 'balance=1.5' },
        param: 'balance',
        code: 'parameter_invalid_integer',
      },
      { label: 'an object for a string', sent: { body: 'name[first]=Ada' }, param: 'name', message: /^Invalid string/ },
      { label: 'an array for a string', sent: { body: 'email[]=a@b.co' }, param: 'email', message: /^Invalid string/ },
      { label: 'a string for an object', sent: { body: 'address=Oslo' }, param: 'address', message: /^Invalid hash$/ },
      {
        label: 'a string for an object (JSON)',
        sent: { body: '{"shipping": "Oslo"}', headers: json },
        param: 'shipping',
        message: /^Invalid hash$/,
      },
      {
        label: 'a string for an array',
        sent: { body: 'preferred_locales=en' },
        param: 'preferred_locales',
        message: /^Invalid array$/,
      },
      {
        label: 'an object in metadata',
        sent: { body: 'metadata[k][x]=v' },
        param: 'metadata[k]',
        message: /^Invalid string/,
      },
      {
        label: 'an empty required value',
        sent: { body: 'shipping[name]=&shipping[address][city]=Oslo' },
        param: 'shipping[name]',
        code: 'parameter_invalid_empty',
      },
      {
        label: 'a missing required value',
        sent: { body: 'shipping[address][city]=Oslo' },
        param: 'shipping[name]',
        code: 'parameter_missing',
      },
      { label: 'an unknown parameter', sent: { body: 'name=x&bogus=1' }, param: 'bogus', code: 'parameter_unknown' },
      {
        label: 'an unknown nested parameter',
        sent: { body: 'address[planet]=Mars' },
        param: 'address[planet]',
        code: 'parameter_unknown',
      },
      {
        label: 'a value outside an enum',
        sent: { body: 'tax_exempt=sometimes' },
        param: 'tax_exempt',
        message: /must be one of exempt, none, or reverse/,
      },
      { label: 'a string too long', sent: { body: `phone=${'1'.repeat(21)}` }, param: 'phone' },
      { label: '__proto__[x]', sent: { body: 'name=x&__proto__[x]=1' }, param: '__proto__', code: 'parameter_unknown' },
      {
        label: '__proto__ in metadata',
        sent: { body: 'metadata[__proto__][x]=1' },
        param: 'metadata[__proto__]',
        code: 'parameter_unknown',
      },
      {
        label: '__proto__ in JSON',
        sent: { body: '{"__proto__": {"balance": "lots", "polluted": "yes"}}', headers: json },
        param: '__proto__',
        code: 'parameter_unknown',
      },
      {
        label: 'constructor[prototype][x]',
        sent: { body: 'constructor[prototype][x]=1' },
        param: 'constructor',
        code: 'parameter_unknown',
      },
      {
        label: 'constructor in JSON',
        sent: { body: '{"constructor": {"prototype": {"polluted": "yes"}}}', headers: json },
        param: 'constructor',
        code: 'parameter_unknown',
      },
      { label: 'toString', sent: { body: 'toString=x' }, param: 'toString', code: 'parameter_unknown' },
      { label: 'an invalid email', sent: { body: 'email=not-an-email' }, param: 'email', code: 'email_invalid' },
      { label: 'a lowercase invoice prefix', sent: { body: 'invoice_prefix=abc' }, param: 'invoice_prefix' },
      {
        label: '51 metadata keys',
        sent: { body: Array.from({ length: 51 }, (_, i) => `metadata[k${i}]=v`).join('&') },
        param: 'metadata',
      },
      {
        label: 'a 41-character metadata key',
        sent: { body: `metadata[${'k'.repeat(41)}]=v` },
        param: `metadata[${'k'.repeat(41)}]`,
      },
      {
        label: 'a 501-character metadata value',
        sent: { body: `metadata[k]=${'v'.repeat(501)}` },
        param: 'metadata[k]',
      },
      { label: 'an expand that fails after the insert', sent: { body: 'name=x&expand[]=nonsense' }, param: 'expand' },
      { label: 'an expand too deep', sent: { body: 'name=x&expand[]=a.b.c.d.e' }, param: 'expand' },
      { label: 'expand as a string', sent: { body: 'name=x&expand=sources' }, param: 'expand' },
      {
        label: 'a missing payment method',
        sent: { body: 'name=x&payment_method=pm_missing' },
        status: 404,
        param: 'payment_method',
        code: 'resource_missing',
      },
      {
        label: 'an invalid limit',
        sent: {},
        path: '/v1/customers?limit=abc',
        param: 'limit',
        code: 'parameter_invalid_integer',
      },
      { label: 'a limit out of range', sent: {}, path: '/v1/customers?limit=1000', param: 'limit' },
      {
        label: 'an invalid created[gte]',
        sent: {},
        path: '/v1/customers?created[gte]=yesterday',
        param: 'created[gte]',
      },
      {
        label: 'an unknown query parameter',
        sent: {},
        path: '/v1/customers?bogus=1',
        param: 'bogus',
        code: 'parameter_unknown',
      },
    ];

    test('every kind gets a Stripe error, never a 500; nothing is written; the server still answers', async () => {
      for (const c of cases) {
        const response = await send(c.path ?? '/v1/customers', {
          ...c.sent,
          authorization: `Bearer ${account.secret_key}`,
        });
        assert.notEqual(response.status, 500, c.label);
        assertError(response, c.status ?? 400, { param: c.param, code: c.code, message: c.message, label: c.label });
      }
      // Nothing polluted in this process, which runs the server.
      const probe: Record<string, unknown> = {};
      assert.equal(probe.polluted, undefined);
      assert.equal(probe.x, undefined);
      assert.equal(probe.balance, undefined);

      const stripe = kassa.clientFor(account.secret_key);
      assert.equal((await stripe.customers.list({ limit: 100 })).data.length, 0);
      assert.equal((await stripe.events.list({ limit: 100 })).data.length, 0);

      assert.equal((await send('/healthz', { authorization: null })).status, 200);
      const fine = await stripe.customers.create({ name: 'after the barrage', metadata: { ok: 'yes' } });
      assert.equal(fine.name, 'after the barrage');
      assert.equal(fine.balance, 0);
      assert.equal((await stripe.events.list()).data.length, 1);
    });

    test('the SDK sees them as StripeInvalidRequestError with the param', async () => {
      const stripe = kassa.clientFor(account.secret_key);
      const countBefore = (await stripe.customers.list({ limit: 100 })).data.length;
      const attempts: Array<[() => Promise<unknown>, string]> = [
        [() => stripe.customers.create({ balance: 'lots' as unknown as number }), 'balance'],
        [() => stripe.customers.create({ name: { first: 'Ada' } as unknown as string }), 'name'],
        [() => stripe.customers.create({ address: 'Oslo' as unknown as Stripe.AddressParam }), 'address'],
        [
          () => stripe.customers.create({ tax_exempt: 'sometimes' as Stripe.CustomerCreateParams.TaxExempt }),
          'tax_exempt',
        ],
        [() => stripe.customers.create({ shipping: { name: '', address: { city: 'Oslo' } } }), 'shipping[name]'],
        [() => stripe.customers.create({ bogus: 1 } as Stripe.CustomerCreateParams), 'bogus'],
      ];
      for (const [attempt, param] of attempts) {
        await assert.rejects(attempt(), (e: Stripe.errors.StripeError) => {
          assert.ok(e instanceof Stripe.errors.StripeInvalidRequestError, param);
          assert.equal(e.statusCode, 400);
          assert.equal(e.rawType, 'invalid_request_error');
          assert.equal(e.param, param);
          return true;
        });
      }
      assert.equal((await stripe.customers.list({ limit: 100 })).data.length, countBefore);
    });

    test('a refused update leaves the customer and its events as they were', async () => {
      const stripe = kassa.clientFor((await kassa.newAccount()).secret_key);
      const customer = await stripe.customers.create({ name: 'Ada', metadata: { a: '1' } });
      const attempts: Array<Partial<Stripe.CustomerUpdateParams> & Record<string, unknown>> = [
        { name: 'Changed', email: 'not-an-email' },
        { name: 'Changed', metadata: { ['k'.repeat(41)]: 'v' } },
        { name: 'Changed', expand: ['nonsense'] },
        { name: 'Changed', invoice_prefix: 'bad' },
      ];
      for (const params of attempts) {
        await assert.rejects(
          stripe.customers.update(customer.id, params as Stripe.CustomerUpdateParams),
          (e: Stripe.errors.StripeError) => e.statusCode === 400,
        );
      }
      const still = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
      assert.equal(still.name, 'Ada');
      assert.deepEqual(still.metadata, { a: '1' });
      assert.deepEqual(
        (await stripe.events.list()).data.map((e) => e.type),
        ['customer.created'],
      );
    });
  });
});
