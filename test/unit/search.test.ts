// Stripe's search query language, parsed and evaluated without HTTP.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StripeError } from '../../src/server/errors.js';
import type { ApiObject } from '../../src/server/resources.js';
import { parseSearchQuery, type FieldKind } from '../../src/server/search.js';

const FIELDS: Record<string, FieldKind> = {
  created: 'number',
  email: 'string',
  metadata: 'metadata',
  name: 'string',
  phone: 'string',
};

interface TestCustomer extends ApiObject {
  created: number;
  email: string | null;
  name: string | null;
  phone: string | null;
  metadata: Record<string, string>;
}

const ada: TestCustomer = {
  id: 'cus_ada',
  object: 'customer',
  created: 1_700_000_000,
  email: 'Ada@Example.com',
  name: 'Ada Lovelace',
  phone: null,
  metadata: { tier: 'gold', 'order-id': '42' },
};
const bob: TestCustomer = {
  id: 'cus_bob',
  object: 'customer',
  created: 1_700_000_100,
  email: 'bob@example.org',
  name: 'Bob Babbage',
  phone: '+4711111111',
  metadata: { tier: 'silver' },
};
const cyd: TestCustomer = {
  id: 'cus_cyd',
  object: 'customer',
  created: 1_700_000_200,
  email: null,
  name: null,
  phone: '+4722222222',
  metadata: {},
};
const ALL = [ada, bob, cyd];

/** The ids of the customers the query matches. */
function matches(query: string): string[] {
  const predicate = parseSearchQuery(query, 'customers', FIELDS);
  return ALL.filter((c) => predicate(c)).map((c) => c.id);
}

/** The query is refused as Stripe refuses it: 400 invalid_request_error naming `query`. */
function assertRefused(query: string, message?: RegExp): void {
  assert.throws(
    () => parseSearchQuery(query, 'customers', FIELDS),
    (error: unknown) => {
      assert.ok(error instanceof StripeError, `expected a StripeError for ${query}`);
      assert.equal(error.statusCode, 400);
      assert.equal(error.body.type, 'invalid_request_error');
      assert.equal(error.body.param, 'query');
      if (message) assert.match(error.body.message, message);
      return true;
    },
    `expected ${query} to be refused`,
  );
}

describe('search query: exact match (:)', () => {
  test('matches a whole string value, ignoring case', () => {
    assert.deepEqual(matches(`email:'ada@example.com'`), ['cus_ada']);
    assert.deepEqual(matches(`email:'ADA@EXAMPLE.COM'`), ['cus_ada']);
    assert.deepEqual(matches(`name:"Bob Babbage"`), ['cus_bob']);
  });

  test('does not match a part of the value', () => {
    assert.deepEqual(matches(`email:'ada@example'`), []);
    assert.deepEqual(matches(`name:'Ada'`), []);
  });

  test('takes single or double quotes, and backslash-escaped quotes inside them', () => {
    const quoted = { ...ada, id: 'cus_quote', name: `O'Brien "Junior"` };
    const predicate = (q: string) => parseSearchQuery(q, 'customers', FIELDS)(quoted);
    assert.equal(predicate(`name:'O\\'Brien "Junior"'`), true);
    assert.equal(predicate(`name:"O'Brien \\"Junior\\""`), true);
    assert.equal(predicate(`name:'O\\'Brien'`), false);
  });

  test('tolerates spaces around the comparator and the query', () => {
    assert.deepEqual(matches(`  email : 'ada@example.com'  `), ['cus_ada']);
  });
});

describe('search query: substring (~)', () => {
  test('matches a part of the value, ignoring case', () => {
    assert.deepEqual(matches(`name~'lov'`), ['cus_ada']);
    assert.deepEqual(matches(`email~'EXAMPLE'`), ['cus_ada', 'cus_bob']);
    assert.deepEqual(matches(`phone~'+47'`), ['cus_bob', 'cus_cyd']);
  });

  test('needs at least 3 characters', () => {
    assertRefused(`name~'ad'`, /at least 3/);
    assertRefused(`name~''`);
    assert.deepEqual(matches(`name~'ada'`), ['cus_ada']);
  });

  test('is refused on numeric fields and for null', () => {
    assertRefused(`created~'170'`);
    assertRefused(`name~null`);
  });
});

describe('search query: metadata', () => {
  test('metadata[\'key\']:\'value\' and metadata["key"]:"value"', () => {
    assert.deepEqual(matches(`metadata['tier']:'gold'`), ['cus_ada']);
    assert.deepEqual(matches(`metadata["tier"]:"silver"`), ['cus_bob']);
    assert.deepEqual(matches(`metadata['order-id']:'42'`), ['cus_ada']);
  });

  test('a key that is absent matches nothing, and its value must match whole', () => {
    assert.deepEqual(matches(`metadata['missing']:'gold'`), []);
    assert.deepEqual(matches(`metadata['tier']:'gol'`), []);
  });

  test('metadata needs a key, and other fields take none', () => {
    assertRefused(`metadata:'gold'`);
    assertRefused(`email['x']:'ada@example.com'`);
  });
});

describe('search query: negation and null', () => {
  test('-field:value matches every object that does not match, including those without the field', () => {
    assert.deepEqual(matches(`-email:'ada@example.com'`), ['cus_bob', 'cus_cyd']);
    assert.deepEqual(matches(`-metadata['tier']:'gold'`), ['cus_bob', 'cus_cyd']);
  });

  test('field:null matches objects without a value; -field:null those with one', () => {
    assert.deepEqual(matches(`phone:null`), ['cus_ada']);
    assert.deepEqual(matches(`phone:NULL`), ['cus_ada']);
    assert.deepEqual(matches(`-phone:null`), ['cus_bob', 'cus_cyd']);
    assert.deepEqual(matches(`email:null`), ['cus_cyd']);
    assert.deepEqual(matches(`metadata['tier']:null`), ['cus_cyd']);
    assert.deepEqual(matches(`-metadata['tier']:null`), ['cus_ada', 'cus_bob']);
  });

  test("a quoted 'null' is the string null, not the null value", () => {
    assert.deepEqual(matches(`phone:'null'`), []);
  });
});

describe('search query: numbers (created)', () => {
  test('exact and compared', () => {
    assert.deepEqual(matches(`created:1700000100`), ['cus_bob']);
    assert.deepEqual(matches(`created>1700000100`), ['cus_cyd']);
    assert.deepEqual(matches(`created>=1700000100`), ['cus_bob', 'cus_cyd']);
    assert.deepEqual(matches(`created<1700000100`), ['cus_ada']);
    assert.deepEqual(matches(`created<=1700000100`), ['cus_ada', 'cus_bob']);
    assert.deepEqual(matches(`-created>1700000000`), ['cus_ada']);
  });

  test('= compares numbers too, and quotes around a number are optional (as Stripe documents)', () => {
    assert.deepEqual(matches(`created=1700000100`), ['cus_bob']);
    assert.deepEqual(matches(`created>'1700000100'`), ['cus_cyd']);
    assert.deepEqual(matches(`created:"1700000000"`), ['cus_ada']);
  });

  test('numeric comparators are refused on strings, and text on numbers', () => {
    assertRefused(`email>'a'`);
    assertRefused(`name<=1`);
    assertRefused(`name=1`);
    assertRefused(`created:'yesterday'`);
  });
});

describe('search query: combining clauses', () => {
  test('AND needs every clause, OR any', () => {
    assert.deepEqual(matches(`email~'example' AND metadata['tier']:'silver'`), ['cus_bob']);
    assert.deepEqual(matches(`email:'ada@example.com' OR phone:'+4722222222'`), ['cus_ada', 'cus_cyd']);
    assert.deepEqual(matches(`name~'ada' AND name~'bob'`), []);
  });

  test('clauses separated by a space are ANDed, and the keywords ignore case (as Stripe documents)', () => {
    assert.deepEqual(matches(`email~'example' metadata['tier']:'silver'`), ['cus_bob']);
    assert.deepEqual(matches(`email~'example' and -phone:null`), ['cus_bob']);
    assert.deepEqual(matches(`name~'ada' or name~'bob'`), ['cus_ada', 'cus_bob']);
  });

  test('AND and OR cannot be mixed, nor OR with space-joined clauses', () => {
    assertRefused(`name~'ada' AND phone:null OR name~'bob'`, /mix/);
    assertRefused(`name~'ada' OR phone:null name~'bob'`, /mix/);
  });

  test('at most 10 clauses', () => {
    const clause = `created>1`;
    assert.deepEqual(matches(Array(10).fill(clause).join(' AND ')), ['cus_ada', 'cus_bob', 'cus_cyd']);
    assertRefused(Array(11).fill(clause).join(' AND '), /10/);
    assertRefused(Array(11).fill(clause).join(' OR '), /10/);
  });
});

describe('search query: refusals', () => {
  test('an unsupported field names the field and the resource', () => {
    assertRefused(`description:'x'`, /`description`.*customers/);
    assertRefused(`email:'a@b.c' AND balance>0`, /`balance`/);
  });

  test('malformed queries', () => {
    for (const query of [
      '',
      '   ',
      `email:ada@example.com`, // strings must be quoted
      `email:'unterminated`,
      `email:`,
      `email 'ada@example.com'`,
      `:'ada@example.com'`,
      `email:'a@b.c' AND`,
      `AND email:'a@b.c'`,
      `email:'a@b.c' AND AND name:'x'`,
      `-`,
      `metadata['tier':'gold'`,
      `(email:'a@b.c')`,
    ]) {
      assertRefused(query);
    }
  });
});
