// Checks formatting and lint (`npm run lint`), builds Kassa (tests that start
// `kassa serve` run the built server and Kassa.js), then runs every test file
// under test/ with Node's test runner (Node 20 has no glob support in --test).
// Extra arguments filter files by substring; a filtered run skips the lint.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return find(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);

if (filters.length === 0) {
  const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
  const lint = spawnSync(process.execPath, [biome, 'check', '--error-on-warnings', '.'], { stdio: 'inherit' });
  if (lint.status !== 0) {
    console.error(
      'biome check failed: `npm run format` fixes the formatting and the safe lint fixes; the rest is by hand',
    );
    process.exit(lint.status ?? 1);
  }
}

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const files = find('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=120000', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
