// Raw form POSTs without the SDK (which retries 409s and adds its own
// idempotency key), including a batch released at once to make requests race.
import http from 'node:http';

export interface FormPost {
  /** Full URL, e.g. `http://127.0.0.1:4242/v1/customers`. */
  url: string;
  secretKey: string;
  form: Record<string, string>;
  idempotencyKey?: string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: the parsed JSON answer, read field by field in the tests
  body: any;
}

/** Whether a request failed for want of a server (refused, reset, hung up), rather than for what it answered. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'EPIPE';
}

export async function postForm(post: FormPost): Promise<RawResponse> {
  const [response] = await postTogether([post]);
  return response;
}

/**
 * Sends every request's headers and all but the last byte of its body, waits
 * until every connection is open, then sends the last bytes together: the
 * server sees the requests complete at (nearly) the same moment.
 */
export async function postTogether(posts: FormPost[]): Promise<RawResponse[]> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  try {
    const pending = posts.map((post) => {
      const body = Buffer.from(new URLSearchParams(post.form).toString());
      if (body.length === 0) throw new Error('postTogether needs a non-empty form');
      const headers: http.OutgoingHttpHeaders = {
        authorization: `Bearer ${post.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': body.length,
      };
      if (post.idempotencyKey) headers['idempotency-key'] = post.idempotencyKey;
      const request = http.request(post.url, { method: 'POST', agent, headers });
      const response = new Promise<RawResponse>((resolve, reject) => {
        request.on('error', reject);
        request.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) });
            } catch {
              reject(new Error(`not JSON (status ${res.statusCode}): ${text.slice(0, 200)}`));
            }
          });
        });
      });
      response.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
      const connected = new Promise<void>((resolve, reject) => {
        request.once('error', reject);
        request.once('socket', (socket) => (socket.connecting ? socket.once('connect', () => resolve()) : resolve()));
      });
      request.write(body.subarray(0, body.length - 1));
      return { request, body, response, connected };
    });
    await Promise.all(pending.map((p) => p.connected));
    for (const p of pending) p.request.end(p.body.subarray(p.body.length - 1));
    return await Promise.all(pending.map((p) => p.response));
  } finally {
    agent.destroy();
  }
}

export interface SentRequest {
  method?: string;
  secretKey?: string;
  /** Sent as a form unless `contentType` says otherwise. */
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** One request as a client other than the SDK may send it (a raw body, a raw query string); the answer must be JSON. */
export async function sendRequest(url: string, sent: SentRequest = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { ...sent.headers };
  if (sent.secretKey) headers.authorization = `Bearer ${sent.secretKey}`;
  if (sent.body !== undefined) headers['content-type'] = sent.contentType ?? 'application/x-www-form-urlencoded';
  const response = await fetch(url, {
    method: sent.method ?? (sent.body === undefined ? 'GET' : 'POST'),
    headers,
    body: sent.body,
  });
  const text = await response.text();
  try {
    return { status: response.status, headers: Object.fromEntries(response.headers), body: JSON.parse(text) };
  } catch {
    throw new Error(`not JSON (status ${response.status}): ${text.slice(0, 200)}`);
  }
}
