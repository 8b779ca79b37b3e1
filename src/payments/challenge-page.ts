// The 3-D Secure challenge page behind a `next_action` URL: Kassa plays the
// card issuer's test page. Two plain forms (no JavaScript needed, iframe-safe);
// the answer runs in one store transaction like an API write, then redirects to
// the return_url or shows a result page that tells a parent window.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatAmount } from '../money/currencies.js';
import type { Clock } from '../server/clock.js';
import { waitWhileHeld } from '../server/call-out.js';
import type { HttpWriteContext, WriteContextFactory } from '../server/write-context.js';
import type { Queries, Store } from '../store/store.js';
import {
  answerChallenge,
  returnUrlWith,
  viewChallenge,
  type Challenge,
  type ChallengeAnswer,
  type ChallengeFinishers,
  type ChallengeOutcome,
} from './three-d-secure.js';

export interface ChallengePageOptions {
  store: Store;
  clock: Clock;
  finishers: ChallengeFinishers;
  /** The app's write contexts: the answer writes as requests and jobs do. */
  writeContext: WriteContextFactory;
}

const PATH = '/kassa/3ds/:account/:challenge/:token';
const ANSWERS: readonly ChallengeAnswer[] = ['complete', 'fail'];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;background:#f6f9fc;color:#30313d;display:flex;align-items:flex-start;justify-content:center;padding:32px 16px}
main{width:100%;max-width:440px;background:#fff;border-radius:12px;box-shadow:0 0 0 1px rgba(50,50,93,.05),0 7px 14px rgba(50,50,93,.1),0 3px 6px rgba(0,0,0,.07);overflow:hidden}
header{display:flex;align-items:center;justify-content:space-between;padding:16px 24px;border-bottom:1px solid #ebeef1}
.bank{display:flex;align-items:center;gap:10px;font-weight:600;font-size:14px;color:#1a1b25}
.bank svg{flex:none}
.badge{font-size:11px;font-weight:700;letter-spacing:.04em;text-transform:uppercase;color:#a04100;background:#fcedb9;border-radius:4px;padding:2px 8px}
.content{padding:24px}
h1{font-size:20px;line-height:1.3;margin:0 0 8px;color:#1a1b25}
p{margin:0 0 20px;color:#6a7383}
dl{margin:0 0 24px;border:1px solid #ebeef1;border-radius:8px;padding:4px 16px}
dl div{display:flex;justify-content:space-between;gap:16px;padding:10px 0;border-top:1px solid #ebeef1}
dl div:first-child{border-top:0}
dt{color:#6a7383}
dd{margin:0;font-weight:500;text-align:right;color:#1a1b25;overflow-wrap:anywhere}
form{margin:0}
.actions{display:grid;gap:10px}
button{width:100%;font:inherit;font-weight:600;border-radius:6px;padding:11px 16px;cursor:pointer;border:1px solid transparent}
button.complete{background:#635bff;color:#fff}
button.complete:hover{background:#5851e5}
button.fail{background:#fff;color:#30313d;border-color:#d5dbe1}
button.fail:hover{background:#f6f8fa}
button:focus-visible{outline:3px solid rgba(99,91,255,.4);outline-offset:2px}
.note{margin:20px 0 0;font-size:13px;color:#87909f}
.result{display:flex;align-items:center;justify-content:center;width:48px;height:48px;border-radius:50%;margin:0 0 16px}
.result.ok{background:#d7f7c2;color:#006908}
.result.bad{background:#ffe7f2;color:#b3093c}
@media (max-width:520px),(max-height:700px){body{padding:12px}}
.spinner{width:36px;height:36px;margin:0 0 16px;border-radius:50%;border:3px solid #e3e8ee;border-top-color:#635bff;animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
footer{padding:12px 24px;border-top:1px solid #ebeef1;font-size:12px;color:#87909f;background:#fbfcfd}
`;

const BANK_ICON = `<svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="#635bff" stroke-width="2" aria-hidden="true"><path d="M3 10l9-6 9 6"/><path d="M5 10v8M9.5 10v8M14.5 10v8M19 10v8"/><path d="M3 20h18"/></svg>`;

function page(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
<header><span class="bank">${BANK_ICON}Issuer authentication</span><span class="badge">Test mode</span></header>
${body}
<footer>Kassa test page standing in for the card issuer's 3-D Secure check. No real bank is contacted.</footer>
</main>${script}</body></html>`;
}

function amountText(display: Challenge['display']): string | null {
  if (display.amount === null || !display.currency) return null;
  return `${formatAmount(display.amount, display.currency)} ${display.currency.toUpperCase()}`;
}

function brandName(brand: string): string {
  if (!brand || brand === 'unknown') return 'Card';
  return brand
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/**
 * A frictionless authentication: the issuer needs nothing from the customer,
 * so the page answers by itself at once (a button stands in without JavaScript).
 */
function frictionlessHtml(action: string): string {
  const body = `<div class="content">
<div class="spinner" role="status" aria-label="Authenticating"></div>
<h1>Checking with your bank</h1>
<p>Your bank is confirming this payment. This takes a moment and needs nothing from you.</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="answer" value="complete"><noscript><button type="submit" class="complete">Continue</button></noscript></form>
</div>`;
  return page('Authenticating', body, '<script>document.forms[0].submit()</script>');
}

export function challengeHtml(challenge: Challenge, action: string): string {
  if (challenge.flow === 'frictionless') return frictionlessHtml(action);
  const { display } = challenge;
  const amount = amountText(display);
  const rows: Array<[string, string]> = [['Merchant', display.merchant]];
  if (amount) rows.push(['Amount', amount]);
  rows.push(['Card', `${brandName(display.brand)} •••• ${display.last4}`]);
  const what = amount
    ? `a payment of <strong>${escapeHtml(amount)}</strong> to <strong>${escapeHtml(display.merchant)}</strong>`
    : `saving your card for <strong>${escapeHtml(display.merchant)}</strong>`;
  const body = `<div class="content">
<h1>Confirm it's you</h1>
<p>Your bank asks you to authenticate ${what}.</p>
<dl>${rows.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl>
<div class="actions">
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="answer" value="complete"><button type="submit" class="complete">Complete authentication</button></form>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="answer" value="fail"><button type="submit" class="fail">Fail authentication</button></form>
</div>
<p class="note">In test mode you choose the outcome. In live mode your customer's bank shows its own page here.</p>
</div>`;
  // Shown in a browser library's modal, Escape should close it as it would outside the frame.
  const escapeKey = `<script>document.addEventListener('keydown',function(e){if(e.key==='Escape'&&window.parent!==window)window.parent.postMessage({type:'kassa-3ds-escape'},'*')})</script>`;
  return page('Authenticate your payment', body, escapeKey);
}

function resultHtml(challenge: Challenge, outcome: ChallengeOutcome): string {
  const ok = challenge.status === 'succeeded';
  const paid = outcome.redirectStatus === 'succeeded';
  const title = ok ? 'Authentication complete' : 'Authentication failed';
  const message = !ok
    ? 'You did not authenticate this payment, so it was not made. You can close this window and try again with another payment method.'
    : paid
      ? 'Thank you. Your bank confirmed it was you and the payment was approved. You can close this window.'
      : 'Your bank confirmed it was you, but the payment was declined. You can close this window and try another payment method.';
  const icon =
    ok && paid
      ? '<svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" aria-hidden="true"><path d="M5 12l5 5 9-10"/></svg>'
      : '<svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>';
  const body = `<div class="content"><div class="result ${ok && paid ? 'ok' : 'bad'}">${icon}</div><h1>${title}</h1><p>${message}</p></div>`;
  // Inside an iframe (Kassa's browser library shows the page in a modal) the parent learns the answer.
  const data = JSON.stringify({ type: 'kassa-3ds-complete', intent: challenge.intent, status: outcome.status }).replace(
    /</g,
    '\\u003c',
  );
  const script = `<script>if (window.parent && window.parent !== window) window.parent.postMessage(${data}, '*');</script>`;
  return page(title, body, script);
}

function errorHtml(title: string, message: string): string {
  return page(
    title,
    `<div class="content"><div class="result bad"><svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" aria-hidden="true"><path d="M12 7v6M12 17h.01"/></svg></div><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></div>`,
  );
}

const NOT_FOUND = () =>
  errorHtml(
    'Authentication not found',
    'This authentication link is not valid. Return to the merchant and try the payment again.',
  );
const CLOSED = () =>
  errorHtml(
    'Authentication no longer available',
    'This authentication was already answered or is no longer needed. Return to the merchant to see the state of your payment.',
  );

function send(reply: FastifyReply, status: number, html: string): FastifyReply {
  // The URL carries the challenge's token: keep it out of caches and Referer headers.
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(html);
}

/** The answer is the customer's, not an API request's: its events carry `request.id` null. */
function customerContext(
  request: FastifyRequest,
  options: ChallengePageOptions,
  accountId: string,
  db: Queries,
  now: number,
): HttpWriteContext {
  return { ...options.writeContext({ db, accountId, now }), baseUrl: `${request.protocol}://${request.host}` };
}

export function registerChallengePage(app: FastifyInstance, options: ChallengePageOptions): void {
  app.get(PATH, async (request, reply) => {
    const { account, challenge, token } = request.params as Record<string, string>;
    const ctx = customerContext(request, options, account!, options.store.read, options.clock.now());
    const view = await viewChallenge(ctx, options.finishers, challenge!, token!);
    if (view.kind === 'not_found') return send(reply, 404, NOT_FOUND());
    if (view.kind === 'closed') return send(reply, 409, CLOSED());
    return send(reply, 200, challengeHtml(view.challenge, request.url.split('?')[0]!));
  });

  app.post(PATH, async (request, reply) => {
    const { account, challenge, token } = request.params as Record<string, string>;
    const answer = (request.body as Record<string, unknown> | undefined)?.answer;
    if (typeof answer !== 'string' || !ANSWERS.includes(answer as ChallengeAnswer)) {
      return send(
        reply,
        400,
        errorHtml('Unknown answer', 'Choose "Complete authentication" or "Fail authentication".'),
      );
    }
    const now = options.clock.now();
    const write = <T>(fn: (ctx: HttpWriteContext) => Promise<T>) =>
      waitWhileHeld(() => options.store.transaction((tx) => fn(customerContext(request, options, account!, tx, now))));
    let result = await write((ctx) =>
      answerChallenge(ctx, options.finishers, challenge!, token!, answer as ChallengeAnswer),
    );
    if (result.kind === 'calling') {
      // Answered and held: the card network is asked with no transaction open, then its answer recorded.
      const { callOut } = result;
      const networkAnswer = await callOut.call();
      result = {
        kind: 'answered',
        challenge: result.challenge,
        outcome: await write((ctx) => callOut.record(ctx, networkAnswer)),
      };
    }
    if (result.kind === 'not_found') return send(reply, 404, NOT_FOUND());
    if (result.kind === 'closed') return send(reply, 409, CLOSED());
    const returnUrl = result.challenge.return_url;
    if (returnUrl) {
      try {
        return reply
          .code(302)
          .header('cache-control', 'no-store')
          .header('referrer-policy', 'no-referrer')
          .header('location', returnUrlWith(returnUrl, result.outcome))
          .send();
      } catch {
        // A return_url that is not an absolute URL: show the result instead of failing the customer.
      }
    }
    return send(reply, 200, resultHtml(result.challenge, result.outcome));
  });
}
