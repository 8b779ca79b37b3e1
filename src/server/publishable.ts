// What a publishable key (Stripe.js in the customer's browser, holding an
// intent's client_secret) may expand and see. The rule, after Stripe:
//
// - expand[] may name only the paths its route lists in `publishableExpand`:
//   `payment_method` on a PaymentIntent or SetupIntent (retrieve, confirm), the
//   one expansion Stripe's own client libraries make with a publishable key.
//   Any other path, `payment_method.customer` included, is refused before the
//   request runs: 400 invalid_request_error, param `expand`.
// - Every object in the answer, at every level (the result, what expand[]
//   loaded, what an error or `last_payment_error` embeds), shows only its
//   type's public view, which its capability's module contributes (`publicViews`).
//   An object whose type has no public view appears as its id alone.
import { invalidParam, StripeError } from './errors.js';
import type { ApiObject, Fields } from './resources.js';
import { CommittedError, type Route, type RouteResult } from './route.js';

/** An object as a publishable key may see it; nested objects are viewed in turn by `publicResponse`. */
export type PublicView = (object: ApiObject & Fields) => Fields;

/** One app's public views, by object type. */
export type PublicViews = ReadonlyMap<string, PublicView>;

export function checkPublishableExpand(route: Route, expand: string[]): void {
  const allowed = route.publishableExpand ?? [];
  const refused = expand.find((path) => !allowed.includes(path));
  if (refused === undefined) return;
  const may = allowed.length > 0 ? `It may expand only ${allowed.join(', ')}.` : 'It may expand nothing here.';
  throw invalidParam(
    `This property cannot be expanded with a publishable key (${refused}). ${may} Expand it on your server, with a secret key.`,
    'expand',
  );
}

/** A response body with every API object in it replaced by its public view. */
export function publicResponse<T>(views: PublicViews, body: T): T {
  return publicValue(views, body) as T;
}

/** The same error, showing the objects it carries (an intent, a PaymentMethod) in their public views. */
export function publicError(views: PublicViews, error: StripeError): StripeError {
  return new StripeError(error.statusCode, publicResponse(views, error.body), {
    beforeExecution: error.beforeExecution,
  });
}

function publicValue(views: PublicViews, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => publicValue(views, item));
  if (!value || typeof value !== 'object') return value;
  let fields = value as Fields;
  if (typeof fields.object === 'string' && typeof fields.id === 'string') {
    const view = views.get(fields.object);
    if (!view) return fields.id;
    fields = view(fields as ApiObject & Fields);
  }
  const out: Fields = {};
  for (const [key, item] of Object.entries(fields)) out[key] = publicValue(views, item);
  return out;
}

/** Runs a route's handler for a publishable key: an error it throws or returns shows its objects' public views. */
export async function runAsPublic(views: PublicViews, handler: () => Promise<RouteResult>): Promise<RouteResult> {
  try {
    const result = await handler();
    return result instanceof CommittedError ? new CommittedError(publicError(views, result.error)) : result;
  } catch (error) {
    throw error instanceof StripeError ? publicError(views, error) : error;
  }
}
