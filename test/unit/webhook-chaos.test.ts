// Chaos mode's rules, without HTTP or a database: settings within bounds,
// each delivery's plan (delays, a duplicate) reproducible from a seed, and
// the shuffle a permutation that a seed fixes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StripeError } from '../../src/server/errors.js';
import {
  applyChaosParams,
  chaosPlan,
  chaosShuffle,
  MAX_CHAOS_DELAY_MS,
  type ChaosSettings,
} from '../../src/webhooks/webhook-chaos.js';

const settings = (over: Partial<ChaosSettings>): ChaosSettings => ({
  duplicate_rate: 0,
  max_delay_ms: 0,
  reorder: false,
  seed: 5,
  ...over,
});

test('settings: omitted parameters keep their values, enabled=false turns chaos off, out-of-bounds values name their parameter', () => {
  const on = applyChaosParams(undefined, { duplicate_rate: 0.5, seed: 9 });
  assert.deepEqual(on, { duplicate_rate: 0.5, max_delay_ms: 0, reorder: false, seed: 9 });
  assert.deepEqual(applyChaosParams(on, { max_delay_ms: MAX_CHAOS_DELAY_MS, seed: '' }), {
    duplicate_rate: 0.5,
    max_delay_ms: MAX_CHAOS_DELAY_MS,
    reorder: false,
    seed: null,
  });
  assert.equal(applyChaosParams(on, { enabled: false, duplicate_rate: 1 }), undefined);
  for (const [params, param] of [
    [{ duplicate_rate: -0.1 }, 'duplicate_rate'],
    [{ duplicate_rate: 1.01 }, 'duplicate_rate'],
    [{ max_delay_ms: MAX_CHAOS_DELAY_MS + 1 }, 'max_delay_ms'],
    [{ seed: 1.5 }, 'seed'],
  ] as const) {
    assert.throws(
      () => applyChaosParams(on, params),
      (e: StripeError) => e instanceof StripeError && e.body.param === param,
      JSON.stringify(params),
    );
  }
});

test('a plan: one post, or two at duplicate_rate 1; delays within max_delay_ms; the same with the same seed', () => {
  assert.deepEqual(chaosPlan(settings({}), 'evt_1', 'we_1', 1), [0]);
  assert.equal(chaosPlan(settings({ duplicate_rate: 1 }), 'evt_1', 'we_1', 1).length, 2);
  const delays = Array.from(
    { length: 200 },
    (_, i) => chaosPlan(settings({ max_delay_ms: 250 }), `evt_${i}`, 'we_1', 1)[0]!,
  );
  assert.ok(delays.every((d) => Number.isInteger(d) && d >= 0 && d <= 250));
  assert.ok(new Set(delays).size > 50, 'delays spread over the range');
  const duplicated = Array.from(
    { length: 1000 },
    (_, i) => chaosPlan(settings({ duplicate_rate: 0.3 }), `evt_${i}`, 'we_1', 1).length === 2,
  ).filter(Boolean).length;
  assert.ok(duplicated > 200 && duplicated < 400, `${duplicated} of 1000 duplicated at rate 0.3`);
  const seeded = settings({ duplicate_rate: 0.5, max_delay_ms: 1000 });
  assert.deepEqual(chaosPlan(seeded, 'evt_x', 'we_1', 2), chaosPlan(seeded, 'evt_x', 'we_1', 2));
});

test('a shuffle is a permutation, the same for the same seed and round', () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  const shuffled = chaosShuffle(settings({ reorder: true }), items, 0);
  assert.deepEqual(
    [...shuffled].sort((a, b) => a - b),
    items,
  );
  assert.notDeepEqual(shuffled, items);
  assert.deepEqual(chaosShuffle(settings({ reorder: true }), items, 0), shuffled);
  assert.deepEqual(
    items,
    Array.from({ length: 10 }, (_, i) => i),
    'the input is left as it was',
  );
});
