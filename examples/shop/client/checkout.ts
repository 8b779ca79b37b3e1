// The checkout page's script, written against Stripe.js's public API only.
import type { StripeCardElement, StripeCardElementChangeEvent, StripeConstructor } from '@stripe/stripe-js';
import { orderKeeper, OrderError, paymentErrorMessage, priceLabel, type OrderRequest } from './shop-api.js';

interface PageConfig {
  publishableKey: string;
  product: { id: string; price: number; currency: string };
}

const config = JSON.parse(document.getElementById('shop-config')!.textContent!) as PageConfig;
const form = document.getElementById('checkout-form') as HTMLFormElement;
const payButton = document.getElementById('pay') as HTMLButtonElement;
const cardErrors = document.getElementById('card-errors')!;
const formError = document.getElementById('form-error')!;
const quantity = document.getElementById('quantity') as HTMLSelectElement;

// Stripe.js (here Kassa's, from its /v3/ script tag) defines window.Stripe.
const stripe = (window as unknown as { Stripe: StripeConstructor }).Stripe(config.publishableKey);
const elements = stripe.elements();
const card: StripeCardElement = elements.create('card', {
  hidePostalCode: true,
  style: {
    base: {
      color: '#1f2a44',
      fontSize: '16px',
      fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif',
      '::placeholder': { color: '#8a94a8' },
    },
    invalid: { color: '#c0392b', iconColor: '#c0392b' },
  },
  classes: { base: 'card-field' },
});
card.mount('#card-element');

let cardComplete = false;
card.on('change', (event: StripeCardElementChangeEvent) => {
  cardComplete = event.complete;
  cardErrors.textContent = event.error ? event.error.message : '';
});

function showTotals(): void {
  const label = priceLabel(config.product.price, Number(quantity.value), config.product.currency);
  for (const selector of ['[data-line-total]', '[data-subtotal]', '[data-total]'])
    document.querySelector(selector)!.textContent = label;
  payButton.querySelector('.pay-label')!.textContent = `Pay ${label}`;
}
quantity.addEventListener('change', showTotals);

function field(name: string): string {
  return (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value.trim();
}

function orderRequest(): OrderRequest {
  return {
    items: [{ product: config.product.id, quantity: Number(quantity.value) }],
    customer: {
      name: field('customer.name'),
      email: field('customer.email'),
      address: {
        line1: field('customer.address.line1'),
        city: field('customer.address.city'),
        postal_code: field('customer.address.postal_code'),
        country: field('customer.address.country'),
      },
    },
  };
}

function clearErrors(): void {
  formError.textContent = '';
  for (const element of form.querySelectorAll('[data-error-for]')) element.textContent = '';
}

function showFieldError(fieldName: string | undefined, message: string): void {
  const slot = fieldName ? form.querySelector(`[data-error-for="${fieldName}"]`) : null;
  (slot ?? formError).textContent = message;
  if (fieldName) (form.elements.namedItem(fieldName) as HTMLElement | null)?.focus();
}

let paying = false;
function setPaying(on: boolean): void {
  paying = on;
  payButton.disabled = on;
  payButton.querySelector<HTMLElement>('.spinner')!.hidden = !on;
  if (on) payButton.querySelector('.pay-label')!.textContent = 'Processing…';
  else showTotals();
  quantity.disabled = on;
}

/** The required fields the browser can check before asking the shop. */
function firstMissing(): string | undefined {
  const required = [
    'customer.name',
    'customer.email',
    'customer.address.line1',
    'customer.address.postal_code',
    'customer.address.city',
  ];
  return required.find((name) => !field(name));
}

const ensureOrder = orderKeeper();

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (paying) return;
  clearErrors();
  const missing = firstMissing();
  if (missing) return showFieldError(missing, 'Please fill this in.');
  if (!cardComplete) {
    cardErrors.textContent = cardErrors.textContent || 'Please enter your card details.';
    card.focus();
    return;
  }
  setPaying(true);
  try {
    const request = orderRequest();
    const { order, client_secret } = await ensureOrder(request);
    const { customer } = request;
    const result = await stripe.confirmCardPayment(client_secret, {
      payment_method: {
        card,
        billing_details: { name: customer.name, email: customer.email, address: customer.address },
      },
    });
    if (result.error) {
      cardErrors.textContent = paymentErrorMessage(result.error);
      setPaying(false);
      return;
    }
    window.location.assign(`/orders/${order.id}`);
  } catch (error) {
    if (error instanceof OrderError) showFieldError(error.field, error.message);
    else formError.textContent = 'Something went wrong. Please try again.';
    setPaying(false);
  }
});
