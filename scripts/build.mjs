// `npm run build` (also run by `npm ci` through `prepare`, and before the
// tests and benchmarks): Kassa's server as one ES module, dist/server/kassa.js, that
// bin/kassa.js runs; and Kassa.js, the browser library, as two minified
// scripts named by content hash under dist/browser/, with a manifest that the
// server reads. Nothing compiles or bundles at run time. Plain JavaScript, so
// that it needs only esbuild.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const path = (relative) => new URL(relative, root).pathname;

/** Replaces a file in one step, so that a server starting while another build runs never reads half of it. */
function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

async function buildServer() {
  const result = await build({
    entryPoints: [path('src/cli/main.ts')],
    outfile: path('dist/server/kassa.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Runtime dependencies stay in node_modules (better-sqlite3 is native).
    packages: 'external',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
  });
  mkdirSync(path('dist/server'), { recursive: true });
  for (const output of result.outputFiles) writeAtomically(output.path, output.contents);
}

/** One browser script: minified, named `<name>.<first 12 hex of its SHA-256>.js`. */
async function buildBrowserScript(name, entry) {
  const result = await build({
    entryPoints: [path(entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
  const file = `${name}.${hash}.js`;
  writeAtomically(path(`dist/browser/${file}`), code);
  return { file, hash, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).length };
}

async function buildKassaJs() {
  mkdirSync(path('dist/browser'), { recursive: true });
  const [core, frame] = await Promise.all([
    buildBrowserScript('kassa', 'src/browser/stripe.ts'),
    buildBrowserScript('frame', 'src/browser/frame/main.ts'),
  ]);
  writeAtomically(path('dist/browser/manifest.json'), `${JSON.stringify({ core, frame }, null, 2)}\n`);
  // Earlier builds' scripts go once the manifest no longer names them.
  for (const name of readdirSync(path('dist/browser'))) {
    if (/^(kassa|frame)\.[0-9a-f]{12}\.js$/.test(name) && name !== core.file && name !== frame.file)
      rmSync(path(`dist/browser/${name}`), { force: true });
  }
}

await Promise.all([buildServer(), buildKassaJs()]);
