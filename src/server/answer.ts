// A handler's result as the response: JSON, expanded as the request asked,
// and for a publishable key every object in its public view. The request
// pipeline answers with it; a network attempt's recovery job records with it
// the response to the original request's idempotency key.
import type { Queries } from '../store/store.js';
import type { CallOut } from './call-out.js';
import { errorResponse } from './errors.js';
import { expandResponse } from './expand.js';
import { publicResponse, type PublicViews } from './publishable.js';
import type { ApiObject, ObjectTypes } from './resources.js';
import { CommittedError, RawJson, type RequestContext, type RouteResult } from './route.js';

/** A result that is the answer itself, not a call to make first. */
export type Answer = Exclude<RouteResult, CallOut<RequestContext, RouteResult>>;

export interface Renderers {
  /** Expandable and includable fields of the app's object types. */
  objectTypes: ObjectTypes;
  /** What a publishable key may see of each object type. */
  publicViews: PublicViews;
}

/** The result as JSON, expanded; for a publishable key, every object in it in its public view. A CommittedError is thrown. */
export async function renderResult(
  app: Renderers,
  db: Queries,
  accountId: string,
  result: Answer,
  expand: string[],
  publishable: boolean,
): Promise<string> {
  if (result instanceof CommittedError) throw result.error;
  if (result instanceof RawJson) {
    if (expand.length === 0 && !publishable) return result.json;
    result = JSON.parse(result.json) as ApiObject;
  }
  if (expand.length > 0) await expandResponse(app.objectTypes, db, accountId, result, expand);
  return JSON.stringify(publishable ? publicResponse(app.publicViews, result) : result);
}

/** What a secret-key request asking `expand` would have been answered with `result`. */
export type SecretResponse = (
  db: Queries,
  accountId: string,
  result: Answer,
  expand: string[],
) => Promise<{ status: number; body: string }>;

export function secretResponse(app: Renderers): SecretResponse {
  return async (db, accountId, result, expand) => {
    if (result instanceof CommittedError)
      return { status: result.error.statusCode, body: JSON.stringify(errorResponse(result.error)) };
    return { status: 200, body: await renderResult(app, db, accountId, result, expand, false) };
  };
}
