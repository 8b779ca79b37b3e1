// Tracking numbers in the UPU S10 format that postal services use: two
// letters, eight digits, a check digit, a country code (e.g. KS123456785NL).
import { createHash } from 'node:crypto';

const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];

export function s10CheckDigit(serial: string): number {
  const sum = [...serial].reduce((total, digit, i) => total + Number(digit) * WEIGHTS[i]!, 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
}

/** The order's tracking number: the same order always gets the same one. */
export function trackingNumber(orderId: string): string {
  const digest = createHash('sha256').update(orderId).digest();
  const serial = String(digest.readUInt32BE(0) % 100_000_000).padStart(8, '0');
  return `KS${serial}${s10CheckDigit(serial)}NL`;
}
