// What `kassa trigger EVENT` does to cause each event: every module's recipes
// (src/events/trigger-recipe.ts has their shape), and how a step's
// `${step:field.path}` references are filled in from earlier responses.
import type { TriggerRecipe, TriggerStep } from '../events/trigger-recipe.js';
import { MODULES } from '../modules.js';

export type { TriggerRecipe, TriggerStep } from '../events/trigger-recipe.js';

export const TRIGGER_RECIPES: Readonly<Record<string, TriggerRecipe>> = Object.assign(
  {},
  ...MODULES.map((module) => module.triggerRecipes ?? {}),
);

export const TRIGGER_EVENTS: readonly string[] = Object.keys(TRIGGER_RECIPES).sort();

const REFERENCE = /^\$\{([a-z_]+):([A-Za-z0-9_.]+)\}$/;

/** A step with its `${step:field}` references replaced by the values in earlier responses. */
export function resolveStep(step: TriggerStep, responses: Readonly<Record<string, unknown>>): TriggerStep {
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') return resolveString(value, responses);
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  const path = step.path.replace(/\$\{[^}]*\}/g, (ref) => encodeURIComponent(String(resolveString(ref, responses))));
  return { ...step, path, params: step.params && (resolve(step.params) as Record<string, unknown>) };
}

function resolveString(value: string, responses: Readonly<Record<string, unknown>>): unknown {
  const match = REFERENCE.exec(value);
  if (!match) return value;
  const [, name, fieldPath] = match;
  if (!(name in responses)) throw new Error(`${value} refers to a step that has not run`);
  let current: unknown = responses[name];
  for (const key of fieldPath.split('.')) {
    current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  }
  if (current === undefined || current === null) throw new Error(`${value}: the ${name} response has no ${fieldPath}`);
  return current;
}
