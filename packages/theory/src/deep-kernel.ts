// The fixed Gram matrix K^(H) of deep fully connected nets (survey, seed 000, §5.1, eqs. 23–24,
// after Du, Lee, Li, Wang & Zhai 2019, "Gradient descent finds global minima of deep neural
// networks", §5): for x^(h) = √(c/m)·σ(W^(h)x^(h−1)), W^(h) entries N(0, 1), f = aᵀx^(H), as m → ∞
//   K^(0)ᵢⱼ = xᵢᵀxⱼ,  K^(h)ᵢⱼ = c·E[σ(u)σ(v)]  (h = 1 … H − 1),
//   K^(H)ᵢⱼ = c·K^(H−1)ᵢⱼ·E[σ′(u)σ′(v)],  (u, v) ~ N(0, [[K^(h−1)ᵢᵢ, K^(h−1)ᵢⱼ], [K^(h−1)ᵢⱼ, K^(h−1)ⱼⱼ]]),
// the limit of the Gram matrix of the last hidden layer's weights, G^(H)(0). The survey's eqs. (23)
// and (24) are stated for λ₀ = λ_min(K^(H)) but omit its definition ("a little bit complicated").
// ReLU expectations are the arc-cosine closed forms; tanh uses Gauss–Hermite quadrature.
import { eigh, fromTypedArray, type Tensor } from '@ddopt/tensor';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { floatMatrix } from './check.js';

/** Options of `deepGramKernel`. */
export interface DeepGramKernelOptions {
  /** The activation σ; 'relu' (closed forms) by default, or 'tanh' (quadrature). */
  activation?: 'relu' | 'tanh';
  /** The layer scale c of x^(h) = √(c/m)σ(·); 2 by default (He's, and c_σ = 1/E[relu(z)²] for the ReLU). */
  c?: number;
  /** Gauss–Hermite nodes per dimension for tanh; 96 by default (about 1e-11 from the 300-node value for unit inputs, H = 3). */
  nodes?: number;
}

const cache = new Map<number, { z: Float64Array; w: Float64Array }>();

/** Nodes and weights of n-point Gauss–Hermite quadrature for N(0, 1) (Golub–Welsch: eigh of the Jacobi matrix √i off its diagonal). */
function gaussHermite(n: number): { z: Float64Array; w: Float64Array } {
  const hit = cache.get(n);
  if (hit) return hit;
  const J = new Float64Array(n * n);
  for (let i = 1; i < n; i++) {
    J[i * n + i - 1] = Math.sqrt(i);
    J[(i - 1) * n + i] = Math.sqrt(i);
  }
  const { values, vectors } = eigh(fromTypedArray(J, [n, n], 'float64', 'cpu'));
  const V = vectors.dataSync();
  const out = { z: Float64Array.from(values.dataSync()), w: Float64Array.from({ length: n }, (_, j) => V[j]! ** 2) };
  cache.set(n, out);
  return out;
}

const sech2 = (x: number) => 1 - Math.tanh(x) ** 2;

/** E[f(u)f(v)] for (u, v) ~ N(0, [[p, q], [q, s]]) by tensor-product Gauss–Hermite on u = √p·z₁, v = (q/√p)z₁ + √(s − q²/p)·z₂. */
function quad2(f: (x: number) => number, p: number, q: number, s: number, n: number): number {
  const { z, w } = gaussHermite(n);
  if (p <= 0) return f(0) * quad1(f, s, n);
  const a = Math.sqrt(p);
  const b = q / a;
  const r = Math.sqrt(Math.max(s - b * b, 0));
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const fu = f(a * z[i]!);
    let inner = 0;
    for (let j = 0; j < n; j++) inner += w[j]! * f(b * z[i]! + r * z[j]!);
    acc += w[i]! * fu * inner;
  }
  return acc;
}

function quad1(f: (x: number) => number, s: number, n: number): number {
  const { z, w } = gaussHermite(n);
  const a = Math.sqrt(Math.max(s, 0));
  let acc = 0;
  for (let i = 0; i < n; i++) acc += w[i]! * f(a * z[i]!);
  return acc;
}

/** cos θ and θ of the 2×2 covariance, clamped to [−1, 1]. */
function angle(p: number, q: number, s: number): { norm: number; cos: number; theta: number } {
  const norm = Math.sqrt(p * s);
  const cos = norm > 0 ? Math.min(1, Math.max(-1, q / norm)) : 0;
  return { norm, cos, theta: Math.acos(cos) };
}

/**
 * Du et al.'s K^(H) [n, n] for inputs X [n, d] (rows) and a net of `depth` = H hidden layers: the
 * recursion above, with E[relu(u)relu(v)] = √(pq)(sin θ + (π − θ)cos θ)/2π and
 * E[relu′(u)relu′(v)] = (π − θ)/2π for ReLU, 2-D Gauss–Hermite quadrature for tanh. Its λ_min is the
 * λ₀ of survey eqs. (23)–(24); for H = 1, ReLU and c = 1 it is `gramInfinity`.
 */
export function deepGramKernel(X: Tensor, depth: number, options?: DeepGramKernelOptions): Tensor {
  const where = 'deepGramKernel';
  const { activation, c, nodes } = checkOptions(where, options, {
    activation: option.oneOf(['relu', 'tanh'] as const).default('relu'),
    c: option.number({ above: 0 }).default(2),
    nodes: option.int(2, 400).default(96),
  });
  const x = floatMatrix(where, 'X', X);
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`${where}: depth (the number of hidden layers H) must be an integer ≥ 1, got ${String(depth)}`);
  const [n, d] = x.shape as [number, number];
  const xs = x.dataSync();
  let K = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += xs[i * d + a]! * xs[j * d + a]!;
      K[i * n + j] = s;
    }
  const sigma = (u: number) => Math.tanh(u);
  for (let h = 1; h <= depth; h++) {
    const last = h === depth;
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        const p = K[i * n + i]!;
        const q = K[i * n + j]!;
        const s = K[j * n + j]!;
        let e: number;
        if (activation === 'relu') {
          const { norm, cos, theta } = angle(p, q, s);
          e = last ? (Math.PI - theta) / (2 * Math.PI) : (norm * (Math.sqrt(1 - cos * cos) + (Math.PI - theta) * cos)) / (2 * Math.PI);
        } else e = quad2(last ? sech2 : sigma, p, q, s, nodes);
        const v = last ? c * q * e : c * e;
        next[i * n + j] = v;
        next[j * n + i] = v;
      }
    K = next;
  }
  return fromTypedArray(K, [n, n], 'float64', 'cpu');
}
