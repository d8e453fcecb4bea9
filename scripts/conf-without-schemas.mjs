// Bundled in place of ajv, ajv-formats and semver where conf imports them: conf uses them only for a `schema` or
// `migrations` option, and the companion's store passes neither (src/config/store.ts). They were ~380 KB of code
// loaded and kept by every daemon (issue 20: idle memory). Anything reaching them says why instead of validating.
const unsupported = () => {
  throw new Error("conf's schemas and migrations are not bundled (scripts/conf-without-schemas.mjs): the store passes neither");
};
export class Ajv2020 {
  constructor() {
    unsupported();
  }
}
export default { default: unsupported, eq: unsupported, clean: unsupported, satisfies: unsupported, lte: unsupported, gt: unsupported };
