// What `kassa trigger EVENT` does to cause each event: the real API calls, as
// data in the shape of the Stripe CLI's trigger fixtures. A value written
// `${step:field.path}` is taken from the response of an earlier step.

export type StepMethod = 'get' | 'post' | 'delete';

export interface TriggerStep {
  /** Names the step's response for later steps' `${name:...}` references. */
  name: string;
  method: StepMethod;
  path: string;
  params?: Record<string, unknown>;
  /** A Stripe error of this type is what the step is for (a decline), not a failure. */
  expectedErrorType?: 'card_error';
}

export interface TriggerRecipe {
  steps: TriggerStep[];
  /** Printed after the calls, for events that follow later. */
  note?: string;
}

const DESCRIPTION = '(created by kassa trigger)';

const customer: TriggerStep = { name: 'customer', method: 'post', path: '/v1/customers', params: { description: DESCRIPTION } };

/** A PaymentIntent created and confirmed with a test card. */
function payment(card = 'pm_card_visa', extra: Record<string, unknown> = {}): TriggerStep {
  return {
    name: 'payment_intent',
    method: 'post',
    path: '/v1/payment_intents',
    params: { amount: 2000, currency: 'usd', payment_method: card, payment_method_types: ['card'], confirm: true, description: DESCRIPTION, ...extra },
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
  { name: 'refund_updated', method: 'post', path: '/v1/refunds/${refund:id}', params: { metadata: { order_id: '6735' } } },
];
const attached: TriggerStep[] = [
  customer,
  { name: 'payment_method', method: 'post', path: '/v1/payment_methods/pm_card_visa/attach', params: { customer: '${customer:id}' } },
];

function setupIntent(card?: string): TriggerStep {
  const confirm = card ? { payment_method: card, confirm: true } : {};
  return { name: 'setup_intent', method: 'post', path: '/v1/setup_intents', params: { payment_method_types: ['card'], description: DESCRIPTION, ...confirm } };
}

export const TRIGGER_RECIPES: Readonly<Record<string, TriggerRecipe>> = {
  'charge.captured': { steps: [authorization, { name: 'capture', method: 'post', path: '/v1/payment_intents/${payment_intent:id}/capture' }] },
  'charge.failed': { steps: [declinedPayment] },
  'charge.refund.updated': { steps: refundUpdate },
  'charge.refunded': { steps: refund() },
  'charge.succeeded': { steps: [payment()] },
  'charge.updated': {
    steps: [payment(), { name: 'charge', method: 'post', path: '/v1/charges/${payment_intent:latest_charge}', params: { description: 'Updated by kassa trigger' } }],
  },
  'customer.created': { steps: [customer] },
  'customer.deleted': { steps: [customer, { name: 'customer_deleted', method: 'delete', path: '/v1/customers/${customer:id}' }] },
  'customer.tax_id.created': {
    steps: [{ ...customer, params: { description: DESCRIPTION, tax_id_data: [{ type: 'eu_vat', value: 'DE123456789' }] } }],
  },
  'customer.updated': { steps: [customer, { name: 'customer_updated', method: 'post', path: '/v1/customers/${customer:id}', params: { metadata: { foo: 'bar' } } }] },
  'payment_intent.amount_capturable_updated': { steps: [authorization] },
  'payment_intent.canceled': {
    steps: [
      { name: 'payment_intent', method: 'post', path: '/v1/payment_intents', params: { amount: 2000, currency: 'usd', payment_method_types: ['card'], description: DESCRIPTION } },
      { name: 'cancel', method: 'post', path: '/v1/payment_intents/${payment_intent:id}/cancel', params: { cancellation_reason: 'requested_by_customer' } },
    ],
  },
  'payment_intent.created': {
    steps: [{ name: 'payment_intent', method: 'post', path: '/v1/payment_intents', params: { amount: 2000, currency: 'usd', payment_method_types: ['card'], description: DESCRIPTION } }],
  },
  'payment_intent.payment_failed': { steps: [declinedPayment] },
  'payment_intent.requires_action': { steps: [payment('pm_card_authenticationRequired')] },
  'payment_intent.succeeded': { steps: [payment()] },
  'payment_method.attached': { steps: attached },
  'payment_method.detached': { steps: [...attached, { name: 'detach', method: 'post', path: '/v1/payment_methods/${payment_method:id}/detach' }] },
  'payment_method.updated': {
    steps: [...attached, { name: 'payment_method_updated', method: 'post', path: '/v1/payment_methods/${payment_method:id}', params: { metadata: { foo: 'bar' } } }],
  },
  'refund.created': { steps: refund() },
  'refund.failed': {
    steps: refund('pm_card_refundFail'),
    note: 'The refund succeeds first; refund.failed follows in about 5 seconds, when the bank refuses it.',
  },
  'refund.updated': { steps: refundUpdate },
  'setup_intent.canceled': {
    steps: [setupIntent(), { name: 'cancel', method: 'post', path: '/v1/setup_intents/${setup_intent:id}/cancel', params: { cancellation_reason: 'requested_by_customer' } }],
  },
  'setup_intent.created': { steps: [setupIntent()] },
  'setup_intent.requires_action': { steps: [setupIntent('pm_card_authenticationRequired')] },
  'setup_intent.setup_failed': { steps: [{ ...setupIntent('pm_card_chargeDeclined'), expectedErrorType: 'card_error' }] },
  'setup_intent.succeeded': { steps: [setupIntent('pm_card_visa')] },
};

export const TRIGGER_EVENTS: readonly string[] = Object.keys(TRIGGER_RECIPES).sort();

const REFERENCE = /^\$\{([a-z_]+):([A-Za-z0-9_.]+)\}$/;

/** A step with its `${step:field}` references replaced by the values in earlier responses. */
export function resolveStep(step: TriggerStep, responses: Readonly<Record<string, unknown>>): TriggerStep {
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') return resolveString(value, responses);
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  const path = step.path.replace(/\$\{[^}]*\}/g, (ref) => encodeURIComponent(String(resolveString(ref, responses))));
  return { ...step, path, params: step.params && (resolve(step.params) as Record<string, unknown>) };
}

function resolveString(value: string, responses: Readonly<Record<string, unknown>>): unknown {
  const match = REFERENCE.exec(value);
  if (!match) return value;
  const [, name, fieldPath] = match;
  if (!(name in responses)) throw new Error(`${value} refers to a step that has not run`);
  let current: unknown = responses[name];
  for (const key of fieldPath.split('.')) {
    current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  }
  if (current === undefined || current === null) throw new Error(`${value}: the ${name} response has no ${fieldPath}`);
  return current;
}
