// /v1/events as a module: the account's events, listed and retrieved.
import type { KassaModule } from '../module.js';
import { eventRoutes } from './routes.js';

export function eventsModule(): KassaModule {
  return { name: 'events', idPrefixes: ['evt'], setup: () => ({ routes: eventRoutes }) };
}
