// How `kassa trigger` causes the payment events: PaymentIntents with Stripe's
// test cards, refunds, saved cards and SetupIntents.
import { TRIGGERED, type TriggerRecipe, type TriggerStep } from '../events/trigger-recipe.js';

// The customer a saved card is attached to (the customers module's own recipes make theirs alike).
const customer: TriggerStep = {
  name: 'customer',
  method: 'post',
  path: '/v1/customers',
  params: { description: TRIGGERED },
};

/** A PaymentIntent created and confirmed with a test card. */
function payment(card = 'pm_card_visa', extra: Record<string, unknown> = {}): TriggerStep {
  return {
    name: 'payment_intent',
    method: 'post',
    path: '/v1/payment_intents',
    params: {
      amount: 2000,
      currency: 'usd',
      payment_method: card,
      payment_method_types: ['card'],
      confirm: true,
      description: TRIGGERED,
      ...extra,
    },
  };
}

const declinedPayment: TriggerStep = { ...payment('pm_card_chargeDeclined'), expectedErrorType: 'card_error' };
const authorization = payment('pm_card_visa', { capture_method: 'manual' });
const refund = (card?: string): TriggerStep[] => [
  payment(card),
  { name: 'refund', method: 'post', path: '/v1/refunds', params: { payment_intent: '${payment_intent:id}' } },
];
const refundUpdate: TriggerStep[] = [
  ...refund(),
  {
    name: 'refund_updated',
    method: 'post',
    path: '/v1/refunds/${refund:id}',
    params: { metadata: { order_id: '6735' } },
  },
];
const attached: TriggerStep[] = [
  customer,
  {
    name: 'payment_method',
    method: 'post',
    path: '/v1/payment_methods/pm_card_visa/attach',
    params: { customer: '${customer:id}' },
  },
];

function setupIntent(card?: string): TriggerStep {
  const confirm = card ? { payment_method: card, confirm: true } : {};
  return {
    name: 'setup_intent',
    method: 'post',
    path: '/v1/setup_intents',
    params: { payment_method_types: ['card'], description: TRIGGERED, ...confirm },
  };
}

export const paymentTriggerRecipes: Readonly<Record<string, TriggerRecipe>> = {
  'charge.captured': {
    steps: [
      authorization,
      { name: 'capture', method: 'post', path: '/v1/payment_intents/${payment_intent:id}/capture' },
    ],
  },
  'charge.failed': { steps: [declinedPayment] },
  'charge.refund.updated': { steps: refundUpdate },
  'charge.refunded': { steps: refund() },
  'charge.succeeded': { steps: [payment()] },
  'charge.updated': {
    steps: [
      payment(),
      {
        name: 'charge',
        method: 'post',
        path: '/v1/charges/${payment_intent:latest_charge}',
        params: { description: 'Updated by kassa trigger' },
      },
    ],
  },
  'payment_intent.amount_capturable_updated': { steps: [authorization] },
  'payment_intent.canceled': {
    steps: [
      {
        name: 'payment_intent',
        method: 'post',
        path: '/v1/payment_intents',
        params: { amount: 2000, currency: 'usd', payment_method_types: ['card'], description: TRIGGERED },
      },
      {
        name: 'cancel',
        method: 'post',
        path: '/v1/payment_intents/${payment_intent:id}/cancel',
        params: { cancellation_reason: 'requested_by_customer' },
      },
    ],
  },
  'payment_intent.created': {
    steps: [
      {
        name: 'payment_intent',
        method: 'post',
        path: '/v1/payment_intents',
        params: { amount: 2000, currency: 'usd', payment_method_types: ['card'], description: TRIGGERED },
      },
    ],
  },
  'payment_intent.payment_failed': { steps: [declinedPayment] },
  'payment_intent.requires_action': { steps: [payment('pm_card_authenticationRequired')] },
  'payment_intent.succeeded': { steps: [payment()] },
  'payment_method.attached': { steps: attached },
  'payment_method.detached': {
    steps: [...attached, { name: 'detach', method: 'post', path: '/v1/payment_methods/${payment_method:id}/detach' }],
  },
  'payment_method.updated': {
    steps: [
      ...attached,
      {
        name: 'payment_method_updated',
        method: 'post',
        path: '/v1/payment_methods/${payment_method:id}',
        params: { metadata: { foo: 'bar' } },
      },
    ],
  },
  'refund.created': { steps: refund() },
  'refund.failed': {
    steps: refund('pm_card_refundFail'),
    note: 'The refund succeeds first; refund.failed follows in about 5 seconds, when the bank refuses it.',
  },
  'refund.updated': { steps: refundUpdate },
  'setup_intent.canceled': {
    steps: [
      setupIntent(),
      {
        name: 'cancel',
        method: 'post',
        path: '/v1/setup_intents/${setup_intent:id}/cancel',
        params: { cancellation_reason: 'requested_by_customer' },
      },
    ],
  },
  'setup_intent.created': { steps: [setupIntent()] },
  'setup_intent.requires_action': { steps: [setupIntent('pm_card_authenticationRequired')] },
  'setup_intent.setup_failed': {
    steps: [{ ...setupIntent('pm_card_chargeDeclined'), expectedErrorType: 'card_error' }],
  },
  'setup_intent.succeeded': { steps: [setupIntent('pm_card_visa')] },
};
