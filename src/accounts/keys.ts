import { createHash } from 'node:crypto';
import { randomString } from '../server/ids.js';

export type KeyKind = 'secret' | 'publishable';

const PREFIX: Record<KeyKind, string> = { secret: 'sk_test_', publishable: 'pk_test_' };

export function newApiKey(kind: KeyKind): string {
  return PREFIX[kind] + randomString(48);
}

export function keyKind(key: string): KeyKind | undefined {
  if (key.startsWith('sk_test_')) return 'secret';
  if (key.startsWith('pk_test_')) return 'publishable';
  return undefined;
}

/** Keys are stored only as this digest. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** `sk_test_****1234`, as Stripe shows a key in messages. */
export function maskKey(key: string): string {
  const prefix = /^[a-z]+_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}****${key.slice(-4)}`;
}
