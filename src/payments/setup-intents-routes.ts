// /v1/setup_intents and /v1/setup_attempts: saving a card for later without
// a payment. Thin handlers over the rules in setup-intent.ts and the confirm
// flow in setup-intent-confirm.ts.
import type Stripe from 'stripe';
import { newId } from '../server/ids.js';
import { listPage, rangeFilters, type ListParams } from '../server/list.js';
import type { RequestContext, Route, RouteResult } from '../server/route.js';
import {
  checkConfirmOnly,
  checkCustomer,
  loadForClient,
  loadIntent,
  newClientSecret,
  paymentMethodToSet,
  updateIntent,
  type PaymentMethodChoice,
} from './intent-confirmation.js';
import { cancelSetupIntent, newSetupIntent, settleUnconfirmedStatus, type SetupIntentParams } from './setup-intent.js';
import type { PaymentServices } from './services.js';
import { confirmSetupIntent, SETUP_INTENT, type SetupConfirmParams } from './setup-intent-confirm.js';
import { insertObject, saveObject } from '../store/objects.js';
import { answeringAhead, askAhead } from './network-ahead.js';

interface CreateParams extends SetupIntentParams, Omit<SetupConfirmParams, 'payment_method_options'> {
  confirm?: boolean;
}

type UpdateParams = Omit<SetupIntentParams, 'usage'> & { payment_method?: string | '' } & Pick<
    PaymentMethodChoice,
    'payment_method_data'
  >;

const CONFIRM_ONLY = ['return_url', 'use_stripe_sdk'] as const;

export function setupIntentRoutes(services: PaymentServices): Route[] {
  const { network } = services;
  return [
    {
      method: 'POST',
      path: '/v1/setup_intents',
      prepare: (ctx) => askAhead(services, ctx),
      async handler(ctx: RequestContext<CreateParams>): Promise<RouteResult> {
        const setupNetwork = answeringAhead(network, ctx.prepared);
        const {
          confirm,
          payment_method,
          payment_method_data,
          client_secret: _secret,
          return_url,
          use_stripe_sdk,
          ...params
        } = ctx.params;
        checkConfirmOnly(ctx.params as Record<string, unknown>, CONFIRM_ONLY);
        await checkCustomer(ctx, params.customer);
        const id = newId('seti');
        let setupIntent = newSetupIntent(id, newClientSecret(id), params, ctx.now);
        if (!confirm) {
          const paymentMethod = await paymentMethodToSet(ctx, setupNetwork, { payment_method, payment_method_data });
          if (paymentMethod) setupIntent = settleUnconfirmedStatus({ ...setupIntent, payment_method: paymentMethod });
        }
        await insertObject(ctx.db, ctx.accountId, setupIntent);
        await ctx.emit('setup_intent.created', setupIntent);
        if (!confirm) return setupIntent;
        return confirmSetupIntent(
          ctx,
          setupIntent,
          { payment_method, payment_method_data, return_url, use_stripe_sdk },
          setupNetwork,
        );
      },
    },
    {
      method: 'GET',
      path: '/v1/setup_intents/{intent}',
      publishable: true,
      publishableExpand: ['payment_method'],
      async handler(ctx: RequestContext<{ client_secret?: string }>) {
        return loadForClient(ctx, SETUP_INTENT);
      },
    },
    {
      method: 'POST',
      path: '/v1/setup_intents/{intent}',
      prepare: (ctx) => askAhead(services, ctx),
      async handler(ctx: RequestContext<UpdateParams>) {
        return updateIntent(ctx, SETUP_INTENT, answeringAhead(network, ctx.prepared));
      },
    },
    {
      method: 'POST',
      path: '/v1/setup_intents/{intent}/confirm',
      publishable: true,
      publishableExpand: ['payment_method'],
      prepare: (ctx) => askAhead(services, ctx),
      async handler(ctx: RequestContext<SetupConfirmParams>) {
        const setupIntent = await loadForClient(ctx, SETUP_INTENT, { forUpdate: true });
        // A retry loads the SetupIntent for update: it meets the confirm's hold.
        const setupNetwork = answeringAhead(network, ctx.prepared);
        return (await confirmSetupIntent(ctx, setupIntent, ctx.params, setupNetwork)).onHeldObjects();
      },
    },
    {
      method: 'POST',
      path: '/v1/setup_intents/{intent}/cancel',
      async handler(ctx: RequestContext<{ cancellation_reason?: Stripe.SetupIntent.CancellationReason }>) {
        const setupIntent = await loadIntent(ctx, SETUP_INTENT, ctx.path.intent, { forUpdate: true });
        const next = cancelSetupIntent(setupIntent, ctx.params.cancellation_reason);
        await saveObject(ctx.db, ctx.accountId, next);
        await ctx.emit('setup_intent.canceled', next);
        return next;
      },
    },
    {
      method: 'GET',
      path: '/v1/setup_intents',
      async handler(ctx: RequestContext<ListParams & { customer?: string; payment_method?: string }>) {
        const filters = rangeFilters('created', ctx.params.created);
        if (ctx.params.customer) filters.push({ field: 'doc.customer', op: '=', value: ctx.params.customer });
        if (ctx.params.payment_method)
          filters.push({ field: 'doc.payment_method', op: '=', value: ctx.params.payment_method });
        return listPage(ctx.db, {
          table: 'objects',
          accountId: ctx.accountId,
          type: 'setup_intent',
          url: '/v1/setup_intents',
          filters,
          params: ctx.params,
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/setup_attempts',
      async handler(ctx: RequestContext<ListParams & { setup_intent: string }>) {
        const filters = rangeFilters('created', ctx.params.created);
        filters.push({ field: 'doc.setup_intent', op: '=', value: ctx.params.setup_intent });
        return listPage(ctx.db, {
          table: 'objects',
          accountId: ctx.accountId,
          type: 'setup_attempt',
          url: '/v1/setup_attempts',
          filters,
          params: ctx.params,
        });
      },
    },
  ];
}
