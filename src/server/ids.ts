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

const TIME_CHARS = 7;
let lastMillis = 0;

/** Milliseconds as 7 base62 digits: ids made later sort later (until the year 2080). */
function timePart(): string {
  // Never backwards, even if the system clock is.
  lastMillis = Math.max(lastMillis, Date.now());
  let value = lastMillis;
  let out = '';
  for (let i = 0; i < TIME_CHARS; i++) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/**
 * Like Stripe's, an id starts with a time component and ends with random
 * characters: new rows land at the end of the id indexes (one page written,
 * not a random one per insert) and ids roughly sort by creation. `length`
 * counts the characters after the prefix: 24, unless the type's owner makes
 * them as short as Stripe's (a customer's 14).
 */
export function newId(prefix: string, length = 24): string {
  return `${prefix}_${timePart()}${randomString(length - TIME_CHARS)}`;
}

/** A request id: `req_` and 14 characters, as Stripe's. */
export const newRequestId = () => newId('req', 14);
