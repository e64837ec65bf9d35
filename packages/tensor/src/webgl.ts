// @ddopt/tensor/webgl — importing this registers the 'webgl' backend (tfjs-backend-webgl kernels,
// float32 / int32 / bool) for browsers. Start it with `await setBackend('webgl')`.
import { listBackends, registerBackend } from './backend.js';
import { createTfjsBackend } from './backends/tfjs/backend.js';
import type { Tf } from './backends/tfjs/kernels.js';
import { isNotFound, missingTfjsError } from './backends/tfjs/optional-peers.js';

// Loaded lazily: tfjs's ESM build does not load in plain Node, and importing this module there
// must still work (the backend then fails to start with a clear reason).
async function loadTfjsWebgl(): Promise<Tf> {
  if (typeof document === 'undefined' && typeof OffscreenCanvas === 'undefined') {
    throw new Error('webgl needs a browser (no document or OffscreenCanvas here); in Node use "wasm" or "cpu"');
  }
  // Optional peers of @ddopt/tensor: a missing one is an error that says what to install.
  const load = async <T>(name: '@tensorflow/tfjs-core' | '@tensorflow/tfjs-backend-webgl', imp: () => Promise<T>): Promise<T> => {
    try {
      return await imp();
    } catch (e) {
      if (isNotFound(e, name)) throw missingTfjsError('@ddopt/tensor/webgl', [name], e);
      throw e;
    }
  };
  const tf = await load('@tensorflow/tfjs-core', () => import('@tensorflow/tfjs-core'));
  await load('@tensorflow/tfjs-backend-webgl', () => import('@tensorflow/tfjs-backend-webgl'));
  return tf;
}

/** Registers the 'webgl' backend (once); tfjs loads when the backend is first started. */
export function registerWebglBackend(): void {
  // Registering again would drop the started instance that existing tensors read through.
  if (listBackends().includes('webgl')) return;
  registerBackend('webgl', async () => createTfjsBackend('webgl', await loadTfjsWebgl()));
}

registerWebglBackend();
