// Shared tsup preset: every package ships ESM + CJS + .d.ts from the entries it names.
// Kept minimal on purpose so a later move to tsdown is a small change.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';

/**
 * Rewrites absolute `sources` in the source maps under `dir` relative to the map (tsup's CJS pass
 * records the build machine's path of the file it transformed, in `file` and `sources`), so published maps carry no
 * path of the machine that built them.
 * @param {string} dir the output folder, e.g. 'dist'
 */
export async function relativeSourceMaps(dir) {
  const root = resolve(dir);
  for (const name of await readdir(root)) {
    if (!name.endsWith('.map')) continue;
    const file = join(root, name);
    const map = JSON.parse(await readFile(file, 'utf8'));
    const absoluteFile = typeof map.file === 'string' && isAbsolute(map.file);
    if (!absoluteFile && !(Array.isArray(map.sources) && map.sources.some((s) => isAbsolute(s)))) continue;
    if (absoluteFile) map.file = relative(root, map.file);
    map.sources = (map.sources ?? []).map((s) => (isAbsolute(s) ? relative(root, s) : s));
    await writeFile(file, JSON.stringify(map));
  }
}

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
    onSuccess: () => relativeSourceMaps('dist'),
  };
}
