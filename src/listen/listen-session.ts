// Listen sessions (`stripe listen`, `kassa listen`): the account's stable
// listen secret and the self-authenticating websocket id a session hands out.
// Both derive from the account's own secret (the one card fingerprints use)
// with distinct labels, so they survive restarts and work in every process
// that shares the database, with nothing stored.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomString } from '../server/ids.js';

/** What a websocket id carries: whose events flow, which types (empty: all), and when it was issued (Unix seconds). */
export interface ListenSession {
  accountId: string;
  types: string[];
  issuedAt: number;
}

/** How long a websocket id admits connections; then listeners start a new session (the Stripe CLI does so by itself). */
export const SESSION_TTL_SECONDS = 24 * 3600;

export function sessionExpired(session: ListenSession, now: number): boolean {
  return now - session.issuedAt > SESSION_TTL_SECONDS || session.issuedAt > now + 300;
}

function mac(accountSecret: string, label: string, text: string): Buffer {
  return createHmac('sha256', accountSecret).update(`${label}\n${text}`, 'utf8').digest();
}

/** The `whsec_...` secret that signs what listeners forward; the same for an account every time. */
export function listenSecret(accountSecret: string): string {
  return `whsec_${mac(accountSecret, 'kassa listen secret', '').toString('hex')}`;
}

/** `<payload>.<mac>`, where the payload (base64url JSON) names the account, the types and a nonce. */
export function sessionToken(session: ListenSession, accountSecret: string): string {
  const payload = Buffer.from(
    JSON.stringify({ a: session.accountId, t: session.types, i: session.issuedAt, n: randomString(16) }),
    'utf8',
  ).toString('base64url');
  return `${payload}.${mac(accountSecret, 'kassa listen session', payload).toString('base64url')}`;
}

/** The account a token claims, read before its MAC can be checked (that needs the account's secret); undefined if malformed. */
export function claimedSession(token: string): ListenSession | undefined {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      a?: unknown;
      t?: unknown;
      i?: unknown;
    };
    if (
      typeof claims.a !== 'string' ||
      typeof claims.i !== 'number' ||
      !Array.isArray(claims.t) ||
      !claims.t.every((t) => typeof t === 'string')
    )
      return undefined;
    return { accountId: claims.a, types: claims.t as string[], issuedAt: claims.i };
  } catch {
    return undefined;
  }
}

/** Whether the token was made by `sessionToken` with this account secret. */
export function tokenIsGenuine(token: string, accountSecret: string): boolean {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return false;
  const expected = mac(accountSecret, 'kassa listen session', payload);
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
