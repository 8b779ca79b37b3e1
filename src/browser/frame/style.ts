// Stripe.js's `style` option as CSS inside the frame: variants `base`,
// `complete`, `empty` and `invalid`, each with pseudo-classes (`:hover`,
// `:focus`, `::placeholder`, ...). Only Stripe's allowed properties pass, and
// values that could break out of a declaration are dropped.

const PROPERTIES: Record<string, string> = {
  backgroundColor: 'background-color',
  color: 'color',
  fontFamily: 'font-family',
  fontSize: 'font-size',
  fontSmoothing: '-webkit-font-smoothing',
  fontStyle: 'font-style',
  fontVariant: 'font-variant',
  fontWeight: 'font-weight',
  lineHeight: 'line-height',
  letterSpacing: 'letter-spacing',
  textAlign: 'text-align',
  textDecoration: 'text-decoration',
  textShadow: 'text-shadow',
  textTransform: 'text-transform',
};

const PSEUDOS = [':hover', ':focus', '::placeholder', '::selection', ':-webkit-autofill', ':disabled', '::-ms-clear'];
/** Body classes the frame sets for each variant (`base` applies always). */
const VARIANTS: Record<string, string> = {
  base: '',
  complete: '.is-complete ',
  empty: '.is-empty ',
  invalid: '.is-invalid ',
};

export function safeCssValue(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value);
  return /[;{}<>\\]|\/\*|url\s*\(|expression\s*\(/i.test(text) ? null : text;
}

function declarations(props: Record<string, unknown>, iconSelector: string | null): { input: string; icon: string } {
  let input = '';
  let icon = '';
  for (const [key, raw] of Object.entries(props)) {
    const value = safeCssValue(raw);
    if (value === null) continue;
    if (key === 'iconColor') icon += `fill:${value};color:${value};`;
    else if (PROPERTIES[key]) input += `${PROPERTIES[key]}:${value};`;
  }
  return { input, icon: iconSelector ? icon : '' };
}

/** CSS for a `style` object, applied to `inputSelector` (and `iconSelector` for iconColor). */
export function styleCss(
  style: Record<string, unknown> | undefined,
  inputSelector: string,
  iconSelector: string,
): string {
  if (!style || typeof style !== 'object') return '';
  let css = '';
  for (const [variant, prefix] of Object.entries(VARIANTS)) {
    const rules = style[variant];
    if (!rules || typeof rules !== 'object') continue;
    const { input, icon } = declarations(rules as Record<string, unknown>, iconSelector);
    if (input) css += `${prefix}${inputSelector}{${input}}`;
    if (icon) css += `${prefix}${iconSelector}{${icon}}`;
    for (const pseudo of PSEUDOS) {
      const nested = (rules as Record<string, unknown>)[pseudo];
      if (!nested || typeof nested !== 'object') continue;
      const inner = declarations(nested as Record<string, unknown>, null).input;
      if (inner) css += `${prefix}${inputSelector}${pseudo}{${inner}}`;
    }
  }
  return css;
}
