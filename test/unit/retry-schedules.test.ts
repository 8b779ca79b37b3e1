// The waits Kassa promises, pinned by their values in seconds rather than by
// the constants that produce them: webhook retries (docs/webhooks.md), the
// job worker's retries and claims, and the webhook delivery lease.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LEASE_SECONDS, retryDelay } from '../../src/jobs/worker.js';
import { retryDelaySeconds } from '../../src/webhooks/webhook-delivery.js';
import { leaseSeconds } from '../../src/webhooks/webhook-dispatcher.js';
import { WEBHOOK_RETRY_WAITS } from '../support/webhook-schedule.js';

const afterAttempts = (count: number, delay: (attempt: number) => number | undefined) =>
  Array.from({ length: count }, (_, i) => delay(i + 1));

test('a failed webhook delivery is retried after 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h and 24 h, then given up', () => {
  const noJitter = () => 0;
  assert.deepEqual(WEBHOOK_RETRY_WAITS, [10, 60, 300, 1800, 7200, 21600, 43200, 86400, 86400]);
  assert.deepEqual(
    afterAttempts(9, (n) => retryDelaySeconds(n, noJitter)),
    WEBHOOK_RETRY_WAITS,
  );
  assert.equal(retryDelaySeconds(10, noJitter), undefined, 'no retry after the tenth attempt');
});

test('jitter brings a webhook retry at most 10% early', () => {
  const most = () => 0.999999;
  assert.deepEqual(
    afterAttempts(9, (n) => retryDelaySeconds(n, most)),
    [9, 54, 270, 1620, 6480, 19440, 38880, 77760, 77760],
  );
  const half = () => 0.5;
  assert.deepEqual(
    afterAttempts(9, (n) => retryDelaySeconds(n, half)),
    [10 - 1, 60 - 3, 300 - 15, 1800 - 90, 7200 - 360, 21600 - 1080, 43200 - 2160, 86400 - 4320, 86400 - 4320],
  );
});

test('a failed job is retried after 5 s, doubling each time up to an hour', () => {
  assert.deepEqual(
    afterAttempts(14, retryDelay),
    [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600, 3600],
  );
});

test('a job claim holds 60 s; a webhook delivery claim holds the delivery timeout (rounded up to a second) plus 5 s', () => {
  assert.equal(DEFAULT_LEASE_SECONDS, 60);
  assert.equal(leaseSeconds(10_000), 15, 'the default timeout, 10 s');
  assert.equal(leaseSeconds(2000), 7);
  assert.equal(leaseSeconds(1500), 7);
  assert.equal(leaseSeconds(1), 6);
});
