// Card payments: PaymentMethods, PaymentIntents, SetupIntents, charges,
// refunds, the balance, 3-D Secure challenges and receipts. One naming rule
// per resource: `<resource>.ts` pure rules, `<resource>-<operation>.ts`
// orchestration and jobs (payment-intent-confirm.ts, refund-create.ts, ...),
// `<resources>-routes.ts` routes only. Calls to the card network go through
// network-attempt.ts (persist, call, record; recovered by attempt-recovery.ts);
// the network and the fee rule come from services.ts.
import type { KassaModule } from '../module.js';
import { attemptRecoveryJob } from './attempt-recovery.js';
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
      'charge.captured',
      'charge.failed',
      'charge.refund.updated',
      'charge.refunded',
      'charge.succeeded',
      'charge.updated',
      'payment_intent.amount_capturable_updated',
      'payment_intent.canceled',
      'payment_intent.created',
      'payment_intent.payment_failed',
      'payment_intent.requires_action',
      'payment_intent.succeeded',
      'payment_method.attached',
      'payment_method.detached',
      'payment_method.updated',
      'refund.created',
      'refund.failed',
      'refund.updated',
      'setup_intent.canceled',
      'setup_intent.created',
      'setup_intent.requires_action',
      'setup_intent.setup_failed',
      'setup_intent.succeeded',
    ],
    idPrefixes: ['pm', 'pi', 'seti', 'setatt', 'ch', 're', 'txn'],
    migrations: paymentMigrations,
    triggerRecipes: paymentTriggerRecipes,
    setup: ({ store, clock, writeContext, secretResponse }) => ({
      routes: [
        ...paymentMethodRoutes(services),
        ...paymentIntentRoutes(services),
        ...setupIntentRoutes(services),
        ...chargeRoutes,
        ...refundRoutes(services),
        ...balanceRoutes,
      ],
      // Work done later: refunds settling or failing at the network, funds becoming available,
      // and the answers of network calls whose writes did not record them.
      jobs: [...refundJobs, ...balanceJobs, attemptRecoveryJob(services, secretResponse)],
      includables: [chargeRefundsField],
      publicViews: paymentPublicViews,
      writeHooks: customerWriteHooks(services),
      register(app) {
        registerReceiptPage(app, store);
        const finishers = {
          payment_intent: paymentIntentFinisher(services),
          setup_intent: setupIntentFinisher(services.network),
        };
        registerChallengePage(app, { store, clock, finishers, writeContext });
      },
    }),
  };
}
