// `kassa listen --forward-to URL`: streams a running Kassa's events over the
// same session and websocket protocol as `stripe listen` and forwards each,
// signed with the account's listen secret, to a local URL, printing one line
// per event and one per response, as the Stripe CLI does.
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import {
  STRIPE_CLI_SUBPROTOCOL,
  parseWebhookEvent,
  type EventAckMessage,
  type WebhookEventMessage,
  type WebhookResponseMessage,
} from '../listen/stripe-cli-messages.js';
import { ApiUnreachable, apiRequest, apiTarget, type ApiTarget } from './api-client.js';
import { parseHttpUrl } from '../server/urls.js';

export const LISTEN_USAGE = `Usage: kassa listen --forward-to URL [--events a,b] [--print-secret] [--api-base URL] [--api-key KEY]

Streams a running Kassa's events and forwards each to URL, signed with the
account's listen secret (Stripe-Signature), like \`stripe listen\`.
  --forward-to URL   where to POST each event (e.g. http://127.0.0.1:3000/webhooks)
  --events a,b       only these event types (default: all)
  --print-secret     print the listen secret (whsec_...) and exit
  --api-base URL     the Kassa server (default http://127.0.0.1:4242)
  --api-key KEY      a secret key (default $KASSA_SECRET_KEY, then $STRIPE_API_KEY)`;

const FORWARD_TIMEOUT_MS = 30_000;
const RECONNECT_MS = 1000;
const BODY_EXCERPT = 5000;

interface Session {
  websocket_url: string;
  websocket_id: string;
  websocket_authorized_feature: string;
  secret: string;
}

export async function runListen(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'forward-to': { type: 'string', short: 'f' },
      events: { type: 'string', short: 'e' },
      'print-secret': { type: 'boolean', default: false },
      'api-base': { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(LISTEN_USAGE);
    return 0;
  }
  if (positionals.length > 0 || (!values['forward-to'] && !values['print-secret'])) {
    console.error(LISTEN_USAGE);
    return 1;
  }
  const events = (values.events ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  try {
    const target = apiTarget(values, env);
    const forwardTo = values['forward-to'] && checkForwardUrl(values['forward-to']);
    const session = await createSession(target, events);
    if (values['print-secret'] || !forwardTo) {
      console.log(session.secret);
      return 0;
    }
    return await listen(target, events, session, forwardTo);
  } catch (error) {
    console.error(`kassa listen: ${(error as Error).message}`);
    return 1;
  }
}

function checkForwardUrl(url: string): string {
  if (!parseHttpUrl(url))
    throw new Error(`invalid --forward-to '${url}': give a URL such as http://127.0.0.1:3000/webhooks`);
  return url;
}

async function createSession(target: ApiTarget, events: string[]): Promise<Session> {
  const response = await apiRequest(target, 'post', '/v1/stripecli/sessions', {
    device_name: hostname(),
    websocket_features: ['webhooks'],
    events,
  });
  if (!response.ok) throw new Error(response.error.message ?? `HTTP ${response.status}`);
  return response.body as unknown as Session;
}

/** Runs until SIGINT or SIGTERM; reconnects (resuming after the last event it got) whenever the connection drops. */
function listen(target: ApiTarget, events: string[], first: Session, forwardTo: string): Promise<number> {
  return new Promise((resolve) => {
    let session = first;
    let socket: WebSocket | undefined;
    let lastEventId: string | undefined;
    let stopping = false;
    let lost = false;
    let ready = false;
    let retry: NodeJS.Timeout | undefined;

    const stop = (code = 0) => {
      stopping = true;
      clearTimeout(retry);
      socket?.terminate();
      resolve(code);
    };
    process.once('SIGINT', () => stop());
    process.once('SIGTERM', () => stop());

    const reconnectLater = (renewSession: boolean) => {
      if (stopping) return;
      if (!lost) console.error(`${timestamp()}   Lost the connection to ${target.base}; reconnecting...`);
      lost = true;
      retry = setTimeout(() => {
        const renewed = renewSession
          ? createSession(target, events).then((s) => (session = s))
          : Promise.resolve(session);
        renewed.then(connect, (error: Error) => {
          // Kassa is still away: try again. Kassa refuses a new session (the key was revoked): give up.
          if (error instanceof ApiUnreachable) return reconnectLater(renewSession);
          console.error(`kassa listen: ${error.message}`);
          stop(1);
        });
      }, RECONNECT_MS);
    };

    const connect = () => {
      if (stopping) return;
      const headers: Record<string, string> = { 'Websocket-Id': session.websocket_id };
      if (lastEventId) headers['Kassa-Last-Event'] = lastEventId;
      const ws = new WebSocket(
        `${session.websocket_url}?websocket_feature=${encodeURIComponent(session.websocket_authorized_feature)}`,
        STRIPE_CLI_SUBPROTOCOL,
        { headers },
      );
      socket = ws;
      let renewSession = false;
      ws.on('unexpected-response', (_request, response) => {
        // 401: the session no longer admits connections (it expired); start a new one.
        renewSession = response.statusCode === 401;
        response.resume();
        ws.terminate();
      });
      ws.on('open', () => {
        // Ready once connected, as the Stripe CLI: whatever commits from now on is forwarded.
        if (!ready) console.error(`Ready! Your webhook signing secret is ${session.secret} (^C to quit)`);
        else if (lost) console.error(`${timestamp()}   Reconnected.`);
        ready = true;
        lost = false;
      });
      ws.on('message', (data) => {
        const message = parseWebhookEvent(data.toString());
        if (!message) return;
        const event = JSON.parse(message.event_payload) as { id: string; type: string };
        lastEventId = event.id;
        const ack: EventAckMessage = {
          type: 'event_ack',
          webhook_id: message.webhook_id,
          webhook_conversation_id: message.webhook_conversation_id,
          event_id: event.id,
        };
        ws.send(JSON.stringify(ack));
        console.log(`${timestamp()}   --> ${event.type} [${event.id}]`);
        void forward(forwardTo, message, event.id).then((response) => {
          if (response && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(response));
        });
      });
      ws.on('error', () => undefined); // 'close' follows and reconnects
      ws.on('close', () => reconnectLater(renewSession));
    };
    connect();
  });
}

/** POSTs the event as the Stripe CLI does (the message's headers, the payload unchanged) and prints the outcome. */
async function forward(
  url: string,
  message: WebhookEventMessage,
  eventId: string,
): Promise<WebhookResponseMessage | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: message.http_headers,
      body: message.event_payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    const body = await response.text().catch(() => '');
    console.log(`${timestamp()}  <--  [${response.status}] POST ${url} [${eventId}]`);
    return {
      type: 'webhook_response',
      webhook_id: message.webhook_id,
      webhook_conversation_id: message.webhook_conversation_id,
      forward_url: url,
      status: response.status,
      http_headers: Object.fromEntries(response.headers),
      body: body.slice(0, BODY_EXCERPT),
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${FORWARD_TIMEOUT_MS / 1000} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    console.log(`${timestamp()}            [ERROR] Failed to POST: ${url} (${reason}) [${eventId}]`);
    return undefined;
  }
}

/** Local time as the Stripe CLI prints it: `2006-01-02 15:04:05`. */
function timestamp(date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
