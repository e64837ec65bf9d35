import { checkGrad, grad } from '@ddopt/autograd';
import { type Tensor, cast, mul, prng, randn, sum, tensor, uniform } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { satnet, satnetRound } from '../src/index.js';
import { mixBackward, mixForward, rowNorms } from '../src/satnet-kernel.js';
import reference from '../fixtures/reference.json' with { type: 'json' };

const f64 = (v: number[] | number[][], shape?: number[]) => tensor(v, { dtype: 'float64', shape });

describe('satnet forward: the mixing method solves the SDP relaxation', () => {
  // fixtures/reference.py solves min ⟨SSᵀ, X⟩ over X ⪰ 0, diag X = 1, the truth and input rows
  // fixed, with cvxopt's interior-point SDP solver; with k ≥ n + 1 + aux the mixing method's
  // fixed points are that SDP's optima, so z_o = arccos(−X_⊤o)/π must agree.
  it.each(reference.satnet_sdp.map((c, i) => [i, c] as const))('case %i matches cvxopt', (_i, c) => {
    const N = c.n + 1 + c.aux;
    const layer = satnet({ n: c.n, m: c.m, aux: c.aux, k: N, maxIter: 4000, eps: 1e-16, seed: 5 });
    const z = layer.apply({ S: f64(c.S) }, { z: f64([c.z]), isInput: tensor([c.isInput], { dtype: 'int32' }) });
    const got = z.dataSync();
    c.zOut.forEach((want, i) => {
      expect(Math.abs(got[i]! - want), `variable ${i}`).toBeLessThan(2e-5);
    });
  });
});

/** A small layer and batch; m decides which kernel form runs (Gram when the outputs are fewer than 2m). */
function setup(m: number) {
  const n = 8;
  const layer = satnet({ n, m, aux: 2, k: 10, maxIter: 3000, eps: 0, proxLambda: 0, seed: 3 });
  const { S } = layer.init(prng(1), { dtype: 'float64' }).params;
  const z = uniform(prng(2), [2, n], { dtype: 'float64' });
  const isInput = tensor(
    [
      [1, 1, 0, 0, 1, 0, 0, 0],
      [0, 1, 1, 0, 0, 0, 1, 0],
    ],
    { dtype: 'int32' },
  );
  const w = randn(prng(5), [2, n], { dtype: 'float64' });
  const loss = (p: { S: Tensor; z: Tensor }) => sum(mul(layer.apply({ S: p.S }, { z: p.z, isInput }), w));
  return { layer, S, z, isInput, loss };
}

describe('satnet backward: the analytic adjoint', () => {
  // With proxLambda = 0 and the forward run to convergence, the adjoint solve is the exact
  // derivative of the converged outputs: compare with central differences of the forward itself.
  it('matches float64 finite differences of the forward in S and in the inputs (the layer, Gram form)', () => {
    const { S, z, loss } = setup(12);
    const r = checkGrad(loss, { S, z }, { eps: 1e-6, rtol: 1e-4, atol: 1e-7 });
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
    expect(r.maxAbsErr).toBeLessThan(1e-7);
  }, 30_000);

  it('matches float64 finite differences in the clause form too (the kernel, ∂ℓ/∂S = (UVᵀ + VUᵀ)S)', () => {
    const N = 9;
    const m = 6;
    const k = 6;
    const S = mul(randn(prng(21), [N, m], { dtype: 'float64' }), 0.3).dataSync() as Float64Array;
    const isIn = Uint8Array.from([1, 1, 1, 0, 0, 1, 0, 0, 0]);
    const z0 = Float64Array.from([1, 0.3, 0.8, 0, 0, 0.55, 0, 0, 0]);
    const perm = Int32Array.from([3, 1, 7, 2, 8, 4, 6, 5]);
    const gauss = randn(prng(22), [N * k], { dtype: 'float64' }).dataSync() as Float64Array;
    const w = randn(prng(23), [N], { dtype: 'float64' }).dataSync() as Float64Array;
    const run = (s: Float64Array, z: Float64Array) => mixForward({ N, m, k, S: s, Snrm: rowNorms(s, N, m) }, z, isIn, perm, gauss, 3000, 0);
    const loss = (s: Float64Array, z: Float64Array) => run(s, z).z.reduce((acc, v, i) => acc + (i > 0 ? w[i]! * v : 0), 0);
    const board = run(S, z0);
    const dz = Float64Array.from(w, (v, i) => (i > 0 ? v : 0));
    const { U, dzIn } = mixBackward({ N, m, k, S, Snrm: rowNorms(S, N, m) }, board, isIn, dz, 0);
    const h = 1e-6;
    for (let e = 0; e < N * m; e++) {
      const [i, j] = [Math.floor(e / m), e % m];
      let analytic = 0;
      for (let l = 0; l < N; l++) for (let kk = 0; kk < k; kk++) analytic += (U[i * k + kk]! * board.V[l * k + kk]! + board.V[i * k + kk]! * U[l * k + kk]!) * S[l * m + j]!;
      const up = Float64Array.from(S);
      const down = Float64Array.from(S);
      up[e]! += h;
      down[e]! -= h;
      expect(Math.abs(analytic - (loss(up, z0) - loss(down, z0)) / (2 * h)), `S[${i}, ${j}]`).toBeLessThan(2e-7);
    }
    for (const i of [1, 2, 5]) {
      const up = Float64Array.from(z0);
      const down = Float64Array.from(z0);
      up[i]! += h;
      down[i]! -= h;
      expect(Math.abs(dzIn[i]! - (loss(S, up) - loss(S, down)) / (2 * h)), `z[${i}]`).toBeLessThan(2e-7);
    }
  }, 60_000);

  it('gives no gradient to z at output positions; inputs pass straight through the forward', () => {
    const { layer, S, z, isInput } = setup(12);
    const g = grad((x: Tensor) => sum(layer.apply({ S }, { z: x, isInput })))(z).dataSync();
    const out = layer.apply({ S }, { z, isInput }).dataSync();
    const mask = isInput.dataSync();
    const zv = z.dataSync();
    mask.forEach((given, i) => {
      if (given) expect(out[i]).toBe(zv[i]);
      else expect(g[i]).toBe(0);
    });
  });

  it('both kernel forms give the same iterates and adjoint (Gram vs clause, same start)', () => {
    const N = 11;
    const m = 6;
    const k = 5;
    const S = randn(prng(7), [N, m], { dtype: 'float64' }).dataSync() as Float64Array;
    const C = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) for (let l = 0; l < m; l++) C[i * N + j]! += S[i * m + l]! * S[j * m + l]!;
    const isIn = Uint8Array.from([1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0]);
    const z = Float64Array.from([1, 0.2, 0, 0, 0.9, 0, 0, 0, 0.5, 0, 0]);
    const perm = Int32Array.from([5, 3, 9, 1, 2, 10, 4, 7, 8, 6]);
    const gauss = randn(prng(8), [N * k], { dtype: 'float64' }).dataSync() as Float64Array;
    const dz = randn(prng(9), [N], { dtype: 'float64' }).dataSync() as Float64Array;
    const clause = { N, m, k, S, Snrm: rowNorms(S, N, m) };
    const a = mixForward(clause, z, isIn, perm, gauss, 25, 0);
    const b = mixForward({ ...clause, C }, z, isIn, perm, gauss, 25, 0);
    for (let i = 0; i < N * k; i++) expect(Math.abs(a.V[i]! - b.V[i]!)).toBeLessThan(1e-12);
    const ua = mixBackward(clause, a, isIn, dz, 0.01);
    const ub = mixBackward({ ...clause, C }, b, isIn, dz, 0.01);
    for (let i = 0; i < N * k; i++) expect(Math.abs(ua.U[i]! - ub.U[i]!)).toBeLessThan(1e-10);
    for (let i = 0; i < N; i++) expect(Math.abs(ua.dzIn[i]! - ub.dzIn[i]!)).toBeLessThan(1e-10);
  });

  it('float32: the same forward as float64 (it runs in float64 inside) and float32 gradients', () => {
    const { layer, S, z, isInput } = setup(12);
    const S32 = cast(S, 'float32');
    const z32 = cast(z, 'float32');
    const out32 = layer.apply({ S: S32 }, { z: z32, isInput });
    expect(out32.dtype).toBe('float32');
    const out64 = layer.apply({ S }, { z, isInput }).dataSync();
    out32.dataSync().forEach((v, i) => {
      expect(Math.abs(v - out64[i]!)).toBeLessThan(1e-5);
    });
    const g = grad((s: Tensor) => sum(layer.apply({ S: s }, { z: z32, isInput })))(S32);
    expect(g.dtype).toBe('float32');
    const g64 = grad((s: Tensor) => sum(layer.apply({ S: s }, { z, isInput })))(S).dataSync();
    const scale = Math.max(...Array.from(g64, Math.abs));
    g.dataSync().forEach((v, i) => {
      expect(Math.abs(v - g64[i]!)).toBeLessThan(1e-4 * scale);
    });
  });

  it('refuses a second derivative instead of returning a silent zero', () => {
    const { layer, S, z, isInput } = setup(12);
    const inner = (s: Tensor) => sum(layer.apply({ S: s }, { z, isInput }));
    expect(() => grad((s: Tensor) => sum(mul(grad(inner)(s), grad(inner)(s))))(S)).toThrow(/no second derivatives/);
  });
});

describe('satnet: options, init, keys and bad input', () => {
  it('initialises S as the reference does: N(0, 1)·√(0.5 / (n + 1 + aux + m)), [n + 1 + aux, m]', () => {
    const layer = satnet({ n: 100, m: 60, aux: 20, seed: 0 });
    expect(layer.options).toMatchObject({ k: 32, maxIter: 40, eps: 1e-4, proxLambda: 1e-2, aux: 20 });
    const { params, outputShape } = layer.init(prng(0), { dtype: 'float64' });
    expect(params.S.shape).toEqual([121, 60]);
    expect(outputShape).toEqual([100]);
    const v = Array.from(params.S.dataSync());
    const variance = v.reduce((s, x) => s + x * x, 0) / v.length;
    // 7260 draws: the sample variance of N(0, σ²) has relative sd √(2/7260) ≈ 1.7%.
    expect(Math.abs(variance / (0.5 / 181) - 1)).toBeLessThan(0.07);
  });

  it('is deterministic in the key; with 0/1 inputs a different key changes the start but not the converged solution', () => {
    // Fractional inputs get a random sign on their second coordinate (as in the reference), which
    // changes the problem itself; inputs at 0 or 1 do not, so the SDP optimum is key-independent.
    const c = reference.satnet_sdp[1]!;
    const layer = satnet({ n: c.n, m: c.m, aux: c.aux, k: c.n + 1, maxIter: 4000, eps: 1e-16, seed: 0 });
    const inputs = { z: f64([c.z]), isInput: tensor([c.isInput], { dtype: 'int32' }) };
    const a = layer.apply({ S: f64(c.S) }, inputs, { key: prng(1) }).dataSync();
    expect(Array.from(layer.apply({ S: f64(c.S) }, inputs, { key: prng(1) }).dataSync())).toEqual(Array.from(a));
    const early = satnet({ n: c.n, m: c.m, aux: c.aux, k: c.n + 1, maxIter: 1, seed: 0 });
    expect(Array.from(early.apply({ S: f64(c.S) }, inputs, { key: prng(2) }).dataSync())).not.toEqual(Array.from(early.apply({ S: f64(c.S) }, inputs, { key: prng(1) }).dataSync()));
    const b = layer.apply({ S: f64(c.S) }, inputs, { key: prng(2) }).dataSync();
    a.forEach((v, i) => {
      expect(Math.abs(v - b[i]!)).toBeLessThan(1e-6);
    });
  });

  it('names the function, the argument and what it expected', () => {
    const { layer, S, z, isInput } = setup(12);
    expect(() => satnet({ n: 8, m: 4, seed: 0, maxiter: 5 } as never)).toThrow(/unknown option "maxiter" \(did you mean "maxIter"\?\)/);
    expect(() => satnet({ n: 8, m: 4 } as never)).toThrow(/satnet: option seed is required/);
    expect(() => satnet({ n: 8, m: 0, seed: 0 })).toThrow(/satnet: m must be an integer ≥ 1, got 0/);
    expect(() => layer.apply({ S: f64([[1, 2]]) }, { z, isInput })).toThrow(/params.S must be \[n \+ 1 \+ aux, m\] = \[11, 12\], got \[1, 2\]/);
    expect(() => layer.apply({ S }, { z: cast(z, 'float32'), isInput })).toThrow(/inputs.z is float32 but params.S is float64/);
    expect(() => layer.apply({ S }, { z, isInput: cast(isInput, 'float64') })).toThrow(/isInput must be an int32 or bool mask, got float64/);
    expect(() => layer.apply({ S }, { z, isInput: tensor([[2, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]], { dtype: 'int32' }) })).toThrow(/must hold 0 or 1, got 2 at board 0, variable 0/);
    expect(() => layer.apply({ S }, { z: f64([[1.5, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]]), isInput })).toThrow(/in \[0, 1\] at inputs, got 1.5 at board 0, variable 0/);
    expect(() => layer.apply({ S }, { z, isInput, mask: isInput } as never)).toThrow(/unknown key "mask"/);
    expect(() => layer.apply({ S }, { z, isInput }, { key: 3 } as never)).toThrow(/ctx.key must be a PRNG key/);
  });

  it('refuses a gradient at an output stuck at z = 0 or 1 (v_o = ±v_⊤) instead of zeroing it as the reference does', () => {
    // One output whose only clause ties it to the truth variable: it converges to exactly v_o = −v_⊤.
    const S = f64([
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    const layer = satnet({ n: 2, m: 2, k: 4, seed: 0 });
    const z = f64([[0, 0.5]]);
    const isInput = tensor([[0, 1]], { dtype: 'int32' });
    expect(layer.apply({ S }, { z, isInput }).dataSync()[0]).toBe(0);
    expect(() => grad((s: Tensor) => sum(layer.apply({ S: s }, { z, isInput })))(S)).toThrow(/no gradient for board 0: output variable 1 sits at z = 0/);
  });
});

describe('satnetRound: Goemans–Williamson hyperplane rounding', () => {
  it('P(ṽ_o = 1) = 1 − ∠(v_o, v_⊤)/π = z_o and P(ṽ_a ≠ ṽ_b) = ∠(v_a, v_b)/π (Monte Carlo, fixed seed)', () => {
    const { layer, S, z, isInput } = setup(12);
    const sol = layer.solve({ S }, { z, isInput });
    const draws = 4000;
    const ones = new Float64Array(16);
    let differ = 0;
    for (let t = 0; t < draws; t++) {
      const r = satnetRound(sol, prng(100 + t)).dataSync();
      r.forEach((v, i) => {
        ones[i]! += v;
      });
      if (r[2] !== r[3]) differ++;
    }
    const zv = sol.z.dataSync();
    // Binomial standard error ≤ 0.5/√4000 ≈ 0.008: allow 4 of them.
    ones.forEach((c, i) => {
      expect(Math.abs(c / draws - zv[i]!), `variable ${i}`).toBeLessThan(0.032);
    });
    const V = sol.vectors.dataSync();
    const k = 10;
    const N = 11;
    let dot = 0;
    for (let kk = 0; kk < k; kk++) dot += V[3 * k + kk]! * V[4 * k + kk]!; // visible variables 2, 3 of board 0 are rows 3, 4
    expect(Math.abs(differ / draws - Math.acos(dot) / Math.PI)).toBeLessThan(0.032);
    expect(sol.vectors.shape).toEqual([2, N, k]);
  });

  it('rounds a plain z to Bernoulli(z) draws, given inputs to themselves', () => {
    const z = f64([[0, 1, 0.25, 0.75]]);
    const count = new Float64Array(4);
    for (let t = 0; t < 2000; t++) {
      satnetRound(z, prng(t))
        .dataSync()
        .forEach((v, i) => {
          count[i]! += v;
        });
    }
    const mean = count.map((c) => c / 2000);
    expect(mean[0]).toBe(0);
    expect(mean[1]).toBe(1);
    expect(Math.abs(mean[2]! - 0.25)).toBeLessThan(0.04);
    expect(Math.abs(mean[3]! - 0.75)).toBeLessThan(0.04);
    expect(() => satnetRound(f64([[1.5]]), prng(0))).toThrow(/satnetRound: z must lie in \[0, 1\]/);
  });
});
