// One webhook POST over keep-alive connections (node:http rather than fetch:
// a fraction of the CPU per request, which is what delivery throughput is
// bound by). Never throws: a failure is an outcome with `error` set.
import http from 'node:http';
import https from 'node:https';

const EXCERPT_CHARS = 500;
/** The start of a response is kept for the delivery log; the rest is read and dropped. */
const KEEP_BYTES = 4096;

export interface PostOutcome {
  /** The HTTP status, null when no response came (`error` says why). */
  status: number | null;
  latencyMs: number;
  excerpt: string | null;
  error: string | null;
}

export interface Poster {
  post(url: string, body: string, signature: string): Promise<PostOutcome>;
  close(): void;
}

export function createPoster(options: { timeoutMs: number; maxSockets: number }): Poster {
  const { timeoutMs } = options;
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
  };

  function post(url: string, body: string, signature: string): Promise<PostOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: Omit<PostOutcome, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...outcome, latencyMs: elapsed(), error: outcome.error?.slice(0, EXCERPT_CHARS) ?? null });
      };
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        finish({ status: null, excerpt: null, error: `invalid URL ${url}` });
        return;
      }
      const transport = target.protocol === 'https:' ? https : http;
      const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
      const payload = Buffer.from(body, 'utf8');
      const request = transport.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Content-Length': payload.length,
            'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            'Stripe-Signature': signature,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          response.on('data', (chunk: Buffer) => {
            if (kept < KEEP_BYTES) chunks.push(chunk), (kept += chunk.length);
          });
          response.on('end', () =>
            finish({
              status: response.statusCode ?? null,
              excerpt: storableExcerpt(Buffer.concat(chunks)),
              error: null,
            }),
          );
          response.on('error', (error) =>
            finish({ status: response.statusCode ?? null, excerpt: null, error: error.message }),
          );
        },
      );
      // The timeout covers the whole exchange, as fetch's AbortSignal.timeout did.
      const timer = setTimeout(() => {
        finish({ status: null, excerpt: null, error: `timed out after ${timeoutMs} ms` });
        request.destroy();
      }, timeoutMs);
      request.on('error', (error: NodeJS.ErrnoException) =>
        finish({ status: null, excerpt: null, error: error.code ?? error.message }),
      );
      request.end(payload);
    });
  }

  return {
    post,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/**
 * The start of an endpoint's answer, as text both stores can hold: PostgreSQL's
 * text cannot hold a NUL character, so one shows as U+FFFD (as bytes that are
 * not UTF-8 do).
 */
function storableExcerpt(body: Buffer): string {
  return body.toString('utf8').slice(0, EXCERPT_CHARS).replaceAll('\u0000', '\ufffd');
}
