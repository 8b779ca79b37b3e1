// Browsers may call the API from any origin, as they may call Stripe's:
// Stripe.js (and Kassa.js) confirms intents from the merchant's page with the
// publishable key. Keys travel in headers or parameters, never in cookies, so
// `*` is safe. Preflights (for a Stripe-Account or Authorization header) get 204.
import type { FastifyInstance } from 'fastify';

const EXPOSED = 'Request-Id, Stripe-Version, Stripe-Account, Idempotency-Key, Idempotent-Replayed, Original-Request';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, Stripe-Account, Stripe-Version';

export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith('/v1/'))
      reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', EXPOSED);
    done();
  });
  app.options('/v1/*', (request, reply) => {
    // Only a browser's preflight gets the answer; any other OPTIONS is an unknown request, as before.
    if (!request.headers.origin || !request.headers['access-control-request-method']) return reply.callNotFound();
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST, DELETE')
      .header('access-control-allow-headers', ALLOWED_HEADERS)
      .header('access-control-max-age', '300')
      .send();
  });
}
