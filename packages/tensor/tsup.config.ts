import { packageConfig } from '@ddopt/tsup-config';
import { defineConfig } from 'tsup';

export default defineConfig({
  ...packageConfig({ index: 'src/index.ts', wasm: 'src/wasm.ts', webgl: 'src/webgl.ts', validate: 'src/validate/index.ts' }),
  // The wasm loader calls createRequire(import.meta.url); the shim makes that work in CJS.
  shims: true,
  // Shared chunks in CJS too, so '@ddopt/tensor/wasm' registers in the same backend registry
  // that '@ddopt/tensor' reads (without it each CJS entry would bundle its own copy).
  splitting: true,
});
