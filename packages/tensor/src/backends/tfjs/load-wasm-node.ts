import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Tf } from './kernels.js';

/**
 * Loads tfjs-core and tfjs-backend-wasm through their CommonJS entries (tfjs's ESM build does
 * not load in plain Node: extensionless imports), so both share one tfjs-core instance, and
 * points the wasm backend at its `.wasm` binaries on disk.
 */
export function loadTfjsWasmNode(): Tf {
  const require = createRequire(import.meta.url);
  const tf = require('@tensorflow/tfjs-core') as Tf;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
  wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  return tf;
}
