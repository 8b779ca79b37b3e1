// Listeners: `stripe listen` and `kassa listen` open a session and a websocket
// that streams the account's events as they commit.
import type { KassaModule } from '../module.js';
import { stripeCliRoutes } from './stripe-cli-routes.js';
import { registerStripeCliSocket } from './stripe-cli-socket.js';

export function listenModule(): KassaModule {
  return {
    name: 'listen',
    extensions: {
      'POST /v1/stripecli/sessions':
        'Starts a listen session for `stripe listen` and `kassa listen`: the websocket that streams events and the listen secret (docs/webhooks.md)',
    },
    setup: ({ store, clock, logger, eventTypes }) => ({
      routes: stripeCliRoutes(eventTypes),
      register: (app) => registerStripeCliSocket(app, { store, clock, logger }),
    }),
  };
}
