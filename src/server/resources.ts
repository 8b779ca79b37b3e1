// What the protocol layer knows about object types, without knowing the
// capabilities behind them: which fields expand[] may name, fields that only
// appear when expanded (e.g. a customer's `sources`), and write hooks. Each app
// has its own, made from its modules (src/kassa.ts); nothing here is global.
import expandable from '../openapi/expandable.json' with { type: 'json' };
import type { Queries } from '../store/store.js';
import type { PrepareContext, RequestContext } from './route.js';

export interface ApiObject {
  id: string;
  object: string;
}

/** An API object's fields, for code that walks them generically. */
export type Fields = Record<string, unknown>;

/** Builds a field that is included only on request (`expand[]=sources`). */
export type Includable = (db: Queries, accountId: string, object: ApiObject) => Promise<unknown>;

const EXPANDABLE = new Map(
  Object.entries(expandable as Record<string, string[]>).map(([type, paths]) => [type, new Set(paths)]),
);

/** A field of `type` that is included only on request, contributed by the capability that owns the data. */
export interface IncludableField {
  type: string;
  field: string;
  build: Includable;
}

/** What one app knows about its object types: Stripe's expandable fields and its modules' includable fields. */
export interface ObjectTypes {
  isExpandable(type: string, path: string): boolean;
  includable(type: string, field: string): Includable | undefined;
}

export function objectTypes(includables: readonly IncludableField[]): ObjectTypes {
  const byType = new Map<string, Map<string, Includable>>();
  for (const { type, field, build } of includables) {
    let fields = byType.get(type);
    if (!fields) byType.set(type, (fields = new Map()));
    fields.set(field, build);
  }
  return {
    isExpandable: (type, path) => EXPANDABLE.get(type)?.has(path) === true || byType.get(type)?.has(path) === true,
    includable: (type, field) => byType.get(type)?.get(field),
  };
}

/**
 * A capability's part in another's writes, without importing it: payments
 * attach the `payment_method` a customer is created with. A hook may change
 * the object before it is stored and return work to run after it is stored
 * (`afterStore`). `prepared` is what its entry's prepare step returned.
 */
export type WriteHook = (
  ctx: RequestContext<unknown>,
  object: ApiObject,
  params: Record<string, unknown>,
  prepared: unknown,
) => Promise<{ object: ApiObject; afterStore?: () => Promise<void> }>;

/** A write hook and the point it joins (`customer.create`). */
export interface WriteHookEntry {
  point: string;
  hook: WriteHook;
  /**
   * Run by the write's route before its transaction opens (see Route.prepare):
   * what the hook would otherwise ask the card network inside it.
   */
  prepare?: (ctx: PrepareContext<Record<string, unknown>>) => Promise<unknown>;
}

/** What the hooks of a point prepared, in their order: the route's prepare step returns it, its handler passes it to run. */
export type PreparedHooks = readonly unknown[];

/** One app's write hooks; filled once its modules are set up, before it serves a request. */
export class WriteHooks {
  private readonly byPoint = new Map<string, WriteHookEntry[]>();

  add(entries: readonly WriteHookEntry[]): void {
    for (const entry of entries) this.byPoint.set(entry.point, [...(this.byPoint.get(entry.point) ?? []), entry]);
  }

  /** Runs the prepare steps of `point`'s hooks, with no transaction open. */
  async prepare(point: string, ctx: PrepareContext<unknown>): Promise<PreparedHooks> {
    const prepared: unknown[] = [];
    for (const entry of this.byPoint.get(point) ?? [])
      prepared.push(await entry.prepare?.(ctx as PrepareContext<Record<string, unknown>>));
    return prepared;
  }

  /** Runs the hooks of `point` in order; returns the object as they left it and the work to run after storing it. */
  async run<T extends ApiObject>(
    point: string,
    ctx: RequestContext<unknown>,
    object: T,
    params: object,
    prepared: PreparedHooks = [],
  ): Promise<{ object: T; afterStore: () => Promise<void> }> {
    const after: Array<() => Promise<void>> = [];
    let current: ApiObject = object;
    for (const [index, entry] of (this.byPoint.get(point) ?? []).entries()) {
      const result = await entry.hook(ctx, current, params as Record<string, unknown>, prepared[index]);
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
}
