// Product rules: plain functions from (product, parameters, now) to the new
// product. No HTTP, no database.
import type Stripe from 'stripe';
import { invalidParam } from '../server/errors.js';
import { applyMetadata, type Metadata } from '../server/metadata.js';

export type Product = Stripe.Product;

/** Parameters after the protocol layer checked them: `''` means "unset". */
export interface ProductParams {
  active?: boolean;
  description?: string;
  images?: string[] | '';
  marketing_features?: Array<{ name: string }> | '';
  metadata?: Metadata | '';
  name?: string;
  package_dimensions?: Stripe.Product.PackageDimensions | '';
  shippable?: boolean;
  statement_descriptor?: string;
  tax_code?: string;
  type?: 'good' | 'service';
  unit_label?: string;
  url?: string;
}

const MAX_IMAGES = 8;
const MAX_MARKETING_FEATURES = 15;
const MAX_FEATURE_NAME = 80;
const TAX_CODE = /^txcd_\d{8}$/;

export function newProduct(id: string, params: ProductParams, now: number): Product {
  const blank: Product = {
    id,
    object: 'product',
    active: true,
    created: now,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: '',
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: params.type ?? 'service',
    unit_label: null,
    updated: now,
    url: null,
  };
  return applyProductParams(blank, params, now);
}

/** The product with `params` applied; `updated` moves to `now` when anything changed. */
export function applyProductParams(product: Product, params: ProductParams, now: number): Product {
  const next: Product = { ...product };
  if (params.active !== undefined) next.active = params.active;
  if (params.description !== undefined) next.description = params.description || null;
  if (params.images !== undefined) next.images = images(params.images);
  if (params.marketing_features !== undefined) next.marketing_features = marketingFeatures(params.marketing_features);
  next.metadata = applyMetadata(product.metadata, params.metadata);
  if (params.name !== undefined) {
    if (params.name === '') throw cannotUnset('name');
    next.name = params.name;
  }
  if (params.package_dimensions !== undefined) {
    next.package_dimensions = params.package_dimensions === '' ? null : packageDimensions(params.package_dimensions);
  }
  if (params.shippable !== undefined) next.shippable = params.shippable;
  if (params.statement_descriptor !== undefined) {
    next.statement_descriptor = statementDescriptor(params.statement_descriptor);
  }
  if (params.tax_code !== undefined) {
    next.tax_code = taxCode(params.tax_code);
    next.tax_details = next.tax_code ? { performance_location: null, tax_code: next.tax_code as string } : null;
  }
  if (params.unit_label !== undefined) next.unit_label = params.unit_label || null;
  if (params.url !== undefined) next.url = url(params.url);
  if (JSON.stringify(next) !== JSON.stringify(product)) next.updated = now;
  return next;
}

function cannotUnset(param: string) {
  return invalidParam(
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
    param,
    'parameter_invalid_empty',
  );
}

function images(value: string[] | ''): string[] {
  if (value === '') return [];
  if (value.length > MAX_IMAGES) {
    throw invalidParam(`You may only specify up to ${MAX_IMAGES} images.`, 'images');
  }
  value.forEach((image, index) => {
    if (!isWebUrl(image))
      throw invalidParam(`Not a valid URL: ${image.slice(0, 100)}`, `images[${index}]`, 'url_invalid');
  });
  return value;
}

function marketingFeatures(value: Array<{ name: string }> | ''): Stripe.Product.MarketingFeature[] {
  if (value === '') return [];
  if (value.length > MAX_MARKETING_FEATURES) {
    throw invalidParam(
      `You may only specify up to ${MAX_MARKETING_FEATURES} marketing features.`,
      'marketing_features',
    );
  }
  return value.map((feature, index) => {
    if (feature.name === '' || [...feature.name].length > MAX_FEATURE_NAME) {
      throw invalidParam(
        `A marketing feature's name must be 1 to ${MAX_FEATURE_NAME} characters long.`,
        `marketing_features[${index}][name]`,
      );
    }
    return { name: feature.name };
  });
}

function packageDimensions(value: Stripe.Product.PackageDimensions): Stripe.Product.PackageDimensions {
  for (const field of ['height', 'length', 'weight', 'width'] as const) {
    if (!(value[field] > 0)) {
      throw invalidParam(`package_dimensions[${field}] must be greater than 0.`, `package_dimensions[${field}]`);
    }
  }
  return { height: value.height, length: value.length, weight: value.weight, width: value.width };
}

/** Stripe's statement descriptor rules: at most 22 characters (the schema checks), at least one letter, none of `<>\'"*`. */
export function statementDescriptor(value: string, param = 'statement_descriptor'): string | null {
  if (value === '') return null;
  if (/[<>\\'"*]/.test(value)) {
    throw invalidParam(`The statement descriptor cannot contain any of these characters: < > \\ ' " *`, param);
  }
  if (!/\p{L}/u.test(value)) throw invalidParam('The statement descriptor must contain at least one letter.', param);
  return value;
}

/** A product tax code (`txcd_` and 8 digits); Kassa keeps no tax code objects, so any such code is taken. */
export function taxCode(value: string, param = 'tax_code'): string | null {
  if (value === '') return null;
  if (!TAX_CODE.test(value)) {
    throw invalidParam(`Invalid tax code: ${value.slice(0, 40)}. Tax codes look like txcd_99999999.`, param);
  }
  return value;
}

function url(value: string): string | null {
  if (value === '') return null;
  if (!isWebUrl(value)) throw invalidParam(`Not a valid URL: ${value.slice(0, 100)}`, 'url', 'url_invalid');
  return value;
}

function isWebUrl(value: string): boolean {
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

/** What a deleted product answers to delete. */
export function deletedProduct(id: string): Stripe.DeletedProduct {
  return { id, object: 'product', deleted: true };
}
