// tfjs is an optional peer of @ddopt/tensor: without it, starting 'wasm' says which packages to
// install (the consumer test does it for real in an install without tfjs). The resolver is faked
// here so the case runs in the workspace, where tfjs is installed.
import { describe, expect, it } from 'vitest';
import { initBackend, registerBackend } from '../../src/backend.js';
import { createTfjsBackend } from '../../src/backends/tfjs/backend.js';
import { loadTfjsWasmNode } from '../../src/backends/tfjs/load-wasm-node.js';
import pkg from '../../package.json';

function requireWithout(absent: readonly string[]) {
  const notFound = (id: string) => Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- /app/index.js`), { code: 'MODULE_NOT_FOUND' });
  const req = (id: string): unknown => {
    throw absent.includes(id) ? notFound(id) : new Error(`unexpected require of ${id}`);
  };
  req.resolve = (id: string): string => {
    if (absent.includes(id)) throw notFound(id);
    return `/app/node_modules/${id}/dist/index.js`;
  };
  return req;
}

describe('@ddopt/tensor/wasm without tfjs installed', () => {
  const version = pkg.peerDependencies['@tensorflow/tfjs-core'];

  it('names both missing packages and the install command', () => {
    expect(pkg.peerDependenciesMeta['@tensorflow/tfjs-backend-wasm']).toEqual({ optional: true });
    expect(() => loadTfjsWasmNode(requireWithout(['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm']))).toThrow(
      `@ddopt/tensor/wasm needs @tensorflow/tfjs-core and @tensorflow/tfjs-backend-wasm, optional peer dependencies of @ddopt/tensor that are not installed; install them with: npm install @tensorflow/tfjs-core@${version} @tensorflow/tfjs-backend-wasm@${version}`,
    );
  });

  it('names only the one that is missing', () => {
    expect(() => loadTfjsWasmNode(requireWithout(['@tensorflow/tfjs-backend-wasm']))).toThrow(
      `needs @tensorflow/tfjs-backend-wasm, optional peer dependency of @ddopt/tensor that is not installed; install it with: npm install @tensorflow/tfjs-backend-wasm@${version}`,
    );
  });

  it('passes on other failures unchanged', () => {
    const broken = requireWithout([]);
    broken.resolve = () => {
      throw new Error('EACCES: permission denied');
    };
    expect(() => loadTfjsWasmNode(broken)).toThrow('EACCES: permission denied');
  });

  it('reaches the user as the reason the backend could not start', async () => {
    registerBackend('wasm-without-tfjs', () => createTfjsBackend('wasm', loadTfjsWasmNode(requireWithout(['@tensorflow/tfjs-core']))));
    await expect(initBackend('wasm-without-tfjs')).rejects.toThrow(/backend "wasm-without-tfjs" could not start: @ddopt\/tensor\/wasm needs @tensorflow\/tfjs-core, .*npm install @tensorflow\/tfjs-core@/);
  });
});
