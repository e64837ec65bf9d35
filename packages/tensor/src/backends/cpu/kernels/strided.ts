/**
 * Drops size-1 dims and merges neighbouring dims that are contiguous in both views, so the
 * strided copy below runs long inner loops.
 */
function simplify(shape: readonly number[], a: readonly number[], b: readonly number[]): [number[], number[], number[]] {
  const s: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && sa[last] === n * a[d]! && sb[last] === n * b[d]!) {
      s[last] = s[last]! * n;
      sa[last] = a[d]!;
      sb[last] = b[d]!;
    } else {
      s.push(n);
      sa.push(a[d]!);
      sb.push(b[d]!);
    }
  }
  return [s, sa, sb];
}

type Writable = { [i: number]: number; readonly length: number };

/**
 * Copies the view (`src`, `srcOffset`, `srcStrides`) of extent `shape` into the view
 * (`dst`, `dstOffset`, `dstStrides`). Strides are in elements and may be 0 (broadcast) or
 * negative (reverse). Transpose, broadcast, slice, pad, concat and reverse are all this copy.
 */
export function copyStrided(
  src: ArrayLike<number>,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: Writable,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
): void {
  for (const n of shape) if (n === 0) return;
  const [s, ss, ds] = simplify(shape, srcStrides, dstStrides);
  const r = s.length;
  if (r === 0) {
    dst[dstOffset] = src[srcOffset]!;
    return;
  }
  const n = s[r - 1]!;
  const si = ss[r - 1]!;
  const di = ds[r - 1]!;
  const idx = new Array<number>(r).fill(0);
  let so = srcOffset;
  let dof = dstOffset;
  for (;;) {
    if (si === 1 && di === 1) {
      for (let i = 0; i < n; i++) dst[dof + i] = src[so + i]!;
    } else {
      for (let i = 0; i < n; i++) dst[dof + i * di] = src[so + i * si]!;
    }
    let d = r - 2;
    for (; d >= 0; d--) {
      so += ss[d]!;
      dof += ds[d]!;
      if (++idx[d]! < s[d]!) break;
      so -= ss[d]! * s[d]!;
      dof -= ds[d]! * s[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}
