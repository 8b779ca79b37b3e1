// The frame around every page: header, navigation, footer.
import { LOGO } from './art.js';
import { escapeHtml } from './html.js';
import { STYLES } from './styles.js';

export const SHOP_NAME = 'Harbour Goods';

export interface PageOptions {
  title: string;
  body: string;
  /** Which navigation entry is current. */
  nav?: 'shop' | 'orders';
  /** Extra tags for the end of <head> (scripts that must load first). */
  head?: string;
  /** Tags for the end of <body>. */
  scripts?: string;
}

export function page(options: PageOptions): string {
  const current = (name: string) => (options.nav === name ? ' aria-current="page"' : '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · ${SHOP_NAME}</title>
<style>${STYLES}</style>
${options.head ?? ''}
</head>
<body>
<header class="site"><div class="bar">
<a class="brand" href="/">${LOGO}<span>${SHOP_NAME}</span></a>
<nav aria-label="Main"><a href="/"${current('shop')}>Shop</a><a href="/orders"${current('orders')}>Orders</a></nav>
</div></header>
<main>
${options.body}
</main>
<footer class="site">A demo shop in test mode: payments go to Kassa, no real money moves.</footer>
${options.scripts ?? ''}
</body>
</html>`;
}
