// Kassa.js built with esbuild from src/browser/, in memory, once per process
// (on first request): the core bundle (what `<script src=".../v3/">` loads)
// and the frame bundle (what runs inside Kassa's iframes). Each gets a
// content hash for its long-cached URL.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

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

const ENTRIES = {
  core: fileURLToPath(new URL('../browser/stripe.ts', import.meta.url)),
  frame: fileURLToPath(new URL('../browser/frame/main.ts', import.meta.url)),
};

async function bundle(entry: string): Promise<BuiltScript> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return {
    code,
    hash: createHash('sha256').update(code).digest('hex').slice(0, 12),
    bytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length,
  };
}

let built: Promise<KassaJsBundle> | null = null;

/** The bundles, built on first use; a failed build is retried on the next call. */
export function kassaJsBundle(): Promise<KassaJsBundle> {
  built ??= Promise.all([bundle(ENTRIES.core), bundle(ENTRIES.frame)]).then(([core, frame]) => ({ core, frame }));
  built.catch(() => (built = null));
  return built;
}
