// Loading and making PaymentMethods inside a request: card data goes to the
// network, which returns a profile without the number or CVC; only that is kept.
import type { CardInput, CardProfile, PaymentNetwork } from '../network/network.js';
import { invalidParam, resourceMissing } from '../server/errors.js';
import { newId, randomString } from '../server/ids.js';
import type { HttpWriteContext } from '../server/write-context.js';
import type { StoredRow } from '../store/store.js';
import type { HeldObjects } from './network-attempt.js';
import { cardError } from './card-error.js';
import {
  assertReusable,
  attachPaymentMethod,
  newCardPaymentMethod,
  type PaymentMethod,
  type PaymentMethodParams,
  type PaymentMethodSecret,
} from './payment-method.js';
import { fingerprintKey } from '../accounts/account-store.js';
import { getObjectRow, insertObject, saveObject } from '../store/objects.js';

export interface StoredPaymentMethod {
  pm: PaymentMethod;
  secret: PaymentMethodSecret;
}

export type CardData = { number: string; exp_month: number; exp_year: number; cvc?: string };
export type CardParams = CardData | { token: string };

/** Stripe's test ids: `pm_card_visa` as a PaymentMethod, `tok_visa` as a card token. */
export const TEST_ID = /^(pm_card_|tok_)/;

/** What the network is asked to tokenize: the card data, with the billing address parts the issuer can check. */
export function cardInput(card: CardData, params: PaymentMethodParams): CardInput {
  return {
    ...card,
    address_line1: params.billing_details?.address ? params.billing_details.address.line1 : undefined,
    address_postal_code: params.billing_details?.address ? params.billing_details.address.postal_code : undefined,
  };
}

async function tokenizeContext(ctx: HttpWriteContext) {
  return { fingerprintKey: await fingerprintKey(ctx.db, ctx.accountId, () => randomString(32)), now: ctx.now };
}

/** A new card PaymentMethod from card data or a test token (`card[token]=tok_visa`). */
export async function createCardPaymentMethod(
  ctx: HttpWriteContext,
  network: PaymentNetwork,
  card: CardParams | undefined,
  params: PaymentMethodParams,
  paramPrefix = 'card',
): Promise<StoredPaymentMethod> {
  if (!card) throw invalidParam(`Missing required param: ${paramPrefix}.`, paramPrefix, 'parameter_missing');
  const context = await tokenizeContext(ctx);
  let profile: CardProfile | null;
  if ('token' in card) {
    profile = TEST_ID.test(card.token) ? await network.profileForTestId(card.token, context) : null;
    if (!profile) throw resourceMissing('token', card.token, `${paramPrefix}[token]`);
  } else {
    const result = await network.tokenize(cardInput(card, params), context);
    if (!result.ok)
      throw cardError({
        code: result.error.code,
        message: result.error.message,
        param: `${paramPrefix}[${result.error.param}]`,
      });
    profile = result.profile;
  }
  const pm = newCardPaymentMethod(newId('pm'), profile, params, ctx.now);
  const secret: PaymentMethodSecret = { card: profile };
  await insertObject(ctx.db, ctx.accountId, pm, secret);
  return { pm, secret };
}

/**
 * The PaymentMethod a request names. Stripe's test ids (`pm_card_visa`,
 * `tok_visa`) make a new PaymentMethod each time, as Stripe does.
 */
export async function resolvePaymentMethod(
  ctx: HttpWriteContext,
  network: PaymentNetwork,
  id: string,
  param: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredPaymentMethod & { fresh: boolean }> {
  if (TEST_ID.test(id)) {
    const profile = await network.profileForTestId(id, await tokenizeContext(ctx));
    if (!profile) throw resourceMissing('PaymentMethod', id, param);
    const pm = newCardPaymentMethod(newId('pm'), profile, {}, ctx.now);
    const secret: PaymentMethodSecret = { card: profile };
    await insertObject(ctx.db, ctx.accountId, pm, secret);
    return { pm, secret, fresh: true };
  }
  const stored = await loadPaymentMethod(ctx, id, param, options);
  assertReusable(stored.pm, stored.secret);
  return { ...stored, fresh: false };
}

/**
 * The PaymentMethod a payment, a setup or an attachment is about to use,
 * locked until the request commits: an unattached PaymentMethod may be used
 * once, so another request using it waits, then finds it spent or attached.
 * A confirm locks its intent first and the PaymentMethod after, so two
 * confirms never wait on each other.
 */
export function paymentMethodToUse(
  ctx: HttpWriteContext,
  network: PaymentNetwork,
  id: string,
): Promise<StoredPaymentMethod> {
  return resolvePaymentMethod(ctx, network, id, 'payment_method', { forUpdate: true });
}

export async function loadPaymentMethod(
  ctx: HttpWriteContext,
  id: string,
  param = 'payment_method',
  options: { forUpdate?: boolean } = {},
): Promise<StoredPaymentMethod> {
  return paymentMethodFromRow(await getObjectRow(ctx.db, ctx.accountId, id, options), id, param);
}

export function paymentMethodFromRow(row: StoredRow | undefined, id: string, param: string): StoredPaymentMethod {
  if (!row || row.type !== 'payment_method' || !row.private) throw resourceMissing('PaymentMethod', id, param);
  return { pm: JSON.parse(row.doc) as PaymentMethod, secret: JSON.parse(row.private) as PaymentMethodSecret };
}

/** The PaymentMethod a network attempt held (network-attempt.ts). */
export function heldPaymentMethod(held: HeldObjects, id: string): StoredPaymentMethod {
  return { pm: held.object<PaymentMethod>(id), secret: held.privateData<PaymentMethodSecret>(id) };
}

export async function savePaymentMethod(ctx: HttpWriteContext, stored: StoredPaymentMethod): Promise<void> {
  await saveObject(ctx.db, ctx.accountId, stored.pm, stored.secret);
}

/**
 * Attaching runs a zero-amount check with the issuer: cards the issuer
 * declines are not saved. A card that was just authorized or verified (a
 * payment or a setup for later use) is attached without a second check.
 */
export async function attachToCustomer(
  ctx: HttpWriteContext,
  network: PaymentNetwork | 'verified',
  stored: StoredPaymentMethod,
  customerId: string,
): Promise<StoredPaymentMethod> {
  if (stored.pm.customer === customerId) return stored;
  assertReusable(stored.pm, stored.secret);
  const pm = attachPaymentMethod(stored.pm, customerId);
  const check = network === 'verified' ? null : await network.verify({ profile: stored.secret.card });
  if (check?.status === 'declined') {
    throw cardError({
      code: check.code,
      decline_code: check.decline_code,
      message: check.message,
      advice_code: check.advice_code,
      param: check.param,
    });
  }
  const attached = { pm, secret: stored.secret };
  await savePaymentMethod(ctx, attached);
  await ctx.emit('payment_method.attached', pm);
  return attached;
}
