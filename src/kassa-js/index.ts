// Kassa.js, the Stripe.js-compatible browser library, served at /v3/ as the build left it.
import type { KassaModule } from '../module.js';
import { registerKassaJs } from './routes.js';

export function kassaJsModule(): KassaModule {
  return { name: 'kassa-js', setup: () => ({ register: registerKassaJs }) };
}
