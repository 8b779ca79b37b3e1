// What the protocol layer knows about object types, without knowing the
// capabilities behind them: which fields expand[] may name, and fields that
// only appear when expanded (e.g. a customer's `sources`).
import expandable from '../openapi/expandable.json' with { type: 'json' };
import type { Queries } from '../store/store.js';
import type { RequestContext } from './route.js';

export interface ApiObject {
  id: string;
  object: string;
}

/** An API object's fields, for code that walks them generically. */
export type Fields = Record<string, unknown>;

/** Builds a field that is included only on request (`expand[]=sources`). */
export type Includable = (db: Queries, accountId: string, object: ApiObject) => Promise<unknown>;

const EXPANDABLE = new Map(Object.entries(expandable as Record<string, string[]>).map(([type, paths]) => [type, new Set(paths)]));
const INCLUDABLE = new Map<string, Map<string, Includable>>();

export function isExpandable(type: string, path: string): boolean {
  return EXPANDABLE.get(type)?.has(path) === true || INCLUDABLE.get(type)?.has(path) === true;
}

export function includable(type: string, field: string): Includable | undefined {
  return INCLUDABLE.get(type)?.get(field);
}

export function registerIncludable(type: string, field: string, build: Includable): void {
  let fields = INCLUDABLE.get(type);
  if (!fields) INCLUDABLE.set(type, (fields = new Map()));
  fields.set(field, build);
}

/**
 * A capability's part in another's writes, without importing it: payments
 * attach the `payment_method` a customer is created with. A hook may change
 * the object before it is stored and return work to run after it is stored (`afterStore`).
 */
export type WriteHook = (
  ctx: RequestContext<unknown>,
  object: ApiObject,
  params: Record<string, unknown>,
) => Promise<{ object: ApiObject; afterStore?: () => Promise<void> }>;

const WRITE_HOOKS = new Map<string, WriteHook[]>();

export function registerWriteHook(point: string, hook: WriteHook): void {
  WRITE_HOOKS.set(point, [...(WRITE_HOOKS.get(point) ?? []), hook]);
}

/** Runs the hooks of `point` in order; returns the object as they left it and the work to run after storing it. */
export async function runWriteHooks<T extends ApiObject>(
  point: string,
  ctx: RequestContext<unknown>,
  object: T,
  params: object,
): Promise<{ object: T; afterStore: () => Promise<void> }> {
  const after: Array<() => Promise<void>> = [];
  let current: ApiObject = object;
  for (const hook of WRITE_HOOKS.get(point) ?? []) {
    const result = await hook(ctx, current, params as Record<string, unknown>);
    current = result.object;
    if (result.afterStore) after.push(result.afterStore);
  }
  return {
    object: current as T,
    afterStore: async () => {
      for (const work of after) await work();
    },
  };
}
