import { type FloatDType, type PyTree, type Tensor, isFloat, matmul, reshape, tensor, tidy, treeAdd, treeScale } from '@ddopt/tensor';
import { assertTensor, fmtShape, fmtValue } from '@ddopt/tensor/validate';
import { type Space, checkInSpace, fromFlat, spaceOf, toFlat } from './space.js';

/**
 * A linear map on the pytrees shaped like `like` (the params, or a sub-tree of them): `apply(v)`
 * returns A·v with v's structure. `size` is the number of scalars in a vector, so the operator is
 * size × size; `dtype` is the leaves' float dtype.
 */
export interface LinearOperator<P = PyTree> {
  /** Shown in error messages (`hessianOperator`, `damped(ggnOperator, 0.1)`). */
  readonly name: string;
  readonly size: number;
  readonly dtype: FloatDType;
  /** A vector of the operator's space: its structure, leaf shapes, dtype and backend. */
  readonly like: P;
  apply(v: P): P;
}

/** Options of `linearOperator`. */
export interface LinearOperatorOptions<P> {
  /** A vector of the space (the params): its structure, shapes, dtype and backend. */
  like: P;
  /** v ↦ A·v, returning a pytree of v's structure. */
  apply: (v: P) => P;
  /** Name used in messages (default 'linearOperator'). */
  name?: string;
}

const spaces = new WeakMap<object, Space>();

/** @internal The flat space of an operator (cached), after checking it is one. */
export function operatorSpace(where: string, op: unknown): Space {
  const o = op as LinearOperator | null;
  if (o === null || typeof o !== 'object' || typeof o.apply !== 'function' || !('like' in o)) {
    throw new TypeError(`${where}: the operator must be a LinearOperator ({ name, size, dtype, like, apply }), got ${fmtValue(op)}`);
  }
  let s = spaces.get(o);
  if (!s) {
    s = spaceOf(where, 'the operator’s like', o.like);
    spaces.set(o, s);
  }
  return s;
}

/** @internal A · x on flat vectors, counting products. */
export interface FlatOperator {
  readonly space: Space;
  readonly name: string;
  apply(x: Float64Array): Float64Array;
  /** Products taken so far. */
  products: number;
}

/** @internal The flat form of `op`: apply on Float64Arrays, products counted. */
export function flatOperator(where: string, op: LinearOperator<any>): FlatOperator {
  const space = operatorSpace(where, op);
  const flat: FlatOperator = {
    space,
    name: op.name,
    products: 0,
    apply(x) {
      flat.products++;
      // on tfjs backends the product's tensors (v, A·v and what they took) are freed here
      return tidy(() => toFlat(space, where, `${op.name}(v)`, op.apply(fromFlat(space, x))));
    },
  };
  return flat;
}

/** @internal Wraps a raw product so its input and output are checked against `space`. */
export function checkedOperator<P>(name: string, space: Space<P>, product: (v: P) => P): LinearOperator<P> {
  return {
    name,
    size: space.size,
    dtype: space.dtype,
    like: space.like,
    apply(v: P): P {
      checkInSpace(space, name, 'v', v);
      const out = tidy(() => product(v));
      checkInSpace(space, name, 'A·v', out);
      return out;
    },
  };
}

/** A LinearOperator from a product function; inputs and outputs are checked against `like`'s structure. */
export function linearOperator<P>(options: LinearOperatorOptions<P>): LinearOperator<P> {
  if (options === null || typeof options !== 'object') throw new TypeError(`linearOperator: options must be { like, apply, name? }, got ${fmtValue(options)}`);
  for (const k of Object.keys(options)) if (!['like', 'apply', 'name'].includes(k)) throw new TypeError(`linearOperator: unknown option "${k}"; known options: like, apply, name`);
  if (typeof options.apply !== 'function') throw new TypeError(`linearOperator: apply must be a function v ↦ A·v, got ${fmtValue(options.apply)}`);
  if (options.name !== undefined && typeof options.name !== 'string') throw new TypeError(`linearOperator: name must be a string, got ${fmtValue(options.name)}`);
  const name = options.name ?? 'linearOperator';
  return checkedOperator(name, spaceOf(name, 'like', options.like), options.apply);
}

/** The operator v ↦ a·v of a square float matrix a [n, n]; its vectors are [n] tensors of a's dtype and backend. */
export function matrixOperator(a: Tensor): LinearOperator<Tensor> {
  assertTensor('matrixOperator', 'a', a);
  if (a.rank !== 2 || a.shape[0] !== a.shape[1]) throw new RangeError(`matrixOperator: a must be a square matrix [n, n], got ${fmtShape(a.shape)}`);
  if (!isFloat(a.dtype)) throw new TypeError(`matrixOperator: a must be float32 or float64, got ${a.dtype}`);
  const n = a.shape[0]!;
  const like = tensor(a.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n), { dtype: a.dtype, backend: a.backend });
  const space = spaceOf('matrixOperator', 'a', like);
  return checkedOperator('matrixOperator', space, (v) => reshape(matmul(a, reshape(v, [n, 1])), [n]));
}

/** op + λ·I: the Levenberg–Marquardt / Tikhonov damping of a curvature operator (λ a finite number). */
export function damped<P>(op: LinearOperator<P>, lambda: number): LinearOperator<P> {
  const space = operatorSpace('damped', op) as Space<P>;
  if (typeof lambda !== 'number' || !Number.isFinite(lambda)) throw new RangeError(`damped: lambda must be a finite number, got ${fmtValue(lambda)}`);
  return checkedOperator(`damped(${op.name}, ${lambda})`, space, (v) => (lambda === 0 ? op.apply(v) : treeAdd(op.apply(v), treeScale(v, lambda))));
}

/** The operator as a dense float64 cpu matrix [size, size], one product per column (for small problems and tests). */
export function denseMatrix(op: LinearOperator<any>): Tensor {
  const f = flatOperator('denseMatrix', op);
  const n = f.space.size;
  const out = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = f.apply(e);
    for (let i = 0; i < n; i++) out[i * n + j] = col[i]!;
  }
  return tensor(out, { shape: [n, n], dtype: 'float64', backend: 'cpu' });
}
