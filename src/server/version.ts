import { invalidRequest, StripeError } from './errors.js';

/** The API version Kassa speaks: the one the current official SDK (stripe 23.x) pins. */
export const API_VERSION = '2026-10-28.endive';

const RELEASES = ['acacia', 'basil', 'clover', 'dahlia', 'endive'];
const FIRST = '2011-01-01';

/** Accepts Stripe's version strings (`2020-08-27`, `2026-10-28.endive`, `....preview`); refuses others as Stripe does. */
export function checkApiVersion(version: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:\.([a-z]+))?$/.exec(version);
  const date = match && `${match[1]}-${match[2]}-${match[3]}`;
  const valid =
    match !== null &&
    date! >= FIRST &&
    !Number.isNaN(Date.parse(date!)) &&
    (match[4] === undefined || RELEASES.includes(match[4]) || match[4] === 'preview');
  if (!valid) {
    const error = invalidRequest(`Invalid Stripe API version: ${version}`, { param: 'Stripe-Version' });
    delete error.body.param;
    throw new StripeError(400, error.body, { beforeExecution: true });
  }
  return version;
}
