// @ddopt/tensor/wasm — importing this registers the 'wasm' backend (tfjs-backend-wasm kernels,
// float32 / int32 / bool) for Node. Start it with `await setBackend('wasm')` or `initBackend('wasm')`.
import { listBackends, registerBackend } from './backend.js';
import { createTfjsBackend } from './backends/tfjs/backend.js';
import { loadTfjsWasmNode } from './backends/tfjs/load-wasm-node.js';

/** Registers the 'wasm' backend (once); tfjs loads when the backend is first started. */
export function registerWasmBackend(): void {
  // Registering again would drop the started instance that existing tensors read through.
  if (listBackends().includes('wasm')) return;
  registerBackend('wasm', () => createTfjsBackend('wasm', loadTfjsWasmNode()));
}

registerWasmBackend();
