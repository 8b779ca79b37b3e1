// The Elements Appearance API (`appearance: {theme, variables}`) as CSS custom
// properties for the Payment Element frame. Rules (`appearance.rules`) are not
// supported yet; the variables below cover the common look.
import { safeCssValue } from './style.js';

const THEMES: Record<string, Record<string, string>> = {
  stripe: {},
  flat: { colorBackground: '#f6f8fa', borderRadius: '4px' },
  night: {
    colorBackground: '#30313d',
    colorText: '#ffffff',
    colorTextSecondary: '#a0a3b1',
    colorTextPlaceholder: '#878a99',
    colorPrimary: '#0570de',
    colorBorder: '#424353',
  },
};

const VARIABLES: Record<string, string> = {
  colorPrimary: '--k-primary',
  colorBackground: '--k-background',
  colorText: '--k-text',
  colorTextSecondary: '--k-text-secondary',
  colorTextPlaceholder: '--k-placeholder',
  colorDanger: '--k-danger',
  colorBorder: '--k-border',
  fontFamily: '--k-font',
  fontSizeBase: '--k-font-size',
  spacingUnit: '--k-spacing',
  borderRadius: '--k-radius',
};

export function appearanceCss(appearance: Record<string, unknown> | undefined): string {
  if (!appearance || typeof appearance !== 'object') return '';
  const theme = THEMES[String(appearance.theme ?? 'stripe')] ?? {};
  const variables = { ...theme, ...((appearance.variables as Record<string, unknown>) ?? {}) };
  let css = '';
  for (const [name, property] of Object.entries(VARIABLES)) {
    const value = safeCssValue(variables[name]);
    if (value !== null) css += `${property}:${value};`;
  }
  return css ? `:root{${css}}` : '';
}
