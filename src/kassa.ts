// The composition root: one Kassa app made of the modules in src/modules.ts.
// Each app gets its own registries (object types, public views, write hooks,
// event hooks, jobs), filled from its modules' setup and never shared.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { eventRecorder } from './events/events.js';
import type { JobHandler } from './jobs/jobs.js';
import { createJobWorker, type JobWorker } from './jobs/worker.js';
import type { KassaModule, ModuleParts } from './module.js';
import { eventTypesOf, kassaModules, MODULES } from './modules.js';
import type { FeeRule } from './money/fees.js';
import type { PaymentNetwork } from './network/network.js';
import { secretResponse, type Renderers, type SecretResponse } from './server/answer.js';
import { buildApp } from './server/app.js';
import { systemClock, type Clock } from './server/clock.js';
import { objectTypes, WriteHooks } from './server/resources.js';
import type { Route } from './server/route.js';
import type { ServerTimeouts } from './server/timeouts.js';
import { writeContextFactory } from './server/write-context.js';
import type { Store } from './store/store.js';
import { WEBHOOK_DELIVERY_JOB, type JitterSource } from './webhooks/webhook-delivery.js';

export interface KassaOptions {
  store: Store;
  clock?: Clock;
  /** The processing fee on charges; 2.9% + 30 cents by default. */
  feeRule?: FeeRule;
  /** The card network payments go through; the simulated one by default. */
  network?: PaymentNetwork;
  logger?: Logger | false;
  /** How long a webhook delivery waits for the endpoint's response; 10 s by default. */
  webhookTimeoutMs?: number;
  /** Jitter on webhook retries, a number in [0, 1); random by default (tests pass `() => 0`). */
  webhookJitter?: JitterSource;
  /** How long a client may take to send headers, a whole request, and stay idle. */
  timeouts?: Partial<ServerTimeouts>;
  /** The capabilities; all of Kassa's (src/modules.ts) by default, with the settings above (which apply only then). */
  modules?: readonly KassaModule[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's job worker (scheduled work such as refunds settling later). */
    jobs: JobWorker;
  }
}

/**
 * Every module's routes with default settings: what docs/coverage.md is made
 * from. Setting modules up only wires them (nothing reads the store before a
 * request), so no store is needed for the list.
 */
export const ROUTES: Route[] = setUpModules({
  store: undefined as unknown as Store,
  clock: systemClock,
  logger: false,
}).routes;

/** Sets up `modules` for one app and gathers their parts. */
function setUpModules(
  deps: { store: Store; clock: Clock; logger: Logger | false | undefined },
  modules: readonly KassaModule[] = MODULES,
) {
  const eventHooks: NonNullable<ModuleParts['eventHooks']> = [];
  const writeHooks = new WriteHooks();
  const writeContext = writeContextFactory(eventRecorder(eventHooks));
  const eventTypes = eventTypesOf(modules);
  // Renders with every module's object types, which exist once all are set up.
  let renderers: Renderers | undefined;
  const respond: SecretResponse = (...args) => secretResponse(renderers!)(...args);
  const parts = modules.map((module) =>
    module.setup({ ...deps, eventTypes, writeHooks, writeContext, secretResponse: respond }),
  );
  for (const part of parts) {
    eventHooks.push(...(part.eventHooks ?? []));
    writeHooks.add(part.writeHooks ?? []);
  }
  renderers = {
    objectTypes: objectTypes(parts.flatMap((part) => part.includables ?? [])),
    publicViews: new Map(parts.flatMap((part) => Object.entries(part.publicViews ?? {}))),
  };
  return {
    parts,
    writeContext,
    routes: parts.flatMap((part) => part.routes ?? []),
    jobs: parts.flatMap((part): JobHandler[] => part.jobs ?? []),
    ...renderers,
  };
}

export function createKassa(options: KassaOptions): FastifyInstance {
  const clock = options.clock ?? systemClock;
  const modules =
    options.modules ??
    kassaModules({
      payments: { feeRule: options.feeRule, network: options.network },
      webhooks: { timeoutMs: options.webhookTimeoutMs, jitter: options.webhookJitter },
    });
  const composed = setUpModules({ store: options.store, clock, logger: options.logger }, modules);
  const app = buildApp({
    store: options.store,
    clock,
    routes: composed.routes,
    objectTypes: composed.objectTypes,
    publicViews: composed.publicViews,
    writeContext: composed.writeContext,
    logger: options.logger,
    timeouts: options.timeouts,
  });
  // Background work runs only once startWorkers() is called; closing the app stops it.
  const jobs = createJobWorker({
    store: options.store,
    clock,
    writeContext: composed.writeContext,
    handlers: composed.jobs,
    logger: options.logger,
    kinds: { except: [WEBHOOK_DELIVERY_JOB] },
  });
  app.decorate('jobs', jobs);
  const background = [jobs, ...composed.parts.flatMap((part) => (part.background ? [part.background] : []))];
  app.decorate('kassaBackground', background);
  for (const work of background) app.addHook('onClose', () => work.stop());
  for (const part of composed.parts) part.register?.(app);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What startWorkers starts: the job worker and the modules' background work (the webhook dispatcher). */
    kassaBackground: Array<{ start(pollMs?: number): void; stop(): Promise<void> }>;
  }
}

/**
 * Starts a Kassa app's background work: the job worker and the modules'
 * (the webhook dispatcher), polling every `pollMs` milliseconds (1 s by
 * default; the dispatcher also wakes at once on this process's commits).
 * `kassa serve` and the test harness call it; closing the app stops it.
 */
export function startWorkers(app: FastifyInstance, options: { pollMs?: number } = {}): void {
  for (const work of app.kassaBackground) work.start(options.pollMs);
}
