// The SQL that differs between SQLite and PostgreSQL, written once. Queries,
// indexes and migrations all take these fragments from here: an index on a
// document field is used only when the query spells the field byte for byte
// as the index does.
import type { Dialect } from './driver.js';

export type { Dialect };

/**
 * A field of a stored document (`email`, or nested: `recurring.interval`), in SQL, as text: what list filters,
 * the balance sums and the document indexes read.
 *
 * On PostgreSQL the document is cast to jsonb, which refuses the escape
 * `\u0000` (its text cannot hold a NUL) and so would fail the whole query over
 * one document stored with it. The escape is first read as `\ufffd`: replacing
 * those six characters always leaves valid JSON (after an escaped backslash
 * they are plain text, and stay plain text), and only this view of the
 * document changes, never what is stored or answered.
 */
export function docField(dialect: Dialect, field: string): string {
  if (!/^[a-z_]+(?:\.[a-z_]+)*$/.test(field)) throw new Error(`not a document field: ${field}`);
  if (dialect === 'sqlite') return `json_extract(doc, '$.${field}')`;
  // A nested field (`recurring.interval`) is read by its path; a top-level one as the indexes spell it.
  const path = field.includes('.') ? `#>> '{${field.split('.').join(',')}}'` : `->> '${field}'`;
  return `((replace(doc, '\\u0000', '\\ufffd')::jsonb) ${path})`;
}

/** A boolean as docField reads it, to compare with: SQLite's json_extract gives 1 or 0, PostgreSQL's text `true` or `false`. */
export function docBoolean(dialect: Dialect, value: boolean): number | string {
  return dialect === 'sqlite' ? (value ? 1 : 0) : String(value);
}

/** A document field read as an integer (PostgreSQL's `->>` gives text). */
export function docInteger(dialect: Dialect, field: string): string {
  return dialect === 'sqlite' ? docField(dialect, field) : `${docField(dialect, field)}::bigint`;
}

/** SUM of integers as an integer (PostgreSQL's SUM of bigint is numeric). */
export function sumInteger(dialect: Dialect, sql: string): string {
  return dialect === 'sqlite' ? `SUM(${sql})` : `SUM(${sql})::bigint`;
}

/** Suffix that locks the selected rows until the transaction ends; none on SQLite, whose write transactions never overlap. */
export function forUpdate(dialect: Dialect): string {
  return dialect === 'postgres' ? ' FOR UPDATE' : '';
}

/** Like forUpdate, passing over rows another transaction holds. */
export function forUpdateSkipLocked(dialect: Dialect): string {
  return dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
}

/**
 * `sql` matches a `*` pattern bound as the next parameter (see globPattern).
 * A pattern match, unlike a range of strings, does not depend on the database's collation.
 */
export function globMatch(dialect: Dialect, sql: string): string {
  return dialect === 'sqlite' ? `${sql} GLOB ?` : `${sql} LIKE ? ESCAPE '\\'`;
}

/** A `*` pattern in the engine's own syntax, every other character literal. */
export function globPattern(dialect: Dialect, pattern: string): string {
  if (dialect === 'sqlite') return pattern.replace(/[?[]/g, (c) => `[${c}]`);
  return pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

/** An auto-numbered primary key column (`seq`): insertion order. */
export function serialPrimaryKey(dialect: Dialect): string {
  return dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY';
}

/** A query with one row (`found`) when the table exists. */
export function tableExists(dialect: Dialect): string {
  return dialect === 'sqlite'
    ? "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?"
    : 'SELECT 1 AS found WHERE to_regclass(?) IS NOT NULL';
}
