// Whether a test prerequisite (PostgreSQL, Chromium) must be there: in any CI
// (CI set, as every CI service sets it) or when its KASSA_REQUIRE_* flag is 1.
// Elsewhere a missing prerequisite skips its tests with a notice.
export function isRequired(
  flag: 'KASSA_REQUIRE_POSTGRES' | 'KASSA_REQUIRE_BROWSER',
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return ci || env[flag] === '1';
}
