// The card inputs inside Kassa's frame, for every card Element kind: `card`
// (one row), `cardNumber` / `cardExpiry` / `cardCvc` (split), and `payment`
// (labelled fields, the card-only Payment Element). Formatting and validation
// come from the plain functions in card-fields/; this file wires them to the DOM.
import type { CardBrand } from '../../network/card-brands.js';
import { changeEvent, shownError, type CardElementType, type ShownField } from '../card-fields/change-event.js';
import { cvcState, type CvcState } from '../card-fields/cvc.js';
import { expiryState, type ExpiryState } from '../card-fields/expiry.js';
import type { FieldState } from '../card-fields/field-state.js';
import { numberFilled, numberState, type NumberState } from '../card-fields/number.js';
import { postalState, type PostalState } from '../card-fields/postal.js';
import { BRAND_ICONS, CVC_ICON, ERROR_ICON } from './icons.js';
import { groupBrand, groupFields, type CardParts } from './siblings.js';

export type FieldName = 'number' | 'expiry' | 'cvc' | 'postal';

interface Field {
  name: FieldName;
  input: HTMLInputElement;
  box: HTMLElement;
  errorLine: HTMLElement | null;
  touched: boolean;
  state: FieldState;
}

const LABELS: Record<FieldName, string> = {
  number: 'Card number',
  expiry: 'Expiration date',
  cvc: 'Security code',
  postal: 'ZIP',
};
const PAYMENT_LABELS: Record<FieldName, string> = {
  number: 'Card number',
  expiry: 'Expiration date',
  cvc: 'Security code',
  postal: 'ZIP code',
};
const PLACEHOLDERS: Record<FieldName, string> = { number: 'Card number', expiry: 'MM / YY', cvc: 'CVC', postal: 'ZIP' };
const PAYMENT_PLACEHOLDERS: Record<FieldName, string> = {
  number: '1234 1234 1234 1234',
  expiry: 'MM / YY',
  cvc: 'CVC',
  postal: '12345',
};
const AUTOCOMPLETE: Record<FieldName, string> = {
  number: 'cc-number',
  expiry: 'cc-exp',
  cvc: 'cc-csc',
  postal: 'postal-code',
};

function fieldsOf(kind: CardElementType, options: Record<string, any>): FieldName[] {
  switch (kind) {
    case 'cardNumber':
      return ['number'];
    case 'cardExpiry':
      return ['expiry'];
    case 'cardCvc':
      return ['cvc'];
    default:
      return options.hidePostalCode ? ['number', 'expiry', 'cvc'] : ['number', 'expiry', 'cvc', 'postal'];
  }
}

export interface CardFormEvents {
  change(event: unknown): void;
  focus(): void;
  blur(): void;
  escape(): void;
}

export class CardForm {
  private fields: Field[] = [];
  private icon: HTMLElement | null = null;
  private lastChange = '';
  private focused = false;
  private submitted = false;

  constructor(
    private readonly root: HTMLElement,
    readonly kind: CardElementType,
    readonly group: string,
    private options: Record<string, any>,
    private readonly events: CardFormEvents,
  ) {
    this.render();
    window.__kassaCardFields = {
      group,
      read: () => this.parts(),
      touchAll: () => this.touchAll(),
      refresh: () => this.refreshCvc(),
    };
  }

  /** New options from `element.update()`: the inputs keep what was typed. */
  update(options: Record<string, any>): void {
    const typed = new Map(this.fields.map((f) => [f.name, f.input.value]));
    const touched = new Map(this.fields.map((f) => [f.name, f.touched]));
    this.options = { ...this.options, ...options };
    this.render();
    for (const field of this.fields) {
      field.input.value =
        typed.get(field.name) ?? (field.name === 'postal' ? String(this.options.value?.postalCode ?? '') : '');
      field.touched = touched.get(field.name) ?? false;
      this.recompute(field);
    }
    this.report();
  }

  focus(): void {
    (this.fields.find((f) => !f.state.complete) ?? this.fields[0])?.input.focus();
  }

  blur(): void {
    (document.activeElement as HTMLElement | null)?.blur();
  }

  clear(): void {
    this.submitted = false;
    for (const field of this.fields) {
      field.input.value = '';
      field.touched = false;
      this.recompute(field);
    }
    this.report();
  }

  parts(): CardParts {
    const parts: CardParts = {};
    for (const field of this.fields) (parts as Record<string, FieldState>)[field.name] = field.state;
    return parts;
  }

  touchAll(): void {
    this.submitted = true;
    for (const field of this.fields) field.touched = true;
    this.report();
  }

  private render(): void {
    const payment = this.kind === 'payment';
    const names = fieldsOf(this.kind, this.options);
    this.root.textContent = '';
    this.root.className = `kassa-${payment ? 'payment' : this.kind === 'card' ? 'card' : 'split'}`;
    const row = document.createElement('div');
    row.className = 'row';
    if (this.kind === 'card') {
      row.setAttribute('role', 'group');
      row.setAttribute('aria-label', 'Credit or debit card');
    }
    const showIcon =
      this.kind === 'card'
        ? !this.options.hideIcon
        : this.kind === 'cardNumber'
          ? Boolean(this.options.showIcon)
          : false;
    this.icon = null;
    if (showIcon) {
      this.icon = document.createElement('span');
      this.icon.className = `icon${this.options.iconStyle === 'solid' ? ' solid' : ''}`;
      row.appendChild(this.icon);
    }
    this.fields = names.map((name) => this.createField(name, payment));
    if (payment) {
      const [number, expiry, cvc, postal] = this.fields;
      const pair = document.createElement('div');
      pair.className = 'pair';
      pair.append(expiry!.box, cvc!.box);
      const numberBox = number!.box.querySelector('.input')!;
      const icon = document.createElement('span');
      icon.className = 'icon';
      numberBox.appendChild(icon);
      this.icon = icon;
      this.root.append(number!.box, pair);
      if (postal) this.root.append(postal.box);
    } else {
      for (const field of this.fields) row.appendChild(field.box);
      this.root.appendChild(row);
    }
    if (!payment) {
      // One spoken error line for the row; the Payment Element has one per field.
      const live = document.createElement('div');
      live.id = 'kassa-error';
      live.className = 'sr-only';
      live.setAttribute('role', 'alert');
      this.root.appendChild(live);
    }
    for (const field of this.fields) this.recompute(field);
    this.paint();
  }

  private createField(name: FieldName, payment: boolean): Field {
    const box = document.createElement('div');
    box.className = `field field-${name}`;
    const id = `kassa-${name}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = (payment ? PAYMENT_LABELS : LABELS)[name];
    label.className = payment ? 'label' : 'sr-only';
    const input = document.createElement('input');
    input.id = id;
    input.name = AUTOCOMPLETE[name];
    input.setAttribute('autocomplete', AUTOCOMPLETE[name]);
    input.inputMode = name === 'postal' ? 'text' : 'numeric';
    input.spellcheck = false;
    input.setAttribute('autocorrect', 'off');
    input.setAttribute('aria-invalid', 'false');
    input.setAttribute('aria-describedby', payment ? `${id}-error` : 'kassa-error');
    input.disabled = Boolean(this.options.disabled);
    const placeholder =
      typeof this.options.placeholder === 'string' && this.kind !== 'card' && this.kind !== 'payment'
        ? this.options.placeholder
        : (payment ? PAYMENT_PLACEHOLDERS : PLACEHOLDERS)[name];
    input.placeholder = placeholder;
    if (name === 'postal' && this.options.value?.postalCode) input.value = String(this.options.value.postalCode);
    box.appendChild(label);
    let errorLine: HTMLElement | null = null;
    if (payment) {
      const wrap = document.createElement('div');
      wrap.className = 'input';
      wrap.appendChild(input);
      box.appendChild(wrap);
      errorLine = document.createElement('div');
      errorLine.className = 'error';
      errorLine.id = `${id}-error`;
      errorLine.setAttribute('aria-live', 'polite');
      box.appendChild(errorLine);
    } else {
      box.appendChild(input);
    }
    const field: Field = {
      name,
      input,
      box,
      errorLine,
      touched: false,
      state: { display: '', empty: true, complete: false, error: null },
    };
    input.addEventListener('input', (event) =>
      this.onInput(field, (event as InputEvent).inputType?.startsWith('delete') ?? false),
    );
    input.addEventListener('focus', () => this.onFocus());
    input.addEventListener('blur', () => this.onBlur(field));
    input.addEventListener('keydown', (event) => this.onKeydown(field, event));
    return field;
  }

  private brand(): CardBrand {
    const own = this.fields.find((f) => f.name === 'number')?.state as NumberState | undefined;
    return own ? own.brand : groupBrand(this.group);
  }

  private recompute(field: Field, deleting = false): void {
    const value = field.input.value;
    switch (field.name) {
      case 'number':
        field.state = numberState(value);
        break;
      case 'expiry':
        field.state = expiryState(value, new Date(), deleting) as ExpiryState;
        break;
      case 'cvc':
        field.state = cvcState(value, this.brand()) as CvcState;
        break;
      case 'postal':
        field.state = postalState(value) as PostalState;
        break;
    }
    if (field.input.value !== field.state.display) setKeepingCaret(field.input, field.state.display);
  }

  private onInput(field: Field, deleting: boolean): void {
    const wasFilled = field.name === 'number' ? numberFilled(field.state as NumberState) : field.state.complete;
    this.recompute(field, deleting);
    if (field.name === 'number') {
      this.refreshCvc();
      for (const handle of groupFields(this.group)) if (handle !== window.__kassaCardFields) handle.refresh();
    }
    this.report();
    // Like Stripe.js: a field that just became complete (and valid) hands focus to the next one.
    const filled = field.name === 'number' ? numberFilled(field.state as NumberState) : field.state.complete;
    if (!wasFilled && filled && !deleting && field.input.selectionStart === field.input.value.length) {
      const next = this.fields[this.fields.indexOf(field) + 1];
      if (next) next.input.focus();
    }
  }

  private refreshCvc(): void {
    const cvc = this.fields.find((f) => f.name === 'cvc');
    if (!cvc) return;
    this.recompute(cvc);
    this.report();
  }

  private onFocus(): void {
    if (!this.focused) {
      this.focused = true;
      this.events.focus();
    }
    this.paint();
  }

  private onBlur(field: Field): void {
    field.touched = true;
    // Focus moving to another input of this frame is not a blur of the Element.
    setTimeout(() => {
      if (this.focused && !(document.hasFocus() && this.root.contains(document.activeElement))) {
        this.focused = false;
        this.events.blur();
      }
      this.report();
    });
  }

  private onKeydown(field: Field, event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      this.events.escape();
      return;
    }
    // Backspace in an empty field goes back to the previous one, as in Stripe.js.
    if (event.key === 'Backspace' && field.input.value === '') {
      const previous = this.fields[this.fields.indexOf(field) - 1];
      if (previous) {
        event.preventDefault();
        previous.input.focus();
        const end = previous.input.value.length;
        previous.input.setSelectionRange(end, end);
      }
    }
  }

  private shownFields(): ShownField[] {
    return this.fields.map((f) => ({
      state: f.state,
      touched: f.touched && !focusedInput(f.input),
      submitted: this.submitted && !focusedInput(f.input),
    }));
  }

  /** Sends a change event when anything the merchant sees changed, and repaints. */
  private report(): void {
    const postal = this.fields.find((f) => f.name === 'postal')?.state as PostalState | undefined;
    const hasNumber = this.fields.some((f) => f.name === 'number');
    const event = changeEvent(this.kind, this.shownFields(), {
      brand: hasNumber ? this.brand() : undefined,
      postalCode: this.kind === 'card' ? (postal?.value ?? '') : undefined,
    });
    this.paint();
    const key = JSON.stringify(event);
    if (key === this.lastChange) return;
    this.lastChange = key;
    this.events.change(event);
  }

  /**
   * In a narrow card row a complete number the customer has left shrinks to
   * its last digits (as in Stripe.js), leaving the room to the other inputs.
   */
  private collapseNumber(): void {
    const number = this.fields.find((f) => f.name === 'number');
    const row = this.root.querySelector('.row');
    if (!number || !row || this.kind !== 'card') return;
    const collapse = number.state.complete && !focusedInput(number.input) && row.clientWidth < ROOMY_ROW_PX;
    row.classList.toggle('number-collapsed', collapse);
    number.input.scrollLeft = collapse ? number.input.scrollWidth : 0;
  }

  private paint(): void {
    const shown = this.shownFields();
    let firstError = '';
    this.fields.forEach((field, i) => {
      const error = shownError(shown[i]!);
      field.input.setAttribute('aria-invalid', error ? 'true' : 'false');
      field.box.classList.toggle('invalid', Boolean(error));
      field.box.classList.toggle('complete', field.state.complete);
      if (field.errorLine) field.errorLine.textContent = error?.message ?? '';
      if (error && !firstError) firstError = error.message;
    });
    const live = this.root.querySelector('#kassa-error');
    if (live && live.textContent !== firstError) live.textContent = firstError;
    this.collapseNumber();
    const body = document.body.classList;
    body.toggle(
      'is-empty',
      this.fields.every((f) => f.state.empty),
    );
    body.toggle(
      'is-complete',
      this.fields.every((f) => f.state.complete),
    );
    body.toggle('is-invalid', Boolean(firstError));
    body.toggle('is-focused', this.focused);
    body.toggle('is-disabled', Boolean(this.options.disabled));
    if (this.icon) {
      const number = this.fields.find((f) => f.name === 'number');
      const cvc = this.fields.find((f) => f.name === 'cvc');
      const brand = this.brand();
      const numberInvalid = number ? Boolean(shownError(shown[this.fields.indexOf(number)]!)) : false;
      const html =
        cvc && focusedInput(cvc.input) && this.kind === 'card'
          ? CVC_ICON
          : numberInvalid
            ? ERROR_ICON
            : BRAND_ICONS[brand];
      if (this.icon.innerHTML !== html) this.icon.innerHTML = html;
      this.icon.dataset.brand = brand;
    }
  }
}

/** Whether the customer is in this input now (a frame that lost focus keeps its activeElement). */
function focusedInput(input: HTMLInputElement): boolean {
  return document.hasFocus() && document.activeElement === input;
}

/** How wide the card row must be to show a whole number beside the other inputs. */
const ROOMY_ROW_PX = 440;
/** Replaces an input's text, keeping the caret after the same number of digits/letters. */
function setKeepingCaret(input: HTMLInputElement, text: string): void {
  const caret = input.selectionStart ?? input.value.length;
  const before = input.value.slice(0, caret).replace(/[^0-9A-Za-z]/g, '').length;
  const atEnd = caret >= input.value.length;
  input.value = text;
  if (document.activeElement !== input) return;
  let position = text.length;
  if (!atEnd) {
    let seen = 0;
    position = 0;
    while (position < text.length && seen < before) {
      if (/[0-9A-Za-z]/.test(text[position]!)) seen++;
      position++;
    }
  }
  input.setSelectionRange(position, position);
}
