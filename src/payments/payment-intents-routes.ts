// /v1/payment_intents: thin handlers over the rules in payment-intent.ts and the
// confirm flow in payment-intent-confirm.ts.
import { invalidRequest } from '../server/errors.js';
import { newId } from '../server/ids.js';
import { listPage, rangeFilters, type ListParams } from '../server/list.js';
import type { RequestContext, Route, RouteResult } from '../server/route.js';
import { searchRoute } from '../server/search.js';
import { cancelPaymentIntent, captureIntent, type CancelParams, type CaptureParams } from './payment-intent-capture.js';
import { confirmIntent, PAYMENT_INTENT, type ConfirmParams } from './payment-intent-confirm.js';
import type { PaymentServices } from './services.js';
import {
  checkConfirmOnly,
  checkCustomer,
  loadForClient,
  newClientSecret,
  paymentMethodToSet,
  updateIntent,
  type PaymentMethodChoice,
} from './intent-confirmation.js';
import { newPaymentIntent, settleUnconfirmedStatus, type IntentParams } from './payment-intent.js';
import { insertObject } from '../store/objects.js';
import { answeringAhead, askAhead, servicesAnswering } from './network-ahead.js';

interface CreateParams extends IntentParams, ConfirmParams {
  confirm?: boolean;
}

type UpdateParams = IntentParams & { payment_method?: string | '' } & Pick<PaymentMethodChoice, 'payment_method_data'>;

const SEARCH_FIELDS = {
  amount: 'number',
  created: 'number',
  currency: 'string',
  customer: 'string',
  metadata: 'metadata',
  status: 'string',
} as const;

// Stripe documents these as usable only with confirm=true (payment_method_data is not: without confirm it just sets the intent's PaymentMethod).
const CONFIRM_ONLY = ['return_url', 'off_session', 'error_on_requires_action', 'use_stripe_sdk'] as const;

export function paymentIntentRoutes(services: PaymentServices): Route[] {
  return [
    {
      method: 'POST',
      path: '/v1/payment_intents',
      prepare: (ctx) => askAhead(services, ctx),
      async handler(ctx: RequestContext<CreateParams>): Promise<RouteResult> {
        const paying = servicesAnswering(services, ctx.prepared);
        const { confirm, payment_method, payment_method_data, client_secret: _secret, ...rest } = ctx.params;
        checkConfirmOnly(ctx.params as Record<string, unknown>, CONFIRM_ONLY);
        const confirmParams: ConfirmParams = {};
        const intentParams: IntentParams = { ...rest };
        for (const name of CONFIRM_ONLY) {
          if (rest[name] === undefined) continue;
          (confirmParams as Record<string, unknown>)[name] = rest[name];
          delete (intentParams as Record<string, unknown>)[name];
        }
        await checkCustomer(ctx, intentParams.customer);
        const id = newId('pi');
        let intent = newPaymentIntent(id, newClientSecret(id), intentParams, ctx.now);
        if (confirm && payment_method_data) {
          confirmParams.payment_method_data = payment_method_data;
        } else {
          const paymentMethod = await paymentMethodToSet(ctx, paying.network, {
            payment_method,
            payment_method_data,
          });
          if (paymentMethod) intent = settleUnconfirmedStatus({ ...intent, payment_method: paymentMethod });
        }
        await insertObject(ctx.db, ctx.accountId, intent);
        await ctx.emit('payment_intent.created', intent);
        if (!confirm) return intent;
        return confirmIntent(ctx, intent, confirmParams, paying);
      },
    },
    {
      method: 'GET',
      path: '/v1/payment_intents/{intent}',
      publishable: true,
      publishableExpand: ['payment_method'],
      async handler(ctx: RequestContext<{ client_secret?: string }>) {
        return loadForClient(ctx, PAYMENT_INTENT);
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_intents/{intent}',
      prepare: (ctx) => askAhead(services, ctx),
      async handler(ctx: RequestContext<UpdateParams>) {
        return updateIntent(ctx, PAYMENT_INTENT, answeringAhead(services.network, ctx.prepared));
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_intents/{intent}/confirm',
      publishable: true,
      publishableExpand: ['payment_method'],
      prepare: (ctx) => askAhead(services, ctx),
      async handler(ctx: RequestContext<ConfirmParams>) {
        const intent = await loadForClient(ctx, PAYMENT_INTENT, { forUpdate: true });
        if (ctx.auth.kind === 'publishable' && intent.confirmation_method === 'manual') {
          throw invalidRequest(
            'This PaymentIntent has confirmation_method set to manual: only your server can confirm it, with a secret key.',
            { code: 'payment_intent_unexpected_state' },
          );
        }
        // A retry loads the intent for update: it meets the confirm's hold.
        const paying = servicesAnswering(services, ctx.prepared);
        return (await confirmIntent(ctx, intent, ctx.params, paying)).onHeldObjects();
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_intents/{intent}/capture',
      async handler(ctx: RequestContext<CaptureParams>) {
        return captureIntent(ctx, services);
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_intents/{intent}/cancel',
      async handler(ctx: RequestContext<CancelParams>) {
        return cancelPaymentIntent(ctx, services);
      },
    },
    {
      method: 'GET',
      path: '/v1/payment_intents',
      async handler(ctx: RequestContext<ListParams & { customer?: string }>) {
        const filters = rangeFilters('created', ctx.params.created);
        if (ctx.params.customer) filters.push({ field: 'doc.customer', op: '=', value: ctx.params.customer });
        return listPage(ctx.db, {
          table: 'objects',
          accountId: ctx.accountId,
          type: 'payment_intent',
          url: '/v1/payment_intents',
          filters,
          params: ctx.params,
        });
      },
    },
    searchRoute({ resource: 'payment_intents', type: 'payment_intent', fields: SEARCH_FIELDS }),
  ];
}
