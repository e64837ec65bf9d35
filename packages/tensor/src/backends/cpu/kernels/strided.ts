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
type Typed = Float64Array | Float32Array | Int32Array | Uint8Array;

// Contiguous runs at least this long are copied with TypedArray.set (or fill for a broadcast).
const RUN = 32;

/** Whether src and dst are typed arrays of one type (so `set` copies the bits unchanged). */
function sameType(src: ArrayLike<number>, dst: Writable): boolean {
  return ArrayBuffer.isView(src) && ArrayBuffer.isView(dst) && src.constructor === dst.constructor;
}

// Tile edge for copies whose source is contiguous along the second-last dim only (transposes):
// 32×32 tiles keep both the rows read and the rows written in L1.
const TILE = 32;

/** Copies an n0×n1 block, row by row (dims 0, 1 of the view). */
function copy2D(src: ArrayLike<number>, so: number, s0: number, s1: number, dst: Writable, dof: number, d0: number, d1: number, n0: number, n1: number): void {
  for (let i = 0; i < n0; i++) {
    const a = so + i * s0;
    const b = dof + i * d0;
    for (let j = 0; j < n1; j++) dst[b + j * d1] = src[a + j * s1]!;
  }
}

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
  // Transpose-like views (source contiguous along the second-last dim) copy 2-D tiles.
  const tiled = r >= 2 && ss[r - 1] !== 1 && ss[r - 2] === 1 && s[r - 1]! >= TILE && s[r - 2]! >= TILE;
  const inner = tiled ? 2 : 1;
  const outer = r - inner;
  const idx = new Array<number>(outer).fill(0);
  let so = srcOffset;
  let dof = dstOffset;
  for (;;) {
    if (tiled) {
      const [n0, n1, s0, s1, d0, d1] = [s[r - 2]!, s[r - 1]!, ss[r - 2]!, ss[r - 1]!, ds[r - 2]!, ds[r - 1]!];
      for (let j = 0; j < n1; j += TILE) {
        for (let i = 0; i < n0; i += TILE) {
          copy2D(src, so + i * s0 + j * s1, s0, s1, dst, dof + i * d0 + j * d1, d0, d1, Math.min(TILE, n0 - i), Math.min(TILE, n1 - j));
        }
      }
    } else {
      const n = s[r - 1]!;
      const si = ss[r - 1]!;
      const di = ds[r - 1]!;
      if (si === 1 && di === 1) {
        // Long contiguous runs between arrays of one type: a memcpy (the element loop below is
        // megamorphic over the typed-array types and several times slower).
        if (n >= RUN && sameType(src, dst)) (dst as Typed).set((src as Typed).subarray(so, so + n) as never, dof);
        else for (let i = 0; i < n; i++) dst[dof + i] = src[so + i]!;
      } else if (si === 0 && di === 1 && n >= RUN && ArrayBuffer.isView(dst)) {
        (dst as unknown as Float64Array).fill(src[so]!, dof, dof + n);
      } else {
        for (let i = 0; i < n; i++) dst[dof + i * di] = src[so + i * si]!;
      }
    }
    let d = outer - 1;
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
