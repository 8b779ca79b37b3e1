// Checks and types request parameters against the operation's schema from
// Stripe's OpenAPI description, the way Stripe does: unknown parameters are
// refused, form strings become integers and booleans, and every error names
// the parameter in bracket notation (`address[line1]`).
import { invalidParam, type StripeError } from './errors.js';

export interface ParamSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, ParamSchema>;
  additionalProperties?: ParamSchema | boolean;
  items?: ParamSchema;
  anyOf?: ParamSchema[];
  enum?: unknown[];
  maxLength?: number;
  required?: string[];
  format?: string;
}

type Params = Record<string, unknown>;

const MAX_INTEGER = Number.MAX_SAFE_INTEGER;

export function coerceParams(schema: ParamSchema, raw: Params): Params {
  return coerceObject(schema, raw, '') as Params;
}

function child(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}[${key}]`;
}

// A value under a `card` hash (`card[number]`, `payment_method_data[card][cvc]`) is card data: an error never shows it.
const CARD_DATA = /(?:^card|\[card\])\[/;

/** The value as an error message shows it: shortened, and never card data. */
function describe(value: unknown, path: string): string {
  if (CARD_DATA.test(path)) return '(card data, not shown)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function coerce(schema: ParamSchema, value: unknown, path: string): unknown {
  if (schema.anyOf) return coerceAnyOf(schema.anyOf, value, path);
  if (value === null) return '';
  switch (schema.type) {
    case 'object':
      return coerceObject(schema, value, path);
    case 'array':
      return coerceArray(schema, value, path);
    case 'integer':
      return coerceInteger(value, path);
    case 'number':
      return coerceNumber(value, path);
    case 'boolean':
      return coerceBoolean(value, path);
    case 'string':
      return coerceString(schema, value, path);
    default:
      return value;
  }
}

function coerceAnyOf(branches: ParamSchema[], value: unknown, path: string): unknown {
  if (value === '' || value === null) {
    if (branches.some((b) => b.enum?.includes(''))) return '';
  }
  let firstError: unknown;
  // Prefer the branch whose type fits the value's shape, so its error is the one reported.
  const ordered = [...branches].sort((a, b) => fit(b, value) - fit(a, value));
  for (const branch of ordered) {
    if (branch.enum?.length === 1 && branch.enum[0] === '') continue;
    try {
      return coerce(branch, value, path);
    } catch (error) {
      firstError ??= error;
    }
  }
  throw firstError ?? invalidParam(`Invalid value for ${path}.`, path);
}

function fit(schema: ParamSchema, value: unknown): number {
  const isObject = value !== null && typeof value === 'object';
  if (schema.type === 'object' || schema.type === 'array') return isObject ? 1 : 0;
  return isObject ? 0 : 1;
}

function coerceObject(schema: ParamSchema, value: unknown, path: string): Params {
  if (value === '' && path !== '') return value as never;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParam(`Invalid hash`, path);
  }
  const out: Params = {};
  const input = value as Params;
  for (const [key, item] of Object.entries(input)) {
    // Own properties only: `constructor` or `__proto__` must not find Object.prototype's.
    const property = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
    const keyPath = child(path, key);
    if (property) {
      setOwn(out, key, coerce(property, item, keyPath));
    } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      setOwn(out, key, coerce(schema.additionalProperties, item, keyPath));
    } else if (
      schema.additionalProperties === true ||
      (!schema.properties && schema.type === 'object' && schema.additionalProperties === undefined)
    ) {
      setOwn(out, key, item);
    } else {
      throw unknownParam(keyPath);
    }
  }
  for (const name of schema.required ?? []) {
    const present = out[name];
    if (present === undefined) {
      const missing = child(path, name);
      throw invalidParam(`Missing required param: ${missing}.`, missing, 'parameter_missing');
    }
    if (present === '') {
      const empty = child(path, name);
      throw invalidParam(
        `You passed an empty string for '${empty}'. We assume empty values are an attempt to unset a parameter; however '${empty}' cannot be unset. You should remove '${empty}' from your request or supply a non-empty value.`,
        empty,
        'parameter_invalid_empty',
      );
    }
  }
  return out;
}

/** `out[key] = value` that stores a `__proto__` key as data instead of replacing the prototype. */
function setOwn(out: Params, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

function coerceArray(schema: ParamSchema, value: unknown, path: string): unknown[] {
  let items: unknown[];
  if (Array.isArray(value)) {
    items = value;
  } else if (value !== null && typeof value === 'object' && Object.keys(value).every((k) => /^\d+$/.test(k))) {
    // Indexes past qs's array limit arrive as an object keyed by index.
    items = Object.entries(value)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, v]) => v);
  } else {
    throw invalidParam(`Invalid array`, path);
  }
  return items.map((item, index) => (schema.items ? coerce(schema.items, item, child(path, index)) : item));
}

function coerceInteger(value: unknown, path: string): number | '' {
  if (value === '') return '';
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d+$/.test(text.trim())) {
    throw invalidParam(`Invalid integer: ${describe(value, path)}`, path, 'parameter_invalid_integer');
  }
  const number = Number(text.trim());
  if (!Number.isSafeInteger(number) || Math.abs(number) > MAX_INTEGER) {
    throw invalidParam(
      `This value must be less than or equal to ${MAX_INTEGER} (it currently is '${describe(value, path)}').`,
      path,
      'parameter_invalid_integer',
    );
  }
  return number;
}

function coerceNumber(value: unknown, path: string): number | '' {
  if (value === '') return '';
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())
        ? Number(value)
        : NaN;
  if (!Number.isFinite(number)) throw invalidParam(`Invalid decimal: ${describe(value, path)}`, path);
  return number;
}

function coerceBoolean(value: unknown, path: string): boolean | '' {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  if (value === '') return '';
  throw invalidParam(`Invalid boolean: ${describe(value, path)}`, path);
}

function coerceString(schema: ParamSchema, value: unknown, path: string): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (schema.enum) throw invalidParam(`Invalid ${path}: must be one of ${listOf(schema.enum)}`, path);
  else throw invalidParam(`Invalid string: ${describe(value, path)}`, path);
  if (schema.enum && !schema.enum.includes(text)) {
    if (text === '') return '';
    throw invalidParam(`Invalid ${path}: must be one of ${listOf(schema.enum)}`, path);
  }
  // Characters, not UTF-16 units: an emoji counts once.
  if (schema.maxLength !== undefined && text.length > schema.maxLength && [...text].length > schema.maxLength) {
    throw invalidParam(`Invalid string: ${describe(text, path)}; must be at most ${schema.maxLength} characters`, path);
  }
  return text;
}

function listOf(values: unknown[]): string {
  const shown = values.filter((v) => v !== '').map(String);
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')}, or ${shown[shown.length - 1]}`;
}

/** A run of digits as long as a card number (13 to 19), perhaps grouped by spaces or dashes. */
const CARD_NUMBER_LIKE = /\d(?:[ -]?\d){12,18}/g;

/**
 * Stripe's answer to a parameter it does not know, naming it. A name that
 * holds what may be a card number (`card[4242424242424242]`) is shown with
 * all but its last four digits masked: Kassa never returns a card number.
 */
export function unknownParam(name: string): StripeError {
  const shown = name.replace(CARD_NUMBER_LIKE, (digits) => `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`);
  return invalidParam(`Received unknown parameter: ${shown}`, shown, 'parameter_unknown');
}
