import type { Auth } from './auth.js';
import type { CallOut } from './call-out.js';
import type { StripeError } from './errors.js';
import type { IdempotentRequest } from './idempotency-store.js';
import type { ListEnvelope } from './list.js';
import type { ParamSchema } from './params.js';
import type { ApiObject } from './resources.js';
import type { Queries } from '../store/store.js';
import type { HttpWriteContext } from './write-context.js';

/** A stored object's JSON, sent as it is when nothing needs expanding. */
export class RawJson {
  constructor(readonly json: string) {}
}

/**
 * An error answered after the request's writes commit, as with a card
 * decline: the failed charge and the intent's new state are kept.
 */
export class CommittedError {
  constructor(readonly error: StripeError) {}
}

/** What a handler answers; a CallOut when it must call the card network first (see call-out.ts). */
export type RouteResult =
  | ApiObject
  | ListEnvelope
  | RawJson
  | CommittedError
  // biome-ignore lint/suspicious/noExplicitAny: the record step gets the request's context whatever its params' type.
  | CallOut<RequestContext<any>, RouteResult>;

/** An API request's context: the write context (db, account, now, emit, schedule) with what the request said. */
export interface RequestContext<P = Record<string, unknown>> extends HttpWriteContext {
  auth: Auth;
  requestId: string;
  /** A POST's Idempotency-Key, with what its recorded response will say; null without one. */
  idempotency: IdempotentRequest | null;
  apiVersion: string;
  /** Parameters checked and typed against the operation's schema; `expand` removed. */
  params: P;
  /** The request's expand[] paths; the protocol layer applies them to the result. */
  expand: string[];
  /** Path parameters by the names in Stripe's path template (`{customer}`). */
  path: Record<string, string>;
  /** The request path, without the query string. */
  url: string;
  /** What the route's prepare step returned; undefined without one. */
  prepared: unknown;
}

/** What a route's prepare step sees: the request, and committed data only (no transaction is open). */
export interface PrepareContext<P = Record<string, unknown>> {
  accountId: string;
  now: number;
  params: P;
  path: Record<string, string>;
  read: Queries;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Stripe's path template, e.g. `/v1/customers/{customer}`. */
  path: string;
  /** Whether a publishable key (Stripe.js) may call it. */
  publishable?: boolean;
  /** The expand[] paths a publishable key may name here (none by default); see publishable.ts. */
  publishableExpand?: readonly string[];
  /** For paths outside Stripe's API (Kassa's own); Stripe's operations take their schema from its OpenAPI description. */
  params?: ParamSchema;
  /**
   * Work that needs no transaction, done before the write's transaction opens
   * (asking the card network to tokenize a card), so that no transaction
   * waits on it. The handler finds the result in `ctx.prepared`. It gathers
   * answers and refuses nothing: the handler decides, in the order it always does.
   */
  // biome-ignore lint/suspicious/noExplicitAny: routes type their own params
  prepare?(ctx: PrepareContext<any>): Promise<unknown>;
  // Handlers are typed by their own modules; parameters arrive checked against the schema.
  // biome-ignore lint/suspicious/noExplicitAny: handlers are typed by their own modules
  handler(ctx: RequestContext<any>): Promise<RouteResult>;
}
