// Request bodies and query strings in Stripe's bracket notation
// (`a[b][c]=v`, `a[]=x`, `a[0][b]=y`), parsed by qs with firm limits.
import { isUtf8 } from 'node:buffer';
import qs from 'qs';
import { invalidParam, invalidRequest } from './errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_DEPTH = 10;
const MAX_PARAMETERS = 2000;

class UndecodableParam extends Error {
  constructor(readonly param: string) {
    super('undecodable');
  }
}

/** Parses `a[b]=c&...`; invalid percent-encoding or UTF-8 names the parameter. */
export function parseForm(text: string): Record<string, unknown> {
  let lastKey = '';
  const decoder = (value: string, _default: unknown, _charset: unknown, kind: 'key' | 'value') => {
    const plus = value.replace(/\+/g, ' ');
    let decoded: string;
    try {
      decoded = plus.includes('%') ? decodeURIComponent(plus) : plus;
    } catch {
      throw new UndecodableParam(kind === 'key' ? plus : lastKey);
    }
    if (kind === 'key') lastKey = decoded;
    return decoded;
  };
  try {
    return qs.parse(text, {
      decoder: decoder as qs.IParseOptions['decoder'],
      depth: MAX_DEPTH,
      strictDepth: true,
      parameterLimit: MAX_PARAMETERS,
      throwOnLimitExceeded: true,
      arrayLimit: 1000,
      allowPrototypes: false,
      plainObjects: true,
    }) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof UndecodableParam) {
      throw invalidParam(`Invalid value for ${error.param}: the request contains invalid percent-encoding or UTF-8.`, error.param);
    }
    if (error instanceof RangeError) {
      throw invalidParam(`Invalid request: ${error.message.replace(/\.$/, '')}. Nest parameters at most ${MAX_DEPTH} levels deep and send at most ${MAX_PARAMETERS} parameters.`, '');
    }
    throw error;
  }
}

export function parseFormBuffer(body: Buffer): Record<string, unknown> {
  if (!isUtf8(body)) throw invalidRequest('Invalid request: the body is not valid UTF-8.');
  return parseForm(body.toString('utf8'));
}

export function parseJsonBuffer(body: Buffer): Record<string, unknown> {
  if (!isUtf8(body)) throw invalidRequest('Invalid request: the body is not valid UTF-8.');
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidRequest('Invalid JSON in the request body.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidRequest('Invalid request: a JSON body must be an object.');
  }
  if (depthOf(value) > MAX_DEPTH + 1) throw invalidRequest(`Invalid request: nest parameters at most ${MAX_DEPTH} levels deep.`);
  return value as Record<string, unknown>;
}

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let max = 0;
  for (const child of Object.values(value)) max = Math.max(max, depthOf(child));
  return max + 1;
}
