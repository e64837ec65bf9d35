// Shared tsup preset: every package ships ESM + CJS + .d.ts from the entries it names.
// Kept minimal on purpose so a later move to tsdown is a small change.
/** @param {Record<string, string>} entry */
export function packageConfig(entry = { index: 'src/index.ts' }) {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    outExtension: ({ format }) => ({ js: format === 'cjs' ? '.cjs' : '.js' }),
  };
}
