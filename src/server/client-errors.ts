// Answers written where no route runs: HTTP that Node's parser refuses, a
// request that did not arrive in time (both reach Fastify's
// `clientErrorHandler`), an Expect header Kassa cannot meet, an HTTP/1.1
// request without a Host header. Node and Fastify answer these with their own
// bodies; Kassa answers with Stripe's error JSON and a Request-Id, as it does
// everything else.
import { maxHeaderSize, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Logger } from 'pino';
import { errorResponse, invalidRequest, type StripeError } from './errors.js';
import { newRequestId } from './ids.js';
import type { ServerTimeouts } from './timeouts.js';
import { API_VERSION } from './version.js';

interface ClientError extends Error {
  code?: string;
  /** llhttp's description of what it could not parse. */
  reason?: string;
}

/** Fastify's `clientErrorHandler`: the answer is written straight to the socket, which is then closed. */
export function clientErrorHandler(
  timeouts: ServerTimeouts,
  log?: Logger,
): (error: ClientError, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    log?.debug({ code: error.code }, 'client error');
    // As Node's own handler does: never write into an answer already under way on this connection.
    const answering = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (socket.writable && !answering?.headersSent) {
      const stripeError = clientErrorFor(error, timeouts);
      const { head, body } = stripeAnswer(stripeError);
      socket.write(
        `HTTP/1.1 ${stripeError.statusCode} ${STATUS_CODES[stripeError.statusCode]}\r\n${Object.entries(head)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}

function clientErrorFor(error: ClientError, timeouts: ServerTimeouts): StripeError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return invalidRequest(
        `Request timeout: a request's headers must arrive within ${seconds(timeouts.headersMs)} and all of it within ${seconds(timeouts.requestMs)}.`,
        { status: 408 },
      );
    case 'HPE_HEADER_OVERFLOW':
      return invalidRequest(`Request headers are too large: they may take at most ${maxHeaderSize} bytes.`, {
        status: 431,
      });
    default:
      return invalidRequest(
        `Invalid request: the HTTP request is malformed${error.reason ? ` (${error.reason})` : ''}.`,
      );
  }
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

/** Headers and JSON body of an error answer written outside Fastify's reply. */
function stripeAnswer(error: StripeError): { head: Record<string, string | number>; body: string } {
  const body = JSON.stringify(errorResponse(error));
  return {
    head: {
      'Request-Id': newRequestId(),
      'Stripe-Version': API_VERSION,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      Connection: 'close',
    },
    body,
  };
}

/**
 * Kassa's answers to what Node would otherwise answer itself. Node's
 * `requireHostHeader` must be off (a bare 400); the hook refuses those
 * requests instead.
 */
export function registerHttpErrors(app: FastifyInstance): void {
  app.addHook('onRequest', requireHostHeader);
  // Without a listener, Node answers an Expect other than 100-continue with a bare 417.
  app.server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const { head, body } = stripeAnswer(
      invalidRequest('Invalid request: the only Expect header Kassa meets is `Expect: 100-continue`.', { status: 417 }),
    );
    response.writeHead(417, head).end(body);
  });
}

function requireHostHeader(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (request.raw.httpVersion !== '1.1' || request.headers.host) {
    done();
    return;
  }
  // Closed after the answer, as Node does.
  reply.header('Connection', 'close');
  done(invalidRequest('Invalid request: an HTTP/1.1 request must have a Host header.'));
}
