// The checkout written with @stripe/react-stripe-js, exactly as for Stripe:
// loadStripe, <Elements>, <CardElement>, useStripe, useElements. The page
// includes Kassa's /v3/ script before this bundle; that is the only change.
import { CardElement, Elements, useElements, useStripe } from '@stripe/react-stripe-js';
import { loadStripe } from '@stripe/stripe-js';
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { OrderError, orderKeeper, paymentErrorMessage, priceLabel } from './shop-api.js';

const config = JSON.parse(document.getElementById('shop-config').textContent);
const stripePromise = loadStripe(config.publishableKey);
const ensureOrder = orderKeeper();
const { product } = config;

const CARD_OPTIONS = {
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
};

const COUNTRIES = [
  ['NL', 'Netherlands'],
  ['BE', 'Belgium'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['IE', 'Ireland'],
  ['GB', 'United Kingdom'],
  ['US', 'United States'],
];
const REQUIRED = ['name', 'email', 'line1', 'postal_code', 'city'];

function Field({ id, label, value, onChange, error, ...rest }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? 'true' : undefined}
        {...rest}
      />
      <div className="field-error" role="alert">
        {error}
      </div>
    </div>
  );
}

function CheckoutForm({ quantity, onPaying }) {
  const stripe = useStripe();
  const elements = useElements();
  const [details, setDetails] = useState({ name: '', email: '', line1: '', postal_code: '', city: '', country: 'NL' });
  const [errors, setErrors] = useState({});
  const [cardError, setCardError] = useState('');
  const [cardComplete, setCardComplete] = useState(false);
  const [paying, setPaying] = useState(false);
  const set = (key) => (value) => setDetails((current) => ({ ...current, [key]: value }));
  const total = priceLabel(product.price, quantity, product.currency);

  function busy(on) {
    setPaying(on);
    onPaying(on);
  }

  async function submit(event) {
    event.preventDefault();
    if (!stripe || !elements || paying) return;
    const missing = REQUIRED.find((key) => !details[key].trim());
    setErrors(missing ? { [missing]: 'Please fill this in.' } : {});
    if (missing) return;
    const card = elements.getElement(CardElement);
    if (!cardComplete) {
      setCardError(cardError || 'Please enter your card details.');
      card.focus();
      return;
    }
    busy(true);
    const customer = {
      name: details.name.trim(),
      email: details.email.trim(),
      address: {
        line1: details.line1.trim(),
        city: details.city.trim(),
        postal_code: details.postal_code.trim(),
        country: details.country,
      },
    };
    try {
      const { order, client_secret } = await ensureOrder({ items: [{ product: product.id, quantity }], customer });
      const result = await stripe.confirmCardPayment(client_secret, {
        payment_method: {
          card,
          billing_details: { name: customer.name, email: customer.email, address: customer.address },
        },
      });
      if (result.error) {
        setCardError(paymentErrorMessage(result.error));
        busy(false);
        return;
      }
      window.location.assign(`/orders/${order.id}`);
    } catch (error) {
      const field = error instanceof OrderError && error.field ? error.field.split('.').pop() : 'form';
      setErrors({ [field in details ? field : 'form']: error.message || 'Something went wrong. Please try again.' });
      busy(false);
    }
  }

  return (
    <form id="checkout-form" className="panel" noValidate onSubmit={submit}>
      <fieldset>
        <legend>Contact</legend>
        <Field
          id="name"
          label="Full name"
          autoComplete="name"
          value={details.name}
          onChange={set('name')}
          error={errors.name}
        />
        <Field
          id="email"
          label="Email"
          type="email"
          autoComplete="email"
          value={details.email}
          onChange={set('email')}
          error={errors.email}
        />
      </fieldset>
      <fieldset>
        <legend>Shipping address</legend>
        <Field
          id="line1"
          label="Address"
          autoComplete="address-line1"
          value={details.line1}
          onChange={set('line1')}
          error={errors.line1}
        />
        <div className="row">
          <Field
            id="postal_code"
            label="Postal code"
            autoComplete="postal-code"
            value={details.postal_code}
            onChange={set('postal_code')}
            error={errors.postal_code}
          />
          <Field
            id="city"
            label="City"
            autoComplete="address-level2"
            value={details.city}
            onChange={set('city')}
            error={errors.city}
          />
        </div>
        <div className="field">
          <label htmlFor="country">Country</label>
          <select id="country" value={details.country} onChange={(event) => set('country')(event.target.value)}>
            {COUNTRIES.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      <fieldset>
        <legend>Payment</legend>
        <label htmlFor="card-element">Card</label>
        <CardElement
          id="card-element"
          options={CARD_OPTIONS}
          onChange={(event) => {
            setCardComplete(event.complete);
            setCardError(event.error ? event.error.message : '');
          }}
        />
        <div id="card-errors" className="field-error" role="alert">
          {cardError}
        </div>
        <div className="hint">
          Test mode: pay with <code>4242 4242 4242 4242</code>, any future date and any CVC.
        </div>
      </fieldset>
      <div id="form-error" className="field-error" role="alert">
        {errors.form}
      </div>
      <button id="pay" className="button pay" type="submit" disabled={!stripe || paying}>
        {paying && <span className="spinner" />}
        <span className="pay-label">{paying ? 'Processing…' : `Pay ${total}`}</span>
      </button>
      <p className="secure">Card details go straight to the payment processor, never to our server.</p>
    </form>
  );
}

function Summary({ quantity, setQuantity, disabled }) {
  const total = priceLabel(product.price, quantity, product.currency);
  return (
    <aside className="panel summary" aria-label="Order summary">
      <h2>Order summary</h2>
      <div className="line">
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the shop's own product picture, SVG drawn by pages/art.ts */}
        <span dangerouslySetInnerHTML={{ __html: config.art }} />
        <div className="what">
          <strong>{product.name}</strong>
          <span>{product.tagline}</span>
          <div className="qty">
            <label htmlFor="quantity" style={{ margin: 0 }}>
              Qty
            </label>
            <select
              id="quantity"
              value={quantity}
              disabled={disabled}
              onChange={(event) => setQuantity(Number(event.target.value))}
            >
              {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="price">{total}</div>
      </div>
      <dl className="totals">
        <dt>Subtotal</dt>
        <dd>{total}</dd>
        <dt>Shipping</dt>
        <dd>Free</dd>
        <dt className="total">Total</dt>
        <dd className="total" data-total>
          {total}
        </dd>
      </dl>
    </aside>
  );
}

function App() {
  const [quantity, setQuantity] = useState(1);
  const [paying, setPaying] = useState(false);
  return (
    <>
      <h1>Checkout</h1>
      <p className="lead">
        Built with React and @stripe/react-stripe-js: the Stripe.js script tag is the only Kassa-specific line.
      </p>
      <Elements stripe={stripePromise}>
        <div className="checkout">
          <CheckoutForm quantity={quantity} onPaying={setPaying} />
          <Summary quantity={quantity} setQuantity={setQuantity} disabled={paying} />
        </div>
      </Elements>
    </>
  );
}

createRoot(document.getElementById('root')).render(<App />);
