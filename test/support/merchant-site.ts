// A merchant's web site for Kassa.js browser tests: a node:http server on its
// own loopback port (so its pages are cross-origin to Kassa) that serves the
// pages it is given and records every request it receives, bodies included.
import { createServer, type Server } from 'node:http';

export interface MerchantSite {
  url: string;
  /** `METHOD path body` of every request the site received. */
  received: string[];
  /** Serves `html` at `path` (replacing what was there). */
  page(path: string, html: string, contentType?: string): void;
  close(): Promise<void>;
}

export async function startMerchantSite(): Promise<MerchantSite> {
  const pages = new Map<string, { body: string; type: string }>();
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(`${req.method} ${req.url} ${body}`);
      const page = pages.get((req.url ?? '/').split('?')[0]!);
      if (!page) return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      res.writeHead(200, { 'content-type': page.type, 'cache-control': 'no-store' }).end(page.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    received,
    page: (path, html, contentType = 'text/html; charset=utf-8') =>
      void pages.set(path, { body: html, type: contentType }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The CSS a merchant gives the Element containers (Stripe's own examples look like this). */
export const CHECKOUT_CSS = `
*{box-sizing:border-box}
body{margin:0;padding:40px 16px;background:#f6f9fc;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;color:#30313d}
form{max-width:440px;margin:0 auto;background:#fff;padding:28px;border-radius:12px;box-shadow:0 0 0 1px rgba(50,50,93,.05),0 7px 14px rgba(50,50,93,.08),0 3px 6px rgba(0,0,0,.05)}
h1{font-size:20px;margin:0 0 20px;color:#1a1b25}
label{display:block;font-size:14px;font-weight:500;color:#4f566b;margin:0 0 8px}
.StripeElement{height:44px;padding:12px 14px;border:1px solid #e0e3e8;border-radius:6px;background:#fff;box-shadow:0 1px 2px rgba(50,50,93,.06);transition:border-color .15s,box-shadow .15s}
.StripeElement--focus{border-color:#a5a1ff;box-shadow:0 0 0 3px rgba(99,91,255,.18)}
.StripeElement--invalid{border-color:#df1b41}
.StripeElement--invalid.StripeElement--focus{box-shadow:0 0 0 3px rgba(223,27,65,.15)}
.errors{min-height:20px;margin:8px 0 0;font-size:13px;color:#df1b41}
.split{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin-top:12px}
button.pay{width:100%;margin-top:16px;padding:12px;font:inherit;font-weight:600;color:#fff;background:#635bff;border:0;border-radius:6px;cursor:pointer}
`;
