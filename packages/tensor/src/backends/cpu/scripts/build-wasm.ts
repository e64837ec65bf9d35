/**
 * Regenerates wasm/gemm-module.ts (the compiled WebAssembly gemm, base64) from wasm/gemm-wat.ts:
 *   pnpm --filter @ddopt/tensor build:wasm        (also the first step of the package's build)
 * With --wat, prints the module's text instead.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gemmWat } from '../wasm/gemm-wat.js';
import { compileGemmModules, moduleSource } from './compile-wasm.js';

if (process.argv.includes('--wat')) {
  process.stdout.write(gemmWat(false));
} else {
  const modules = await compileGemmModules();
  const out = fileURLToPath(new URL('../wasm/gemm-module.ts', import.meta.url));
  writeFileSync(out, moduleSource(modules));
  console.log(`wrote ${out} (${modules.plain.length} + ${modules.shared.length} bytes of WebAssembly)`);
}
