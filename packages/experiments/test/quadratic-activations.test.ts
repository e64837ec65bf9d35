import { grad, hessian } from '@ddopt/autograd';
import { eigh, fromTypedArray, matmul, mul, prng, randn, reshape, setBackend, splitKey, square, sum, type Tensor, transpose } from '@ddopt/tensor';
import { quadraticNetLoss } from '@ddopt/theory';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentResult, quadraticActivations } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(quadraticActivations);
}, 120_000);

describe('quadratic-activations --quick (d = 4, k ≤ 4 and k = 2d = 8, n ≤ 24, perturbed GD)', () => {
  it('uses a gradient equal to autograd’s of quadraticNetLoss (to rounding)', () => {
    expect(result.headline.gradientCheck as number).toBeLessThan(1e-12);
  });

  it('finds no spurious second-order stationary point where kd ≥ n (survey eq. 21), over at least 50 runs', () => {
    expect(result.headline.runsOverParameterized as number).toBeGreaterThanOrEqual(50);
    expect(result.headline.spuriousSospOverParameterized).toBe(0);
    expect(result.headline.successRateOverParameterized as number).toBeGreaterThan(0.5);
    expectDrawable(result);
  });

  it('runs the row k = 2d, the only one with d positive and d negative aⱼ (the theorem’s hypothesis), and finds no spurious SOSP there', () => {
    expect(result.headline.runsSignCondition as number).toBeGreaterThanOrEqual(30);
    expect(result.headline.spuriousSospSignCondition).toBe(0);
    const table = result.comparison!;
    const sign = table.headers.indexOf('≥ d aⱼ of each sign');
    expect(sign).toBeGreaterThan(0);
    // d = 4 in --quick: k = 8 alternating ±1 is the only width with four of each sign.
    for (const row of table.rows) expect(row[sign]).toBe(row[0] === 8 ? 'yes' : 'no');
  });
});

// The --full run (seed 0, d = 6) ended twice in its cell (k, n) = (2, 12), kd = n, at L > 0 with
// ∇L ≈ 0 and ∇²L ⪰ 0. Rebuilt here from the same keys and polished by Newton steps: an exact
// critical point (‖∇L‖ at rounding), the Hessian's only flat direction the symmetry W ↦ exp(tG)W,
// G = [[0, 1], [1, 0]] (it keeps Wᵀdiag(1, −1)W), every other eigenvalue ≥ 0.4, and L/‖y‖² ≈ 0.0065
// while the planted teacher reaches 0: a real spurious local minimum at kd ≥ n, with one positive and
// one negative aⱼ (Soltanolkotabi et al. assume d of each), not a run stopped before converging.
describe('quadratic-activations: a spurious SOSP at kd = n without the sign condition', () => {
  it('is an exact second-order stationary point with L > 0 (autograd gradient and Hessian of quadraticNetLoss)', async () => {
    await setBackend('cpu');
    const [k, d, n] = [2, 6, 12];
    const cell = splitKey(splitKey(prng(0), 42)[8]!, 21)[0]!; // row k = 2, column n = 12 of the full grid
    const [kx, kw] = splitKey(cell, 2);
    const a = Float64Array.from([1, -1]);
    const X = randn(kx!, [n, d], { dtype: 'float64' });
    const wStar = mul(randn(kw!, [k, d], { dtype: 'float64' }), 1 / Math.sqrt(d));
    const aT = fromTypedArray(a, [k], 'float64', 'cpu');
    const y = matmul(square(matmul(X, transpose(wStar))), aT);
    const scale = sum(square(y)).item();
    const L = (v: Tensor) => quadraticNetLoss(reshape(v, [k, d]), aT, X, y);
    expect(L(reshape(wStar, [k * d])).item()).toBeLessThan(1e-20 * scale); // the global minimum is 0
    // Where perturbed GD stopped (run 2 of that cell, 20 000 steps, ‖∇L‖ = 9.3e-6, λ_min = 2.7e-6).
    let w = Float64Array.from([-0.22048255255965146, 0.032939445341737046, 0.48972565285843694, 0.2767010282390296, 0.4046935298370886, -0.5280526158593098, 0.4034494174816997, 1.20411334661111, 0.09903505935706114, 0.1615726908422676, -0.5481139917014287, -0.5230283998216598]);
    const size = k * d;
    for (let it = 0; it < 4; it++) {
      const v = fromTypedArray(w, [size], 'float64', 'cpu');
      const g = grad(L)(v).dataSync();
      const { values, vectors } = eigh(hessian(L)(v));
      const ev = values.dataSync();
      const V = vectors.dataSync();
      const step = new Float64Array(size);
      for (let e = 0; e < size; e++) {
        if (Math.abs(ev[e]!) < 1e-3) continue; // the symmetry direction
        let c = 0;
        for (let i = 0; i < size; i++) c += V[i * size + e]! * g[i]!;
        for (let i = 0; i < size; i++) step[i]! += (c / ev[e]!) * V[i * size + e]!;
      }
      w = w.map((z, i) => z - step[i]!);
    }
    const v = fromTypedArray(w, [size], 'float64', 'cpu');
    const g = grad(L)(v).dataSync();
    const H = hessian(L)(v);
    const ev = eigh(H).values.dataSync();
    const relLoss = L(v).item() / scale;
    expect(Math.hypot(...g)).toBeLessThan(1e-10 * Math.sqrt(scale));
    expect(relLoss).toBeGreaterThan(6e-3);
    expect(relLoss).toBeLessThan(7e-3);
    expect(Math.abs(ev[0]!)).toBeLessThan(1e-9 * scale);
    expect(ev[1]!).toBeGreaterThan(0.4);
    // The flat direction is the hyperbolic rotation G·W.
    const t = Float64Array.from({ length: size }, (_, i) => w[(i + d) % size]!);
    const Hd = H.dataSync();
    let q = 0;
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) q += t[i]! * Hd[i * size + j]! * t[j]!;
    expect(Math.abs(q) / t.reduce((s, z) => s + z * z, 0)).toBeLessThan(1e-9 * scale);
  });
});
