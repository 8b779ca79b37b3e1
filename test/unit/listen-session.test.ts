// Listen secrets and session tokens: stable per account, different between
// accounts, and a token's claims cannot be changed without its MAC failing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  claimedSession,
  listenSecret,
  SESSION_TTL_SECONDS,
  sessionExpired,
  sessionToken,
  tokenIsGenuine,
} from '../../src/listen/listen-session.js';

test('the listen secret is a whsec_ secret, the same every time for an account and different for another', () => {
  assert.match(listenSecret('account-one-secret'), /^whsec_[0-9a-f]{64}$/);
  assert.equal(listenSecret('account-one-secret'), listenSecret('account-one-secret'));
  assert.notEqual(listenSecret('account-one-secret'), listenSecret('account-two-secret'));
});

test("a session token carries the account and types, and verifies only with its account's secret", () => {
  const token = sessionToken({ accountId: 'acct_1', types: ['customer.created'], issuedAt: 1_700_000_000 }, 'secret-1');
  assert.notEqual(
    token,
    sessionToken({ accountId: 'acct_1', types: ['customer.created'], issuedAt: 1_700_000_000 }, 'secret-1'),
    'each session gets its own id',
  );
  assert.deepEqual(claimedSession(token), {
    accountId: 'acct_1',
    types: ['customer.created'],
    issuedAt: 1_700_000_000,
  });
  assert.equal(tokenIsGenuine(token, 'secret-1'), true);
  assert.equal(tokenIsGenuine(token, 'secret-2'), false);
});

test('a token whose claims were changed, or that is malformed, is refused', () => {
  const token = sessionToken({ accountId: 'acct_1', types: [], issuedAt: 1_700_000_000 }, 'secret-1');
  const [payload, mac] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  const changed = `${Buffer.from(JSON.stringify({ ...claims, a: 'acct_2' })).toString('base64url')}.${mac}`;
  assert.deepEqual(claimedSession(changed)?.accountId, 'acct_2');
  assert.equal(tokenIsGenuine(changed, 'secret-1'), false);
  for (const bad of [
    '',
    'x',
    'a.b.c',
    `${payload}.`,
    `${Buffer.from('[]').toString('base64url')}.${mac}`,
    `${Buffer.from('{"a":1,"t":[],"i":1}').toString('base64url')}.${mac}`,
    `${Buffer.from('{"a":"acct_1","t":[]}').toString('base64url')}.${mac}`,
  ]) {
    assert.equal(claimedSession(bad), undefined, bad);
  }
  assert.equal(tokenIsGenuine(`${payload}.AAAA`, 'secret-1'), false);
});

test('a session admits connections for a day after it was issued', () => {
  const session = { accountId: 'acct_1', types: [], issuedAt: 1_700_000_000 };
  assert.equal(sessionExpired(session, session.issuedAt), false);
  assert.equal(sessionExpired(session, session.issuedAt + SESSION_TTL_SECONDS), false);
  assert.equal(sessionExpired(session, session.issuedAt + SESSION_TTL_SECONDS + 1), true);
  assert.equal(sessionExpired(session, session.issuedAt - 3600), true, 'issued in the future');
});
