// `POST /v1/stripecli/sessions`: where `stripe listen` (and `kassa listen`)
// start. The answer names the websocket that streams the account's events
// (stripe-cli-socket.ts) and the secret their signatures use. Not in Stripe's
// OpenAPI description: its parameters are those the Stripe CLI sends, plus
// Kassa's `events[]` (server-side filtering, used by `kassa listen`).
import type { ParamSchema } from '../server/params.js';
import { randomString } from '../server/ids.js';
import type { RequestContext, Route } from '../server/route.js';
import { API_VERSION } from '../server/version.js';
import { listenSecret, sessionToken } from './listen-session.js';
import { fingerprintKey } from '../accounts/account-store.js';

export const STRIPE_CLI_SOCKET_PATH = '/kassa/stripecli/websocket';
/** The only feature Kassa streams: snapshot events as webhook payloads. */
export const WEBHOOK_FEATURE = 'webhook-payloads';
/** Seconds after which the Stripe CLI resets its connection (it reconnects with the same id). */
const RECONNECT_DELAY = 60;

const TEXT: ParamSchema = { type: 'string', maxLength: 5000 };

const sessionParams = (eventTypes: readonly string[]): ParamSchema => ({
  type: 'object',
  properties: {
    device_name: TEXT,
    websocket_features: { type: 'array', items: TEXT },
    forward_to_url: TEXT,
    forward_connect_to_url: TEXT,
    forward_thin_to_url: TEXT,
    forward_thin_connect_to_url: TEXT,
    filters: TEXT,
    events: { type: 'array', items: { type: 'string', enum: ['*', ...eventTypes] } },
  },
});

interface SessionParams {
  events?: string[] | '';
}

export interface StripeCliSession {
  id: string;
  object: 'stripe_cli_session';
  websocket_url: string;
  websocket_id: string;
  websocket_authorized_feature: string;
  secret: string;
  reconnect_delay: number;
  display_connect_filter_warning: boolean;
  default_version: string;
  latest_version: string;
}

/** The account's own secret, made on first use (card fingerprints use it too). */
export function accountSecret(ctx: Pick<RequestContext, 'db' | 'accountId'>): Promise<string> {
  return fingerprintKey(ctx.db, ctx.accountId, () => randomString(32));
}

/** The routes, with `events[]` limited to the app's event types. */
export const stripeCliRoutes = (eventTypes: readonly string[]): Route[] => [
  {
    method: 'POST',
    path: '/v1/stripecli/sessions',
    params: sessionParams(eventTypes),
    async handler(ctx: RequestContext<SessionParams>): Promise<StripeCliSession> {
      const types = ctx.params.events && !ctx.params.events.includes('*') ? [...new Set(ctx.params.events)] : [];
      const secret = await accountSecret(ctx);
      const websocketId = sessionToken({ accountId: ctx.accountId, types, issuedAt: ctx.now }, secret);
      return {
        id: websocketId,
        object: 'stripe_cli_session',
        websocket_url: `${ctx.baseUrl.replace(/^http/, 'ws')}${STRIPE_CLI_SOCKET_PATH}`,
        websocket_id: websocketId,
        websocket_authorized_feature: WEBHOOK_FEATURE,
        secret: listenSecret(secret),
        reconnect_delay: RECONNECT_DELAY,
        display_connect_filter_warning: false,
        default_version: API_VERSION,
        latest_version: API_VERSION,
      };
    },
  },
];
