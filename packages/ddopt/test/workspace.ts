// The workspace's library packages (packages/*, not private) and their entries, loaded by name.
import { readFileSync, readdirSync } from 'node:fs';

const packagesDir = new URL('../../', import.meta.url);

/** Names of the library packages under packages/, without the umbrella itself. */
export function libraryPackages(): string[] {
  return readdirSync(packagesDir)
    .map((dir) => JSON.parse(readFileSync(new URL(`${dir}/package.json`, packagesDir), 'utf8')) as { name: string; private?: boolean })
    .filter((pkg) => !pkg.private && pkg.name !== 'ddopt')
    .map((pkg) => pkg.name)
    .sort();
}

/** Each package's entry as a namespace object, by package name. */
export async function loadEntries(names: readonly string[]): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const name of names) out[name] = { ...(await import(/* @vite-ignore */ name)) };
  return out;
}
