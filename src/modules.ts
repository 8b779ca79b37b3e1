// The capabilities Kassa is made of, in the order their routes and hooks are
// set up. Adding a capability is one line here (docs/architecture.md, "Adding a
// capability"); every list that spans capabilities is derived from this one.
import { billingModule } from './billing/index.js';
import { customersModule } from './customers/index.js';
import { eventsModule } from './events/module.js';
import { kassaJsModule } from './kassa-js/index.js';
import { listenModule } from './listen/index.js';
import type { KassaModule } from './module.js';
import { paymentsModule, type PaymentSettings } from './payments/index.js';
import { webhooksModule, type WebhookSettings } from './webhooks/index.js';

export interface ModuleSettings {
  payments?: PaymentSettings;
  webhooks?: WebhookSettings;
}

export function kassaModules(settings: ModuleSettings = {}): KassaModule[] {
  return [
    customersModule(),
    paymentsModule(settings.payments),
    eventsModule(),
    webhooksModule(settings.webhooks),
    listenModule(),
    kassaJsModule(),
    billingModule(),
  ];
}

/** The modules with default settings: what the static lists (event types, trigger recipes, docs/coverage.md) come from. */
export const MODULES: readonly KassaModule[] = kassaModules();

/** Every event type the modules emit, sorted: what webhook endpoints and listeners may subscribe to. */
export function eventTypesOf(modules: readonly KassaModule[]): string[] {
  return modules.flatMap((module) => module.eventTypes ?? []).sort();
}
