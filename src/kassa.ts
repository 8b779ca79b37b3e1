// The composition root: the protocol layer with every capability's routes.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { customerRoutes } from './customers/routes.js';
import { eventRoutes } from './events/routes.js';
import { buildApp } from './server/app.js';
import { systemClock, type Clock } from './server/clock.js';
import type { Route } from './server/route.js';
import type { Store } from './store/store.js';

export const ROUTES: Route[] = [...customerRoutes, ...eventRoutes];

export interface KassaOptions {
  store: Store;
  clock?: Clock;
  logger?: Logger | false;
}

export function createKassa(options: KassaOptions): FastifyInstance {
  return buildApp({ store: options.store, clock: options.clock ?? systemClock, routes: ROUTES, logger: options.logger });
}
