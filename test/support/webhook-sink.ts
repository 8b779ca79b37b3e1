// A merchant's webhook endpoint for tests: a local HTTP server on 127.0.0.1
// that records what it receives and answers with the next queued status, or
// holds requests unanswered while told to (a slow or hanging endpoint).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when the request had arrived whole. */
  at: number;
  /** Whether the answer has been handed to the connection. */
  answered: boolean;
}

export interface Sink {
  url: string;
  received: Received[];
  /** Statuses to answer with, in order; 200 once they run out. */
  statuses: number[];
  /** The body of a 200 answer; `ok` unless set. */
  okBody: string;
  /** While true, requests are received and held unanswered until `answerHeld()`. */
  holding: boolean;
  /** Answers the held requests, oldest first. */
  answerHeld(): void;
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const received: Received[] = [];
  const statuses: number[] = [];
  const held: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: Received = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        answered: false,
      };
      received.push(request);
      const answer = () => {
        const status = statuses.shift() ?? 200;
        res
          .writeHead(status, { 'content-type': 'text/plain' })
          .end(status === 200 ? sink.okBody : `failing with ${status}`, () => (request.answered = true));
      };
      if (sink.holding) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const sink: Sink = {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    statuses,
    okBody: 'ok',
    holding: false,
    answerHeld() {
      for (const answer of held.splice(0)) answer();
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return sink;
}

/** Sinks opened by one test file, closed together in its `after` hook. */
export function sinkPool(): { open(): Promise<Sink>; closeAll(): Promise<void> } {
  const sinks: Sink[] = [];
  return {
    async open() {
      const sink = await startSink();
      sinks.push(sink);
      return sink;
    },
    async closeAll() {
      for (const sink of sinks.splice(0)) await sink.close();
    },
  };
}
