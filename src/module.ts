// The contract every capability plugs in through. A module says what it is
// (event types, id prefixes, trigger recipes, its tables' migrations, Kassa's
// own routes) as data, and
// `setup` returns its working parts for one app: routes, jobs, hosted pages,
// includable fields, public views, write hooks and event hooks. The composition
// root (src/kassa.ts) lists the modules and builds each app from them; nothing
// registers itself by being imported, so two apps in one process share no state.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { EventRecordedHook } from './events/events.js';
import type { TriggerRecipe } from './events/trigger-recipe.js';
import type { JobHandler } from './jobs/jobs.js';
import type { SecretResponse } from './server/answer.js';
import type { Clock } from './server/clock.js';
import type { PublicView } from './server/publishable.js';
import type { IncludableField, WriteHookEntry, WriteHooks } from './server/resources.js';
import type { Route } from './server/route.js';
import type { WriteContextFactory } from './server/write-context.js';
import type { Migration } from './store/migrate.js';
import type { Store } from './store/store.js';

export interface KassaModule {
  name: string;
  /** The event types it emits: what webhook endpoints and listeners may subscribe to. */
  eventTypes?: readonly string[];
  /** The id prefixes of the objects it creates (`cus`), each owned by one module. */
  idPrefixes?: readonly string[];
  /** How `kassa trigger` causes each of its event types. */
  triggerRecipes?: Readonly<Record<string, TriggerRecipe>>;
  /** The tables it owns: their migrations, keyed `name:NNN` (src/store/migrate.ts). */
  migrations?: readonly Migration[];
  /** Its routes outside Stripe's API (`METHOD /path`), with what each does, for docs/coverage.md. */
  extensions?: Readonly<Record<string, string>>;
  setup(deps: ModuleDeps): ModuleParts;
}

/** What the app gives each module's setup. */
export interface ModuleDeps {
  store: Store;
  clock: Clock;
  logger: Logger | false | undefined;
  /** Every module's event types. */
  eventTypes: readonly string[];
  /** The app's write hooks (every module's), for the writes that run them; complete before the first request. */
  writeHooks: WriteHooks;
  /** Makes the context a write outside the API's pipeline runs in (a hosted page's answer), as requests and jobs get theirs. */
  writeContext: WriteContextFactory;
  /** The response a secret-key API request would get for a result (expanded as it asked): for answering its idempotency key from a job. */
  secretResponse: SecretResponse;
}

/** A module's working parts in one app. */
export interface ModuleParts {
  routes?: Route[];
  /** Handlers of scheduled work, by kind. */
  jobs?: JobHandler[];
  /** Hosted pages and other HTTP endpoints outside the API's pipeline (Kassa.js, websockets), and app decorations. */
  register?: (app: FastifyInstance) => void;
  /** Fields of its objects that appear only when expanded. */
  includables?: IncludableField[];
  /** What a publishable key may see of its object types. */
  publicViews?: Readonly<Record<string, PublicView>>;
  /** Its part in other modules' writes. */
  writeHooks?: WriteHookEntry[];
  /** Run when any event is recorded, in its transaction. */
  eventHooks?: EventRecordedHook[];
  /** Background work the app starts (`startWorkers`) and stops when it closes. */
  background?: { start(pollMs?: number): void; stop(): Promise<void> };
}
