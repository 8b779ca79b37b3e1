// One rule for every string a request carries, on both stores: no NUL
// character (U+0000), in a value or a name, in the body, the query string or
// the path. PostgreSQL's text cannot hold one (a bound parameter with it fails,
// and a stored document with `\u0000` cannot be cast to jsonb); SQLite's can,
// so without this rule the two stores would differ. Stripe answers such
// requests with a 400 as well.
//
// The error is the one Stripe gives a malformed string: 400
// invalid_request_error naming the parameter, with no code. Stripe documents
// no code for it: `parameter_invalid_string` is not one of its error codes
// (those are `parameter_invalid_string_blank` and `_empty`, which mean other
// things). The message never shows the value: it may be card data.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { invalidParam, type StripeError } from './errors.js';

export function hasNul(text: string): boolean {
  return text.includes('\u0000');
}

/** A parameter's value (`name=a%00b`). */
export function nulInValue(param: string): StripeError {
  return invalidParam(`Invalid string: ${param} contains a NUL character (U+0000), which is not allowed.`, param);
}

/** A parameter's name (`metadata[a%00b]=v`). */
export function nulInName(param: string): StripeError {
  return invalidParam('Invalid parameter name: it contains a NUL character (U+0000), which is not allowed.', param);
}

/**
 * An `onRequest` hook for every route: a path segment (`/v1/customers/cus_%00`)
 * is named by its template name (`customer`). A path no route knows (the
 * not-found route's `*`) is left to its 404.
 */
export function refuseNulInPath(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const params = request.params as Record<string, string> | undefined;
  for (const [name, value] of Object.entries(params ?? {})) {
    if (name !== '*' && typeof value === 'string' && hasNul(value)) {
      done(nulInValue(name));
      return;
    }
  }
  done();
}
