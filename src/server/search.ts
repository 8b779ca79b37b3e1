// Stripe's search query language (`email:'a@b.c' AND metadata['k']:'v'`,
// `name~'ali'`, `-phone:null`, `created>1700000000`) and its result pages.
import type { Queries } from '../store/store.js';
import { invalidParam } from './errors.js';
import { listLimit } from './list.js';
import type { ApiObject, Fields } from './resources.js';
import type { RequestContext, Route } from './route.js';

export type FieldKind = 'string' | 'number' | 'metadata';

type Comparator = ':' | '=' | '~' | '>' | '<' | '>=' | '<=';

interface Clause {
  field: string;
  metadataKey?: string;
  comparator: Comparator;
  value: string | number | null;
  negated: boolean;
}

export type Predicate = (object: ApiObject) => boolean;

const MAX_CLAUSES = 10;
const TOKEN =
  /\s*(-?)([a-z_]+(?:\.[a-z_]+)*)(?:\[(['"])((?:(?!\3).)*)\3\])?\s*(>=|<=|:|~|>|<|=)\s*(?:(['"])((?:\\.|(?!\6).)*)\6|(null|NULL)|(-?\d+(?:\.\d+)?))\s*/y;

export function parseSearchQuery(query: string, resource: string, fields: Record<string, FieldKind>): Predicate {
  const clauses: Clause[] = [];
  const joiners = new Set<string>();
  let position = 0;
  const text = query.trim();
  if (text === '') throw queryError('Search query is empty.');
  while (position < text.length) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(text);
    if (!match)
      throw queryError(
        `Search query is invalid at character ${position + 1}: \`${text.slice(position, position + 20)}\`.`,
      );
    const [, minus, field, , metadataKey, comparator, , quoted, isNull, number] = match;
    const kind = fields[field];
    if (!kind) {
      throw queryError(
        `Field \`${field}\` is an unsupported search field for resource \`${resource}\`. Supported fields: ${Object.keys(fields).join(', ')}.`,
      );
    }
    if ((kind === 'metadata') !== (metadataKey !== undefined)) {
      throw queryError(
        kind === 'metadata'
          ? `Search on \`${field}\` needs a key: ${field}['key']:'value'.`
          : `Field \`${field}\` has no keys.`,
      );
    }
    let value = isNull ? null : quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : Number(number);
    // Stripe makes quotation marks optional around numbers, not forbidden.
    if (kind === 'number' && typeof value === 'string' && /^-?\d+(?:\.\d+)?$/.test(value)) value = Number(value);
    if (kind === 'number' && (typeof value !== 'number' || comparator === '~'))
      throw queryError(`Field \`${field}\` takes a number and the comparators :, =, >, <, >= and <=.`);
    if (kind !== 'number' && comparator !== ':' && comparator !== '~')
      throw queryError(`Field \`${field}\` takes the comparators : and ~.`);
    if (comparator === '~' && (typeof value !== 'string' || value.length < 3))
      throw queryError('A substring search (~) needs a quoted value of at least 3 characters.');
    clauses.push({ field, metadataKey, comparator: comparator as Comparator, value, negated: minus === '-' });
    position = TOKEN.lastIndex;
    if (position >= text.length) break;
    // AND and OR ignore case; clauses separated by only a space are ANDed.
    const joiner = /(AND|OR)\s+/iy;
    joiner.lastIndex = position;
    const join = joiner.exec(text);
    if (join) {
      joiners.add(join[1].toUpperCase());
      position = joiner.lastIndex;
    } else if (/\s$/.test(match[0])) {
      joiners.add('AND');
    } else {
      throw queryError(
        `Search query is invalid at character ${position + 1}: clauses are joined by AND, OR or a space.`,
      );
    }
  }
  if (joiners.size > 1) throw queryError('Search queries cannot mix AND and OR.');
  if (clauses.length > MAX_CLAUSES) throw queryError(`Search queries can have at most ${MAX_CLAUSES} clauses.`);
  const tests = clauses.map(clauseTest);
  return joiners.has('OR') ? (o) => tests.some((t) => t(o)) : (o) => tests.every((t) => t(o));
}

function clauseTest(clause: Clause): Predicate {
  const test = (object: ApiObject): boolean => {
    const fields = object as unknown as Fields;
    const actual =
      clause.metadataKey !== undefined
        ? (fields.metadata as Record<string, string> | undefined)?.[clause.metadataKey]
        : fields[clause.field];
    if (clause.value === null) return actual === null || actual === undefined || actual === '';
    if (actual === null || actual === undefined) return false;
    switch (clause.comparator) {
      case ':':
      case '=':
        return typeof clause.value === 'number'
          ? actual === clause.value
          : String(actual).toLowerCase() === clause.value.toLowerCase();
      case '~':
        return String(actual).toLowerCase().includes(String(clause.value).toLowerCase());
      case '>':
        return (actual as number) > (clause.value as number);
      case '<':
        return (actual as number) < (clause.value as number);
      case '>=':
        return (actual as number) >= (clause.value as number);
      case '<=':
        return (actual as number) <= (clause.value as number);
    }
  };
  return clause.negated ? (o) => !test(o) : test;
}

function queryError(message: string) {
  return invalidParam(message, 'query');
}

export interface SearchResult {
  object: 'search_result';
  data: ApiObject[];
  has_more: boolean;
  next_page: string | null;
  url: string;
  total_count?: number;
}

const BATCH = 500;
/** Stripe counts matches accurately up to 10,000. */
const MAX_TOTAL = 10_000;

export async function searchPage(
  db: Queries,
  options: {
    accountId: string;
    type: string;
    url: string;
    predicate: Predicate;
    limit?: number | '';
    page?: string;
    withTotal: boolean;
  },
): Promise<SearchResult> {
  const limit = listLimit(options.limit);
  const matches: Array<{ seq: number; object: ApiObject }> = [];
  await scan(db, options, options.page ? decodePage(options.page) : undefined, (seq, object) => {
    matches.push({ seq, object });
    return matches.length <= limit;
  });
  const hasMore = matches.length > limit;
  const page = matches.slice(0, limit);
  const result: SearchResult = {
    object: 'search_result',
    data: page.map((m) => m.object),
    has_more: hasMore,
    next_page: hasMore ? encodePage(page[page.length - 1].seq) : null,
    url: options.url,
  };
  if (options.withTotal) {
    let total = 0;
    await scan(db, options, undefined, () => ++total < MAX_TOTAL);
    result.total_count = total;
  }
  return result;
}

/** Calls `visit` for each match, newest first, while it returns true. */
async function scan(
  db: Queries,
  options: { accountId: string; type: string; predicate: Predicate },
  before: number | undefined,
  visit: (seq: number, object: ApiObject) => boolean,
): Promise<void> {
  for (;;) {
    const rows = await db.scanObjects(options.accountId, options.type, before, BATCH);
    for (const row of rows) {
      const object = JSON.parse(row.doc) as ApiObject;
      if (options.predicate(object) && !visit(row.seq, object)) return;
    }
    if (rows.length < BATCH) return;
    before = rows[rows.length - 1].seq;
  }
}

function encodePage(seq: number): string {
  return Buffer.from(`kassa:${seq}`).toString('base64url');
}

function decodePage(page: string): number {
  const match = /^kassa:(\d+)$/.exec(Buffer.from(page, 'base64url').toString('utf8'));
  if (!match) throw invalidParam('Invalid page: it must be the next_page value of an earlier search.', 'page');
  return Number(match[1]);
}

/** `GET /v1/{resource}/search` for an object type, with the fields Stripe lets one search on. */
export function searchRoute(options: { resource: string; type: string; fields: Record<string, FieldKind> }): Route {
  const url = `/v1/${options.resource}/search`;
  return {
    method: 'GET',
    path: url,
    async handler(ctx: RequestContext<{ query: string; limit?: number; page?: string }>) {
      const predicate = parseSearchQuery(ctx.params.query, options.resource, options.fields);
      const result = await searchPage(ctx.db, {
        accountId: ctx.accountId,
        type: options.type,
        url,
        predicate,
        limit: ctx.params.limit,
        page: ctx.params.page,
        withTotal: ctx.expand.includes('total_count'),
      });
      return result as unknown as ApiObject;
    },
  };
}
