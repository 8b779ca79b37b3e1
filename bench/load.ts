// Load generation with autocannon, and the requests the benchmark sends.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { cpuMs } from './processes.js';

export interface LoadResult {
  requests: number;
  ok: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** The server process's CPU time per request (user + system), in µs. */
  cpuPerRequest: number;
}

export interface Route {
  name: string;
  /** The requests of one flow, sent in order on each connection (one for a single call). */
  requests(): autocannon.Request[];
}

export interface LoadOptions {
  connections: number;
  duration?: number;
  amount?: number;
}

export async function load(
  server: { url: string; pid: number },
  route: Route,
  options: LoadOptions,
): Promise<LoadResult> {
  const cpuBefore = cpuMs(server.pid);
  const result = await autocannon({
    url: server.url,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    timeout: 10,
    requests: route.requests(),
  });
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    cpuPerRequest: ((cpuMs(server.pid) - cpuBefore) * 1000) / Math.max(1, result.requests.total),
  };
}

export function retrieveRoute(secretKey: string, apiVersion: string, customerId: string): Route {
  return {
    name: 'GET /v1/customers/:id',
    requests: () => [
      {
        method: 'GET',
        path: `/v1/customers/${customerId}`,
        headers: { authorization: `Bearer ${secretKey}`, 'stripe-version': apiVersion },
      },
    ],
  };
}

/** As the official SDK sends it: a form body and a fresh Idempotency-Key on every POST. `onCreated` hears of each customer as its response arrives. */
export function createRoute(secretKey: string, apiVersion: string, onCreated?: (id: string) => void): Route {
  let n = 0;
  return {
    name: 'POST /v1/customers',
    requests: () => [
      {
        method: 'POST',
        path: '/v1/customers',
        setupRequest: (request) => {
          n += 1;
          return {
            ...request,
            headers: sdkPostHeaders(`Bearer ${secretKey}`, apiVersion),
            body: `email=bench${n}%40example.com&name=Bench+Customer+${n}&metadata[order]=${n}&metadata[source]=bench`,
          };
        },
        ...(onCreated && {
          onResponse: (status: number, body: string) => {
            if (status === 200) onCreated((JSON.parse(body) as { id: string }).id);
          },
        }),
      },
    ],
  };
}

function sdkPostHeaders(authorization: string | null, apiVersion: string): Record<string, string> {
  const headers: Record<string, string> = {
    'stripe-version': apiVersion,
    'content-type': 'application/x-www-form-urlencoded',
    'idempotency-key': `stripe-node-retry-${randomUUID()}`,
  };
  if (authorization) headers.authorization = authorization;
  return headers;
}

/**
 * The payment flow of a shop: its server creates a PaymentIntent with the
 * secret key, then the browser confirms it with the card, the publishable
 * key and the intent's client_secret (as Stripe.js does).
 */
export function paymentFlowRoute(secretKey: string, publishableKey: string, apiVersion: string): Route {
  let n = 0;
  return {
    name: 'payment flow (create + confirm)',
    requests: () => [
      {
        method: 'POST',
        path: '/v1/payment_intents',
        setupRequest: (request) => {
          n += 1;
          return {
            ...request,
            headers: sdkPostHeaders(`Bearer ${secretKey}`, apiVersion),
            body: `amount=${1000 + (n % 5000)}&currency=usd&automatic_payment_methods[enabled]=true&metadata[order]=${n}`,
          };
        },
        onResponse: (_status, body, context) => {
          const intent = JSON.parse(body) as { id: string; client_secret: string };
          context.intent = intent;
        },
      },
      {
        method: 'POST',
        setupRequest: (request, context) => {
          const intent = context.intent as { id: string; client_secret: string };
          return {
            ...request,
            path: `/v1/payment_intents/${intent.id}/confirm`,
            headers: sdkPostHeaders(null, apiVersion),
            body:
              `key=${publishableKey}&client_secret=${intent.client_secret}&payment_method_data[type]=card` +
              '&payment_method_data[card][number]=4242424242424242&payment_method_data[card][exp_month]=12' +
              '&payment_method_data[card][exp_year]=2034&payment_method_data[card][cvc]=123' +
              '&payment_method_data[billing_details][address][postal_code]=94107',
          };
        },
      },
    ],
  };
}
