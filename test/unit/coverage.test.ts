import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  COVERAGE_FILE,
  coverageMarkdown,
  extensionRoutes,
  KASSA_EXTENSIONS,
  routeKey,
} from '../../scripts/coverage.js';
import { ROUTES } from '../../src/kassa.js';
import { findOperation, OPERATIONS } from '../../src/openapi/operations.js';

test('docs/coverage.md is current (regenerate with `npm run coverage`)', () => {
  assert.equal(readFileSync(COVERAGE_FILE, 'utf8'), coverageMarkdown());
});

test('every route is a Stripe operation or a listed Kassa extension', () => {
  const unlisted = ROUTES.filter(
    (route) => !findOperation(route.method, route.path) && !(routeKey(route) in KASSA_EXTENSIONS),
  ).map(routeKey);
  assert.deepEqual(
    unlisted,
    [],
    "use Stripe's path template, or list the route in KASSA_EXTENSIONS in scripts/coverage.ts",
  );
});

test('KASSA_EXTENSIONS lists only routes that exist and are not Stripe operations', () => {
  const served = new Set(ROUTES.map(routeKey));
  for (const key of Object.keys(KASSA_EXTENSIONS)) {
    assert.ok(served.has(key), `${key} is listed as a Kassa extension but Kassa has no such route`);
    const [method, path] = key.split(' ');
    assert.equal(findOperation(method, path), undefined, `${key} is a Stripe operation, not an extension`);
  }
});

test('no route is registered twice', () => {
  const keys = ROUTES.map(routeKey);
  assert.deepEqual(
    keys.filter((key, i) => keys.indexOf(key) !== i),
    [],
  );
});

test('the table counts served operations per resource and lists what is missing and what is extra', () => {
  const ops = OPERATIONS.filter((op) => op.path.startsWith('/v1/customers'));
  const handler = async () => ({ id: 'x', object: 'x' });
  const routes = [
    { method: 'GET' as const, path: '/v1/customers', handler },
    { method: 'POST' as const, path: '/v1/customers/{customer}', handler },
    { method: 'POST' as const, path: '/v1/customers/{id}', handler },
  ];
  const md = coverageMarkdown(routes, ops);
  assert.match(md, /Kassa serves \*\*2 of 47\*\* operations/);
  assert.match(md, /\| `customers` \| 2 \| 47 \|/);
  assert.match(md, /\| GET \| `\/v1\/customers` \| GetCustomers \|/);
  assert.match(md, /\| POST \| `\/v1\/customers\/\{customer\}` \| PostCustomersCustomer \|/);
  assert.match(md, /- POST `\/v1\/customers` \(PostCustomers\)/);
  assert.doesNotMatch(md, /- GET `\/v1\/customers` \(GetCustomers\)/);
  assert.deepEqual(extensionRoutes(routes).map(routeKey), ['POST /v1/customers/{id}']);
  assert.match(md, /\| POST \| `\/v1\/customers\/\{id\}` \| \(not listed in KASSA_EXTENSIONS\) \|/);
});
