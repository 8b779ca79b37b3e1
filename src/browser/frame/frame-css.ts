// The frame's own look, before the merchant's `style` / `appearance`: Stripe's
// defaults (system font, 16px, quiet placeholder, red for invalid input).
export const FRAME_CSS = `
:root{--k-primary:#635bff;--k-background:#fff;--k-text:#30313d;--k-text-secondary:#6d6e78;--k-placeholder:#87909f;--k-danger:#df1b41;--k-border:#e0e3e8;--k-font:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Ubuntu,sans-serif;--k-font-size:16px;--k-spacing:4px;--k-radius:6px}
*{box-sizing:border-box}
html,body{margin:0;padding:0;background:transparent;overflow:hidden}
body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Ubuntu,sans-serif;font-size:16px;line-height:1.2;color:#30313d;-webkit-font-smoothing:antialiased}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
input{font:inherit;color:inherit;letter-spacing:inherit;background:transparent;border:0;outline:0;padding:0;margin:0;width:100%;min-width:0;height:1.2em;line-height:1.2em;-webkit-appearance:none;appearance:none;text-overflow:clip}
input::placeholder{color:#87909f;opacity:1}
input:disabled{cursor:default}
.is-disabled input{color:#a3acb9}
.row{display:flex;align-items:center;gap:10px;min-height:1.2em}
.icon{flex:none;display:inline-flex;width:24px;height:16px;align-items:center;justify-content:center;transition:opacity .15s}
.icon svg{display:block}
.kassa-card .row{gap:8px}
.kassa-card .field-number{flex:1 1 auto;min-width:6em}
.kassa-card .field-expiry{flex:0 0 4.4em}
.kassa-card .field-cvc{flex:0 0 3em}
.kassa-card .field-postal{flex:0 0 4.2em}
.kassa-card .number-collapsed .field-number{flex:0 0 4.1ch;min-width:0;font-variant-numeric:tabular-nums}
.kassa-card .number-collapsed .field-expiry,.kassa-card .number-collapsed .field-cvc,.kassa-card .number-collapsed .field-postal{flex-grow:1}
.kassa-split .field{flex:1 1 auto}
.field.invalid input{color:#df1b41}
.field.invalid .icon,.row .icon:has(+ .field.invalid){color:#df1b41}
.row:has(.field-number.invalid) .icon{color:#df1b41}
.kassa-payment{font-family:var(--k-font);font-size:var(--k-font-size);color:var(--k-text);padding:3px 3px 1px}
.kassa-payment .field{margin-bottom:calc(var(--k-spacing)*3)}
.kassa-payment .label{display:block;font-size:.875em;line-height:1.3;margin-bottom:calc(var(--k-spacing)*1);color:var(--k-text-secondary)}
.kassa-payment .input{display:flex;align-items:center;gap:8px;background:var(--k-background);border:1px solid var(--k-border);border-radius:var(--k-radius);padding:calc(var(--k-spacing)*3);box-shadow:0 1px 1px rgba(0,0,0,.03),0 3px 6px rgba(0,0,0,.02);transition:border-color .15s,box-shadow .15s}
.kassa-payment .input:focus-within{border-color:color-mix(in srgb,var(--k-primary) 50%,transparent);box-shadow:0 1px 1px rgba(0,0,0,.03),0 0 0 3px color-mix(in srgb,var(--k-primary) 25%,transparent)}
.kassa-payment input{height:1.25em;line-height:1.25em;color:var(--k-text)}
.kassa-payment input::placeholder{color:var(--k-placeholder)}
.kassa-payment .invalid .input{border-color:var(--k-danger);box-shadow:0 1px 1px rgba(0,0,0,.03),0 0 0 1px var(--k-danger)}
.kassa-payment .invalid input{color:var(--k-danger)}
.kassa-payment .error{color:var(--k-danger);font-size:.875em;line-height:1.3;margin-top:4px;min-height:0}
.kassa-payment .error:empty{display:none}
.kassa-payment .pair{display:grid;grid-template-columns:1fr 1fr;gap:calc(var(--k-spacing)*3)}
`;
