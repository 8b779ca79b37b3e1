import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveStep, TRIGGER_EVENTS, TRIGGER_RECIPES, type TriggerStep } from '../../src/cli/trigger-recipes.js';
import { eventTypesOf, MODULES } from '../../src/modules.js';

test('kassa trigger has a recipe for every event type Kassa emits, and for nothing else', () => {
  assert.deepEqual(TRIGGER_EVENTS, eventTypesOf(MODULES));
});

test('every reference in a recipe names an earlier step', () => {
  for (const [event, recipe] of Object.entries(TRIGGER_RECIPES)) {
    const seen = new Set<string>();
    for (const step of recipe.steps) {
      for (const [, name] of JSON.stringify(step).matchAll(/\$\{([a-z_]+):/g))
        assert.ok(seen.has(name), `${event}: step ${step.name} refers to ${name} before it ran`);
      seen.add(step.name);
    }
  }
});

test('resolveStep fills path and params from earlier responses, at any depth', () => {
  const step: TriggerStep = {
    name: 'refund',
    method: 'post',
    path: '/v1/charges/${payment_intent:latest_charge}/refund',
    params: {
      payment_intent: '${payment_intent:id}',
      metadata: { card: '${pm:card.last4}' },
      list: ['${payment_intent:id}', 3],
      amount: 100,
    },
  };
  const resolved = resolveStep(step, {
    payment_intent: { id: 'pi_1', latest_charge: 'ch_1' },
    pm: { card: { last4: '4242' } },
  });
  assert.equal(resolved.path, '/v1/charges/ch_1/refund');
  assert.deepEqual(resolved.params, {
    payment_intent: 'pi_1',
    metadata: { card: '4242' },
    list: ['pi_1', 3],
    amount: 100,
  });
  assert.equal(step.path, '/v1/charges/${payment_intent:latest_charge}/refund', 'the recipe itself is left as it was');
});

test('resolveStep refuses a reference to a step that has not run or a field its response lacks', () => {
  const step: TriggerStep = {
    name: 'x',
    method: 'post',
    path: '/v1/refunds',
    params: { charge: '${payment_intent:latest_charge}' },
  };
  assert.throws(() => resolveStep(step, {}), /has not run/);
  assert.throws(
    () => resolveStep(step, { payment_intent: { id: 'pi_1', latest_charge: null } }),
    /has no latest_charge/,
  );
});

test('text that only looks like a reference is sent as it is', () => {
  const step: TriggerStep = {
    name: 'x',
    method: 'post',
    path: '/v1/customers',
    params: { description: 'costs ${price:id} today' },
  };
  assert.equal(resolveStep(step, {}).params!.description, 'costs ${price:id} today');
});
