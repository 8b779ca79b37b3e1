// What payments reach outside Kassa's own code: the card network charges go
// through and the fee rule on them. The payments module makes them from its
// settings and hands them to the routes, hooks and jobs that need them; no
// request context carries them.
import { DEFAULT_FEE_RULE, type FeeRule } from '../money/fees.js';
import type { PaymentNetwork } from '../network/network.js';
import { createSimulatedNetwork } from '../network/simulator/simulated-network.js';
import { FingerprintKeys } from './fingerprint-keys.js';

export interface PaymentServices {
  network: PaymentNetwork;
  feeRule: FeeRule;
  /** The accounts' card fingerprint keys, as committed (for asking the network ahead, network-ahead.ts). */
  fingerprintKeys: FingerprintKeys;
}

/** The payments module's settings: the simulated network and 2.9% + 30 cents unless given. */
export type PaymentSettings = Partial<Pick<PaymentServices, 'network' | 'feeRule'>>;

export function paymentServices(settings: PaymentSettings = {}): PaymentServices {
  return {
    network: settings.network ?? createSimulatedNetwork(),
    feeRule: settings.feeRule ?? DEFAULT_FEE_RULE,
    fingerprintKeys: new FingerprintKeys(),
  };
}
