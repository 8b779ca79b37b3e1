// Builds the browser scripts with esbuild when the shop starts, into memory.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export const CLIENT_ENTRIES = {
  checkout: join(HERE, 'client/checkout.ts'),
  confirmation: join(HERE, 'client/confirmation.ts'),
  'react-checkout': join(HERE, 'client/react-checkout.jsx'),
};

/** Script name (`checkout.js`, ...) to its bundled source. */
export async function bundleClient(): Promise<Map<string, string>> {
  const outdir = join(HERE, 'assets'); // nothing is written there: write is false
  const result = await build({
    entryPoints: CLIENT_ENTRIES,
    bundle: true,
    write: false,
    outdir,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return new Map(result.outputFiles.map((file) => [file.path.slice(outdir.length + 1), file.text]));
}
