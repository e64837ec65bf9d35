import { describe, expect, it } from 'vitest';
import { compileGemmModules } from '../scripts/compile-wasm.js';
import { GEMM_WASM, GEMM_WASM_SHARED } from '../wasm/gemm-module.js';

describe('wasm/gemm-module.ts', () => {
  it('holds exactly what wabt compiles from gemm-wat.ts today (run `pnpm --filter @ddopt/tensor build:wasm` if not)', async () => {
    const fresh = await compileGemmModules();
    expect(Buffer.from(fresh.plain).toString('base64')).toBe(GEMM_WASM);
    expect(Buffer.from(fresh.shared).toString('base64')).toBe(GEMM_WASM_SHARED);
  });

  it('validates as WebAssembly with SIMD, both variants', () => {
    for (const b64 of [GEMM_WASM, GEMM_WASM_SHARED]) expect(WebAssembly.validate(Buffer.from(b64, 'base64'))).toBe(true);
  });
});
