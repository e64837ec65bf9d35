// tfjs-backend-wasm's binaries, inlined by the browser build (esbuild's base64 loader; see
// tsup.browser.config.ts) and loaded only when the browser 'wasm' backend starts.
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm';

/** tfjs-backend-wasm.wasm (no SIMD) as a data: URL. */
export const plainWasmUrl = `data:application/wasm;base64,${plain}`;
/** tfjs-backend-wasm-simd.wasm as a data: URL. */
export const simdWasmUrl = `data:application/wasm;base64,${simd}`;
