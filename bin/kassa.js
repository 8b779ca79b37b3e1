#!/usr/bin/env node
// Runs the built Kassa (dist/server/kassa.js, made by `npm run build`, which `npm ci` runs).
let built;
try {
  built = await import('../dist/server/kassa.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/server/kassa.js')) throw error;
  console.error('kassa: Kassa is not built yet: run npm run build (npm ci does it).');
  process.exit(1);
}
const code = await built.main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
