/**
 * Reference matrix product c = a·b of row-major a (m×k) and b (k×n) as a plain triple loop,
 * accumulating in a double. The test oracle for the fast kernel and the benchmark baseline.
 */
export function naiveMatmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}
