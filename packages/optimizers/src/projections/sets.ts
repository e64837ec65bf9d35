import { abs, add, clip, matmul, maximum, mul, reshape, sign, solve, sub, sum, transpose } from '@ddopt/tensor';
import type { Tensor } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { nonNegativeOpt, positiveOpt } from '../validate.js';
import type { Projection } from './projection.js';

const dot = (a: Tensor, b: Tensor) => sum(mul(a, b)).item();

// A set's tensor (a centre, a normal, a bound) must have the shape of the leaf it meets, never broadcast.
function sameShape(where: string, name: string, t: Tensor, x: Tensor): void {
  if (t.shape.length !== x.shape.length || t.shape.some((d, i) => d !== x.shape[i])) {
    throw new RangeError(`${where}: ${name} ${fmtShape(t.shape)} must have the shape of the leaf it projects, ${fmtShape(x.shape)}`);
  }
  if (t.dtype !== x.dtype) throw new TypeError(`${where}: ${name} is ${t.dtype} but the leaf is ${x.dtype}`);
}
const BOUND = option.anyOf(option.number({ finite: false }), option.tensor());

/** The box lower ≤ x ≤ upper (numbers or tensors broadcasting against x). */
export function box(options: { lower: number | Tensor; upper: number | Tensor }): Projection {
  const { lower, upper } = checkOptions('box', options, { lower: BOUND.required(), upper: BOUND.required() });
  if (typeof lower === 'number' && typeof upper === 'number' && !(lower <= upper)) throw new RangeError(`box: lower must be ≤ upper, got lower ${lower}, upper ${upper}`);
  return (x) => {
    if (typeof lower !== 'number') sameShape('box', 'lower', lower, x);
    if (typeof upper !== 'number') sameShape('box', 'upper', upper, x);
    return clip(x, lower, upper);
  };
}

/** The ball ‖x − center‖₂ ≤ radius: radial scaling toward the center. */
export function l2Ball(options: { radius: number; center?: Tensor }): Projection {
  const { radius, center } = checkOptions('l2Ball', options, { radius: nonNegativeOpt().required(), center: option.tensor() });
  return (x) => {
    if (center) sameShape('l2Ball', 'center', center, x);
    const d = center ? sub(x, center) : x;
    const n = Math.sqrt(dot(d, d));
    if (n <= radius) return x;
    const scaled = mul(d, radius / n);
    return center ? add(center, scaled) : scaled;
  };
}

/** The ball ‖x‖∞ ≤ radius: coordinatewise clipping. */
export function linfBall(options: { radius: number }): Projection {
  const { radius } = checkOptions('linfBall', options, { radius: nonNegativeOpt().required() });
  return (x) => clip(x, -radius, radius);
}

/**
 * The threshold θ with Σ max(vᵢ − θ, 0) = z (Duchi et al. 2008, sort-based, O(n log n)); the
 * values are read to JS since sorting is no tensor op here.
 */
function simplexThreshold(values: ArrayLike<number>, z: number): number {
  const u = Array.from(values).sort((a, b) => b - a);
  let cumulative = 0;
  let theta = 0;
  for (let j = 0; j < u.length; j++) {
    cumulative += u[j]!;
    const t = (cumulative - z) / (j + 1);
    if (u[j]! - t > 0) theta = t;
  }
  return theta;
}

/** The simplex {x ≥ 0, Σx = scale}. */
export function simplex(options?: { scale?: number }): Projection {
  const { scale } = checkOptions('simplex', options, { scale: positiveOpt().default(1) });
  return (x) => maximum(sub(x, simplexThreshold(x.dataSync(), scale)), 0);
}

/** The ball ‖x‖₁ ≤ radius: soft-thresholding at Duchi et al.'s θ when outside. */
export function l1Ball(options: { radius: number }): Projection {
  const { radius } = checkOptions('l1Ball', options, { radius: positiveOpt().required() });
  return (x) => {
    const a = abs(x);
    const values = a.dataSync();
    let l1 = 0;
    for (const v of values) l1 += v;
    if (l1 <= radius) return x;
    return mul(sign(x), maximum(sub(a, simplexThreshold(values, radius)), 0));
  };
}

function checkNormal(where: string, a: Tensor): number {
  const aa = dot(a, a);
  if (!(aa > 0)) throw new RangeError(`${where}: the normal a must be nonzero, got ‖a‖² = ${aa}`);
  return aa;
}

/** The halfspace ⟨a, x⟩ ≤ b. */
export function halfspace(options: { a: Tensor; b: number }): Projection {
  const { a, b } = checkOptions('halfspace', options, { a: option.tensor().required(), b: option.number().required() });
  const aa = checkNormal('halfspace', a);
  return (x) => {
    sameShape('halfspace', 'a', a, x);
    const excess = dot(a, x) - b;
    return excess <= 0 ? x : sub(x, mul(a, excess / aa));
  };
}

/** The hyperplane ⟨a, x⟩ = b. */
export function hyperplane(options: { a: Tensor; b: number }): Projection {
  const { a, b } = checkOptions('hyperplane', options, { a: option.tensor().required(), b: option.number().required() });
  const aa = checkNormal('hyperplane', a);
  return (x) => {
    sameShape('hyperplane', 'a', a, x);
    return sub(x, mul(a, (dot(a, x) - b) / aa));
  };
}

/** The affine set {x : A·vec(x) = b}, A of full row rank: x − Aᵀ(AAᵀ)⁻¹(Ax − b) (float64, cpu linalg). */
export function affine(options: { A: Tensor; b: Tensor }): Projection {
  const { A, b } = checkOptions('affine', options, { A: option.tensor().required(), b: option.tensor().required() });
  if (A.rank !== 2 || b.rank !== 1 || b.shape[0] !== A.shape[0]) {
    throw new RangeError(`affine: A must be [m, n] and b [m], got A ${fmtShape(A.shape)} and b ${fmtShape(b.shape)}`);
  }
  const At = transpose(A);
  const gram = matmul(A, At);
  return (x) => {
    if (x.size !== A.shape[1]) throw new RangeError(`affine: a leaf of ${x.size} elements (shape ${fmtShape(x.shape)}) does not match A's ${A.shape[1]} columns`);
    const v = reshape(x, [x.size]);
    const r = sub(matmul(A, v), b);
    const y = solve(gram, reshape(r, [r.size, 1]));
    return reshape(sub(v, matmul(At, reshape(y, [y.size]))), x.shape);
  };
}

