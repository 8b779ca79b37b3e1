// What the shop sells. Prices are integer minor units (cents); the server
// computes every amount from here, never from what the browser sends.

export interface Product {
  id: string;
  name: string;
  tagline: string;
  description: string;
  /** Unit price in the currency's minor unit. */
  price: number;
  currency: string;
  /** Colours of the product's drawn picture. */
  art: { background: string; body: string; accent: string; shape: 'mug' | 'tote' | 'notebook' };
}

export const CATALOG: readonly Product[] = [
  {
    id: 'mug',
    name: 'Kassa Mug',
    tagline: 'Stoneware, 350 ml',
    description: 'A heavy stoneware mug with a glazed finish. Keeps coffee warm through a long code review.',
    price: 1800,
    currency: 'eur',
    art: { background: '#fdf2e9', body: '#e07a2f', accent: '#fff3e6', shape: 'mug' },
  },
  {
    id: 'tote',
    name: 'Canvas Tote',
    tagline: 'Organic cotton, 38 × 42 cm',
    description: 'A sturdy canvas tote with long handles and an inside pocket for receipts.',
    price: 2450,
    currency: 'eur',
    art: { background: '#eef6f0', body: '#3d8b5f', accent: '#d9efe1', shape: 'tote' },
  },
  {
    id: 'notebook',
    name: 'Dot-Grid Notebook',
    tagline: 'A5, 192 pages',
    description: 'Lay-flat binding, 100 g paper that takes fountain pens, and a ribbon to keep your place.',
    price: 1290,
    currency: 'eur',
    art: { background: '#eef0fb', body: '#4f5bd5', accent: '#e3e6fa', shape: 'notebook' },
  },
];

export const MAX_QUANTITY = 10;

export function findProduct(id: unknown): Product | undefined {
  return CATALOG.find((product) => product.id === id);
}
