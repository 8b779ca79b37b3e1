// URLs that merchants hand to Kassa (webhook endpoints, return_url).
import { invalidParam, type StripeError } from './errors.js';

/**
 * The URL when `text` is an absolute URL Stripe would take: any scheme (apps
 * return to `myapp://...`), and a host for http and https. Undefined otherwise.
 */
export function parseAbsoluteUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname) return undefined;
  return url;
}

/** The URL when `text` is an absolute http or https URL with a host (a webhook endpoint, a forwarding target). */
export function parseHttpUrl(text: string): URL | undefined {
  const url = parseAbsoluteUrl(text);
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url : undefined;
}

/** Stripe's answer to a `return_url` that is not a URL. */
export function checkReturnUrl(text: string | undefined, param = 'return_url'): void {
  if (text !== undefined && !parseAbsoluteUrl(text)) throw invalidUrl(param);
}

function invalidUrl(param: string): StripeError {
  return invalidParam('Not a valid URL', param, 'url_invalid');
}
