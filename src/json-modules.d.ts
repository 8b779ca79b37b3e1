// JSON data files (Stripe's spec, the test cards) are imported as modules, so
// that the build bundles them; each module casts the value to its own type.
// Typed as unknown here: inferring types from megabytes of JSON would slow
// the type checker by minutes.
declare module '*.json' {
  const value: unknown;
  export default value;
}
