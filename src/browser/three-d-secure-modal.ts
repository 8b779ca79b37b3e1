// The 3-D Secure challenge in a modal over the merchant's page, as Stripe.js
// shows it: a native <dialog> (the rest of the page is inert, focus stays in
// the dialog), a dimmed backdrop, the issuer's page in an iframe. The frame's
// `kassa-3ds-complete` message (checked: Kassa's origin, this iframe) ends
// it. Escape (on the dialog, or in the frame, which reports it) or the close
// button cancel, which fails the authentication.

export type ChallengeOutcome = 'answered' | 'cancelled';

const STYLE_ID = '__kassa-3ds-style';
const CSS = `
dialog.__KassaChallenge{padding:0;border:0;border-radius:14px;width:min(480px,calc(100vw - 24px));max-width:none;max-height:calc(100vh - 24px);overflow:hidden;background:#f6f9fc;color:#30313d;box-shadow:0 30px 60px -12px rgba(50,50,93,.3),0 18px 36px -18px rgba(0,0,0,.35);font:14px/1.4 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",sans-serif}
dialog.__KassaChallenge::backdrop{background:rgba(26,27,37,.55)}
dialog.__KassaChallenge .__k-head{display:flex;align-items:center;justify-content:space-between;gap:12px;padding:10px 12px 10px 18px;background:#fff;border-bottom:1px solid #ebeef1}
dialog.__KassaChallenge .__k-title{display:flex;align-items:center;gap:8px;font-weight:600;color:#1a1b25;margin:0;font-size:14px}
dialog.__KassaChallenge .__k-close{display:inline-flex;align-items:center;justify-content:center;width:32px;height:32px;border:0;border-radius:8px;background:transparent;color:#6a7383;cursor:pointer;padding:0}
dialog.__KassaChallenge .__k-close:hover{background:#f1f3f6;color:#30313d}
dialog.__KassaChallenge .__k-close:focus-visible{outline:3px solid rgba(99,91,255,.45);outline-offset:1px}
dialog.__KassaChallenge iframe{display:block;width:100%;height:min(600px,calc(100vh - 90px));border:0;background:#f6f9fc}
`;
const LOCK =
  '<svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="#635bff" stroke-width="2.2" aria-hidden="true"><rect x="4" y="10" width="16" height="11" rx="2.5"/><path d="M8 10V7a4 4 0 0 1 8 0v3"/></svg>';
const CLOSE =
  '<svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>';

function ensureStyle(): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  document.head.appendChild(style);
}

/** Shows the challenge at `url` (a page of Kassa's `origin`) and resolves once the customer answered or cancelled. */
export function showChallenge(url: string, origin: string): Promise<ChallengeOutcome> {
  ensureStyle();
  const dialog = document.createElement('dialog');
  dialog.className = '__KassaChallenge';
  dialog.setAttribute('aria-labelledby', '__kassa-3ds-title');
  dialog.innerHTML = `<div class="__k-head"><h2 class="__k-title" id="__kassa-3ds-title">${LOCK}Confirm your payment</h2><button type="button" class="__k-close" aria-label="Cancel authentication">${CLOSE}</button></div>`;
  const iframe = document.createElement('iframe');
  iframe.title = '3-D Secure authentication';
  iframe.src = url;
  iframe.setAttribute('allow', 'payment *');
  dialog.appendChild(iframe);
  document.body.appendChild(dialog);
  const overflow = document.documentElement.style.overflow;
  document.documentElement.style.overflow = 'hidden';
  dialog.showModal();
  iframe.focus();

  return new Promise<ChallengeOutcome>((resolve) => {
    let done = false;
    const finish = (outcome: ChallengeOutcome) => {
      if (done) return;
      done = true;
      window.removeEventListener('message', onMessage);
      dialog.close();
      dialog.remove();
      document.documentElement.style.overflow = overflow;
      resolve(outcome);
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== origin || event.source !== iframe.contentWindow) return;
      const data = event.data as { type?: string } | null;
      if (data && data.type === 'kassa-3ds-complete') finish('answered');
      // Escape pressed inside the issuer's page: the same as Escape on the dialog.
      if (data && data.type === 'kassa-3ds-escape') void cancel();
    };
    window.addEventListener('message', onMessage);
    const cancel = async () => {
      if (done) return;
      // Closing the challenge is not a success: tell the issuer page the customer failed it.
      try {
        await fetch(url, {
          method: 'POST',
          mode: 'no-cors',
          credentials: 'omit',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'answer=fail',
        });
      } catch {
        // The intent stays in requires_action; the caller reads it back either way.
      }
      finish('cancelled');
    };
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      void cancel();
    });
    dialog.querySelector('.__k-close')!.addEventListener('click', () => void cancel());
  });
}
