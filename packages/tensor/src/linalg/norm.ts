import { pow } from '../ops/arithmetic.js';
import { cast } from '../ops/cast.js';
import { notEqual } from '../ops/compare.js';
import { reshape, transpose } from '../ops/movement.js';
import { max, min, sum } from '../ops/reduce.js';
import { abs, sqrt, square } from '../ops/unary.js';
import { fmtShape, normalizeAxes } from '../shape.js';
import { isTensor, type Tensor } from '../tensor.js';
import { checkOptions, type OptionSpec, option } from '../validate/options.js';
import { fmtValue } from '../validate/value.js';
import { readDense, writeScalars } from './matrix.js';
import { singularValuesDense } from './svd-dense.js';

/** Options of `norm`, with NumPy's meaning. */
export interface NormOptions {
  /**
   * Vector norms: 2 (default), 1, Infinity, −Infinity, 0 (count of non-zeros) or any other
   * non-zero p. Matrix norms: 'fro' (default), 'nuc', 1, −1, 2, −2, Infinity, −Infinity.
   */
  ord?: number | 'fro' | 'nuc';
  /** One axis (vector norm), two axes (matrix norm), or all elements as one vector when omitted. */
  axis?: number | readonly number[];
  /** Keep the reduced axes as size-1 dimensions. */
  keepdims?: boolean;
}

const AXIS = option.number({ integer: true });
const NORM: OptionSpec<NormOptions> = {
  ord: option.anyOf(option.number({ finite: false }), option.oneOf(['fro', 'nuc'])),
  axis: option.anyOf(AXIS, option.arrayOf(AXIS)),
  keepdims: option.boolean(),
};

function vectorNorm(x: Tensor, ord: number | 'fro' | 'nuc', axis: number): Tensor {
  const o = { axis, keepdims: true };
  if (ord === 2) return sqrt(sum(square(x), o));
  if (ord === 1) return sum(abs(x), o);
  if (ord === Number.POSITIVE_INFINITY) return max(abs(x), o);
  if (ord === Number.NEGATIVE_INFINITY) return min(abs(x), o);
  if (ord === 0) return sum(cast(notEqual(x, 0), x.dtype), o);
  if (typeof ord === 'number' && Number.isFinite(ord)) return pow(sum(pow(abs(x), ord), o), 1 / ord);
  throw new RangeError(`norm: ord ${String(ord)} is not a vector norm (use a number, Infinity or -Infinity)`);
}

/** A norm of the singular values of the matrices spanning `rowAxis`, `colAxis`, kept as size-1 axes. */
function spectralNorm(x: Tensor, ord: 'nuc' | 2 | -2, rowAxis: number, colAxis: number): Tensor {
  const rest = x.shape.map((_, i) => i).filter((i) => i !== rowAxis && i !== colAxis);
  const A = readDense('norm', 'x', transpose(x, [...rest, rowAxis, colAxis]), { finite: true });
  const values = A.mats.map((m) => {
    const s = singularValuesDense(m, A.rows, A.cols);
    if (!s) throw new RangeError(`norm: the SVD's QR iteration did not converge for ord ${ord}`);
    if (s.length === 0) throw new RangeError(`norm: ord ${ord} of an empty matrix ${fmtShape([A.rows, A.cols])} is undefined`);
    return ord === 'nuc' ? s.reduce((p, v) => p + v, 0) : ord === 2 ? s[0]! : s[s.length - 1]!;
  });
  const kept = x.shape.map((d, i) => (i === rowAxis || i === colAxis ? 1 : d));
  return reshape(writeScalars(A.batch, values, A.dtype), kept);
}

function matrixNorm(x: Tensor, ord: number | 'fro' | 'nuc', rowAxis: number, colAxis: number): Tensor {
  const both = { axis: [rowAxis, colAxis], keepdims: true };
  const byRow = { axis: rowAxis, keepdims: true };
  const byCol = { axis: colAxis, keepdims: true };
  if (ord === 'fro') return sqrt(sum(square(x), both));
  if (ord === 'nuc' || ord === 2 || ord === -2) return spectralNorm(x, ord, rowAxis, colAxis);
  // 1: largest column sum of |x|; ∞: largest row sum; the negative orders take the smallest.
  if (ord === 1) return max(sum(abs(x), byRow), byCol);
  if (ord === -1) return min(sum(abs(x), byRow), byCol);
  if (ord === Number.POSITIVE_INFINITY) return max(sum(abs(x), byCol), byRow);
  if (ord === Number.NEGATIVE_INFINITY) return min(sum(abs(x), byCol), byRow);
  throw new RangeError(`norm: ord ${String(ord)} is not a matrix norm (use 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity)`);
}

/**
 * Vector or matrix norms with NumPy's conventions. Vector norms and the 'fro', 1 and ∞ matrix
 * norms are composites of ops (differentiable, any backend); 'nuc' and ±2 use the SVD (cpu only,
 * not differentiable).
 */
export function norm(x: Tensor, given?: NormOptions): Tensor {
  if (!isTensor(x)) throw new TypeError(`norm: x must be a Tensor, got ${fmtValue(x)}`);
  // np.linalg.norm(x, 1) passes ord positionally; here it is an option.
  const options = checkOptions('norm', given, NORM, { hint: (v) => (typeof v === 'number' || typeof v === 'string' ? `write norm(x, { ord: ${fmtValue(v)} })` : undefined) });
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new TypeError(`norm: x must be float32 or float64, got ${x.dtype}; cast it first`);
  let { ord, axis } = options;
  if (axis === undefined) {
    if (ord === undefined) {
      // All elements as one vector.
      const all = x.shape.map((_, i) => i);
      const y = sqrt(sum(square(x), { axis: all, keepdims: true }));
      return options.keepdims ? y : reshape(y, []);
    }
    if (x.rank !== 1 && x.rank !== 2) throw new RangeError(`norm: ord ${String(ord)} without axis needs a vector or a matrix, got shape ${fmtShape(x.shape)}`);
    axis = x.rank === 1 ? 0 : [0, 1];
  }
  const axes = typeof axis === 'number' ? [axis] : [...axis];
  const resolved = normalizeAxes('norm', axes, x.rank);
  let y: Tensor;
  if (axes.length === 1) {
    y = vectorNorm(x, ord ?? 2, resolved[0]!);
  } else if (axes.length === 2) {
    // Keep the order the caller gave: axis [1, 0] is the norm of the transposed matrices.
    const [r, c] = axes.map((a) => (a < 0 ? a + x.rank : a)) as [number, number];
    y = matrixNorm(x, ord ?? 'fro', r, c);
  } else {
    throw new RangeError(`norm: axis must name 1 (vector norm) or 2 (matrix norm) axes, got ${fmtShape(axes)}`);
  }
  return options.keepdims ? y : reshape(
    y,
    x.shape.filter((_, i) => !resolved.includes(i)),
  );
}
