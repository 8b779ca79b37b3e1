// Brand marks for the card number field: small inline SVGs (24x16, the size
// Stripe.js shows), drawn here so nothing is fetched from elsewhere.
import type { CardBrand } from '../../network/card-brands.js';

const card = (body: string, fill: string) =>
  `<svg viewBox="0 0 24 16" width="24" height="16" aria-hidden="true" focusable="false"><rect width="24" height="16" rx="2.5" fill="${fill}"/>${body}</svg>`;

export const BRAND_ICONS: Record<CardBrand, string> = {
  visa: card(
    '<path fill="#fff" d="M10.1 5.2 8.6 10.8H7.4L6.5 6.6c0-.3-.2-.4-.4-.5-.4-.2-1-.4-1.5-.5l.1-.4h2.3c.3 0 .6.2.6.5l.6 3.1 1.4-3.6zm5.3 3.8c0-1.5-2-1.6-2-2.2 0-.2.2-.4.6-.5.4 0 .9 0 1.4.3l.3-1.1a3.600 3.600 0 0 0-1.3-.3c-1.3 0-2.2.7-2.2 1.7 0 .7.7 1.1 1.2 1.4.5.3.7.4.7.7 0 .4-.5.6-.9.6-.8 0-1.2-.2-1.5-.4l-.3 1.2c.4.2 1 .3 1.6.3 1.4 0 2.4-.7 2.4-1.8zm3.5 1.8H20l-1-5.6h-1c-.2 0-.4.1-.5.4l-1.9 5.2h1.3l.3-.8h1.6zm-1.4-1.9.7-1.9.4 1.9zm-5.3-3.7-1 5.6H10l1-5.6z"/>',
    '#1434cb',
  ),
  mastercard: card(
    '<circle cx="9.5" cy="8" r="4.3" fill="#eb001b"/><circle cx="14.5" cy="8" r="4.3" fill="#f79e1b"/><path d="M12 4.5a4.3 4.3 0 0 1 0 7 4.3 4.3 0 0 1 0-7z" fill="#ff5f00"/>',
    '#252525',
  ),
  amex: card(
    '<path fill="#fff" d="M3.4 10.3 5.1 5.7h1.3l1.7 4.6H6.9l-.3-.8H4.9l-.3.8zm1.8-1.8h1.1l-.55-1.6zM8.5 10.3V5.7h1.6l.9 2.9.9-2.9h1.6v4.6h-1V6.9l-1 3.4h-.9l-1-3.4v3.4zm5.4 0V5.7h3.5v.9H15v.9h2.3v.9H15v.9h2.4v1zm3.8 0 1.5-2.3-1.4-2.3h1.2l.8 1.4.8-1.4h1.2l-1.4 2.3 1.5 2.3h-1.2l-.9-1.5-.9 1.5z"/>',
    '#1f72cd',
  ),
  discover: card(
    '<path d="M24 9.5V13.5a2.5 2.5 0 0 1-2.5 2.5H8C15 15 20.5 12.5 24 9.5z" fill="#f48120"/><circle cx="13" cy="8" r="1.9" fill="#f48120"/><path fill="#231f20" d="M3 6.1h1.1c.9 0 1.6.7 1.6 1.9s-.7 1.9-1.6 1.9H3zm.7.6v2.6H4c.6 0 .9-.5.9-1.3s-.3-1.3-.9-1.3zM6.3 6.1H7v3.8h-.7zM9.6 6.3l-.1.6c-.3-.2-.6-.3-.8-.3-.3 0-.4.1-.4.3 0 .5 1.4.4 1.4 1.5 0 .7-.5 1.1-1.2 1.1-.4 0-.8-.1-1.1-.3l.1-.6c.3.2.6.3.9.3s.5-.1.5-.4c0-.6-1.4-.5-1.4-1.5 0-.6.5-1 1.1-1 .4 0 .7.1 1 .3z"/>',
    '#fff',
  ),
  diners: card(
    '<circle cx="12" cy="8" r="5" fill="none" stroke="#fff" stroke-width="1.3"/><path d="M11 4.6v6.8a3.6 3.6 0 0 1 0-6.8zm2 0a3.6 3.6 0 0 1 0 6.8z" fill="#fff"/>',
    '#0079be',
  ),
  jcb: card(
    '<rect x="4" y="3.5" width="4.6" height="9" rx="1.4" fill="#0e4c96"/><rect x="9.7" y="3.5" width="4.6" height="9" rx="1.4" fill="#e21836"/><rect x="15.4" y="3.5" width="4.6" height="9" rx="1.4" fill="#00a650"/><path fill="#fff" d="M5.4 9.4c.4.2.8.3 1.1.3.4 0 .6-.2.6-.6V6.6h.8v2.5c0 .9-.5 1.3-1.4 1.3-.4 0-.8-.1-1.1-.2zm5.6-1.5c0-1 .8-1.5 1.8-1.5l.7.1v.6l-.6-.1c-.6 0-1 .3-1 .9s.4.9 1 .9l.6-.1v.6l-.7.1c-1 0-1.8-.5-1.8-1.5zm5.7.9c0-.4.3-.6.8-.6h1.3v1.3h-1.3c-.5 0-.8-.3-.8-.7zm.1-1.8c0-.4.3-.6.7-.6h1.2v1.2h-1.2c-.4 0-.7-.2-.7-.6z"/>',
    '#fff',
  ),
  unionpay: card(
    '<path d="M5.3 2.5h4.2c.6 0 .9.4.8 1L8.6 12.5c-.1.6-.7 1-1.3 1H3.1c-.6 0-.9-.4-.8-1L4 3.5c.1-.6.7-1 1.3-1z" fill="#e21836"/><path d="M10.3 2.5h4.2c.6 0 .9.4.8 1l-1.7 9c-.1.6-.7 1-1.3 1H8.1c-.6 0-.9-.4-.8-1L9 3.5c.1-.6.7-1 1.3-1z" fill="#00447c"/><path d="M15.3 2.5h4.2c.6 0 .9.4.8 1l-1.7 9c-.1.6-.7 1-1.3 1h-4.2c-.6 0-.9-.4-.8-1L14 3.5c.1-.6.7-1 1.3-1z" fill="#007b84"/>',
    '#fff',
  ),
  unknown: `<svg viewBox="0 0 24 16" width="24" height="16" aria-hidden="true" focusable="false"><rect x=".5" y=".5" width="23" height="15" rx="2.5" fill="#eef0f4" stroke="#d1d6de"/><rect x="0.5" y="4" width="23" height="2.6" fill="#aab2bf"/><rect x="3" y="10" width="8" height="1.6" rx=".8" fill="#c3c9d3"/></svg>`,
};

/** The CVC hint shown while the security code field has focus (Stripe.js swaps the brand for it). */
export const CVC_ICON = `<svg viewBox="0 0 24 16" width="24" height="16" aria-hidden="true" focusable="false"><rect x=".5" y=".5" width="23" height="15" rx="2.5" fill="#eef0f4" stroke="#d1d6de"/><rect x="0.5" y="3" width="23" height="2.6" fill="#aab2bf"/><rect x="3" y="8.5" width="12" height="3.2" rx=".6" fill="#fff" stroke="#c3c9d3" stroke-width=".6"/><text x="15.5" y="11.3" font-size="3.6" font-family="Arial" fill="#525f7f">123</text></svg>`;

/** The error mark shown in place of the brand when the number is invalid. */
export const ERROR_ICON = `<svg viewBox="0 0 24 16" width="24" height="16" aria-hidden="true" focusable="false"><rect x=".5" y=".5" width="23" height="15" rx="2.5" fill="#fff" stroke="currentColor"/><path d="M12 4.5v4.5M12 11.2v.3" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>`;
