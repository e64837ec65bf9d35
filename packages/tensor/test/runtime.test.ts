// One runtime per process: two loaded copies of @ddopt/tensor (an ESM and a CJS load, or a nested
// install) share the hook stack, the backend registry, the tidy scopes and the tensor ids, and a
// copy of another version refuses to load. Before, a second copy had its own hook stack, so
// autograd's hook never saw the user's ops and gradients came out as zeros.
import { describe, expect, it, vi } from 'vitest';
import { version } from '../package.json';
import { RUNTIME_KEY, type Runtime, sharedRuntime } from '../src/runtime.js';

type Tensor = typeof import('../src/index.js');

async function twoCopies(): Promise<[Tensor, Tensor]> {
  const a = await import('../src/index.js');
  vi.resetModules();
  const b = await import('../src/index.js');
  return [a, b];
}

describe('two copies of the same version', () => {
  it('are two module instances that share one hook stack', async () => {
    const [a, b] = await twoCopies();
    expect(b.bind).not.toBe(a.bind);
    const seen: string[] = [];
    const y = a.withBindHook(
      (p, inputs, attrs, next) => {
        seen.push(p);
        return next(p, inputs, attrs);
      },
      () => b.exp(b.tensor([0, 1], { dtype: 'float64' })),
    );
    expect(seen).toEqual(['exp']);
    expect(Array.from(y.dataSync())).toEqual([1, Math.E]);
  });

  it('share the backend registry, the current backend and the tidy scopes', async () => {
    const [a, b] = await twoCopies();
    const cpu = await a.initBackend('cpu');
    b.registerBackend('twin-cpu', () => ({ ...cpu, name: 'twin-cpu' }));
    expect(a.listBackends()).toContain('twin-cpu');
    await a.setBackend('twin-cpu');
    try {
      expect(b.getBackend()).toBe('twin-cpu');
      expect(b.tensor([1, 2]).backend).toBe('twin-cpu');
    } finally {
      await b.setBackend('cpu');
    }
    expect(a.getBackend()).toBe('cpu');
    let inner: { isDisposed: boolean } | undefined;
    const kept = a.tidy(() => {
      inner = b.tensor([1, 2, 3]);
      return b.tensor([4]);
    });
    expect(inner!.isDisposed).toBe(true);
    expect(kept.isDisposed).toBe(false);
  });

  it('number tensors from one counter', async () => {
    const [a, b] = await twoCopies();
    const ids = [a.tensor(1).id, b.tensor(1).id, a.tensor(1).id, b.tensor(1).id];
    expect(new Set(ids).size).toBe(4);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
  });
});

describe('a copy of another version', () => {
  it('refuses to load, naming both versions and where each came from', async () => {
    const rt = (globalThis as { [RUNTIME_KEY]?: Runtime })[RUNTIME_KEY]!;
    expect(rt.version).toBe(version);
    const fake = { ...rt, version: '0.0.0-other', path: '/elsewhere/node_modules/@ddopt/tensor/dist/index.js' };
    Object.defineProperty(globalThis, RUNTIME_KEY, { value: fake, configurable: true, enumerable: false, writable: false });
    try {
      vi.resetModules();
      const loading = import('../src/index.js');
      await expect(loading).rejects.toThrow('two different versions are loaded in one process: 0.0.0-other from /elsewhere/node_modules/@ddopt/tensor/dist/index.js');
      await expect(loading).rejects.toThrow(new RegExp(`and ${version.replace(/\./g, '\\.')} from /\\S+/packages/tensor/src/runtime\\.ts`));
    } finally {
      Object.defineProperty(globalThis, RUNTIME_KEY, { value: rt, configurable: true, enumerable: false, writable: false });
    }
  });

  it('is told apart by version only: the same version from another path shares the runtime', () => {
    const rt = (globalThis as { [RUNTIME_KEY]?: Runtime })[RUNTIME_KEY]!;
    expect(sharedRuntime(version, '/another/copy/index.js')).toBe(rt);
    expect(() => sharedRuntime('99.0.0', '/another/copy/index.js')).toThrow(`${rt.version} from ${rt.path} and 99.0.0 from /another/copy/index.js`);
  });
});
