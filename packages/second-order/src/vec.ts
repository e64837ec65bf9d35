// Float64Array vector algebra for the solvers. Every function returns a new array unless its name
// says `Into` (then it writes its first argument and returns it).

/** @internal Σ aᵢbᵢ, summed in index order. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** @internal √(aᵀa). */
export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** @internal a + s·b. */
export function axpy(a: Float64Array, s: number, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + s * b[i]!;
  return out;
}

/** @internal a ← a + s·b. */
export function axpyInto(a: Float64Array, s: number, b: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] = a[i]! + s * b[i]!;
  return a;
}

/** @internal s·a. */
export function scale(a: Float64Array, s: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = s * a[i]!;
  return out;
}

/** @internal a − b. */
export function sub(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

/** @internal −a. */
export function neg(a: Float64Array): Float64Array {
  return scale(a, -1);
}

/** @internal max |aᵢ| (0 for an empty array). */
export function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/** @internal Σ |aᵢ|. */
export function sumAbs(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]!);
  return s;
}

/** @internal Whether every entry is finite. */
export function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}
