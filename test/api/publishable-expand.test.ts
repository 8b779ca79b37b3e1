// expand[] with a publishable key, through the official SDK as a browser's
// key: every route a publishable key may call, with every path expand[] can
// name on the object it answers with (src/openapi/expandable.json, and one
// level further into each object those paths expand, typed by Stripe's
// schemas), so a new expandable field is covered without touching this file.
// Stripe lets a publishable key expand only `payment_method` of a
// PaymentIntent or SetupIntent; in every answer, each object at every level
// shows only its public fields, and nothing of the customer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { ROUTES } from '../../src/kassa.js';
import { describeEachStore } from '../support/each-store.js';
import { startKassa, type TestKassa } from '../support/kassa.js';
import { PUBLIC_FIELDS } from '../support/public-fields.js';
import { rejectsWith } from '../support/rejects.js';

interface Schema {
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
  $ref?: string;
}

const expandable = JSON.parse(
  readFileSync(new URL('../../src/openapi/expandable.json', import.meta.url), 'utf8'),
) as Record<string, string[]>;
const schemas = (
  JSON.parse(readFileSync(new URL('../support/stripe-schemas.json', import.meta.url), 'utf8')) as {
    definitions: Record<string, Schema>;
  }
).definitions;

/** Stripe's rule: a publishable key may expand `payment_method` of a PaymentIntent or a SetupIntent, and nothing else. */
const PUBLISHABLE_EXPANSIONS: Record<string, string[]> = {
  payment_intent: ['payment_method'],
  setup_intent: ['payment_method'],
  payment_method: [],
};

/** The type of object a path of `type` holds once expanded (`payment_method` of a PaymentIntent: payment_method); undefined for an embedded hash. */
function expandsTo(type: string, path: string): string | undefined {
  let name: string | undefined = type;
  for (const field of path.split('.')) {
    const property: Schema | undefined = name ? schemas[name]?.properties?.[field] : undefined;
    name = [property, ...(property?.anyOf ?? [])]
      .find((schema) => schema?.$ref)
      ?.$ref?.split('/')
      .pop();
  }
  return name && schemas[name]?.properties?.id ? name : undefined;
}

/** Every path expand[] may name on an object of `type`, and each one level further into the object it expands (`payment_method.customer`), within Stripe's 4 levels. */
function expandPaths(type: string): string[] {
  const paths = expandable[type] ?? [];
  const further = paths.flatMap((path) => {
    const inner = expandsTo(type, path);
    return inner
      ? (expandable[inner] ?? []).map((field) => `${path}.${field}`).filter((p) => p.split('.').length <= 4)
      : [];
  });
  return [...paths, ...further];
}

type Fields = Record<string, unknown>;

/** Calls `visit` with every API object (a hash with `object` and `id`) in a response, at any depth. */
function eachObject(value: unknown, visit: (object: Fields & { object: string }) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) eachObject(item, visit);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const fields = value as Fields;
  if (typeof fields.object === 'string' && typeof fields.id === 'string') visit(fields as Fields & { object: string });
  for (const [key, item] of Object.entries(fields)) if (key !== 'lastResponse') eachObject(item, visit);
}

/** One publishable call: `send` makes it with the given expand[]. */
interface Caller {
  send(expand: string[]): Promise<unknown>;
  /** Checks that refused calls changed nothing. */
  unchanged(): Promise<void>;
}

describeEachStore('expand[] with a publishable key', (target) => {
  let kassa: TestKassa;
  /** The SDK with the secret key, for the merchant's server. */
  let stripe: Stripe;
  /** The SDK with the publishable key, as the customer's browser holds it. */
  let browser: Stripe;
  let customer: Stripe.Customer;
  let savedCard: Stripe.PaymentMethod;
  /** What a publishable key must never see: the customer's details, every metadata value, ids and the card's fingerprint. */
  const secrets: string[] = [];

  before(async () => {
    kassa = await startKassa(await target.config());
    stripe = kassa.stripe;
    browser = kassa.clientFor(kassa.account.publishable_key);
    customer = await stripe.customers.create({
      email: 'hidden-buyer@example.com',
      phone: '+15550100777',
      name: 'Hidden Buyer',
      address: { line1: '77 Hidden Lane', city: 'Secretville', postal_code: '99999', country: 'US' },
      metadata: { crm_note: 'customer-private-note' },
    });
    savedCard = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    savedCard = await stripe.paymentMethods.update(savedCard.id, { metadata: { card_note: 'card-private-note' } });
    secrets.push(
      'hidden-buyer@example.com',
      '+15550100777',
      '77 Hidden Lane',
      'Secretville',
      'customer-private-note',
      'card-private-note',
      'intent-private-note',
    );
    secrets.push(customer.id, savedCard.card!.fingerprint!);
  });
  after(() => kassa.close());

  function assertPublic(answer: unknown, where: string): void {
    const text = JSON.stringify(answer, (key, value) => (key === 'lastResponse' ? undefined : value));
    for (const secret of secrets)
      assert.ok(!text.includes(secret), `${where}: ${secret} was shown to a publishable key`);
    eachObject(answer, (object) => {
      const fields = PUBLIC_FIELDS[object.object];
      assert.ok(fields, `${where}: a ${object.object} was shown to a publishable key`);
      assert.deepEqual(
        Object.keys(object).filter((key) => !fields.includes(key)),
        [],
        `${where}: ${object.object} fields outside its public view`,
      );
      if (object.object === 'payment_method')
        assert.equal((object.card as Fields).fingerprint, undefined, `${where}: the card's fingerprint`);
    });
  }

  async function intent(params: Partial<Stripe.PaymentIntentCreateParams>): Promise<Stripe.PaymentIntent> {
    return stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      customer: customer.id,
      payment_method: savedCard.id,
      payment_method_types: ['card'],
      metadata: { note: 'intent-private-note' },
      ...params,
    } as Stripe.PaymentIntentCreateParams);
  }

  async function setupIntent(params: Partial<Stripe.SetupIntentCreateParams>): Promise<Stripe.SetupIntent> {
    return stripe.setupIntents.create({
      customer: customer.id,
      payment_method: savedCard.id,
      payment_method_types: ['card'],
      metadata: { note: 'intent-private-note' },
      ...params,
    } as Stripe.SetupIntentCreateParams);
  }

  /** How Stripe.js calls each publishable route, on an object in the state that route expects, and what the route answers with. */
  const CALLS: Record<string, { answers: string; fresh(): Promise<Caller> }> = {
    'POST /v1/payment_methods': {
      answers: 'payment_method',
      async fresh() {
        const before = (await stripe.paymentMethods.list({ limit: 100 })).data.length;
        return {
          send: (expand) =>
            browser.paymentMethods.create({
              type: 'card',
              card: { number: '4242424242424242', exp_month: 12, exp_year: 2040, cvc: '123' },
              billing_details: { name: 'Typed In' },
              expand,
            }),
          unchanged: async () => assert.equal((await stripe.paymentMethods.list({ limit: 100 })).data.length, before),
        };
      },
    },
    'GET /v1/payment_intents/{intent}': {
      answers: 'payment_intent',
      async fresh() {
        const pi = await intent({ confirm: true, capture_method: 'manual' });
        assert.equal(pi.status, 'requires_capture');
        return {
          send: (expand) => browser.paymentIntents.retrieve(pi.id, { client_secret: pi.client_secret!, expand }),
          unchanged: async () => undefined,
        };
      },
    },
    'POST /v1/payment_intents/{intent}/confirm': {
      answers: 'payment_intent',
      async fresh() {
        const pi = await intent({});
        return {
          send: (expand) =>
            browser.paymentIntents.confirm(pi.id, {
              client_secret: pi.client_secret!,
              expand,
            } as Stripe.PaymentIntentConfirmParams),
          unchanged: async () =>
            assert.equal((await stripe.paymentIntents.retrieve(pi.id)).status, 'requires_confirmation'),
        };
      },
    },
    'GET /v1/setup_intents/{intent}': {
      answers: 'setup_intent',
      async fresh() {
        const si = await setupIntent({ confirm: true });
        assert.equal(si.status, 'succeeded');
        return {
          send: (expand) => browser.setupIntents.retrieve(si.id, { client_secret: si.client_secret!, expand }),
          unchanged: async () => undefined,
        };
      },
    },
    'POST /v1/setup_intents/{intent}/confirm': {
      answers: 'setup_intent',
      async fresh() {
        const si = await setupIntent({});
        return {
          send: (expand) =>
            browser.setupIntents.confirm(si.id, {
              client_secret: si.client_secret!,
              expand,
            } as Stripe.SetupIntentConfirmParams),
          unchanged: async () =>
            assert.equal((await stripe.setupIntents.retrieve(si.id)).status, 'requires_confirmation'),
        };
      },
    },
  };

  test('every route a publishable key may call is tried here', () => {
    const publishable = ROUTES.filter((route) => route.publishable).map((route) => `${route.method} ${route.path}`);
    assert.deepEqual(Object.keys(CALLS).sort(), publishable.sort());
  });

  for (const [route, call] of Object.entries(CALLS)) {
    test(`${route}: each expandable path is refused, or expands into public views`, async () => {
      const paths = expandPaths(call.answers);
      const allowed = PUBLISHABLE_EXPANSIONS[call.answers];
      assert.ok(
        paths.length > allowed.length && allowed.every((path) => paths.includes(path)),
        'the paths come from expandable.json',
      );

      assertPublic(await (await call.fresh()).send([]), route);
      for (const path of allowed) {
        const answer = (await (await call.fresh()).send([path])) as Fields;
        assert.equal(typeof answer[path], 'object', `${route}: ${path} expanded`);
        assertPublic(answer, `${route} expand[]=${path}`);
      }

      const caller = await call.fresh();
      for (const path of paths.filter((p) => !allowed.includes(p))) {
        await assert.rejects(
          caller.send([path]),
          rejectsWith({ status: 400, type: 'invalid_request_error', param: 'expand', message: /publishable key/ }),
          `${route} expand[]=${path}`,
        );
      }
      // Refused with an allowed path beside it, too.
      if (allowed.length > 0)
        await assert.rejects(
          caller.send([...allowed, `${allowed[0]}.customer`]),
          rejectsWith({ status: 400, param: 'expand' }),
        );
      await caller.unchanged();
    });
  }

  test('a declined card: the error shows the intent and the card in their public views', async () => {
    const declining = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    await stripe.paymentMethods.update(declining.id, { metadata: { card_note: 'card-private-note' } });
    const pi = await intent({ payment_method: declining.id });
    await assert.rejects(
      browser.paymentIntents.confirm(pi.id, {
        client_secret: pi.client_secret!,
        expand: ['payment_method'],
      } as Stripe.PaymentIntentConfirmParams),
      (error: Stripe.errors.StripeError) => {
        assert.equal(error.statusCode, 402);
        assert.equal(error.code, 'card_declined');
        const body = error.raw as Fields & { payment_intent: Fields; payment_method: Fields };
        assert.equal(body.payment_intent.id, pi.id);
        assert.equal(body.payment_method.id, declining.id);
        assert.equal(((body.payment_intent.last_payment_error as Fields).payment_method as Fields).id, declining.id);
        assertPublic(body, 'card_error');
        return true;
      },
    );

    const si = await setupIntent({ payment_method: declining.id });
    const setup = await browser.setupIntents
      .confirm(si.id, { client_secret: si.client_secret! } as Stripe.SetupIntentConfirmParams)
      .catch((error: Stripe.errors.StripeError) => error.raw);
    assertPublic(setup, 'setup intent confirm');
  });
});
