// A raw TCP connection to Kassa, for what no HTTP client sends: malformed
// requests, huge headers, bodies that trickle in or never end.
import assert from 'node:assert/strict';
import net from 'node:net';

export interface RawAnswer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: the parsed JSON answer, read field by field in the tests
  body: any;
}

export class RawConnection {
  private readonly socket: net.Socket;
  private readonly chunks: Buffer[] = [];
  private readonly connected: Promise<void>;
  /** Resolves when the connection is closed, by either side, with or without an error. */
  readonly closed: Promise<void>;
  isClosed = false;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.socket.on('error', () => undefined); // a reset shows as a failed write() or an unparseable answer
    this.connected = new Promise((resolve) => this.socket.once('connect', resolve));
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    void this.closed.then(() => (this.isClosed = true));
  }

  /** Resolves once the bytes are handed to the kernel; rejects if the connection fails first (a reset, EPIPE). */
  async write(bytes: string | Buffer): Promise<void> {
    await this.connected;
    await new Promise<void>((resolve, reject) =>
      this.socket.write(bytes, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** Sends `bytes` one at a time, `everyMs` apart, until they run out or the connection closes. */
  async trickle(bytes: string, everyMs: number): Promise<void> {
    for (const byte of bytes) {
      if (this.isClosed) return;
      await this.write(byte).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }

  /** Everything received so far, as text. */
  received(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** The last answer on this connection (the one that closed it), once the server has closed it. */
  async answer(): Promise<RawAnswer> {
    const all = await this.answers();
    return all[all.length - 1];
  }

  /** Every answer on this connection, once the server has closed it. */
  async answers(): Promise<RawAnswer[]> {
    await this.closed;
    const answers: RawAnswer[] = [];
    let text = this.received();
    do {
      const { answer, rest } = parseAnswer(text);
      answers.push(answer);
      text = rest;
    } while (text.length > 0);
    return answers;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The first HTTP answer in `text` (JSON, with a Content-Length), and what follows it. */
export function parseAnswer(text: string): { answer: RawAnswer; rest: string } {
  const end = text.indexOf('\r\n\r\n');
  assert.ok(end > 0, `no complete HTTP answer: ${JSON.stringify(text.slice(0, 300))}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length']);
  assert.ok(Number.isInteger(length), `no Content-Length (${statusLine}): ${JSON.stringify(text.slice(0, 300))}`);
  const after = text.slice(end + 4);
  const body = Buffer.from(after).subarray(0, length).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    assert.fail(`not JSON (${statusLine}): ${JSON.stringify(body.slice(0, 300))}`);
  }
  return { answer: { status, headers, body: json }, rest: Buffer.from(after).subarray(length).toString('utf8') };
}

/** Stripe's error answer: the status, `{error: {type: 'invalid_request_error', message}}`, JSON, and a Request-Id. */
export function assertStripeError(answer: RawAnswer, status: number, message?: RegExp, label = ''): void {
  const shown = `${label} ${answer.status} ${JSON.stringify(answer.body)}`;
  assert.equal(answer.status, status, shown);
  assert.match(answer.headers['request-id'] ?? '', /^req_[A-Za-z0-9]{14}$/, shown);
  assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8', shown);
  assert.deepEqual(Object.keys(answer.body), ['error'], shown);
  assert.equal(answer.body.error.type, 'invalid_request_error', shown);
  assert.equal(typeof answer.body.error.message, 'string', shown);
  if (message) assert.match(answer.body.error.message, message, shown);
}
