// An independent plain-JS reference for the conformance suite: naive loops over row-major
// float64 arrays, written from the definitions (NumPy / PyTorch semantics), sharing no code
// with ddopt's ops or kernels.

/** A plain n-d array: its shape and row-major values. */
export interface Ref {
  shape: number[];
  data: number[];
}

/** A seeded stream of uniform numbers in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

export function size(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Uniform values in [lo, hi) (integers in [lo, hi) when `int`). */
export function random(seed: number, shape: number[], lo = -2, hi = 2, int = false): Ref {
  const r = rng(seed);
  const data = Array.from({ length: size(shape) }, () => (int ? Math.floor(lo + r() * (hi - lo)) : lo + r() * (hi - lo)));
  return { shape, data };
}

export function ref(shape: number[], data: number[]): Ref {
  if (size(shape) !== data.length) throw new Error(`ref: ${data.length} values for shape [${shape}]`);
  return { shape, data };
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return idx;
}

function at(a: Ref, idx: readonly number[]): number {
  const s = strides(a.shape);
  let off = 0;
  for (let i = 0; i < idx.length; i++) off += idx[i]! * s[i]!;
  return a.data[off]!;
}

/** Builds a Ref of `shape` from a function of the multi-index. */
export function build(shape: number[], f: (idx: number[]) => number): Ref {
  return { shape, data: Array.from({ length: size(shape) }, (_, i) => f(unravel(i, shape))) };
}

export function map(a: Ref, f: (x: number) => number): Ref {
  return { shape: [...a.shape], data: a.data.map(f) };
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error('reference: not broadcastable');
    out.push(da === 1 ? db : da);
  }
  return out;
}

export function broadcast(a: Ref, shape: number[]): Ref {
  const off = shape.length - a.shape.length;
  return build(shape, (idx) => at(a, a.shape.map((d, i) => (d === 1 ? 0 : idx[off + i]!))));
}

export function zip(a: Ref, b: Ref, f: (x: number, y: number) => number): Ref {
  const shape = broadcastShape(a.shape, b.shape);
  const A = broadcast(a, shape);
  const B = broadcast(b, shape);
  return { shape, data: A.data.map((x, i) => f(x, B.data[i]!)) };
}

/** Reduces over `axes` (all when undefined) with a fold over the values in index order. */
export function reduce(a: Ref, axes: number[] | undefined, keepdims: boolean, fold: (xs: number[]) => number): Ref {
  const r = a.shape.length;
  const ax = (axes ?? a.shape.map((_, i) => i)).map((x) => (x < 0 ? x + r : x));
  const outShape = a.shape.map((d, i) => (ax.includes(i) ? 1 : d));
  const groups = new Map<number, number[]>();
  const os = strides(outShape);
  for (let i = 0; i < a.data.length; i++) {
    const idx = unravel(i, a.shape);
    const key = idx.reduce((p, v, d) => p + (ax.includes(d) ? 0 : v * os[d]!), 0);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(a.data[i]!);
  }
  const data = Array.from({ length: size(outShape) }, (_, k) => fold(groups.get(k) ?? []));
  return { shape: keepdims ? outShape : a.shape.filter((_, i) => !ax.includes(i)), data };
}

export function transpose(a: Ref, perm: number[]): Ref {
  const shape = perm.map((p) => a.shape[p]!);
  return build(shape, (idx) => {
    const src = new Array<number>(perm.length);
    perm.forEach((p, i) => {
      src[p] = idx[i]!;
    });
    return at(a, src);
  });
}

/** Matrix product with NumPy rules (1-D promotion, batch broadcasting). */
export function matmul(a: Ref, b: Ref): Ref {
  const A = a.shape.length === 1 ? { shape: [1, a.shape[0]!], data: a.data } : a;
  const B = b.shape.length === 1 ? { shape: [b.shape[0]!, 1], data: b.data } : b;
  const m = A.shape[A.shape.length - 2]!;
  const k = A.shape[A.shape.length - 1]!;
  const n = B.shape[B.shape.length - 1]!;
  const batch = broadcastShape(A.shape.slice(0, -2), B.shape.slice(0, -2));
  const Ab = broadcast(A, [...batch, m, k]);
  const Bb = broadcast(B, [...batch, k, n]);
  const full = build([...batch, m, n], (idx) => {
    const pre = idx.slice(0, -2);
    let s = 0;
    for (let p = 0; p < k; p++) s += at(Ab, [...pre, idx[idx.length - 2]!, p]) * at(Bb, [...pre, p, idx[idx.length - 1]!]);
    return s;
  });
  const shape = [...batch, ...(a.shape.length === 1 ? [] : [m]), ...(b.shape.length === 1 ? [] : [n])];
  return { shape, data: full.data };
}

export function slice(a: Ref, begin: number[], sz: number[]): Ref {
  return build(sz, (idx) => at(a, idx.map((v, i) => v + begin[i]!)));
}

export function concat(parts: Ref[], axis: number): Ref {
  const shape = [...parts[0]!.shape];
  shape[axis] = parts.reduce((p, t) => p + t.shape[axis]!, 0);
  return build(shape, (idx) => {
    let i = idx[axis]!;
    for (const t of parts) {
      if (i < t.shape[axis]!) return at(t, idx.map((v, d) => (d === axis ? i : v)));
      i -= t.shape[axis]!;
    }
    throw new Error('unreachable');
  });
}

export function pad(a: Ref, paddings: [number, number][], value: number): Ref {
  const shape = a.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  return build(shape, (idx) => {
    const src = idx.map((v, i) => v - paddings[i]![0]);
    return src.every((v, i) => v >= 0 && v < a.shape[i]!) ? at(a, src) : value;
  });
}

export function flip(a: Ref, axes: number[]): Ref {
  return build([...a.shape], (idx) => at(a, idx.map((v, i) => (axes.includes(i) ? a.shape[i]! - 1 - v : v))));
}

export function cumsum(a: Ref, axis: number, reverse: boolean): Ref {
  return build([...a.shape], (idx) => {
    let s = 0;
    const n = a.shape[axis]!;
    const from = reverse ? idx[axis]! : 0;
    const to = reverse ? n - 1 : idx[axis]!;
    for (let j = from; j <= to; j++) s += at(a, idx.map((v, d) => (d === axis ? j : v)));
    return s;
  });
}

export function gather(a: Ref, indices: Ref, axis: number): Ref {
  const shape = [...a.shape.slice(0, axis), ...indices.shape, ...a.shape.slice(axis + 1)];
  const ir = indices.shape.length;
  return build(shape, (idx) => {
    const j = at(indices, idx.slice(axis, axis + ir));
    return at(a, [...idx.slice(0, axis), j, ...idx.slice(axis + ir)]);
  });
}

/** Cross-correlation of x [N,C,H,W] with w [O,C/g,KH,KW]; pads are [[top,bottom],[left,right]]. */
export function conv2d(x: Ref, w: Ref, stride: [number, number], pads: [[number, number], [number, number]], dilation: [number, number], groups: number): Ref {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [o, cg, kh, kw] = w.shape as [number, number, number, number];
  const oh = Math.floor((h + pads[0][0] + pads[0][1] - dilation[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((wd + pads[1][0] + pads[1][1] - dilation[1] * (kw - 1) - 1) / stride[1]) + 1;
  const og = o / groups;
  void c;
  return build([n, o, oh, ow], ([b, oc, i, j]) => {
    const g = Math.floor(oc! / og);
    let s = 0;
    for (let ci = 0; ci < cg; ci++) {
      for (let p = 0; p < kh; p++) {
        for (let q = 0; q < kw; q++) {
          const y = i! * stride[0] - pads[0][0] + p * dilation[0];
          const z = j! * stride[1] - pads[1][0] + q * dilation[1];
          if (y < 0 || y >= h || z < 0 || z >= wd) continue;
          s += at(x, [b!, g * cg + ci, y, z]) * at(w, [oc!, ci, p, q]);
        }
      }
    }
    return s;
  });
}

/**
 * Transposed convolution by its definition as a scatter: every input pixel adds
 * x · w into the output at stride·position − padding + dilation·kernel offset.
 */
export function convTranspose2d(x: Ref, w: Ref, stride: [number, number], padding: [number, number], outputPadding: [number, number], dilation: [number, number], groups: number): Ref {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [, og, kh, kw] = w.shape as [number, number, number, number];
  const oh = (h - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + outputPadding[0] + 1;
  const ow = (wd - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + outputPadding[1] + 1;
  const o = og * groups;
  const cg = c / groups;
  const out = new Array<number>(n * o * oh * ow).fill(0);
  for (let b = 0; b < n; b++) {
    for (let ci = 0; ci < c; ci++) {
      const g = Math.floor(ci / cg);
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < wd; j++) {
          const v = at(x, [b, ci, i, j]);
          for (let oc = 0; oc < og; oc++) {
            for (let p = 0; p < kh; p++) {
              for (let q = 0; q < kw; q++) {
                const y = i * stride[0] - padding[0] + p * dilation[0];
                const z = j * stride[1] - padding[1] + q * dilation[1];
                if (y < 0 || y >= oh || z < 0 || z >= ow) continue;
                out[((b * o + g * og + oc) * oh + y) * ow + z]! += v * at(w, [ci, oc, p, q]);
              }
            }
          }
        }
      }
    }
  }
  return { shape: [n, o, oh, ow], data: out };
}

/** Max or average pooling (average counts padded cells, PyTorch's count_include_pad). */
export function pool2d(x: Ref, kind: 'max' | 'avg', k: [number, number], s: [number, number], p: [number, number]): Ref {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const oh = Math.floor((h + 2 * p[0] - k[0]) / s[0]) + 1;
  const ow = Math.floor((w + 2 * p[1] - k[1]) / s[1]) + 1;
  return build([n, c, oh, ow], ([b, ch, i, j]) => {
    let best = Number.NEGATIVE_INFINITY;
    let total = 0;
    for (let a = 0; a < k[0]; a++) {
      for (let d = 0; d < k[1]; d++) {
        const y = i! * s[0] - p[0] + a;
        const z = j! * s[1] - p[1] + d;
        if (y < 0 || y >= h || z < 0 || z >= w) continue;
        const v = at(x, [b!, ch!, y, z]);
        best = Math.max(best, v);
        total += v;
      }
    }
    return kind === 'max' ? best : total / (k[0] * k[1]);
  });
}
