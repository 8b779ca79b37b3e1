// The objects table's schema: every API object as a JSON document. Until
// migrations were split by owner they were one numbered list; `legacyId`
// says which number each was part of (see migrate.ts).
import { docField, serialPrimaryKey as serial } from './dialect.js';
import type { Dialect } from './driver.js';
import type { Migration } from './migrate.js';

// As released (migrations 1 and 2); later migrations use docField.
const json = (d: Dialect, field: string) =>
  d === 'sqlite' ? `json_extract(doc, '$.${field}')` : `((doc::jsonb) ->> '${field}')`;

/**
 * The links lists filter on, one partial index each: an insert pays only for
 * the indexes of its own type. Queries name the type as a literal so that
 * both engines can use them.
 */
const LINK_INDEXES: Array<[string, string]> = [
  ['payment_method', 'customer'],
  ['payment_intent', 'customer'],
  ['charge', 'customer'],
  ['charge', 'payment_intent'],
  ['refund', 'charge'],
  ['refund', 'payment_intent'],
  ['balance_transaction', 'source'],
  ['tax_id', 'customer'],
];

export const objectMigrations: Migration[] = [
  {
    key: 'objects:001',
    legacyId: 1,
    name: 'objects',
    sql: (d) => `
      CREATE TABLE objects (
        seq ${serial(d)},
        id TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL,
        type TEXT NOT NULL,
        created BIGINT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        doc TEXT NOT NULL
      );
      CREATE INDEX objects_by_type ON objects (account_id, type, deleted, seq);
      CREATE INDEX objects_by_created ON objects (account_id, type, created);
      CREATE INDEX customers_by_email ON objects (account_id, ${json(d, 'email')}) WHERE type = 'customer';
    `,
  },
  {
    key: 'objects:002',
    legacyId: 2,
    name: 'private object data, payment indexes',
    sql: (d) => `
      ALTER TABLE objects ADD COLUMN private TEXT;
      ${LINK_INDEXES.map(([type, field]) => `CREATE INDEX ${type}s_by_${field} ON objects (account_id, ${json(d, field)}, seq) WHERE type = '${type}'`).join(';\n')};
    `,
  },
  {
    key: 'objects:003',
    legacyId: 6,
    name: 'document indexes on PostgreSQL that a stored NUL escape cannot fail',
    // The indexes of objects:001 and 002 on the expression the queries now use (docField); SQLite's is unchanged.
    sql: (d) =>
      d === 'sqlite'
        ? ''
        : [
            `DROP INDEX customers_by_email; CREATE INDEX customers_by_email ON objects (account_id, ${docField(d, 'email')}) WHERE type = 'customer'`,
            ...LINK_INDEXES.map(
              ([type, field]) =>
                `DROP INDEX ${type}s_by_${field}; CREATE INDEX ${type}s_by_${field} ON objects (account_id, ${docField(d, field)}, seq) WHERE type = '${type}'`,
            ),
          ].join(';\n'),
  },
  {
    key: 'objects:004',
    name: 'holds: an object held by a write between its transactions (a call to the card network)',
    sql: () => `
      ALTER TABLE objects ADD COLUMN held_by TEXT;
    `,
  },
  {
    key: 'objects:005',
    name: "a hold's recovery: the job that finishes the write if its writer goes away, and when",
    sql: () => `
      ALTER TABLE objects ADD COLUMN held_until BIGINT;
      ALTER TABLE objects ADD COLUMN hold_job TEXT;
      ALTER TABLE objects ADD COLUMN hold_payload TEXT;
      CREATE INDEX objects_held_until ON objects (held_until) WHERE held_until IS NOT NULL;
    `,
  },
  {
    key: 'objects:006',
    name: 'holds in a table of their own, so that holding an object does not rewrite its row',
    sql: () => `
      CREATE TABLE object_holds (
        object_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        holder TEXT NOT NULL,
        due BIGINT,
        job TEXT,
        payload TEXT
      );
      CREATE INDEX object_holds_due ON object_holds (due) WHERE due IS NOT NULL;
      INSERT INTO object_holds (object_id, account_id, holder, due, job, payload)
        SELECT id, account_id, held_by, held_until, hold_job, hold_payload FROM objects WHERE held_by IS NOT NULL;
      DROP INDEX objects_held_until;
      ALTER TABLE objects DROP COLUMN held_by;
      ALTER TABLE objects DROP COLUMN held_until;
      ALTER TABLE objects DROP COLUMN hold_job;
      ALTER TABLE objects DROP COLUMN hold_payload
    `,
  },
];
