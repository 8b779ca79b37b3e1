// How long a client may take: to send a request's headers, to send all of it
// (headers and body), and to stay connected idle between requests. Node's
// HTTP server enforces them; a request cut off gets a 408 (client-errors.ts).
import type { ServerOptions } from 'node:http';

export interface ServerTimeouts {
  /** The headers of a request must arrive within this many milliseconds of its first byte. */
  headersMs: number;
  /** The whole request, headers and body, must arrive within this many milliseconds of its first byte. */
  requestMs: number;
  /** An idle keep-alive connection is closed after this many milliseconds. */
  keepAliveMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  // Longer than the 60 s idle timeout of common load balancers, so that the
  // balancer, not Kassa, closes an idle connection (Fastify's default).
  keepAliveMs: 72_000,
};

/** The timeouts with defaults for those not given; the headers timeout never exceeds the request timeout. */
export function resolveTimeouts(given: Partial<ServerTimeouts> = {}): ServerTimeouts {
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined && (!Number.isInteger(value) || value <= 0))
      throw new Error(`invalid ${name} timeout: ${value} (a positive integer of milliseconds)`);
  }
  const requestMs = given.requestMs ?? DEFAULT_TIMEOUTS.requestMs;
  const headersMs = given.headersMs ?? Math.min(DEFAULT_TIMEOUTS.headersMs, requestMs);
  if (headersMs > requestMs)
    throw new Error(
      `the headers timeout (${headersMs} ms) cannot be longer than the request timeout (${requestMs} ms)`,
    );
  return { headersMs, requestMs, keepAliveMs: given.keepAliveMs ?? DEFAULT_TIMEOUTS.keepAliveMs };
}

/** Fastify's options for them, and Node's (`http`), which take effect only when the server is created. */
export function timeoutOptions(timeouts: ServerTimeouts): {
  requestTimeout: number;
  keepAliveTimeout: number;
  http: ServerOptions;
} {
  return {
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // Node checks for late requests on this interval (30 s by default, which would let a request run up to twice its timeout).
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(timeouts.headersMs / 4))),
    },
  };
}
