// Card payments: PaymentMethods, PaymentIntents, SetupIntents, charges,
// refunds, the balance, 3-D Secure challenges and receipts.
import type { KassaModule } from '../module.js';
import { balanceJobs } from './balance-ledger.js';
import { balanceRoutes } from './balance-routes.js';
import { chargeRoutes } from './charges-routes.js';
import { registerChallengePage } from './challenge-page.js';
import { paymentIntentFinisher } from './payment-intent-confirm.js';
import { customerWriteHooks } from './customer-hooks.js';
import { paymentIntentRoutes } from './payment-intents-routes.js';
import { paymentMigrations } from './payment-migrations.js';
import { paymentMethodRoutes } from './payment-methods-routes.js';
import { paymentPublicViews } from './public-view.js';
import { registerReceiptPage } from './receipt-page.js';
import { refundJobs } from './refund-lifecycle.js';
import { chargeRefundsField, refundRoutes } from './refunds-routes.js';
import { setupIntentFinisher } from './setup-intent-confirm.js';
import { paymentServices, type PaymentSettings } from './services.js';
import { setupIntentRoutes } from './setup-intents-routes.js';
import { paymentTriggerRecipes } from './trigger-recipes.js';

export type { PaymentSettings } from './services.js';

export function paymentsModule(settings: PaymentSettings = {}): KassaModule {
  const services = paymentServices(settings);
  return {
    name: 'payments',
    eventTypes: [
      'charge.captured', 'charge.failed', 'charge.refund.updated', 'charge.refunded', 'charge.succeeded', 'charge.updated',
      'payment_intent.amount_capturable_updated', 'payment_intent.canceled', 'payment_intent.created', 'payment_intent.payment_failed',
      'payment_intent.requires_action', 'payment_intent.succeeded',
      'payment_method.attached', 'payment_method.detached', 'payment_method.updated',
      'refund.created', 'refund.failed', 'refund.updated',
      'setup_intent.canceled', 'setup_intent.created', 'setup_intent.requires_action', 'setup_intent.setup_failed', 'setup_intent.succeeded',
    ],
    idPrefixes: ['pm', 'pi', 'seti', 'setatt', 'ch', 're', 'txn'],
    migrations: paymentMigrations,
    triggerRecipes: paymentTriggerRecipes,
    setup: ({ store, clock, writeContext }) => ({
      routes: [
        ...paymentMethodRoutes(services),
        ...paymentIntentRoutes(services),
        ...setupIntentRoutes(services),
        ...chargeRoutes,
        ...refundRoutes(services),
        ...balanceRoutes,
      ],
      // Work done later: refunds settling or failing at the network, funds becoming available.
      jobs: [...refundJobs, ...balanceJobs],
      includables: [chargeRefundsField],
      publicViews: paymentPublicViews,
      writeHooks: customerWriteHooks(services),
      register(app) {
        registerReceiptPage(app, store);
        const finishers = { payment_intent: paymentIntentFinisher(services), setup_intent: setupIntentFinisher(services.network) };
        registerChallengePage(app, { store, clock, finishers, writeContext });
      },
    }),
  };
}
