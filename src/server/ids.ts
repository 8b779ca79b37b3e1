import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 string. Rejection sampling keeps every character equally likely. */
export function randomString(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Ids with Stripe's prefixes and the length of Stripe's random part. */
const ID_LENGTHS: Record<string, number> = {
  acct: 16,
  cus: 14,
  evt: 24,
  req: 14,
};

export function newId(prefix: string): string {
  return `${prefix}_${randomString(ID_LENGTHS[prefix] ?? 24)}`;
}
