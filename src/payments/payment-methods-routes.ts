// /v1/payment_methods and a customer's saved cards.
import { saveUpdate } from '../events/events.js';
import { invalidParam, invalidRequest, resourceMissing } from '../server/errors.js';
import { listPage, type ListParams } from '../server/list.js';
import { RawJson, type RequestContext, type Route } from '../server/route.js';
import type { HttpWriteContext } from '../server/write-context.js';
import type { Filter } from '../store/store.js';
import {
  applyPaymentMethodParams,
  checkExpiryUpdate,
  detachPaymentMethod,
  type PaymentMethodParams,
} from './payment-method.js';
import type { PaymentServices } from './services.js';
import {
  attachToCustomer,
  createCardPaymentMethod,
  loadPaymentMethod,
  paymentMethodToUse,
  savePaymentMethod,
  type CardParams,
} from './payment-method-store.js';
import { getObjectRow, saveObject } from '../store/objects.js';
import { answeringAhead, askAhead, askAttachAhead } from './network-ahead.js';

interface CreateParams extends PaymentMethodParams {
  type: string;
  card?: CardParams;
  customer?: string;
  payment_method?: string;
}

async function loadLiveCustomer(ctx: HttpWriteContext, id: string, param = 'customer') {
  const row = await getObjectRow(ctx.db, ctx.accountId, id, { forUpdate: true });
  if (!row || row.type !== 'customer' || row.deleted) throw resourceMissing('customer', id, param);
  return row;
}

export function paymentMethodRoutes(services: PaymentServices): Route[] {
  const { network } = services;
  return [
    {
      method: 'POST',
      path: '/v1/payment_methods',
      publishable: true,
      prepare: (ctx) => askAhead(services, ctx),
      async handler(ctx: RequestContext<CreateParams>) {
        const { type, card, customer, payment_method, ...params } = ctx.params;
        if (customer || payment_method) {
          throw invalidRequest('Kassa does not support cloning PaymentMethods to connected accounts yet.', {
            param: customer ? 'customer' : 'payment_method',
          });
        }
        if (type === undefined) throw invalidParam('Missing required param: type.', 'type', 'parameter_missing');
        if (type !== 'card')
          throw invalidParam(`Kassa supports PaymentMethods of type card only; got type ${type}.`, 'type');
        const { pm } = await createCardPaymentMethod(ctx, answeringAhead(network, ctx.prepared), card, params);
        return pm;
      },
    },
    {
      method: 'GET',
      path: '/v1/payment_methods/{payment_method}',
      async handler(ctx) {
        const { pm } = await loadPaymentMethod(ctx, ctx.path.payment_method, 'payment_method');
        return pm;
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_methods/{payment_method}',
      async handler(ctx: RequestContext<PaymentMethodParams & { card?: { exp_month?: number; exp_year?: number } }>) {
        const stored = await loadPaymentMethod(ctx, ctx.path.payment_method, 'payment_method', { forUpdate: true });
        if (!stored.pm.customer) {
          throw invalidRequest('You must save this PaymentMethod to a customer before you can update it.', {
            param: 'payment_method',
          });
        }
        if (ctx.params.card && stored.pm.card) checkExpiryUpdate(stored.pm.card, ctx.params.card, ctx.now);
        const pm = applyPaymentMethodParams(stored.pm, ctx.params);
        // The network profile carries the expiry into later charges' payment_method_details.
        const secret = pm.card
          ? {
              ...stored.secret,
              card: { ...stored.secret.card, exp_month: pm.card.exp_month, exp_year: pm.card.exp_year },
            }
          : stored.secret;
        await saveUpdate(ctx, 'payment_method.updated', stored.pm, pm, secret);
        return pm;
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_methods/{payment_method}/attach',
      prepare: (ctx) => askAttachAhead(services, ctx, ctx.path.payment_method ?? ''),
      async handler(ctx: RequestContext<{ customer: string }>) {
        const attaching = answeringAhead(network, ctx.prepared);
        const stored = await paymentMethodToUse(ctx, attaching, ctx.path.payment_method);
        await loadLiveCustomer(ctx, ctx.params.customer);
        return (await attachToCustomer(ctx, attaching, stored, ctx.params.customer)).pm;
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_methods/{payment_method}/detach',
      async handler(ctx) {
        const stored = await loadPaymentMethod(ctx, ctx.path.payment_method, 'payment_method', { forUpdate: true });
        const customerId = stored.pm.customer as string | null;
        const pm = detachPaymentMethod(stored.pm);
        await savePaymentMethod(ctx, { pm, secret: { ...stored.secret, spent: true } });
        if (customerId) await clearDefaultPaymentMethod(ctx, customerId, pm.id);
        await ctx.emit('payment_method.detached', pm, { customer: customerId });
        return pm;
      },
    },
    {
      method: 'GET',
      path: '/v1/payment_methods',
      async handler(ctx: RequestContext<ListParams & { customer?: string; type?: string }>) {
        const filters: Filter[] = [];
        if (ctx.params.customer) filters.push({ field: 'doc.customer', op: '=', value: ctx.params.customer });
        if (ctx.params.type) filters.push({ field: 'doc.type', op: '=', value: ctx.params.type });
        return listPage(ctx.db, {
          table: 'objects',
          accountId: ctx.accountId,
          type: 'payment_method',
          url: '/v1/payment_methods',
          filters,
          params: ctx.params,
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/customers/{customer}/payment_methods',
      async handler(ctx: RequestContext<ListParams & { type?: string }>) {
        const row = await getObjectRow(ctx.db, ctx.accountId, ctx.path.customer);
        if (!row || row.type !== 'customer' || row.deleted) throw resourceMissing('customer', ctx.path.customer);
        const filters: Filter[] = [{ field: 'doc.customer', op: '=', value: ctx.path.customer }];
        if (ctx.params.type) filters.push({ field: 'doc.type', op: '=', value: ctx.params.type });
        const url = `/v1/customers/${ctx.path.customer}/payment_methods`;
        return listPage(ctx.db, {
          table: 'objects',
          accountId: ctx.accountId,
          type: 'payment_method',
          url,
          filters,
          params: ctx.params,
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/customers/{customer}/payment_methods/{payment_method}',
      async handler(ctx) {
        const { pm } = await loadPaymentMethod(ctx, ctx.path.payment_method, 'payment_method');
        if (pm.customer !== ctx.path.customer)
          throw resourceMissing('PaymentMethod', ctx.path.payment_method, 'payment_method');
        return new RawJson(JSON.stringify(pm));
      },
    },
  ];
}

/** A detached card can no longer be the customer's default. */
async function clearDefaultPaymentMethod(
  ctx: HttpWriteContext,
  customerId: string,
  paymentMethodId: string,
): Promise<void> {
  const row = await getObjectRow(ctx.db, ctx.accountId, customerId, { forUpdate: true });
  if (!row || row.deleted) return;
  const customer = JSON.parse(row.doc);
  if (customer.invoice_settings?.default_payment_method !== paymentMethodId) return;
  const updated = { ...customer, invoice_settings: { ...customer.invoice_settings, default_payment_method: null } };
  await saveObject(ctx.db, ctx.accountId, updated);
  await ctx.emit('customer.updated', updated, { invoice_settings: customer.invoice_settings });
}
