import { invalidRequest, StripeError } from './errors.js';

/** The API version Kassa speaks: the one the current official SDK (stripe 23.x) pins. */
export const API_VERSION = '2026-10-28.endive';

/** Named major releases and the date each began; a version's date falls in its release's span. */
const RELEASES: Array<[name: string, from: string]> = [
  ['acacia', '2024-09-30'],
  ['basil', '2025-03-31'],
  ['clover', '2025-09-30'],
  ['dahlia', '2026-03-25'],
  ['endive', '2026-09-30'],
];
const FIRST = '2011-01-01';
/** The last version without a release name. */
const LAST_UNNAMED = '2024-06-20';

/** Accepts Stripe's version strings (`2020-08-27`, `2026-10-28.endive`, `....preview`); refuses others as Stripe does. */
export function checkApiVersion(version: string): string {
  if (version === API_VERSION) return version; // what the SDK sends on every request
  const match = /^(\d{4}-\d{2}-\d{2})(?:\.([a-z]+))?$/.exec(version);
  if (!match || !isCalendarDate(match[1]) || match[1] < FIRST || !fitsRelease(match[1], match[2])) {
    const error = invalidRequest(`Invalid Stripe API version: ${version}`, { param: 'Stripe-Version' });
    delete error.body.param;
    throw new StripeError(400, error.body, { beforeExecution: true });
  }
  return version;
}

function isCalendarDate(date: string): boolean {
  const time = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === date;
}

function fitsRelease(date: string, release: string | undefined): boolean {
  if (release === undefined) return date <= LAST_UNNAMED;
  if (release === 'preview') return date >= RELEASES[0][1];
  const index = RELEASES.findIndex(([name]) => name === release);
  if (index === -1) return false;
  const next = RELEASES[index + 1];
  return date >= RELEASES[index][1] && (next === undefined || date < next[1]);
}
