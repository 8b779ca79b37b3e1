import { escapeHtml } from './html.js';
import { page } from './layout.js';

export function notFoundPage(message: string): string {
  return page({
    title: 'Not found',
    body: `<h1>Not found</h1><p class="lead">${escapeHtml(message)}</p><a class="button" href="/">Back to the shop</a>`,
  });
}
