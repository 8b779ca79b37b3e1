// The shop's one stylesheet, served inline with every page.
export const STYLES = `
:root{--ink:#1f2a44;--muted:#5f6b85;--line:#e3e7ef;--bg:#f6f7fb;--card:#fff;--accent:#4f5bd5;--accent-dark:#3b46b8;--ok:#1f8a5b;--ok-bg:#e6f5ee;--warn:#9a6700;--warn-bg:#fff6dd;--bad:#c0392b;--bad-bg:#fdecea}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent)}
header.site{background:var(--card);border-bottom:1px solid var(--line)}
header.site .bar{max-width:1040px;margin:0 auto;padding:14px 24px;display:flex;align-items:center;gap:12px}
header.site .brand{display:flex;align-items:center;gap:10px;font-weight:700;font-size:18px;color:var(--ink);text-decoration:none;letter-spacing:-.01em}
header.site nav{margin-left:auto;display:flex;gap:20px}
header.site nav a{color:var(--muted);text-decoration:none;font-weight:500}
header.site nav a:hover,header.site nav a[aria-current]{color:var(--ink)}
main{max-width:1040px;margin:0 auto;padding:32px 24px 48px}
h1{font-size:28px;margin:0 0 6px;letter-spacing:-.02em}
h2{font-size:17px;margin:0 0 14px}
.lead{color:var(--muted);margin:0 0 28px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:24px}
.product{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:16px;display:flex;flex-direction:column;gap:10px}
.product .art{width:100%;height:auto;display:block}
.product h2{margin:6px 0 0;font-size:18px}
.product .tagline{color:var(--muted);margin:0;font-size:14px}
.product p.description{margin:0;color:#38425c;font-size:14px;flex:1}
.product .buy{display:flex;align-items:center;justify-content:space-between;margin-top:6px}
.price{font-weight:700;font-size:18px}
.button{display:inline-flex;align-items:center;justify-content:center;gap:8px;background:var(--accent);color:#fff;border:0;border-radius:8px;padding:10px 18px;font:600 15px/1.2 inherit;text-decoration:none;cursor:pointer}
.button:hover{background:var(--accent-dark)}
.button:disabled{opacity:.7;cursor:default}
.button.secondary{background:#fff;color:var(--ink);border:1px solid var(--line)}
.checkout{display:grid;grid-template-columns:minmax(0,1.35fr) minmax(0,1fr);gap:28px;align-items:start}
@media (max-width:820px){.checkout{grid-template-columns:1fr}}
.panel{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:24px}
fieldset{border:0;margin:0 0 22px;padding:0}
legend{font-weight:700;font-size:15px;margin-bottom:10px;padding:0}
label{display:block;font-size:13px;font-weight:600;color:#38425c;margin:0 0 5px}
.field{margin-bottom:12px}
.row{display:grid;grid-template-columns:1fr 1fr;gap:12px}
input,select{width:100%;padding:10px 12px;border:1px solid #cfd5e1;border-radius:8px;font:15px inherit;color:var(--ink);background:#fff}
input:focus,select:focus{outline:none;border-color:var(--accent);box-shadow:0 0 0 3px rgba(79,91,213,.18)}
.card-field{padding:11px 12px;border:1px solid #cfd5e1;border-radius:8px;background:#fff;min-height:44px}
.card-field.StripeElement--focus{border-color:var(--accent);box-shadow:0 0 0 3px rgba(79,91,213,.18)}
.card-field.StripeElement--invalid{border-color:var(--bad)}
.field-error{color:var(--bad);font-size:13px;min-height:20px;margin-top:6px}
.field .field-error{min-height:0;margin-top:4px}
.field .field-error:empty,#form-error:empty{display:none}
.hint{background:#f1f3fa;border-radius:8px;padding:10px 12px;font-size:13px;color:var(--muted);margin:4px 0 18px}
.hint code{color:var(--ink);font-size:13px}
.pay{width:100%;padding:13px 18px;font-size:16px}
.spinner{width:16px;height:16px;border:2.5px solid rgba(255,255,255,.45);border-top-color:#fff;border-radius:50%;animation:spin .7s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
.summary .line{display:flex;gap:14px;align-items:center;padding-bottom:16px;border-bottom:1px solid var(--line)}
.summary .line .art{width:84px;height:auto;flex:none}
.summary .line .what{flex:1}
.summary .line .what strong{display:block}
.summary .line .what span{color:var(--muted);font-size:13px}
.summary .qty{display:flex;align-items:center;gap:8px;margin-top:6px}
.summary .qty select{width:auto;padding:4px 8px;font-size:14px}
.totals{margin:14px 0 0;display:grid;grid-template-columns:1fr auto;row-gap:6px;font-size:14px}
.totals dt{color:var(--muted)}
.totals dd{margin:0;text-align:right;padding-left:12px}
.totals .total{font-weight:700;font-size:17px;color:var(--ink);padding-top:8px;border-top:1px solid var(--line)}
.secure{display:flex;align-items:center;gap:6px;color:var(--muted);font-size:12px;margin-top:14px;justify-content:center}
.badge{display:inline-block;white-space:nowrap;vertical-align:middle;padding:3px 10px;border-radius:999px;font-size:13px;font-weight:600}
.badge.paid{background:var(--ok-bg);color:var(--ok)}
.badge.awaiting_payment{background:var(--warn-bg);color:var(--warn)}
.badge.payment_failed{background:var(--bad-bg);color:var(--bad)}
.status{display:flex;gap:18px;align-items:flex-start}
.status .icon{flex:none;width:48px;height:48px;border-radius:50%;display:grid;place-items:center}
.status .icon.paid{background:var(--ok-bg)}
.status .icon.waiting{background:var(--warn-bg)}
.status .icon.failed{background:var(--bad-bg)}
.status h1{font-size:24px}
.waiting-dots{display:inline-flex;gap:4px}
.waiting-dots i{width:7px;height:7px;border-radius:50%;background:var(--warn);animation:pulse 1.2s infinite ease-in-out}
.waiting-dots i:nth-child(2){animation-delay:.2s}.waiting-dots i:nth-child(3){animation-delay:.4s}
@keyframes pulse{0%,80%,100%{opacity:.25}40%{opacity:1}}
.details{display:grid;grid-template-columns:1fr 1fr;gap:24px;margin-top:24px;align-items:start}
@media (max-width:820px){.details{grid-template-columns:1fr}}
.details address{font-style:normal;color:#38425c}
.timeline{list-style:none;margin:0;padding:0;font-size:14px}
.timeline li{padding:6px 0 6px 18px;position:relative;color:#38425c}
.timeline li::before{content:"";position:absolute;left:2px;top:13px;width:7px;height:7px;border-radius:50%;background:var(--accent)}
.timeline time{color:var(--muted);font-size:12px;display:block}
table.orders{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:14px;overflow:hidden}
table.orders th,table.orders td{text-align:left;padding:12px 16px;border-bottom:1px solid var(--line);font-size:14px}
table.orders td{white-space:nowrap}
table.orders td.items{white-space:normal}
table.orders th{background:#f1f3fa;color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
table.orders tr:last-child td{border-bottom:0}
table.orders td.amount{text-align:right;font-variant-numeric:tabular-nums}
.empty{background:var(--card);border:1px dashed #cfd5e1;border-radius:14px;padding:40px;text-align:center;color:var(--muted)}
footer.site{max-width:1040px;margin:0 auto;padding:0 24px 32px;color:var(--muted);font-size:13px}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.actions{display:flex;gap:10px;margin-top:18px;flex-wrap:wrap}
`;
