// SATNet (Wang, Donti, Wilder & Kolter 2019): a MAXSAT SDP relaxation with a learnable clause
// matrix S, solved by the mixing method in the forward pass and differentiated analytically in
// the backward pass — the layer of the discrete-optimizers report of seed 003 (§2).
import { customVjp } from '@ddopt/autograd';
import { type FloatDType, type Key, type Tensor, add, isKey, matmul, mul, permutation, prng, randn, splitKey, tensor, transpose, withBackend } from '@ddopt/tensor';
import { type OptionSpec, assertTensor, checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { type MixBoard, MixBackwardError, type MixProblem, mixBackward, mixForward, rowNorms } from './satnet-kernel.js';
import { firstOrderOnly, floatTensor, readF64, writeTensor } from './util.js';

/** Options of `satnet`. */
export interface SatnetOptions {
  /** Variables the layer sees (inputs and outputs together), e.g. 729 bits of a 9×9 sudoku. */
  n: number;
  /** Clauses: the rank of the clause matrix S. */
  m: number;
  /** Auxiliary (hidden) variables appended after the n visible ones (default 0). */
  aux?: number;
  /** Dimension of the relaxed unit vectors (default 32, the value the reference code runs with). */
  k?: number;
  /** Most sweeps of the mixing method over the outputs (default 40). */
  maxIter?: number;
  /** Stop when a sweep decreases the objective by less than eps times the first sweep's decrease (default 1e-4). */
  eps?: number;
  /** Added to ‖g_o‖ on the diagonal of the backward linear system, for stability (default 1e-2). */
  proxLambda?: number;
  /** Seed of the forward pass's randomness (random starting vectors, update order) when `apply` gets no key. */
  seed: number;
}

const SATNET_OPTIONS = {
  n: option.int(1).required(),
  m: option.int(1).required(),
  aux: option.int(0).default(0),
  k: option.int(2).default(32),
  maxIter: option.int(1).default(40),
  eps: option.number({ min: 0 }).default(1e-4),
  proxLambda: option.number({ min: 0 }).default(1e-2),
  seed: option.number({ integer: true }).required(),
} satisfies OptionSpec<SatnetOptions>;

/** Parameters of a SATNet layer: the clause matrix S, [n + 1 + aux, m] (row 0 belongs to the truth variable). */
export interface SatnetParams {
  S: Tensor;
}

/** What `apply` takes: relaxed values z [B, n] in [0, 1] and the mask isInput [B, n] (int32 or bool, 1 = given). */
export interface SatnetInputs {
  z: Tensor;
  isInput: Tensor;
}

/** Per-call context, as `ApplyContext` of `@ddopt/layers`: a key for this call's randomness (default prng(seed)). */
export interface SatnetContext {
  key?: Key;
}

/** A forward pass with its vectors, for `satnetRound`'s hyperplane rounding. */
export interface SatnetSolution {
  /** Relaxed values [B, n] (inputs as given), differentiable like `apply`'s result. */
  z: Tensor;
  /** The unit vectors [B, n + 1 + aux, k]; row 0 of each board is the truth direction v_⊤. */
  vectors: Tensor;
  /** Sweeps the mixing method made on each board. */
  sweeps: number[];
}

/** The SATNet layer: `init` makes S, `apply` solves the relaxation for a batch of boards. */
export interface Satnet {
  /** e.g. `satnet(n=729, m=600, aux=300)`. */
  readonly name: string;
  /** The options with their defaults filled in. */
  readonly options: Readonly<Required<SatnetOptions>>;
  /** S ~ N(0, 1)·√(0.5 / (n + 1 + aux + m)), [n + 1 + aux, m], as the reference initialises it. */
  init(key: Key, options?: { dtype?: FloatDType }): { params: SatnetParams; state: Record<string, never>; outputShape: number[] };
  /** The relaxed outputs z [B, n] ∈ [0, 1] (inputs passed through); differentiable in S and in the inputs' z. */
  apply(params: SatnetParams, inputs: SatnetInputs, ctx?: SatnetContext): Tensor;
  /** `apply` that also hands back the vectors (for `satnetRound`) and the sweep counts. */
  solve(params: SatnetParams, inputs: SatnetInputs, ctx?: SatnetContext): SatnetSolution;
}

interface Checked {
  S: Tensor;
  z: Tensor;
  dtype: FloatDType;
  B: number;
  zv: Float64Array;
  mask: Uint8Array;
}

/**
 * A SATNet layer (Wang et al. 2019) with `n` visible variables, `m` clauses and `aux` hidden
 * variables: the forward pass is the mixing method on the SDP relaxation of MAXSAT, the backward
 * pass the paper's analytic adjoint (a `customVjp`, not the unrolled iterations).
 */
export function satnet(options: SatnetOptions): Satnet {
  const where = 'satnet';
  const o = checkOptions(where, options, SATNET_OPTIONS) as Required<SatnetOptions>;
  const { n, m, aux, k, maxIter, eps, proxLambda, seed } = o;
  const N = n + 1 + aux;
  const name = `satnet(n=${n}, m=${m}, aux=${aux})`;

  const check = (fn: string, params: SatnetParams, inputs: SatnetInputs): Checked => {
    const at = `${name}.${fn}`;
    if (params === null || typeof params !== 'object') throw new TypeError(`${at}: params must be { S }, got ${params === null ? 'null' : typeof params}`);
    const S = params.S;
    const dtype = floatTensor(at, 'params.S', S);
    if (S.rank !== 2 || S.shape[0] !== N || S.shape[1] !== m) throw new RangeError(`${at}: params.S must be [n + 1 + aux, m] = [${N}, ${m}], got ${fmtShape(S.shape)}`);
    if (inputs === null || typeof inputs !== 'object') throw new TypeError(`${at}: inputs must be { z, isInput }, got ${inputs === null ? 'null' : typeof inputs}`);
    for (const key of Object.keys(inputs)) if (key !== 'z' && key !== 'isInput') throw new TypeError(`${at}: inputs has an unknown key "${key}"; expected { z, isInput }`);
    const { z, isInput } = inputs;
    floatTensor(at, 'inputs.z', z);
    if (z.dtype !== dtype) throw new TypeError(`${at}: inputs.z is ${z.dtype} but params.S is ${dtype}; cast explicitly (nothing is cast silently)`);
    if (z.rank !== 2 || z.shape[1] !== n) throw new RangeError(`${at}: inputs.z must be [B, n] = [B, ${n}], got ${fmtShape(z.shape)}`);
    assertTensor(at, 'inputs.isInput', isInput);
    if (isInput.dtype !== 'int32' && isInput.dtype !== 'bool') throw new TypeError(`${at}: inputs.isInput must be an int32 or bool mask, got ${isInput.dtype}`);
    if (fmtShape(isInput.shape) !== fmtShape(z.shape)) throw new RangeError(`${at}: inputs.isInput ${fmtShape(isInput.shape)} and inputs.z ${fmtShape(z.shape)} must have the same shape`);
    const B = z.shape[0]!;
    const zv = readF64(z);
    const iv = isInput.dataSync();
    const mask = new Uint8Array(B * n);
    for (let i = 0; i < B * n; i++) {
      const f = iv[i]!;
      if (f !== 0 && f !== 1) throw new RangeError(`${at}: inputs.isInput must hold 0 or 1, got ${f} at board ${Math.floor(i / n)}, variable ${i % n}`);
      mask[i] = f;
      const x = zv[i]!;
      if (f === 1 ? !(x >= 0 && x <= 1) : !Number.isFinite(x)) {
        throw new RangeError(`${at}: inputs.z must be ${f === 1 ? 'in [0, 1] at inputs' : 'finite'}, got ${x} at board ${Math.floor(i / n)}, variable ${i % n}`);
      }
    }
    return { S, z, dtype, B, zv, mask };
  };

  /** The mixing method on every board; keeps what the backward pass needs. */
  const forward = (c: Checked, key: Key) => {
    const Sv = readF64(c.S);
    const problem: MixProblem = { N, m, k, S: Sv, Snrm: rowNorms(Sv, N, m) };
    // The Gram form costs |O|·k per coordinate step against the clause form's 2mk (plus N²m once
    // per call for C = SSᵀ, a cpu gemm): use it when the boards' outputs are fewer than 2m.
    let outputs = 0;
    for (let i = 0; i < c.mask.length; i++) if (!c.mask[i]) outputs++;
    if (outputs / c.B + aux < 2 * m) {
      problem.C = withBackend('cpu', () => {
        const St = tensor(Sv, { shape: [N, m], dtype: 'float64' });
        return matmul(St, transpose(St)).dataSync() as Float64Array;
      });
    }
    const [kPerm, kInit] = splitKey(key, 2) as [Key, Key];
    const { perm, gauss } = withBackend('cpu', () => {
      const p = permutation(kPerm, N - 1).dataSync() as Int32Array;
      return { perm: p.map((i) => i + 1), gauss: randn(kInit, [c.B, N, k], { dtype: 'float64' }).dataSync() as Float64Array };
    });
    const boards: MixBoard[] = [];
    const zFull = new Float64Array(N);
    const isIn = new Uint8Array(N);
    const zOut = new Float64Array(c.B * n);
    for (let b = 0; b < c.B; b++) {
      zFull.fill(0);
      isIn.fill(0);
      zFull[0] = 1;
      isIn[0] = 1;
      for (let i = 0; i < n; i++) {
        zFull[i + 1] = c.mask[b * n + i] ? c.zv[b * n + i]! : 0;
        isIn[i + 1] = c.mask[b * n + i]!;
      }
      const board = mixForward(problem, zFull, isIn, perm, gauss.subarray(b * N * k, (b + 1) * N * k), maxIter, eps);
      boards.push(board);
      for (let i = 0; i < n; i++) zOut[b * n + i] = c.mask[b * n + i] ? c.zv[b * n + i]! : board.z[i + 1]!;
    }
    return { problem, boards, zOut };
  };

  const backward = (c: Checked, problem: MixProblem, boards: MixBoard[], ct: Tensor): [Float64Array, Float64Array] => {
    const ctv = readF64(ct);
    const dz = new Float64Array(c.B * n);
    const dzFull = new Float64Array(N);
    const isIn = new Uint8Array(N);
    // [U_1 … U_B] and [V_1 … V_B], N × Bk, for ∂ℓ/∂S = Σ_b (U_b V_bᵀ + V_b U_bᵀ) S in two gemms.
    const Bk = c.B * k;
    const Ucat = new Float64Array(N * Bk);
    const Vcat = new Float64Array(N * Bk);
    for (let b = 0; b < c.B; b++) {
      dzFull.fill(0);
      isIn.fill(0);
      isIn[0] = 1;
      for (let i = 0; i < n; i++) {
        const g = ctv[b * n + i]!;
        if (!Number.isFinite(g)) throw new RangeError(`${name}: the cotangent of z has a non-finite entry ${g} at board ${b}, variable ${i}`);
        dzFull[i + 1] = g;
        isIn[i + 1] = c.mask[b * n + i]!;
      }
      let r: ReturnType<typeof mixBackward>;
      try {
        r = mixBackward(problem, boards[b]!, isIn, dzFull, proxLambda);
      } catch (e) {
        if (e instanceof MixBackwardError) throw new RangeError(`${name}: no gradient for board ${b}: ${e.message}`);
        throw e;
      }
      for (let i = 0; i < n; i++) dz[b * n + i] = isIn[i + 1] ? r.dzIn[i + 1]! : 0;
      const V = boards[b]!.V;
      for (let i = 0; i < N; i++) {
        for (let kk = 0; kk < k; kk++) {
          Ucat[i * Bk + b * k + kk] = r.U[i * k + kk]!;
          Vcat[i * Bk + b * k + kk] = V[i * k + kk]!;
        }
      }
    }
    const dS = withBackend('cpu', () => {
      const A = matmul(tensor(Ucat, { shape: [N, Bk], dtype: 'float64' }), transpose(tensor(Vcat, { shape: [N, Bk], dtype: 'float64' })));
      return matmul(add(A, transpose(A)), tensor(problem.S, { shape: [N, m], dtype: 'float64' })).dataSync() as Float64Array;
    });
    return [Float64Array.from(dS), dz];
  };

  const keyOf = (fn: string, ctx: SatnetContext | undefined): Key => {
    if (ctx === undefined) return prng(seed);
    if (ctx === null || typeof ctx !== 'object') throw new TypeError(`${name}.${fn}: ctx must be { key? }, got ${ctx === null ? 'null' : typeof ctx}`);
    for (const key of Object.keys(ctx)) if (key !== 'key' && key !== 'train' && key !== 'state') throw new TypeError(`${name}.${fn}: ctx has an unknown key "${key}"; expected { key? }`);
    if (ctx.key === undefined) return prng(seed);
    if (!isKey(ctx.key)) throw new TypeError(`${name}.${fn}: ctx.key must be a PRNG key (prng(seed) or splitKey), got ${typeof ctx.key}`);
    return ctx.key;
  };

  const run = (fn: string, params: SatnetParams, inputs: SatnetInputs, ctx: SatnetContext | undefined) => {
    const c = check(fn, params, inputs);
    const key = keyOf(fn, ctx);
    let kept: ReturnType<typeof forward> | undefined;
    const layer = customVjp(
      function satnetLayer(_S: Tensor, _z: Tensor) {
        kept = forward(c, key);
        return writeTensor(kept.zOut, [c.B, n], c.dtype, c.z.backend);
      },
      (S: Tensor, z: Tensor) => {
        const r = forward(c, key);
        kept = r;
        return [firstOrderOnly(name, [S, z], () => writeTensor(r.zOut, [c.B, n], c.dtype, c.z.backend)), r] as [Tensor, ReturnType<typeof forward>];
      },
      (r, ct: Tensor) => {
        const [dS, dz] = backward(c, r.problem, r.boards, ct);
        // The gradients depend on S and z through values read here: guard them against outer levels.
        return [
          firstOrderOnly(name, [ct, c.S, c.z], () => writeTensor(dS, [N, m], c.dtype, c.S.backend)),
          firstOrderOnly(name, [ct, c.S, c.z], () => writeTensor(dz, [c.B, n], c.dtype, c.z.backend)),
        ];
      },
    );
    const z = layer(c.S, c.z);
    return { z, c, boards: kept!.boards };
  };

  const solve = (params: SatnetParams, inputs: SatnetInputs, ctx?: SatnetContext): SatnetSolution => {
    const { z, c, boards } = run('solve', params, inputs, ctx);
    const vectors = new Float64Array(c.B * N * k);
    for (const [i, b] of boards.entries()) vectors.set(b.V, i * N * k);
    return { z, vectors: writeTensor(vectors, [c.B, N, k], c.dtype, c.z.backend), sweeps: boards.map((b) => b.sweeps) };
  };

  return {
    name,
    options: Object.freeze({ ...o }),
    init(key, initOptions = {}) {
      if (!isKey(key)) throw new TypeError(`${name}.init: key must be a PRNG key (prng(seed) or splitKey), got ${typeof key}`);
      const io = checkOptions(`${name}.init`, initOptions, { dtype: option.oneOf(['float32', 'float64'] as const).default('float32') });
      const S = mul(randn(key, [N, m], { dtype: io.dtype }), Math.sqrt(0.5 / (N + m)));
      return { params: { S }, state: {}, outputShape: [n] };
    },
    apply: (params, inputs, ctx) => run('apply', params, inputs, ctx).z,
    solve,
  };
}
