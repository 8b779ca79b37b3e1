// The shop's HTTP server (node:http): pages, its own JSON API, the webhook
// endpoint, and the bundled browser scripts.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import { bundleClient } from './bundle.js';
import { findProduct } from './catalog.js';
import { handleEvent } from './fulfilment.js';
import { HttpError, readBody, readJson, sendError, sendHtml, sendJson } from './http.js';
import { OrderStore } from './order-store.js';
import { CheckoutError, newOrder, parseCheckout, type Order } from './orders.js';
import { checkoutPage } from './pages/checkout.js';
import { confirmationPage } from './pages/confirmation.js';
import { labelPage } from './pages/label.js';
import { SHOP_NAME } from './pages/layout.js';
import { notFoundPage } from './pages/not-found.js';
import type { OrderJson } from './pages/order-view.js';
import { ordersPage } from './pages/orders.js';
import { productsPage } from './pages/products.js';
import { reactCheckoutPage } from './pages/react-checkout.js';

export interface ShopOptions {
  /** The official SDK with the shop's secret key, pointed at Kassa. */
  stripe: Stripe;
  publishableKey: string;
  /** Kassa's address as the customer's browser reaches it (for `<script src=".../v3/">`). */
  kassaUrl: string;
  /** The webhook endpoint's signing secret; can also be set later with setWebhookSecret. */
  webhookSecret?: string;
  orders?: OrderStore;
  /** Unix seconds. */
  now?: () => number;
  log?: (line: string) => void;
}

export interface Shop {
  server: Server;
  orders: OrderStore;
  setWebhookSecret(secret: string): void;
  /** Listens on host:port (port 0: any free port) and resolves to the shop's base URL. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

const newOrderId = () => `ord_${randomBytes(8).toString('hex')}`;

export async function createShop(options: ShopOptions): Promise<Shop> {
  const { stripe } = options;
  const orders = options.orders ?? new OrderStore();
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const log = options.log ?? (() => undefined);
  const scripts = await bundleClient();
  const stripeJsUrl = `${options.kassaUrl.replace(/\/$/, '')}/v3/`;
  let webhookSecret = options.webhookSecret;

  function productFrom(url: URL) {
    const product = findProduct(url.searchParams.get('product'));
    if (!product) throw new HttpError(404, 'No such product.');
    return product;
  }

  function loadOrder(id: string): Order {
    const order = orders.get(id);
    if (!order) throw new HttpError(404, 'No such order.');
    return order;
  }

  /** The order and, while it is not paid, what Kassa says about its payment (the webhook may still be on its way). */
  async function orderJson(order: Order): Promise<OrderJson> {
    if (order.status === 'paid' || !order.payment_intent) return { ...order, intent_status: null };
    const intent = await stripe.paymentIntents.retrieve(order.payment_intent).catch(() => undefined);
    return { ...order, intent_status: intent?.status ?? null };
  }

  async function createOrder(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let order: Order;
    try {
      order = newOrder(newOrderId(), parseCheckout(await readJson(req)), now());
    } catch (error) {
      if (error instanceof CheckoutError) throw new HttpError(400, error.message, error.field);
      throw error;
    }
    const { customer } = order;
    let intent: Stripe.PaymentIntent;
    try {
      intent = await stripe.paymentIntents.create(
        {
          amount: order.amount,
          currency: order.currency,
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          description: `${SHOP_NAME} order ${order.id}`,
          receipt_email: customer.email,
          metadata: { order_id: order.id },
        },
        { idempotencyKey: `create-intent-${order.id}` },
      );
    } catch (error) {
      log(`could not create a PaymentIntent for ${order.id}: ${(error as Error).message}`);
      throw new HttpError(502, 'The payment service is not available right now. Please try again in a moment.');
    }
    // Saved only once its PaymentIntent exists: no order without a way to pay it.
    order = { ...order, payment_intent: intent.id };
    orders.save(order);
    log(`order ${order.id}: ${order.amount} ${order.currency}, PaymentIntent ${intent.id}`);
    sendJson(res, 201, {
      order: { id: order.id, amount: order.amount, currency: order.currency, status: order.status },
      client_secret: intent.client_secret,
    });
  }

  async function receiveWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const payload = await readBody(req);
    if (!webhookSecret) throw new HttpError(503, 'The webhook secret is not configured yet.');
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(payload, req.headers['stripe-signature'] ?? '', webhookSecret);
    } catch (error) {
      log(`webhook refused: ${(error as Error).message}`);
      throw new HttpError(400, `Webhook signature verification failed: ${(error as Error).message}`);
    }
    const outcome = handleEvent(orders, event, now());
    const orderId = (event.data.object as { metadata?: Record<string, string> }).metadata?.order_id;
    log(`webhook ${event.id} ${event.type}${orderId ? ` (order ${orderId})` : ''}: ${outcome}`);
    sendJson(res, 200, { received: true, outcome });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://shop.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/') return sendHtml(res, 200, productsPage());
    if (method === 'GET' && path === '/checkout') {
      return sendHtml(
        res,
        200,
        checkoutPage({ product: productFrom(url), publishableKey: options.publishableKey, stripeJsUrl }),
      );
    }
    if (method === 'GET' && path === '/react/checkout') {
      return sendHtml(
        res,
        200,
        reactCheckoutPage({ product: productFrom(url), publishableKey: options.publishableKey, stripeJsUrl }),
      );
    }
    if (method === 'GET' && path === '/orders') return sendHtml(res, 200, ordersPage(orders.list()));
    if (method === 'GET' && (match = /^\/orders\/([\w-]+)$/.exec(path)))
      return sendHtml(res, 200, confirmationPage(await orderJson(loadOrder(match[1]!))));
    if (method === 'GET' && (match = /^\/orders\/([\w-]+)\/label$/.exec(path))) {
      const order = loadOrder(match[1]!);
      if (!order.shipment)
        throw new HttpError(404, 'This order has no shipping label yet: it is created when the payment arrives.');
      return sendHtml(res, 200, labelPage(order));
    }
    if (method === 'POST' && path === '/api/orders') return createOrder(req, res);
    if (method === 'GET' && (match = /^\/api\/orders\/([\w-]+)$/.exec(path)))
      return sendJson(res, 200, await orderJson(loadOrder(match[1]!)));
    if (method === 'POST' && path === '/webhooks') return receiveWebhook(req, res);
    if (method === 'GET' && (match = /^\/assets\/([\w-]+\.js)$/.exec(path)) && scripts.has(match[1]!)) {
      res
        .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' })
        .end(scripts.get(match[1]!));
      return;
    }
    if (method === 'GET' && path === '/favicon.ico') return void res.writeHead(204).end();
    throw new HttpError(404, 'Not found.');
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      if (error instanceof HttpError) {
        if (req.url?.startsWith('/api/') || req.url?.startsWith('/webhooks') || error.status !== 404)
          return sendError(res, error);
        return sendHtml(res, 404, notFoundPage(error.message));
      }
      log(`error on ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
      sendError(res, new HttpError(500, 'Something went wrong.'));
    });
  });

  return {
    server,
    orders,
    setWebhookSecret(secret) {
      webhookSecret = secret;
    },
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(`http://${host}:${(server.address() as { port: number }).port}`);
        });
      });
    },
    close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
}
