// What the protocol layer knows about object types, without knowing the
// capabilities behind them: which fields expand[] may name, and fields that
// only appear when expanded (e.g. a customer's `sources`).
import { readFileSync } from 'node:fs';
import type { Queries } from '../store/store.js';

export interface ApiObject {
  id: string;
  object: string;
}

/** An API object's fields, for code that walks them generically. */
export type Fields = Record<string, unknown>;

/** Builds a field that is included only on request (`expand[]=sources`). */
export type Includable = (db: Queries, accountId: string, object: ApiObject) => Promise<unknown>;

const expandable = JSON.parse(readFileSync(new URL('../openapi/expandable.json', import.meta.url), 'utf8')) as Record<string, string[]>;
const EXPANDABLE = new Map(Object.entries(expandable).map(([type, paths]) => [type, new Set(paths)]));
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
