// The entry of the code that runs inside Kassa's frames (served from Kassa's
// origin): it reads what to show from the URL fragment and refuses to run
// unless the embedding page is the one the fragment names.
import { decodeFrameParams } from '../protocol.js';
import { startCardFrame } from './card-frame.js';
import { embeddedBy } from './parent-channel.js';
import { startWalletSheet } from './wallet-sheet.js';

const params = decodeFrameParams(window.location.hash);
if (!params || !embeddedBy(params.parentOrigin)) {
  document.body.textContent = 'This frame belongs to Kassa.js and works only inside the page that created it.';
} else if (params.kind === 'wallet') {
  startWalletSheet(params);
} else {
  startCardFrame(params);
}
