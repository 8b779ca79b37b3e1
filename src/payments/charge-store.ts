// A charge as stored: its API object and what Kassa keeps about it beside
// (the authorization at the network, the receipt's token).
import { resourceMissing } from '../server/errors.js';
import type { WriteContext } from '../server/write-context.js';
import type { StoredRow } from '../store/store.js';
import type { Charge, ChargeSecret } from './charge.js';
import { getObjectRow } from '../store/objects.js';
import type { HeldObjects } from './network-attempt.js';

export interface StoredCharge {
  charge: Charge;
  secret: ChargeSecret | null;
}

/** The charge in `row`; resource_missing naming `param` when the row is not a charge. */
export function chargeFromRow(row: StoredRow | undefined, id: string, param: string): StoredCharge {
  if (!row || row.type !== 'charge') throw resourceMissing('charge', id, param);
  return {
    charge: JSON.parse(row.doc) as Charge,
    secret: row.private ? (JSON.parse(row.private) as ChargeSecret) : null,
  };
}

/** The charge a network attempt held (network-attempt.ts). */
export function heldCharge(held: HeldObjects, id: string): StoredCharge {
  return { charge: held.object<Charge>(id), secret: held.privateData<ChargeSecret | undefined>(id) ?? null };
}

export async function loadChargeForUpdate(
  ctx: Pick<WriteContext, 'db' | 'accountId'>,
  id: string,
  param: string,
): Promise<StoredCharge> {
  return chargeFromRow(await getObjectRow(ctx.db, ctx.accountId, id, { forUpdate: true }), id, param);
}
