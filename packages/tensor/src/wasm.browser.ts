// @ddopt/tensor/wasm for browsers and bundlers (the package's "browser" export condition):
// importing it registers the 'wasm' backend (tfjs-backend-wasm kernels, float32 / int32 / bool).
// tfjs loads when the backend first starts (`await setBackend('wasm')`), with tfjs-backend-wasm's
// binaries inlined in this build as data: URLs, so no bundler plugin, copied file or URL is needed.
import { listBackends, registerBackend } from '@ddopt/tensor';
import { createTfjsBackend } from './backends/tfjs/backend.js';
import type { Tf } from './backends/tfjs/kernels.js';
import { TFJS_VERSION } from './backends/tfjs/optional-peers.js';

async function loadTfjsWasmBrowser(): Promise<Tf> {
  const [tf, wasm, binaries] = await Promise.all([import('@tensorflow/tfjs-core'), import('@tensorflow/tfjs-backend-wasm'), import('./backends/tfjs/wasm-binaries.js')]);
  // The inlined binaries must be the ones the installed tfjs-backend-wasm's JavaScript was built with.
  if (wasm.version_wasm !== TFJS_VERSION) {
    throw new Error(
      `@ddopt/tensor/wasm carries the binaries of @tensorflow/tfjs-backend-wasm ${TFJS_VERSION}, but ${wasm.version_wasm} is installed; install @tensorflow/tfjs-backend-wasm@${TFJS_VERSION}`,
    );
  }
  // tfjs's threaded binary needs a cross-origin isolated page and its pthread workers; with threads
  // off it takes the SIMD binary where the browser validates SIMD, else the plain one.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasm.setWasmPaths({
    'tfjs-backend-wasm.wasm': binaries.plainWasmUrl,
    'tfjs-backend-wasm-simd.wasm': binaries.simdWasmUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': binaries.simdWasmUrl,
  });
  return tf as unknown as Tf;
}

/** Registers the 'wasm' backend (once); tfjs and its binaries load when the backend is first started. */
export function registerWasmBackend(): void {
  // Registering again would drop the started instance that existing tensors read through.
  if (listBackends().includes('wasm')) return;
  registerBackend('wasm', async () => createTfjsBackend('wasm', await loadTfjsWasmBrowser()));
}

registerWasmBackend();
