// The websocket a listen session points at (stripe-cli-routes.ts). A listener
// connects with its session's id in the `Websocket-Id` header; the id names
// the account and is checked against the account's secret, so only that
// account's events flow. Each connection tails the account's events from the
// moment it connects, or from where the same session's previous connection
// stopped (the Stripe CLI resets its connection every `reconnect_delay`), or
// after the event named by a `Kassa-Last-Event` header (`kassa listen` after
// a server restart).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock } from '../server/clock.js';
import { errorResponse, invalidRequest } from '../server/errors.js';
import type { Store } from '../store/store.js';
import { randomString } from '../server/ids.js';
import { latestEventSeq, tailEvents } from './live-stream.js';
import { claimedSession, listenSecret, sessionExpired, tokenIsGenuine, type ListenSession } from './listen-session.js';
import { STRIPE_CLI_SUBPROTOCOL, parseListenerMessage, webhookEventMessage } from './stripe-cli-messages.js';
import { STRIPE_CLI_SOCKET_PATH } from './stripe-cli-routes.js';
import { fingerprintKey } from '../accounts/account-store.js';

export interface StripeCliSocketOptions {
  store: Store;
  clock: Clock;
  logger?: Logger | false;
  /** How often each connection looks for events committed by other processes; 250 ms by default. */
  pollMs?: number;
}

/** The message the Stripe CLI recognises as "create a new session". */
const UNKNOWN_ID = 'Unknown WebSocket ID.';
const HEARTBEAT_MS = 30_000;
const RESUME_WITHIN_MS = 10 * 60_000;
const MAX_RESUMABLE = 1000;
const MAX_MESSAGE_BYTES = 1024 * 1024;

interface Authorized {
  session: ListenSession;
  secret: string;
  afterSeq: number;
  websocketId: string;
}

export function registerStripeCliSocket(app: FastifyInstance, options: StripeCliSocketOptions): void {
  const { store, clock } = options;
  const log = options.logger || undefined;
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(STRIPE_CLI_SUBPROTOCOL) ? STRIPE_CLI_SUBPROTOCOL : false),
  });
  const open = new Set<WebSocket>();
  const alive = new WeakSet<WebSocket>();
  // Where each session's last connection stopped, so a reconnect misses nothing.
  const resumable = new Map<string, { seq: number; at: number }>();

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://kassa').pathname !== STRIPE_CLI_SOCKET_PATH) {
      // Another upgrade handler may want it; if there is none, answer as the API does.
      if (app.server.listenerCount('upgrade') === 1)
        refuse(socket, 404, `Unrecognized request URL (GET: ${request.url?.split('?')[0]}).`);
      return;
    }
    authorize(request)
      .then((authorized) => {
        if (!authorized) return refuse(socket, 401, UNKNOWN_ID);
        server.handleUpgrade(request, socket, head, (ws) => stream(ws, authorized));
      })
      .catch((error) => {
        log?.error({ err: error }, 'listen socket: authorizing failed');
        refuse(socket, 500, 'An unexpected error occurred while processing your request.');
      });
  });

  async function authorize(request: IncomingMessage): Promise<Authorized | undefined> {
    const websocketId = headerValue(request.headers['websocket-id']);
    const session = websocketId ? claimedSession(websocketId) : undefined;
    if (!websocketId || !session || sessionExpired(session, clock.now())) return undefined;
    let accountSecret: string;
    try {
      accountSecret = await store.transaction((tx) => fingerprintKey(tx, session.accountId, () => randomString(32)));
    } catch {
      return undefined; // no such account
    }
    if (!tokenIsGenuine(websocketId, accountSecret)) return undefined;
    // The starting point is fixed before the handshake completes: whatever commits after the listener is connected reaches it.
    return {
      session,
      secret: listenSecret(accountSecret),
      websocketId,
      afterSeq: await startingPoint(websocketId, session.accountId, request),
    };
  }

  async function startingPoint(websocketId: string, accountId: string, request: IncomingMessage): Promise<number> {
    const previous = resumable.get(websocketId);
    if (previous && performance.now() - previous.at < RESUME_WITHIN_MS) return previous.seq;
    const lastEvent = headerValue(request.headers['kassa-last-event']);
    const afterEvent = lastEvent ? await store.read.seqOf('events', accountId, lastEvent) : undefined;
    return afterEvent ?? (await latestEventSeq(store.read, accountId));
  }

  function stream(ws: WebSocket, authorized: Authorized): void {
    const { session, secret, websocketId } = authorized;
    open.add(ws);
    alive.add(ws);
    const tail = tailEvents({
      db: store.read,
      accountId: session.accountId,
      types: session.types,
      afterSeq: authorized.afterSeq,
      pollMs: options.pollMs,
      settleMs: store.dialect === 'postgres' ? 2000 : 0,
      deliver: (event) => ws.send(JSON.stringify(webhookEventMessage(event.doc, secret, clock.now()))),
      onError: (error) => log?.warn({ err: error }, 'listen socket: reading events failed'),
    });
    ws.on('pong', () => alive.add(ws));
    ws.on('message', (data) => {
      const message = parseListenerMessage(data.toString());
      if (message?.type === 'webhook_response') {
        log?.debug(
          {
            account: session.accountId,
            webhookId: message.webhook_id,
            status: message.status,
            forwardUrl: message.forward_url,
          },
          'listener forwarded an event',
        );
      }
    });
    ws.on('close', () => {
      open.delete(ws);
      tail.stop();
      resumable.delete(websocketId);
      resumable.set(websocketId, { seq: tail.lastSeq(), at: performance.now() });
      if (resumable.size > MAX_RESUMABLE) resumable.delete(resumable.keys().next().value!);
    });
    ws.on('error', (error) => log?.debug({ err: error }, 'listen socket error'));
  }

  // A listener that stops answering pings is dropped (the Stripe CLI also pings us every few seconds).
  const heartbeat = setInterval(() => {
    for (const ws of open) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  // Closing the app drops its listeners (they reconnect to the next server); the HTTP server can then close.
  app.addHook('preClose', async () => {
    clearInterval(heartbeat);
    for (const ws of open) ws.terminate();
    server.close();
  });
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify(errorResponse(invalidRequest(message, { status })));
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Internal Server Error'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
