import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// CSPRNG bytes, drawn in 4 KiB batches and each used once: one randomBytes
// call per id cost a tenth of a request's CPU (every request gets an id).
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]!;
}

/** Random base62 string. Rejection sampling keeps every character equally likely. */
export function randomString(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    if (byte < 248) out += ALPHABET[byte % 62];
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
