// Argument checks shared by the theory functions: each error names the function, the argument and
// the shape or dtype seen beside the one expected.
import type { Tensor } from '@ddopt/tensor';
import { assertFloat, assertTensor, fmtShape } from '@ddopt/tensor/validate';

/** A float tensor of rank `rank` (any rank ≥ 1 when omitted). */
export function floatTensor(where: string, arg: string, x: unknown, rank?: number): Tensor {
  assertTensor(where, arg, x);
  assertFloat(where, arg, x);
  if (rank === undefined ? x.rank < 1 : x.rank !== rank) {
    const want = rank === undefined ? 'of rank ≥ 1' : rank === 1 ? 'a vector [k]' : rank === 2 ? 'a matrix [rows, k]' : `of rank ${rank}`;
    throw new RangeError(`${where}: ${arg} must be ${want}, got shape ${fmtShape(x.shape)}`);
  }
  return x;
}

/** A float matrix [rows, cols] with at least one row; `cols` fixes its width. */
export function floatMatrix(where: string, arg: string, x: unknown, cols?: number): Tensor {
  const m = floatTensor(where, arg, x, 2);
  if (cols !== undefined && m.shape[1] !== cols) throw new RangeError(`${where}: ${arg} must have ${cols} columns, got shape ${fmtShape(m.shape)}`);
  if (m.shape[0] === 0 || m.shape[1] === 0) throw new RangeError(`${where}: ${arg} must have at least one row and one column, got shape ${fmtShape(m.shape)}`);
  return m;
}

/** Throws unless two tensors share a dtype (nothing is cast silently). */
export function sameDType(where: string, a: [string, Tensor], b: [string, Tensor]): void {
  if (a[1].dtype !== b[1].dtype) throw new TypeError(`${where}: ${a[0]} is ${a[1].dtype} but ${b[0]} is ${b[1].dtype}; cast one explicitly`);
}

/** Throws unless the last dimensions agree (the input dimension k of both weight sets). */
export function sameWidth(where: string, a: [string, Tensor], b: [string, Tensor]): number {
  const ka = a[1].shape[a[1].rank - 1]!;
  const kb = b[1].shape[b[1].rank - 1]!;
  if (ka !== kb) throw new RangeError(`${where}: ${a[0]} ${fmtShape(a[1].shape)} and ${b[0]} ${fmtShape(b[1].shape)} must agree on the last dimension (the input dimension), got ${ka} vs ${kb}`);
  return ka;
}

/** A finite number option or argument. */
export function finiteNumber(where: string, arg: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new TypeError(`${where}: ${arg} must be a finite number, got ${String(x)}`);
  return x;
}
