// No exported name means two things: two packages may export the same name only when it is the
// same value (a re-export, like layers' relu from tensor), so `ddopt` can re-export them all.
import { describe, expect, it } from 'vitest';
import { libraryPackages, loadEntries } from './workspace.js';

/** "name: pkgA, pkgB" for every name two packages bind to different values. */
function collisions(entries: Record<string, Record<string, unknown>>): string[] {
  const byName = new Map<string, { pkg: string; value: unknown }[]>();
  for (const [pkg, ns] of Object.entries(entries)) {
    for (const [name, value] of Object.entries(ns)) {
      // Each package's `version` is its own by design (the umbrella re-exports no version placeholder).
      if (name === 'default' || name === 'version') continue;
      byName.set(name, [...(byName.get(name) ?? []), { pkg, value }]);
    }
  }
  const out: string[] = [];
  for (const [name, seen] of byName) {
    if (seen.some((s) => s.value !== seen[0]!.value)) out.push(`${name}: ${seen.map((s) => s.pkg).join(', ')}`);
  }
  return out.sort();
}

describe('exported names across packages', () => {
  it('finds every library package', () => {
    expect(libraryPackages()).toEqual(expect.arrayContaining(['@ddopt/tensor', '@ddopt/autograd', '@ddopt/layers', '@ddopt/optimizers', '@ddopt/datasets']));
  });

  it('binds each name to one value across all packages', async () => {
    expect(collisions(await loadEntries(libraryPackages()))).toEqual([]);
  });

  it('lists the offenders when two packages disagree', () => {
    const f = () => 0;
    expect(collisions({ '@a': { x: f, y: 1, z: f }, '@b': { x: () => 0, y: 1, z: f }, '@c': { x: f } })).toEqual(['x: @a, @b, @c']);
  });
});
