// The payments side of customer writes (registered as write hooks, so that
// customers need not know payments): a customer created with a
// `payment_method` gets it attached, and `invoice_settings[default_payment_method]`
// must name a card attached to the customer; deleting a customer detaches its
// payment methods.
import type Stripe from 'stripe';
import type { PaymentNetwork } from '../network/network.js';
import { invalidRequest } from '../server/errors.js';
import type { ApiObject, WriteHookEntry } from '../server/resources.js';
import type { HttpWriteContext } from '../server/write-context.js';
import { detachPaymentMethod } from './payment-method.js';
import { answeringAhead, askAttachAhead } from './network-ahead.js';
import type { PaymentServices } from './services.js';
import {
  attachToCustomer,
  loadPaymentMethod,
  paymentMethodToUse,
  savePaymentMethod,
  type StoredPaymentMethod,
} from './payment-method-store.js';

interface CustomerPaymentParams {
  payment_method?: string;
  invoice_settings?: { default_payment_method?: string };
}

const DEFAULT_PARAM = 'invoice_settings[default_payment_method]';

function notAttached(id: string) {
  return invalidRequest(
    `The customer does not have a payment method with the ID ${id}. The payment method must be attached to the customer.`,
    {
      param: DEFAULT_PARAM,
    },
  );
}

function withDefault(customer: ApiObject, paymentMethodId: string | null): ApiObject {
  const c = customer as unknown as Stripe.Customer;
  return {
    ...c,
    invoice_settings: { ...c.invoice_settings, default_payment_method: paymentMethodId },
  } as unknown as ApiObject;
}

async function onCreate(
  ctx: HttpWriteContext,
  network: PaymentNetwork,
  customer: ApiObject,
  params: CustomerPaymentParams,
) {
  let stored: StoredPaymentMethod | undefined;
  if (params.payment_method) stored = await paymentMethodToUse(ctx, network, params.payment_method);
  const wanted = params.invoice_settings?.default_payment_method;
  let object = customer;
  if (wanted) {
    // A new customer has no card but the one it is created with.
    if (!stored || wanted !== params.payment_method) throw notAttached(wanted);
    object = withDefault(customer, stored.pm.id);
  }
  const attach = stored;
  return {
    object,
    afterStore: attach ? async () => void (await attachToCustomer(ctx, network, attach, customer.id)) : undefined,
  };
}

async function onUpdate(ctx: HttpWriteContext, customer: ApiObject, params: CustomerPaymentParams) {
  const wanted = params.invoice_settings?.default_payment_method;
  if (wanted === undefined) return { object: customer };
  if (wanted === '') return { object: withDefault(customer, null) };
  const { pm } = await loadPaymentMethod(ctx, wanted, DEFAULT_PARAM);
  if (pm.customer !== customer.id) throw notAttached(wanted);
  return { object: withDefault(customer, pm.id) };
}

/** A deleted customer keeps no cards, as on Stripe: each is detached (and can no longer be used), with its event. */
async function onDelete(ctx: HttpWriteContext, customer: ApiObject) {
  const afterStore = async () => {
    const rows = await ctx.db.list({
      table: 'objects',
      accountId: ctx.accountId,
      type: 'payment_method',
      filters: [{ field: 'doc.customer', op: '=', value: customer.id }],
      limit: 10_000,
    });
    for (const row of rows) {
      const stored = await loadPaymentMethod(ctx, row.id, 'payment_method', { forUpdate: true });
      const pm = detachPaymentMethod(stored.pm);
      await savePaymentMethod(ctx, { pm, secret: { ...stored.secret, spent: true } });
      await ctx.emit('payment_method.detached', pm, { customer: customer.id });
    }
  };
  return { object: customer, afterStore };
}

export function customerWriteHooks(services: PaymentServices): WriteHookEntry[] {
  return [
    { point: 'customer.delete', hook: (ctx, customer) => onDelete(ctx, customer) },
    {
      point: 'customer.create',
      // The card's check with the issuer is asked before the transaction opens (network-ahead.ts).
      prepare: async (ctx) =>
        typeof ctx.params.payment_method === 'string'
          ? askAttachAhead(services, ctx, ctx.params.payment_method)
          : undefined,
      hook: (ctx, customer, params, prepared) =>
        onCreate(ctx, answeringAhead(services.network, prepared), customer, params as CustomerPaymentParams),
    },
    {
      point: 'customer.update',
      hook: (ctx, customer, params) => onUpdate(ctx, customer, params as CustomerPaymentParams),
    },
  ];
}
