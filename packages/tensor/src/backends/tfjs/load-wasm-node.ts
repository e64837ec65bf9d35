import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Tf } from './kernels.js';
import { isNotFound, missingTfjsError } from './optional-peers.js';

type Require = ((id: string) => unknown) & { resolve(id: string): string };

/**
 * Loads tfjs-core and tfjs-backend-wasm through their CommonJS entries (tfjs's ESM build does
 * not load in plain Node: extensionless imports), so both share one tfjs-core instance, and
 * points the wasm backend at its `.wasm` binaries on disk. Either package missing (they are
 * optional peers of @ddopt/tensor) is an error that says what to install.
 */
export function loadTfjsWasmNode(require: Require = createRequire(import.meta.url)): Tf {
  const names = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'] as const;
  const missing = names.filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch (e) {
      if (isNotFound(e, name)) return true;
      throw e;
    }
  });
  if (missing.length > 0) throw missingTfjsError('@ddopt/tensor/wasm', missing);
  const tf = require('@tensorflow/tfjs-core') as Tf;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
  wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  return tf;
}
