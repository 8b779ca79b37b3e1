import type { PaymentNetwork } from '../network/network.js';
import type { Queries } from '../store/store.js';
import type { Auth } from './auth.js';
import type { StripeError } from './errors.js';
import type { ListEnvelope } from './list.js';
import type { ParamSchema } from './params.js';
import type { ApiObject } from './resources.js';

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

export type RouteResult = ApiObject | ListEnvelope | RawJson | CommittedError;

export interface RequestContext<P = Record<string, unknown>> {
  auth: Auth;
  accountId: string;
  requestId: string;
  idempotencyKey: string | null;
  apiVersion: string;
  now: number;
  /** Parameters checked and typed against the operation's schema; `expand` removed. */
  params: P;
  /** The request's expand[] paths; the protocol layer applies them to the result. */
  expand: string[];
  /** Path parameters by the names in Stripe's path template (`{customer}`). */
  path: Record<string, string>;
  /** The request path, without the query string. */
  url: string;
  /** Where this server is reached, for links it hands out (receipts, 3-D Secure pages): `http://host:port`. */
  baseUrl: string;
  /** The transaction of a write request; committed data for a read. */
  db: Queries;
  /** The card network payments go through. */
  network: PaymentNetwork;
  /** Records an event in the request's transaction. */
  emit(type: string, object: ApiObject, previousAttributes?: Record<string, unknown>): Promise<void>;
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
  // Handlers are typed by their own modules; parameters arrive checked against the schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler(ctx: RequestContext<any>): Promise<RouteResult>;
}
