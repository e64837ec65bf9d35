import { relativeSourceMaps } from '@ddopt/tsup-config';
import { defineConfig } from 'tsup';

// The browser build of '@ddopt/tensor/wasm' (the "browser" export condition), run after the main
// build: ESM only, tfjs external (an optional peer the app installs), '@ddopt/tensor' external so
// the app's one copy holds the backend registry, and tfjs-backend-wasm's .wasm binaries inlined
// as base64 in a chunk of their own that loads when the backend starts.
export default defineConfig({
  entry: { 'wasm.browser': 'src/wasm.browser.ts' },
  format: ['esm'],
  platform: 'browser',
  target: 'es2022',
  dts: false,
  clean: false,
  splitting: true,
  sourcemap: false,
  external: ['@ddopt/tensor', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'],
  noExternal: [/\.wasm$/],
  loader: { '.wasm': 'base64' },
  outExtension: () => ({ js: '.js' }),
  onSuccess: () => relativeSourceMaps('dist'),
});
