// The messages of the Stripe CLI's websocket protocol (subprotocol
// `stripecli-devproxy-v1`), as `stripe listen` 1.52 speaks them: the server
// sends `webhook_event`; the listener answers `event_ack` on receipt and
// `webhook_response` once its local endpoint has answered. `kassa listen`
// speaks the same protocol.
import { randomString } from '../server/ids.js';
import { signatureHeader } from '../events/signature.js';

export const STRIPE_CLI_SUBPROTOCOL = 'stripecli-devproxy-v1';

export interface WebhookEventMessage {
  type: 'webhook_event';
  webhook_id: string;
  webhook_conversation_id: string;
  /** The event's JSON, forwarded byte for byte as the request body (the signature covers it). */
  event_payload: string;
  /** Headers for the forwarded request, `Stripe-Signature` among them. */
  http_headers: Record<string, string>;
  /** `api_version: null`: rendered at the account's default version (the CLI drops other events unless run with --latest). */
  endpoint: { api_version: string | null };
}

export interface EventAckMessage {
  type: 'event_ack';
  webhook_id: string;
  webhook_conversation_id: string;
  event_id: string;
}

export interface WebhookResponseMessage {
  type: 'webhook_response';
  webhook_id: string;
  webhook_conversation_id: string;
  forward_url: string;
  status: number;
  http_headers?: Record<string, string>;
  body?: string;
}

export type ListenerMessage = EventAckMessage | WebhookResponseMessage;

/** The message that carries one event, signed with the listen secret at `now` (Unix seconds). */
export function webhookEventMessage(eventJson: string, secret: string, now: number): WebhookEventMessage {
  return {
    type: 'webhook_event',
    webhook_id: `we_${randomString(24)}`,
    webhook_conversation_id: `wc_${randomString(24)}`,
    event_payload: eventJson,
    http_headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'Stripe-Signature': signatureHeader(eventJson, secret, now),
    },
    endpoint: { api_version: null },
  };
}

/** A listener's message, or undefined for anything else (which listeners and servers ignore, as the CLI does). */
export function parseListenerMessage(text: string): ListenerMessage | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (message === null || typeof message !== 'object') return undefined;
  const type = (message as { type?: unknown }).type;
  if (type === 'event_ack' || type === 'webhook_response') return message as ListenerMessage;
  return undefined;
}

/** A server's `webhook_event`, or undefined for anything else. */
export function parseWebhookEvent(text: string): WebhookEventMessage | undefined {
  try {
    const message = JSON.parse(text) as Partial<WebhookEventMessage> | null;
    if (message?.type !== 'webhook_event' || typeof message.event_payload !== 'string') return undefined;
    return {
      ...message,
      http_headers: message.http_headers ?? {},
      endpoint: message.endpoint ?? { api_version: null },
    } as WebhookEventMessage;
  } catch {
    return undefined;
  }
}
