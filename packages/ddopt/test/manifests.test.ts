// The published manifests, checked in the workspace (scripts/consumer/run.mjs checks the packed
// tarballs themselves): what a user installs must not depend on files or conditions that exist
// only here, and tensor (with autograd) must be one instance per process.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const packagesDir = new URL('../../', import.meta.url);

interface Manifest {
  name: string;
  private?: boolean;
  description?: string;
  repository?: { directory?: string };
  homepage?: string;
  engines?: { node?: string };
  files?: string[];
  exports: Record<string, unknown>;
  typesVersions?: Record<string, Record<string, string[]>>;
  publishConfig?: { exports?: unknown };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

const packages = readdirSync(packagesDir)
  .filter((dir) => existsSync(new URL(`${dir}/package.json`, packagesDir)))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(new URL(`${dir}/package.json`, packagesDir), 'utf8')) as Manifest }))
  .filter(({ pkg }) => !pkg.private);

/** `exports` with every `source` condition removed, as it must be published. */
function withoutSource(x: unknown): unknown {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return x;
  return Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'source').map(([k, v]) => [k, withoutSource(v)]));
}

/** The packages a package's sources import (tests excluded): `from 'x'`, `import('x')`, `require('x')`, subpaths folded. */
function importedPackages(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (sub: string): void => {
    const url = new URL(`${dir}/${sub}`, packagesDir);
    for (const entry of readdirSync(url, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(`${sub}/${entry.name}`);
      else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        const text = readFileSync(new URL(`${dir}/${sub}/${entry.name}`, packagesDir), 'utf8');
        for (const m of text.matchAll(/(?:from |import\(|require\()'((?:@[\w.-]+\/)?[\w.-]+)(?:\/[^']*)?'/g)) out.add(m[1]!);
      }
    }
  };
  walk('src');
  return out;
}

const ONE_INSTANCE = ['@ddopt/tensor', '@ddopt/autograd'];

describe.each(packages.map(({ dir, pkg }) => [pkg.name, dir, pkg] as const))('%s', (name, dir, pkg) => {
  it('publishes its exports without the source condition (publishConfig.exports)', () => {
    expect(JSON.stringify(pkg.exports)).toContain('"source"');
    expect(pkg.publishConfig?.exports).toEqual(withoutSource(pkg.exports));
  });

  it('maps every subpath for node10 resolution (typesVersions)', () => {
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== '.' && k !== './package.json');
    expect(Object.keys(pkg.typesVersions?.['*'] ?? {}).sort()).toEqual(subpaths.map((s) => s.slice(2)).sort());
  });

  it('ships a LICENSE and says where it comes from', () => {
    expect(pkg.files).toContain('LICENSE');
    expect(readFileSync(new URL(`${dir}/LICENSE`, packagesDir), 'utf8')).toMatch(/^MIT License/);
    expect(pkg.description?.trim()).not.toBe('');
    expect(pkg.repository?.directory).toBe(`packages/${dir}`);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.engines?.node).toBe('>=20');
  });

  it('takes @ddopt/tensor and @ddopt/autograd as peers and declares every package it imports', () => {
    const imported = importedPackages(dir);
    imported.delete(name);
    for (const dep of ONE_INSTANCE) {
      expect(pkg.dependencies?.[dep], `${dep} in dependencies`).toBeUndefined();
      if (imported.has(dep)) {
        expect(pkg.peerDependencies?.[dep]).toBe('workspace:0.x');
        expect(pkg.devDependencies?.[dep]).toBe('workspace:*');
      }
    }
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    expect([...imported].filter((d) => d.startsWith('@ddopt/') || d === 'ddopt').filter((d) => !declared.has(d))).toEqual([]);
  });

  it('depends on nothing its sources do not import', () => {
    const imported = importedPackages(dir);
    const declared = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
    expect(declared.filter((d) => !imported.has(d))).toEqual([]);
  });

  it('hard-codes no version (a version constant comes from package.json, so a release bumps it)', () => {
    const index = readFileSync(new URL(`${dir}/src/index.ts`, packagesDir), 'utf8');
    expect(index).not.toMatch(/version\s*(?::\s*string)?\s*=\s*['"`]\d/);
  });

  it.runIf(name === '@ddopt/tensor')('takes tfjs as optional peers only', () => {
    for (const t of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgl']) {
      expect(pkg.dependencies?.[t]).toBeUndefined();
      expect(pkg.peerDependencies?.[t]).toMatch(/^\d+\.\d+\.\d+$/);
      expect(pkg.peerDependenciesMeta?.[t]).toEqual({ optional: true });
    }
  });
});
