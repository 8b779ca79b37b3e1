// Kassa.js as `npm run build` left it in dist/browser/ (scripts/build.mjs):
// the core bundle (what `<script src=".../v3/">` loads) and the frame bundle
// (what runs inside Kassa's iframes), each with the content hash that names
// its long-cached URL. Read once, on first use; nothing is bundled at run time.
import { readFileSync } from 'node:fs';

export interface BuiltScript {
  code: string;
  /** First 12 hex digits of the SHA-256 of the code. */
  hash: string;
  bytes: number;
  gzipBytes: number;
}

export interface KassaJsBundle {
  core: BuiltScript;
  frame: BuiltScript;
}

type ManifestEntry = Omit<BuiltScript, 'code'> & { file: string };

// The same folder from src/kassa-js/bundle.ts (tests, tsx) and from dist/server/kassa.js (the built server).
const DIST_BROWSER = new URL('../../dist/browser/', import.meta.url);

function load(): KassaJsBundle {
  let manifest: { core: ManifestEntry; frame: ManifestEntry };
  try {
    manifest = JSON.parse(readFileSync(new URL('manifest.json', DIST_BROWSER), 'utf8'));
  } catch (error) {
    throw new Error(`Kassa.js is not built (${(error as Error).message}): run npm run build`);
  }
  const script = ({ file, ...entry }: ManifestEntry): BuiltScript => ({
    ...entry,
    code: readFileSync(new URL(file, DIST_BROWSER), 'utf8'),
  });
  return { core: script(manifest.core), frame: script(manifest.frame) };
}

let loaded: KassaJsBundle | null = null;

/** The built bundles, read on first use. */
export async function kassaJsBundle(): Promise<KassaJsBundle> {
  loaded ??= load();
  return loaded;
}
