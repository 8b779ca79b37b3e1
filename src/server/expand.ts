// expand[]: replaces ids with the objects they name, to 4 levels, on single
// objects and on lists (`data.customer`).
import type { Queries } from '../store/store.js';
import { invalidParam } from './errors.js';
import type { ApiObject, Fields, ObjectTypes } from './resources.js';
import { getObjectRow } from '../store/objects.js';

const MAX_DEPTH = 4;

export async function expandResponse<T extends { object: string }>(
  types: ObjectTypes,
  db: Queries,
  accountId: string,
  body: T,
  paths: string[],
): Promise<T> {
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > MAX_DEPTH) {
      throw invalidParam(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, 'expand');
    }
    await expandAt(types, db, accountId, body as unknown as ApiObject & Fields, segments, path);
  }
  return body;
}

async function expandAt(
  types: ObjectTypes,
  db: Queries,
  accountId: string,
  object: ApiObject & Fields,
  segments: string[],
  whole: string,
): Promise<void> {
  if ((object.object === 'list' || object.object === 'search_result') && Array.isArray(object.data)) {
    if (segments[0] === 'total_count' && segments.length === 1 && object.object === 'search_result') return;
    if (segments[0] !== 'data') throw cannotExpand(whole);
    for (const item of object.data as Array<ApiObject & Fields>)
      await expandAt(types, db, accountId, item, segments.slice(1), whole);
    return;
  }
  // The longest prefix that the object's type lets expand: `invoice_settings.default_payment_method`.
  for (let length = segments.length; length >= 1; length--) {
    const field = segments.slice(0, length).join('.');
    if (!types.isExpandable(object.object, field)) continue;
    const parent = walk(object, segments.slice(0, length - 1));
    if (!parent) return;
    const name = segments[length - 1];
    const build = length === 1 ? types.includable(object.object, name) : undefined;
    let value = parent[name];
    if (build && value === undefined) value = parent[name] = await build(db, accountId, object);
    if (typeof value === 'string') {
      const row = await getObjectRow(db, accountId, value);
      if (row) value = parent[name] = JSON.parse(row.doc);
    }
    const rest = segments.slice(length);
    if (rest.length === 0) return;
    if (value && typeof value === 'object' && typeof (value as ApiObject).object === 'string') {
      return expandAt(types, db, accountId, value as ApiObject & Fields, rest, whole);
    }
    if (value === null || value === undefined) return;
    throw cannotExpand(whole);
  }
  throw cannotExpand(whole);
}

function walk(object: Record<string, unknown>, segments: string[]): Record<string, unknown> | undefined {
  let current: unknown = object;
  for (const segment of segments) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current && typeof current === 'object' ? (current as Record<string, unknown>) : undefined;
}

function cannotExpand(path: string) {
  return invalidParam(`This property cannot be expanded (${path}).`, 'expand');
}
