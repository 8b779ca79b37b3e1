// The CLI's client for a running Kassa's API: plain fetch with Stripe's form
// encoding (the official SDK is only a dev dependency).
import qs from 'qs';

export const DEFAULT_API_BASE = 'http://127.0.0.1:4242';
const TIMEOUT_MS = 30_000;

export interface ApiTarget {
  base: string;
  key: string;
}

export interface StripeErrorBody {
  type?: string;
  code?: string;
  decline_code?: string;
  message?: string;
  param?: string;
  [field: string]: unknown;
}

export type ApiResponse =
  | { ok: true; status: number; body: Record<string, unknown> }
  | { ok: false; status: number; error: StripeErrorBody };

/** A failure to talk to the API at all (not an API error). */
export class ApiUnreachable extends Error {}

/** Where and with which key: flags first, then KASSA_SECRET_KEY, then STRIPE_API_KEY. */
export function apiTarget(flags: { 'api-base'?: string; 'api-key'?: string }, env: NodeJS.ProcessEnv): ApiTarget {
  const key = flags['api-key'] || env.KASSA_SECRET_KEY || env.STRIPE_API_KEY;
  if (!key) throw new Error('no API key: pass --api-key sk_test_..., or set KASSA_SECRET_KEY (or STRIPE_API_KEY)');
  const base = (flags['api-base'] || DEFAULT_API_BASE).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(base))
    throw new Error(`invalid --api-base '${base}': give a URL such as ${DEFAULT_API_BASE}`);
  return { base, key };
}

/** One API call. Parameters go in the query for GET and DELETE, in a form body for POST. */
export async function apiRequest(
  target: ApiTarget,
  method: 'get' | 'post' | 'delete',
  path: string,
  params: Record<string, unknown> = {},
): Promise<ApiResponse> {
  const encoded = qs.stringify(params, { arrayFormat: 'indices' });
  const inQuery = method !== 'post' && encoded !== '';
  const url = `${target.base}${path}${inQuery ? `?${encoded}` : ''}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: method.toUpperCase(),
      headers: {
        authorization: `Bearer ${target.key}`,
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'kassa-cli',
      },
      body: method === 'post' ? encoded : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ApiUnreachable(
      `cannot reach Kassa at ${target.base} (${reason(error)}); is \`kassa serve\` running there?`,
    );
  }
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ApiUnreachable(
      `${target.base} answered ${method.toUpperCase()} ${path} with HTTP ${response.status} and no JSON; is it Kassa?`,
    );
  }
  if (response.ok) return { ok: true, status: response.status, body };
  const error = (body.error ?? { message: `HTTP ${response.status}` }) as StripeErrorBody;
  return { ok: false, status: response.status, error };
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if ((error as Error).name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  return cause?.message ?? (error as Error).message;
}
