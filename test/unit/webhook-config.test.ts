// KASSA_WEBHOOK_TIMEOUT_MS: 10 s by default, a positive integer of milliseconds otherwise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';

test('the webhook timeout setting', () => {
  assert.equal(loadConfig({}).webhookTimeoutMs, 10_000);
  assert.equal(loadConfig({ KASSA_WEBHOOK_TIMEOUT_MS: '' }).webhookTimeoutMs, 10_000);
  assert.equal(loadConfig({ KASSA_WEBHOOK_TIMEOUT_MS: '2500' }).webhookTimeoutMs, 2500);
  for (const bad of ['0', '-5', '1.5', 'ten']) {
    assert.throws(() => loadConfig({ KASSA_WEBHOOK_TIMEOUT_MS: bad }), /invalid KASSA_WEBHOOK_TIMEOUT_MS/);
  }
});
