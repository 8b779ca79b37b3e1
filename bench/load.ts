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
  request(): autocannon.Request;
}

export interface LoadOptions {
  connections: number;
  duration?: number;
  amount?: number;
}

export async function load(server: { url: string; pid: number }, route: Route, options: LoadOptions): Promise<LoadResult> {
  const cpuBefore = cpuMs(server.pid);
  const result = await autocannon({
    url: server.url,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    timeout: 10,
    requests: [route.request()],
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
    request: () => ({
      method: 'GET',
      path: `/v1/customers/${customerId}`,
      headers: { authorization: `Bearer ${secretKey}`, 'stripe-version': apiVersion },
    }),
  };
}

/** As the official SDK sends it: a form body and a fresh Idempotency-Key on every POST. */
export function createRoute(secretKey: string, apiVersion: string): Route {
  let n = 0;
  return {
    name: 'POST /v1/customers',
    request: () => ({
      method: 'POST',
      path: '/v1/customers',
      setupRequest: (request) => {
        n += 1;
        return {
          ...request,
          headers: {
            authorization: `Bearer ${secretKey}`,
            'stripe-version': apiVersion,
            'content-type': 'application/x-www-form-urlencoded',
            'idempotency-key': `stripe-node-retry-${randomUUID()}`,
          },
          body: `email=bench${n}%40example.com&name=Bench+Customer+${n}&metadata[order]=${n}&metadata[source]=bench`,
        };
      },
    }),
  };
}
