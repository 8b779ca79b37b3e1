// The module list is the one place capabilities are named: what each claims
// (id prefixes, event types, Kassa's own routes, trigger recipes) is its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODULES } from '../../src/modules.js';

function claimedTwice(claims: Array<[module: string, claim: string]>): string[] {
  const owner = new Map<string, string>();
  const twice: string[] = [];
  for (const [module, claim] of claims) {
    const first = owner.get(claim);
    if (first !== undefined) twice.push(`${claim} (${first}, ${module})`);
    owner.set(claim, module);
  }
  return twice;
}

test('modules have distinct names and claim distinct id prefixes, event types and extension routes', () => {
  assert.deepEqual(claimedTwice(MODULES.map((m) => [m.name, m.name])), []);
  assert.deepEqual(
    claimedTwice(MODULES.flatMap((m) => (m.idPrefixes ?? []).map((p): [string, string] => [m.name, p]))),
    [],
  );
  assert.deepEqual(
    claimedTwice(MODULES.flatMap((m) => (m.eventTypes ?? []).map((t): [string, string] => [m.name, t]))),
    [],
  );
  assert.deepEqual(
    claimedTwice(MODULES.flatMap((m) => Object.keys(m.extensions ?? {}).map((r): [string, string] => [m.name, r]))),
    [],
  );
});

test("each module's trigger recipes cause only event types it emits, and cover all of them", () => {
  for (const module of MODULES) {
    assert.deepEqual(
      Object.keys(module.triggerRecipes ?? {}).sort(),
      [...(module.eventTypes ?? [])].sort(),
      module.name,
    );
  }
});
