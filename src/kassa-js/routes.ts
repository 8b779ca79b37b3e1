// Serving Kassa.js: `/v3/` (and `/v3`) with a short cache, the same code at
// `/v3/kassa.<hash>.js` cached for a year, the frame bundle at
// `/v3/frame.<hash>.js`, and the page Kassa's iframes load
// (`/v3/elements-inner.html`; what to show comes in its URL fragment).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { kassaJsBundle, type BuiltScript } from './bundle.js';

const SHORT = 'public, max-age=300';
const IMMUTABLE = 'public, max-age=31536000, immutable';

function sendScript(reply: FastifyReply, script: BuiltScript, cacheControl: string): FastifyReply {
  return reply
    .header('content-type', 'application/javascript; charset=utf-8')
    .header('cache-control', cacheControl)
    .header('etag', `"${script.hash}"`)
    .header('access-control-allow-origin', '*')
    .header('x-content-type-options', 'nosniff')
    .send(script.code);
}

export function frameHtml(frameScript: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Kassa.js secure frame</title></head><body><script src="${frameScript}"></script></body></html>`;
}

/** The frame page's policy: its own scripts and API only; styles and fonts the merchant's `fonts` option may name. */
const FRAME_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline' https:; font-src 'self' https: data:; img-src 'self' data:; base-uri 'none'; form-action 'none'";

export function registerKassaJs(app: FastifyInstance): void {
  app.get('/v3', async (request, reply) => {
    const { core } = await kassaJsBundle();
    if (request.headers['if-none-match'] === `"${core.hash}"`)
      return reply.code(304).header('cache-control', SHORT).send();
    return sendScript(reply, core, SHORT);
  });

  app.get('/v3/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const { core, frame } = await kassaJsBundle();
    if (file === `kassa.${core.hash}.js`) return sendScript(reply, core, IMMUTABLE);
    if (file === `frame.${frame.hash}.js`) return sendScript(reply, frame, IMMUTABLE);
    if (file === 'elements-inner.html') {
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', SHORT)
        .header('content-security-policy', FRAME_CSP)
        .header('referrer-policy', 'no-referrer')
        .header('x-content-type-options', 'nosniff')
        .send(frameHtml(`/v3/frame.${frame.hash}.js`));
    }
    return reply
      .code(404)
      .header('content-type', 'text/plain; charset=utf-8')
      .send(`Kassa.js has no file ${file}. The current bundle is /v3/kassa.${core.hash}.js.`);
  });
}
