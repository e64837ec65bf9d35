/**
 * Loads the cpu backend's WebAssembly SIMD gemm (compiled from gemm-wat.ts, shipped as base64 in
 * gemm-module.ts) and says whether the backend uses it: where WebAssembly SIMD validates and
 * compiles, unless `DDOPT_CPU_WASM=0` is set or `setCpuWasm(false)` was called.
 */
import { GEMM_WASM, GEMM_WASM_SHARED } from './gemm-module.js';
import { MAX_PAGES } from './layout.js';

type Gemm = (a: number, pb: number, c: number, k: number, n: number, kb: number, i0: number, i1: number, work: number) => void;
type PackB = (b: number, k: number, n: number, kb: number, out: number) => void;
type Symv = (a: number, lda: number, n: number, v: number, y: number) => void;
type UnfoldT = (x: number, c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number, dh: number, dw: number, oh: number, ow: number, out: number) => void;
type Unfold = (x: number, c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number, dh: number, dw: number, oh: number, ow: number, kb: number, out: number) => void;

/** The module's exports (byte addresses into its memory); see gemm-wat.ts. */
export interface GemmExports {
  gemm_f64: Gemm;
  gemm_f32: Gemm;
  pack_b_f64: PackB;
  pack_b_f32: PackB;
  unfold_f64: Unfold;
  unfold_f32: Unfold;
  unfold_t_f64: UnfoldT;
  unfold_t_f32: UnfoldT;
  symv_f64: Symv;
}

/** One instance of the module with its memory (shared with worker threads when `shared`). */
export interface WasmGemm {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly exports: GemmExports;
  readonly shared: boolean;
}

// undefined: not tried yet; null: unavailable here (no WebAssembly SIMD, or it failed to load).
let loaded: WasmGemm | null | undefined;
let enabled: boolean | undefined;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** DDOPT_CPU_WASM from the environment: '0' turns the wasm kernel off, '1' or unset leaves it on. */
function envEnabled(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.DDOPT_CPU_WASM;
  if (env === undefined || env === '' || env === '1') return true;
  if (env === '0') return false;
  throw new RangeError(`DDOPT_CPU_WASM: expected 0 or 1, got '${env}'`);
}

/** Compiles and instantiates one variant; null where WebAssembly SIMD (or a shared memory) is unavailable. */
function instantiate(shared: boolean): WasmGemm | null {
  try {
    if (typeof WebAssembly !== 'object') return null;
    const bytes = decode(shared ? GEMM_WASM_SHARED : GEMM_WASM);
    // validate() is the feature test: the module uses 128-bit SIMD throughout.
    if (!WebAssembly.validate(bytes)) return null;
    const module = new WebAssembly.Module(bytes);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    return { module, memory, exports: instance.exports as unknown as GemmExports, shared };
  } catch {
    // A browser may refuse to compile synchronously, or shared memory without cross-origin isolation.
    return null;
  }
}

/**
 * The loaded module, or null when the JavaScript kernel is to be used (disabled, or no SIMD).
 * `shared` asks for a shared memory (for worker threads; check `.shared` on the result); once
 * shared, it stays shared.
 */
export function wasmGemm(shared = false): WasmGemm | null {
  enabled ??= envEnabled();
  if (!enabled) return null;
  if (loaded === undefined) {
    loaded = instantiate(shared) ?? (shared ? instantiate(false) : null);
  } else if (loaded && shared && !loaded.shared) {
    // Worker threads started after single-threaded use: move to a shared memory if there is one
    // (operands are copied in per product, so nothing is lost), else stay single-threaded.
    loaded = instantiate(true) ?? loaded;
  }
  return loaded ?? null;
}

// A second instance with a plain memory of its own (see wasmScratch); undefined: not made yet.
let scratch: WasmGemm | null | undefined;

/**
 * A second instance of the module with a memory of its own, for kernels whose operands stay in
 * WebAssembly memory across many calls (the linalg routines' symv holds a matrix there while the
 * gemm's calls in between reuse their own memory); null when the WebAssembly kernels are off
 * (setCpuWasm, DDOPT_CPU_WASM) or unavailable.
 */
export function wasmScratch(): WasmGemm | null {
  if (!cpuWasm()) return null;
  if (scratch === undefined) scratch = instantiate(false);
  return scratch;
}

/** Whether the cpu backend's matmul and conv2d run the WebAssembly SIMD kernel (else the JavaScript one). */
export function cpuWasm(): boolean {
  return wasmGemm(loaded?.shared ?? false) !== null;
}

/**
 * Turns the WebAssembly SIMD kernel on or off for the cpu backend's matmul and conv2d (tests and
 * benchmarks compare both in one process), or back to the default ('auto': on unless
 * `DDOPT_CPU_WASM=0`). Turning it on where WebAssembly SIMD is unavailable leaves the JavaScript
 * kernel in use.
 */
export function setCpuWasm(on: boolean | 'auto'): void {
  enabled = on === 'auto' ? undefined : on;
}
