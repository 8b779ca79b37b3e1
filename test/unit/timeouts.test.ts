// The HTTP timeouts: a whole request within 30 s, its headers within 10 s, an
// idle connection kept 72 s; each set by createKassa's `timeouts` or the
// environment (KASSA_REQUEST_TIMEOUT_MS, KASSA_HEADERS_TIMEOUT_MS,
// KASSA_KEEP_ALIVE_TIMEOUT_MS), in milliseconds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { resolveTimeouts, timeoutOptions } from '../../src/server/timeouts.js';

test('defaults: 10 s for headers, 30 s for a whole request, 72 s idle', () => {
  assert.deepEqual(resolveTimeouts(), { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 72_000 });
  assert.deepEqual(loadConfig({}).timeouts, { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 72_000 });
});

test('the headers timeout defaults to at most the request timeout, and may not exceed it', () => {
  assert.deepEqual(resolveTimeouts({ requestMs: 500 }), { headersMs: 500, requestMs: 500, keepAliveMs: 72_000 });
  assert.throws(() => resolveTimeouts({ requestMs: 500, headersMs: 600 }), /cannot be longer than the request timeout/);
  assert.throws(() => resolveTimeouts({ requestMs: 0 }), /invalid requestMs timeout/);
});

test('the environment sets each one', () => {
  const config = loadConfig({
    KASSA_REQUEST_TIMEOUT_MS: '5000',
    KASSA_HEADERS_TIMEOUT_MS: '2000',
    KASSA_KEEP_ALIVE_TIMEOUT_MS: '',
  });
  assert.deepEqual(config.timeouts, { headersMs: 2000, requestMs: 5000, keepAliveMs: 72_000 });
  assert.throws(() => loadConfig({ KASSA_REQUEST_TIMEOUT_MS: 'soon' }), /invalid KASSA_REQUEST_TIMEOUT_MS/);
  assert.throws(() => loadConfig({ KASSA_HEADERS_TIMEOUT_MS: '40000' }), /cannot be longer/);
});

test('Node checks for late requests often enough to keep them close to their timeout', () => {
  assert.equal(timeoutOptions(resolveTimeouts()).http.connectionsCheckingInterval, 1000);
  assert.equal(timeoutOptions(resolveTimeouts({ requestMs: 400 })).http.connectionsCheckingInterval, 100);
});
