// The dependency rule of docs/architecture.md, checked on every relative
// import under src/: the store imports nothing of Kassa's, foundation folders
// never import a capability, capabilities never import each other, and only
// the entry points (the composition root, the CLI) name the capabilities.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Folders everything may build on. */
const FOUNDATION = ['server', 'store', 'openapi', 'accounts', 'events', 'jobs', 'network', 'money'];
/** Capabilities: each a module (src/module.ts) listed in src/modules.ts. */
const CAPABILITIES = ['customers', 'payments', 'webhooks', 'listen', 'kassa-js', 'billing'];
/** The module contract: types every folder may implement. */
const CONTRACT = 'module.ts';

/** What each part of src/ may import, besides itself. */
function mayImport(from: string, to: string, toFile: string): boolean {
  if (from === 'store') return false;
  if (from === 'browser') return toFile === 'network/card-brands.ts';
  if (to === CONTRACT) return true;
  if (FOUNDATION.includes(from)) return FOUNDATION.includes(to);
  if (CAPABILITIES.includes(from)) return FOUNDATION.includes(to);
  // Entry points and composition: cli/, kassa.ts, modules.ts, schema.ts, config.ts.
  return to !== 'browser';
}

/** The part of src/ a file belongs to: its top folder, or its own name at the top. */
const partOf = (file: string) => (file.includes('/') ? file.split('/')[0]! : file);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm),
    ...text.matchAll(/import\('(\.{1,2}\/[^']+)'\)/g),
  ].map((m) => m[1]!);
}

test('every import under src/ follows the dependency rule', () => {
  const broken: string[] = [];
  for (const path of sourceFiles(SRC)) {
    const file = relative(SRC, path);
    for (const specifier of relativeImports(path)) {
      const target = relative(SRC, resolve(dirname(path), specifier)).replace(/\.js$/, '.ts');
      const [from, to] = [partOf(file), partOf(target)];
      if (from !== to && !mayImport(from, to, target)) broken.push(`${file} imports ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('the rule catches what it forbids', () => {
  assert.equal(mayImport('store', 'server', 'server/ids.ts'), false);
  assert.equal(mayImport('server', 'payments', 'payments/index.ts'), false);
  assert.equal(mayImport('payments', 'customers', 'customers/index.ts'), false);
  assert.equal(mayImport('browser', 'server', 'server/ids.ts'), false);
  assert.equal(mayImport('payments', 'events', 'events/events.ts'), true);
  assert.equal(mayImport('cli', 'listen', 'listen/stripe-cli-messages.ts'), true);
});
