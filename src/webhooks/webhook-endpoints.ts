// Webhook endpoints: where an account's events are posted. The signing secret
// is shown once, in the create response, and otherwise kept in the object's
// private data, where only delivery reads it.
import type Stripe from 'stripe';
import { invalidParam } from '../server/errors.js';
import { parseHttpUrl } from '../server/urls.js';
import { randomString } from '../server/ids.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';
import { API_VERSION } from '../server/version.js';
import type { ChaosSettings } from './webhook-chaos.js';
import type { DisabledReason } from './webhook-delivery.js';

export type WebhookEndpoint = Stripe.WebhookEndpoint;

/** Private data of a webhook endpoint. */
export interface EndpointSecret {
  secret: string;
  /** Set when delivery disabled the endpoint for failing for days (webhook-delivery.ts). */
  disabled_reason?: DisabledReason;
  /** Created with `connect: true`: receives events of connected accounts only (Stripe's object does not show it). */
  connect?: boolean;
  /** Chaos mode's settings while it is on (webhook-chaos.ts). */
  chaos?: ChaosSettings;
}

export interface EndpointParams {
  url?: string;
  enabled_events?: string[];
  description?: string;
  metadata?: Metadata | '';
  api_version?: string;
  connect?: boolean;
  disabled?: boolean;
}

export function newSigningSecret(): string {
  return `whsec_${randomString(32)}`;
}

function checkUrl(url: string): void {
  if (!parseHttpUrl(url)) {
    throw invalidParam(
      `Invalid URL: ${url}. URLs must begin with http:// or https:// and be valid.`,
      'url',
      'url_invalid',
    );
  }
}

/** Stripe requires `url` and `enabled_events` on create; the params layer has checked the event names. */
export function newWebhookEndpoint(id: string, params: EndpointParams, now: number): WebhookEndpoint {
  if (params.url === undefined) throw invalidParam('Missing required param: url.', 'url', 'parameter_missing');
  if (params.enabled_events === undefined)
    throw invalidParam('Missing required param: enabled_events.', 'enabled_events', 'parameter_missing');
  checkUrl(params.url);
  return {
    id,
    object: 'webhook_endpoint',
    api_version: params.api_version ?? null,
    application: null,
    created: now,
    description: params.description || null,
    enabled_events: [...params.enabled_events],
    livemode: false,
    metadata: applyMetadata({}, params.metadata),
    status: 'enabled',
    url: params.url,
  };
}

export function applyEndpointParams(endpoint: WebhookEndpoint, params: EndpointParams): WebhookEndpoint {
  const next: WebhookEndpoint = { ...endpoint, metadata: applyMetadata(endpoint.metadata, params.metadata) };
  if (params.url !== undefined) {
    checkUrl(params.url);
    next.url = params.url;
  }
  if (params.enabled_events !== undefined) next.enabled_events = [...params.enabled_events];
  if (params.description !== undefined) next.description = params.description || null;
  if (params.disabled !== undefined) next.status = params.disabled ? 'disabled' : 'enabled';
  return next;
}

/** Whether the endpoint wants events of `type` now. */
export function wantsEvent(endpoint: Pick<WebhookEndpoint, 'status' | 'enabled_events'>, type: string): boolean {
  return (
    endpoint.status === 'enabled' && (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type))
  );
}

/**
 * Whether an endpoint is sent an event: it wants the type, and the event
 * comes from where the endpoint listens (a Connect endpoint hears connected
 * accounts' events, which carry `account`; any other, the account's own).
 */
export function receivesEvent(
  endpoint: WebhookEndpoint,
  secret: EndpointSecret | undefined,
  event: { type: string; account?: string | null },
): boolean {
  return wantsEvent(endpoint, event.type) && Boolean(secret?.connect) === Boolean(event.account);
}

/** The endpoints, of stored rows (with private data), that are sent an event. */
export function endpointsReceiving(
  rows: Array<{ doc: string; private?: string | null }>,
  event: { type: string; account?: string | null },
): WebhookEndpoint[] {
  return rows
    .map((row) => ({
      endpoint: JSON.parse(row.doc) as WebhookEndpoint,
      secret: row.private ? (JSON.parse(row.private) as EndpointSecret) : undefined,
    }))
    .filter(({ endpoint, secret }) => receivesEvent(endpoint, secret, event))
    .map(({ endpoint }) => endpoint);
}

export function deletedWebhookEndpoint(id: string): Stripe.DeletedWebhookEndpoint {
  return { id, object: 'webhook_endpoint', deleted: true };
}

/** The version events are rendered at for this endpoint (Kassa renders one version for now). */
export function endpointApiVersion(endpoint: WebhookEndpoint): string {
  return endpoint.api_version ?? API_VERSION;
}
