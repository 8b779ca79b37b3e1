// Webhooks: endpoints, signed delivery of every matching event by a
// dispatcher with retries, the delivery log, resends and chaos mode.
import type { KassaModule } from '../module.js';
import { attemptMigrations } from './attempt-migrations.js';
import { WEBHOOK_DELIVERY_JOB, scheduleDeliveries, type JitterSource } from './webhook-delivery.js';
import { webhookAttemptRoutes } from './webhook-attempt-routes.js';
import { webhookChaosRoutes } from './webhook-chaos-routes.js';
import { createWebhookDispatcher, type WebhookDispatcher } from './webhook-dispatcher.js';
import { webhookEndpointRoutes } from './webhook-endpoint-routes.js';

export { WEBHOOK_DELIVERY_JOB };

export interface WebhookSettings {
  /** How long a delivery waits for the endpoint's response; 10 s by default. */
  timeoutMs?: number;
  /** Jitter on retries, a number in [0, 1); random by default (tests pass `() => 0`). */
  jitter?: JitterSource;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's webhook dispatcher. */
    webhooks: WebhookDispatcher;
  }
}

export function webhooksModule(settings: WebhookSettings = {}): KassaModule {
  return {
    name: 'webhooks',
    idPrefixes: ['we', 'wha'],
    migrations: attemptMigrations,
    extensions: {
      'GET /v1/kassa/webhook_attempts': 'The webhook delivery log, newest first (docs/webhooks.md)',
      'POST /v1/kassa/events/{id}/resend':
        'Resends an event to one endpoint or to every matching one (docs/webhooks.md)',
      'GET /v1/kassa/webhook_endpoints/{webhook_endpoint}/chaos':
        "An endpoint's chaos mode settings (docs/webhooks.md)",
      'POST /v1/kassa/webhook_endpoints/{webhook_endpoint}/chaos':
        'Turns on or changes chaos mode: duplicated, delayed and reordered deliveries (docs/webhooks.md)',
      'DELETE /v1/kassa/webhook_endpoints/{webhook_endpoint}/chaos': 'Turns chaos mode off (docs/webhooks.md)',
    },
    setup({ store, clock, logger, eventTypes }) {
      const dispatcher = createWebhookDispatcher({
        store,
        clock,
        timeoutMs: settings.timeoutMs,
        jitter: settings.jitter,
        logger,
      });
      return {
        routes: [...webhookEndpointRoutes(eventTypes), ...webhookAttemptRoutes, ...webhookChaosRoutes],
        eventHooks: [scheduleDeliveries],
        background: dispatcher,
        register: (app) => app.decorate('webhooks', dispatcher),
      };
    },
  };
}
