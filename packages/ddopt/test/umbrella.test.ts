// `ddopt` re-exports every library package that has content, each name bound to the package's value.
import * as ddopt from 'ddopt';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { libraryPackages, loadEntries } from './workspace.js';

// tensor and autograd are peers (one instance per process), the packages above them dependencies.
const included = [...Object.keys(pkg.peerDependencies), ...Object.keys(pkg.dependencies)].sort();

describe('ddopt', () => {
  it('depends on every library package that exports more than a version placeholder', async () => {
    const entries = await loadEntries(libraryPackages());
    const withContent = Object.entries(entries)
      .filter(([, ns]) => Object.keys(ns).some((k) => k !== 'version' && k !== 'default'))
      .map(([name]) => name)
      .sort();
    expect(included).toEqual(withContent);
  });

  it('exports every name of the packages it includes, bound to the same value', async () => {
    const umbrella: Record<string, unknown> = { ...ddopt };
    const missing: string[] = [];
    for (const [name, ns] of Object.entries(await loadEntries(included))) {
      for (const [k, v] of Object.entries(ns)) if (k !== 'default' && umbrella[k] !== v) missing.push(`${name}.${k}`);
    }
    expect(missing).toEqual([]);
  });

  it('runs the README example (examples/quickstart.ts) from one import', async () => {
    const { trainAccuracy } = await import('../examples/quickstart.js');
    expect(trainAccuracy).toBeGreaterThan(0.9);
  });
});
