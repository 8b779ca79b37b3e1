// The test suite's own gates: in any CI, a missing PostgreSQL fails the run
// instead of silently skipping the PostgreSQL half (and a missing Chromium
// fails the browser tests), as KASSA_REQUIRE_* do anywhere.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { isRequired } from '../support/required.js';

const NO_CI: NodeJS.ProcessEnv = {};

test('CI requires PostgreSQL and Chromium; so do the KASSA_REQUIRE_* flags; elsewhere they are optional', () => {
  assert.equal(isRequired('KASSA_REQUIRE_POSTGRES', { CI: 'true' }), true);
  assert.equal(isRequired('KASSA_REQUIRE_BROWSER', { CI: '1' }), true);
  assert.equal(isRequired('KASSA_REQUIRE_POSTGRES', { KASSA_REQUIRE_POSTGRES: '1' }), true);
  assert.equal(isRequired('KASSA_REQUIRE_BROWSER', { KASSA_REQUIRE_BROWSER: '1' }), true);
  assert.equal(isRequired('KASSA_REQUIRE_POSTGRES', { KASSA_REQUIRE_BROWSER: '1' }), false);
  assert.equal(isRequired('KASSA_REQUIRE_POSTGRES', NO_CI), false);
  assert.equal(isRequired('KASSA_REQUIRE_POSTGRES', { CI: 'false' }), false);
  assert.equal(isRequired('KASSA_REQUIRE_POSTGRES', { CI: '' }), false);
});

/** Loads the store targets as a test file does, against a PostgreSQL that is not there. */
function loadTargets(env: NodeJS.ProcessEnv) {
  const script =
    "const { storeTargets } = await import('./test/support/stores.ts'); const t = await storeTargets(); console.log(JSON.stringify(t.map((x) => [x.name, Boolean(x.skip)])));";
  const { KASSA_REQUIRE_POSTGRES: _flag, CI: _ci, ...rest } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...rest, DATABASE_URL: 'postgres://127.0.0.1:1/test', ...env },
    encoding: 'utf8',
  });
}

test('with CI=true and no PostgreSQL, loading the store targets fails; without CI it skips the PostgreSQL half', () => {
  const inCi = loadTargets({ CI: 'true' });
  assert.notEqual(inCi.status, 0);
  assert.match(inCi.stderr, /not reachable.*CI \/ KASSA_REQUIRE_POSTGRES=1 requires it/);

  const outside = loadTargets({});
  assert.equal(outside.status, 0, outside.stderr);
  assert.deepEqual(JSON.parse(outside.stdout.trim()), [
    ['sqlite', false],
    ['postgres', true],
  ]);
  assert.match(outside.stderr, /NOTICE: skipping the PostgreSQL half/);
});
