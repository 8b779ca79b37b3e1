// Request bodies and query strings in Stripe's bracket notation
// (`a[b][c]=v`, `a[]=x`, `a[0][b]=y`), parsed by qs with firm limits.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import qs from 'qs';
import { invalidParam, invalidRequest, type StripeError } from './errors.js';
import { hasNul, nulInName, nulInValue } from './nul.js';
import { unknownParam } from './params.js';

export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_DEPTH = 10;
const MAX_PARAMETERS = 2000;
const MAX_ARRAY_ITEMS = 1000;
// `__proto__` as a name segment (`__proto__[x]`, `metadata[__proto__]`): qs would drop it silently.
const PROTO_SEGMENT = /^(.*?(?:^|\[)__proto__)(?:\]|$|\[)/;

class UndecodableParam extends Error {
  constructor(readonly param: string) {
    super('undecodable');
  }
}

/**
 * Reads and drops the rest of a body refused as too large, so that the answer
 * goes out once the client has sent it all. Most clients read only after
 * writing their request: closing the connection under them fails that write
 * (a reset) and they never see the answer. The request timeout bounds it.
 */
export function discardRestOfBody(request: IncomingMessage): Promise<void> {
  if (request.complete || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    request.once('end', resolve).once('close', resolve).resume();
  });
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
    if (kind === 'key') {
      lastKey = decoded;
      const proto = PROTO_SEGMENT.exec(decoded);
      if (proto) throw unknownParam(proto[1] + (proto[1].includes('[') ? ']' : ''));
    }
    if (hasNul(decoded)) throw kind === 'key' ? nulInName(decoded) : nulInValue(lastKey);
    return decoded;
  };
  try {
    return qs.parse(text, {
      decoder: decoder as qs.IParseOptions['decoder'],
      depth: MAX_DEPTH,
      strictDepth: true,
      parameterLimit: MAX_PARAMETERS,
      throwOnLimitExceeded: true,
      arrayLimit: MAX_ARRAY_ITEMS,
      allowPrototypes: false,
      plainObjects: true,
    }) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof UndecodableParam) throw undecodable(error.param);
    if (error instanceof RangeError) {
      if (/depth/i.test(error.message)) throw tooDeep();
      if (/array/i.test(error.message))
        throw invalidRequest(`Invalid request: an array parameter may have at most ${MAX_ARRAY_ITEMS} items.`);
      throw tooMany();
    }
    throw error;
  }
}

export function parseFormBuffer(body: Buffer): Record<string, unknown> {
  if (!isUtf8(body)) throw invalidUtf8Form(body);
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
  checkJson(value);
  return value as Record<string, unknown>;
}

/** The limits a form gets from qs, for a JSON body: depth, parameter count, no `__proto__`, no NUL. */
function checkJson(value: object): void {
  let leaves = 0;
  // The depth check comes first, so the recursion stays shallow however deep the body.
  const visit = (node: unknown, depth: number, path: string): void => {
    if (node === null || typeof node !== 'object') {
      if (++leaves > MAX_PARAMETERS) throw tooMany();
      if (typeof node === 'string' && hasNul(node)) throw nulInValue(path);
      return;
    }
    if (depth > MAX_DEPTH) throw tooDeep();
    for (const [key, child] of Object.entries(node)) {
      const childPath = path === '' ? key : `${path}[${key}]`;
      if (key === '__proto__') throw unknownParam(childPath);
      if (hasNul(key)) throw nulInName(childPath);
      visit(child, depth + 1, childPath);
    }
  };
  visit(value, 0, '');
}

/** Names the pair whose raw bytes are not UTF-8 when its name is readable. */
function invalidUtf8Form(body: Buffer): StripeError {
  for (let start = 0; start < body.length; ) {
    const amp = body.indexOf(0x26, start);
    const end = amp === -1 ? body.length : amp;
    const pair = body.subarray(start, end);
    if (!isUtf8(pair)) {
      const eq = pair.indexOf(0x3d);
      const name = eq === -1 ? pair : pair.subarray(0, eq);
      if (isUtf8(name)) {
        try {
          return undecodable(decodeURIComponent(name.toString('utf8').replace(/\+/g, ' ')));
        } catch {
          // An undecodable name too: fall through to the general message.
        }
      }
      break;
    }
    start = end + 1;
  }
  return invalidRequest('Invalid request: the body is not valid UTF-8.');
}

function undecodable(param: string): StripeError {
  return invalidParam(`Invalid value for ${param}: the request contains invalid percent-encoding or UTF-8.`, param);
}

function tooDeep(): StripeError {
  return invalidRequest(`Invalid request: parameters may be nested at most ${MAX_DEPTH} levels deep.`);
}

function tooMany(): StripeError {
  return invalidRequest(`Invalid request: a request may have at most ${MAX_PARAMETERS} parameters.`);
}
