import { type Tensor, add, expandDims, mul, sigmoid, sub, sum, tensor } from '@ddopt/tensor';

/** The smooth non-quadratic test problem of fixtures/record_torch_optim.py, params {w: [4], M: [3, 4]}. */
export interface Problem {
  w: Tensor;
  M: Tensor;
}

/** Closed-form gradient: z = Mw − y, s = σ(z); ∇w = Mᵀs + (w − 1)³, ∇M = s wᵀ + μM (elementwise ops and axis sums, as in the script). */
export function problemGradient(params: Problem, y: number[], mu: number): Problem {
  const { w, M } = params;
  const z = sub(sum(mul(M, w), { axis: 1 }), tensor(y, { dtype: 'float64' }));
  const s = sigmoid(z);
  const d = sub(w, 1);
  const gw = add(sum(mul(M, expandDims(s, 1)), { axis: 0 }), mul(mul(d, d), d));
  const gM = add(mul(expandDims(s, 1), w), mul(M, mu));
  return { w: gw, M: gM };
}
