// The Stripe wire protocol on Fastify: bodies and queries in bracket
// notation, keys, versions, idempotency, errors, expand[]. It runs each
// route's handler in one transaction (for writes), or in two around a call
// out of Kassa when the handler returns a CallOut (call-out.ts), and knows
// nothing about what the routes do. The folder's other files: the write
// context (write-context.ts), parsing (body.ts, params.ts), keys (auth.ts),
// idempotency, expand and answers (expand.ts, resources.ts, answer.ts),
// publishable keys, lists and search, errors, ids, clock, version.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { findOperation, operationsMatching } from '../openapi/operations.js';
import type { Queries, Store } from '../store/store.js';
import {
  insertIdempotencyKey,
  lockIdempotencyKey,
  pruneIdempotencyKeys,
  type IdempotentRequest,
} from './idempotency-store.js';
import { KeyResolver, presentedKey, type Auth } from './auth.js';
import { discardRestOfBody, MAX_BODY_BYTES, parseForm, parseFormBuffer, parseJsonBuffer } from './body.js';
import { CallOut, waitWhileHeld } from './call-out.js';
import { clientErrorHandler, registerHttpErrors } from './client-errors.js';
import { registerCors } from './cors.js';
import type { Clock } from './clock.js';
import { apiError, errorResponse, invalidRequest, permissionError, StripeError } from './errors.js';
import { renderResult, type Answer } from './answer.js';
import {
  checkIdempotencyKey,
  isRecordable,
  recordedResponse,
  requestFingerprint,
  RETENTION_SECONDS,
} from './idempotency.js';
import { newRequestId } from './ids.js';
import { refuseNulInPath } from './nul.js';
import { coerceParams, type ParamSchema } from './params.js';
import { checkPublishableExpand, runAsPublic, type PublicViews } from './publishable.js';
import type { ObjectTypes } from './resources.js';
import { CommittedError, type RequestContext, type Route, type RouteResult } from './route.js';
import { resolveTimeouts, timeoutOptions, type ServerTimeouts } from './timeouts.js';
import { API_VERSION, checkApiVersion } from './version.js';
import type { WriteContext, WriteContextFactory } from './write-context.js';

export interface AppOptions {
  store: Store;
  clock: Clock;
  routes: Route[];
  /** Expandable and includable fields of this app's object types. */
  objectTypes: ObjectTypes;
  /** What a publishable key may see of each object type. */
  publicViews: PublicViews;
  /** Makes the context each write runs in (events recorded with this app's event hooks). */
  writeContext: WriteContextFactory;
  /** The server's address as clients reach it; by default taken from each request's Host header. */
  publicUrl?: string;
  logger?: Logger | false;
  /** How long a client may take to send headers, a whole request, and stay idle; see DEFAULT_TIMEOUTS. */
  timeouts?: Partial<ServerTimeouts>;
}

const QUERY_ERROR = Symbol('query error');

type Outcome =
  | { status: number; body: string; originalRequestId: string; replayed: boolean }
  | { callOut: CallOut<RequestContext, RouteResult> };
const EXPAND_SCHEMA: ParamSchema = { type: 'array', items: { type: 'string', maxLength: 5000 } };
const OPEN_PARAMS: ParamSchema = { type: 'object', additionalProperties: true };

declare module 'fastify' {
  interface FastifyRequest {
    stripeVersion: string;
  }
}

export function buildApp(options: AppOptions): FastifyInstance {
  const { store, clock } = options;
  const log = options.logger || undefined;
  const timeouts = resolveTimeouts(options.timeouts);
  const serverTimeouts = timeoutOptions(timeouts);
  const app = Fastify({
    // Fastify gets no logger: a per-request child logger costs on every call,
    // and request lines would log bodies' neighbours (keys, card data). Kassa
    // logs what matters itself, with `options.logger`.
    bodyLimit: MAX_BODY_BYTES,
    ...serverTimeouts,
    // Node's bare 400 for a missing Host header becomes Stripe's (registerHttpErrors).
    http: { ...serverTimeouts.http, requireHostHeader: false },
    clientErrorHandler: clientErrorHandler(timeouts, log),
    genReqId: newRequestId,
    requestIdHeader: false,
    // Paths the router cannot read (bad percent-encoding, a segment over maxParamLength) skip the hooks: Stripe's shape here too.
    frameworkErrors: (error, request, reply) => {
      const path = request.url.split('?')[0];
      const why =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'a path segment is longer than 500 characters'
          : 'the path is not valid percent-encoded UTF-8';
      const stripeError = invalidRequest(`Invalid request URL (${request.method}: ${path}): ${why}.`);
      (reply as FastifyReply)
        .header('Request-Id', request.id)
        .header('Stripe-Version', API_VERSION)
        .code(400)
        .send(errorResponse(stripeError));
    },
    routerOptions: {
      ignoreTrailingSlash: true,
      maxParamLength: 500,
      querystringParser: (text) => {
        try {
          return parseForm(text);
        } catch (error) {
          return { [QUERY_ERROR]: error };
        }
      },
    },
  });
  const keys = new KeyResolver(store.read);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
    parseBody(parseJsonBuffer, body as Buffer, done),
  );
  // Stripe's clients send forms; anything else is read as a form too.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) =>
    parseBody(parseFormBuffer, body as Buffer, done),
  );

  app.decorateRequest('stripeVersion', API_VERSION);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('Request-Id', request.id);
    const asked = request.headers['stripe-version'];
    if (typeof asked !== 'string' || asked === '') {
      reply.header('Stripe-Version', API_VERSION);
      return done();
    }
    try {
      request.stripeVersion = checkApiVersion(asked);
      reply.header('Stripe-Version', request.stripeVersion);
      done();
    } catch (error) {
      reply.header('Stripe-Version', API_VERSION);
      done(error as Error);
    }
  });
  app.addHook('onRequest', refuseNulInPath);
  registerHttpErrors(app);

  // One line per request at debug level: method, path (never the query string
  // or the body, which may carry card data or client secrets), status, time.
  if (log?.isLevelEnabled('debug')) {
    app.addHook('onResponse', (request, reply, done) => {
      log.debug(
        {
          requestId: request.id,
          method: request.method,
          path: request.url.split('?')[0],
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      );
      done();
    });
  }

  registerCors(app);
  app.get('/healthz', async () => ({ status: 'ok' }));

  for (const route of options.routes) {
    const schema = route.params ?? findOperation(route.method, route.path)?.params ?? OPEN_PARAMS;
    app.route({
      method: route.method,
      url: route.path.replace(/\{([^}]+)\}/g, ':$1'),
      handler: (request, reply) => handle(route, schema, request, reply),
    });
  }

  async function handle(
    route: Route,
    schema: ParamSchema,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const query = request.query as Record<string | symbol, unknown>;
    if (query[QUERY_ERROR]) throw query[QUERY_ERROR];
    const raw: Record<string, unknown> = {
      ...(query as Record<string, unknown>),
      ...((request.body as Record<string, unknown>) ?? {}),
    };
    const auth = await keys.resolve(presentedKey(request.headers, raw.key));
    delete raw.key;
    authorize(route, auth, request, reply);

    const { expand: rawExpand, ...rest } = raw;
    const params = coerceParams(schema, rest);
    const expand =
      rawExpand === undefined
        ? []
        : (coerceParams({ type: 'object', properties: { expand: EXPAND_SCHEMA } }, { expand: rawExpand })
            .expand as string[]);
    const publishable = auth.kind === 'publishable';
    if (publishable) checkPublishableExpand(route, expand);
    const now = clock.now();
    const url = request.url.split('?')[0];
    const idempotencyKey = headerValue(request.headers['idempotency-key']);
    const isWrite = route.method !== 'GET';
    let idempotent: IdempotentRequest | null = null;
    if (idempotencyKey !== null && route.method === 'POST') {
      checkIdempotencyKey(idempotencyKey);
      reply.header('Idempotency-Key', idempotencyKey);
      idempotent = {
        scope: { accountId: auth.accountId, keyId: auth.keyId, key: idempotencyKey },
        fingerprint: requestFingerprint(route.method, url, raw),
        requestId: request.id,
        created: now,
      };
    }

    const cause = { id: request.id, idempotency_key: idempotencyKey };
    let prepared: unknown;
    const baseUrl = options.publicUrl ?? `${request.protocol}://${request.host}`;
    const context = (db: Queries): RequestContext => {
      const write = isWrite
        ? options.writeContext({ db, accountId: auth.accountId, now, request: cause })
        : readOnly(db, auth.accountId, now);
      // Built field by field: an object spread here costs a tenth of a cached read's time.
      return {
        accountId: write.accountId,
        now: write.now,
        db: write.db,
        emit: write.emit,
        schedule: write.schedule,
        auth,
        requestId: request.id,
        idempotency: idempotent,
        apiVersion: request.stripeVersion,
        params,
        expand,
        path: request.params as Record<string, string>,
        url,
        baseUrl,
        prepared,
      };
    };

    const asCaller = (fn: () => Promise<RouteResult>) => (publishable ? runAsPublic(options.publicViews, fn) : fn());
    const render = (db: Queries, result: Answer) =>
      renderResult(options, db, auth.accountId, result, expand, publishable);
    if (!isWrite) {
      const result = await asCaller(() => route.handler(context(store.read)));
      if (result instanceof CallOut) throw new Error(`${route.method} ${route.path}: a read cannot call out`);
      return sendJson(reply, 200, await render(store.read, result));
    }

    /** The handler's result as the response, recorded for the idempotency key; or the call it must make before it has one. */
    const respond = async (tx: Queries, produce: () => Promise<RouteResult>, afterCall = false): Promise<Outcome> => {
      let status = 200;
      let json: string;
      const answer = async (): Promise<CallOut<RequestContext, RouteResult> | string> => {
        const result = await asCaller(produce);
        if (result instanceof CallOut) return result;
        if (!(result instanceof CommittedError)) return render(tx, result);
        status = result.error.statusCode;
        return JSON.stringify(errorResponse(result.error));
      };
      try {
        // The handler runs in a savepoint so that a failure that Stripe records
        // (a 404, a refusal) can be stored without the writes that led to it.
        // A recorded call needs none: its record step undoes its own writes on
        // a refusal (recordOnce) and what precedes it, the release, must stay.
        const done = afterCall ? await answer() : await tx.savepoint(answer);
        if (done instanceof CallOut) {
          // Until the answer is recorded, a retry with the key that meets the objects the call holds waits for
          // them and replays the answer; any other is told idempotency_key_in_use, as the key is taken here.
          if (idempotent && !done.retryMeetsHolds) {
            const { scope, ...record } = idempotent;
            await insertIdempotencyKey(tx, scope, { ...record, responseStatus: 0, responseBody: '' });
          }
          return { callOut: done };
        }
        json = done;
      } catch (error) {
        if (!idempotent || !isRecordable(error)) throw error;
        status = error.statusCode;
        json = JSON.stringify(errorResponse(error));
      }
      if (idempotent) {
        const { scope, ...record } = idempotent;
        await insertIdempotencyKey(tx, scope, { ...record, responseStatus: status, responseBody: json }, { afterCall });
      }
      return { status, body: json, originalRequestId: request.id, replayed: false };
    };
    if (route.prepare)
      prepared = await route.prepare({
        accountId: auth.accountId,
        now,
        params,
        path: request.params as Record<string, string>,
        read: store.read,
      });
    // A write that meets an object held by another write's network call waits for it (waitWhileHeld).
    let outcome = await waitWhileHeld(() =>
      store.transaction(async (tx) => {
        const recorded = idempotent
          ? await recordedResponse(tx, idempotent.scope, idempotent.fingerprint, now)
          : undefined;
        if (recorded) return { ...recorded, replayed: true };
        return respond(tx, () => route.handler(context(tx)));
      }),
    );
    if ('callOut' in outcome) {
      // Persisted and committed: call out with no transaction open, then record the answer.
      const { callOut } = outcome;
      const answer = await callOut.call();
      outcome = await waitWhileHeld(() =>
        store.transaction(async (tx) => {
          if (idempotent) await lockIdempotencyKey(tx, idempotent.scope);
          return respond(tx, () => callOut.record(context(tx), answer), true);
        }),
      );
      if ('callOut' in outcome) throw new Error(`${route.method} ${route.path}: a recorded call asked for another`);
    }
    if (outcome.replayed)
      reply.header('Idempotent-Replayed', 'true').header('Original-Request', outcome.originalRequestId);
    return sendJson(reply, outcome.status, outcome.body);
  }

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0];
    const known = operationsMatching(path).find((op) => op.method === request.method);
    const error = known
      ? invalidRequest(
          `Kassa does not implement ${request.method} ${known.path} yet (${known.operationId} in Stripe's API).`,
          { status: 404 },
        )
      : invalidRequest(
          `Unrecognized request URL (${request.method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
          { status: 404 },
        );
    return reply.code(404).send(errorResponse(error));
  });

  app.setErrorHandler(async (error, request, reply) => {
    let stripeError: StripeError;
    if (error instanceof StripeError) {
      stripeError = error;
    } else if (
      typeof (error as { statusCode?: number }).statusCode === 'number' &&
      (error as { statusCode: number }).statusCode < 500
    ) {
      const status = (error as { statusCode: number }).statusCode;
      if (status === 413) await discardRestOfBody(request.raw);
      stripeError = invalidRequest(
        status === 413
          ? `Request body is larger than ${MAX_BODY_BYTES} bytes.`
          : `Invalid request: ${(error as Error).message}`,
        {
          status: status === 413 || status === 415 ? 400 : status,
        },
      );
    } else {
      log?.error({ err: error, requestId: request.id }, 'unhandled error');
      stripeError = apiError();
    }
    return reply.code(stripeError.statusCode).send(errorResponse(stripeError));
  });

  // Idempotency records older than Stripe's retention are pruned.
  const pruner = setInterval(
    () => {
      store
        .transaction((tx) => pruneIdempotencyKeys(tx, clock.now() - RETENTION_SECONDS))
        .catch((error) => log?.warn({ err: error }, 'pruning idempotency keys failed'));
    },
    60 * 60 * 1000,
  );
  pruner.unref();
  app.addHook('onClose', async () => clearInterval(pruner));

  return app as unknown as FastifyInstance;
}

/** A read's context: writing through it is a bug in the route. */
function readOnly(db: Queries, accountId: string, now: number): WriteContext {
  const refuse = async (what: string): Promise<never> => {
    throw new Error(`${what} by a read`);
  };
  return {
    db,
    accountId,
    now,
    emit: (type) => refuse(`event ${type} emitted`),
    schedule: (kind) => refuse(`job ${kind} scheduled`),
  };
}

function authorize(route: Route, auth: Auth, request: FastifyRequest, reply: FastifyReply): void {
  if (auth.kind === 'publishable' && !route.publishable) {
    throw new StripeError(
      401,
      {
        type: 'invalid_request_error',
        code: 'secret_key_required',
        message:
          'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
      },
      { beforeExecution: true },
    );
  }
  const asAccount = headerValue(request.headers['stripe-account']);
  if (asAccount !== null && asAccount !== auth.accountId) {
    throw permissionError(
      `The provided key does not have access to account '${asAccount}' (or that account does not exist). Application access may have been revoked.`,
    );
  }
  if (asAccount !== null) reply.header('Stripe-Account', asAccount);
}

function sendJson(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(body);
}

function headerValue(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value[0] ?? null;
  return value === undefined || value === '' ? null : value;
}

function parseBody(
  parse: (body: Buffer) => Record<string, unknown>,
  body: Buffer,
  done: (error: Error | null, value?: unknown) => void,
): void {
  try {
    done(null, parse(body));
  } catch (error) {
    done(error as Error);
  }
}
