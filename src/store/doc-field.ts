// A top-level field of a stored document, in SQL, as text: what list filters,
// the balance sums and the document indexes read.
import type { Dialect } from './driver.js';

/**
 * On PostgreSQL the document is cast to jsonb, which refuses the escape
 * `\u0000` (its text cannot hold a NUL) and so would fail the whole query over
 * one document stored with it. The escape is first read as `\ufffd`: replacing
 * those six characters always leaves valid JSON (after an escaped backslash
 * they are plain text, and stay plain text), and only this view of the
 * document changes, never what is stored or answered.
 */
export function docField(dialect: Dialect, field: string): string {
  if (!/^[a-z_]+$/.test(field)) throw new Error(`not a document field: ${field}`);
  return dialect === 'sqlite' ? `json_extract(doc, '$.${field}')` : `((replace(doc, '\\u0000', '\\ufffd')::jsonb) ->> '${field}')`;
}
