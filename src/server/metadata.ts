// Stripe's metadata rules: up to 50 keys, keys up to 40 characters without
// square brackets, values up to 500 characters. An empty value removes a key;
// `metadata=` (empty) removes all.
import { invalidParam } from './errors.js';

export type Metadata = Record<string, string>;

const MAX_KEYS = 50;
const MAX_KEY_LENGTH = 40;
const MAX_VALUE_LENGTH = 500;

export function applyMetadata(current: Metadata, update: Metadata | '' | undefined): Metadata {
  if (update === undefined) return current;
  if (update === '') return {};
  const next: Metadata = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (chars(key) > MAX_KEY_LENGTH || /[[\]]/.test(key) || key === '') {
      throw invalidParam(
        `Metadata keys must be at most ${MAX_KEY_LENGTH} characters long and cannot contain '[' or ']'. The key '${key.slice(0, 60)}' is invalid.`,
        `metadata[${key.slice(0, 60)}]`,
      );
    }
    if (chars(value) > MAX_VALUE_LENGTH) {
      throw invalidParam(
        `Metadata values can have up to ${MAX_VALUE_LENGTH} characters, but you passed in a value that is ${chars(value)} characters.`,
        `metadata[${key}]`,
      );
    }
    if (value === '') delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > MAX_KEYS) {
    throw invalidParam(`You can have at most ${MAX_KEYS} keys in metadata.`, 'metadata');
  }
  return next;
}

/** Characters as Stripe counts them (code points): an emoji is one. */
function chars(text: string): number {
  return [...text].length;
}
