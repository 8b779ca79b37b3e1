// Requests to Kassa's API with the publishable key, as Stripe.js makes them:
// form-encoded, the key as the `key` parameter (no Authorization header, so a
// POST from another origin is a "simple" CORS request), answers as
// `{body}` or `{error}`.
import { formEncode } from './form-encode.js';
import { connectionError, type StripeJsError } from './stripe-error.js';

export interface ApiSettings {
  origin: string;
  key: string;
  stripeAccount?: string;
  apiVersion?: string;
}

export type ApiResult<T> = { body: T; error?: undefined } | { error: StripeJsError; body?: undefined };

export async function apiRequest<T = Record<string, unknown>>(
  settings: ApiSettings,
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, unknown> = {},
): Promise<ApiResult<T>> {
  const query = formEncode({ key: settings.key, ...params });
  const headers: Record<string, string> = {};
  if (settings.stripeAccount) headers['Stripe-Account'] = settings.stripeAccount;
  if (settings.apiVersion) headers['Stripe-Version'] = settings.apiVersion;
  let response: Response;
  try {
    response =
      method === 'GET'
        ? await fetch(`${settings.origin}${path}?${query}`, { headers, credentials: 'omit' })
        : await fetch(`${settings.origin}${path}`, {
            method,
            headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
            body: query,
            credentials: 'omit',
          });
  } catch {
    return { error: connectionError() };
  }
  let json: { error?: StripeJsError } & Record<string, unknown>;
  try {
    json = await response.json();
  } catch {
    return { error: { type: 'api_error', message: `Kassa answered ${response.status} without JSON.` } };
  }
  if (!response.ok || json.error)
    return { error: json.error ?? { type: 'api_error', message: `Kassa answered ${response.status}.` } };
  return { body: json as T };
}
