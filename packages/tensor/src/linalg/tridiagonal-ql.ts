// Implicit QL with Wilkinson-type shifts on a symmetric tridiagonal (EISPACK's tql2, the algorithm
// ml-matrix runs), the rotations of the eigenvector matrix logged and applied in cached runs.
import { RotationLog } from './dense.js';

/**
 * @internal Implicit QL on the symmetric tridiagonal (d, e) (tql2): d becomes the eigenvalues in
 * ascending order; with `z` (n×n row-major; `identity` says it is the identity, whose zeros are then
 * skipped) its columns are rotated and reordered to the eigenvectors. False when an eigenvalue takes over 30·n iterations.
 */
export function tridiagonalQl(d: Float64Array, e: Float64Array, n: number, z: Float64Array | null, identity = false): boolean {
  const rot = z ? new RotationLog(z, n, n, identity) : null;
  const eps = 2 ** -52;
  let f = 0;
  let tst1 = 0;
  let budget = 30 * Math.max(n, 1);
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && !(Math.abs(e[m]!) <= eps * tst1)) m++;
    if (m > l) {
      do {
        if (--budget < 0) {
          rot?.flush();
          return false;
        }
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          rot?.push(i, i + 1, c, s);
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  rot?.flush();
  // Ascending order, moving the columns of z along.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i]! - d[j]! || i - j);
  const sorted = Float64Array.from(order, (i) => d[i]!);
  d.set(sorted);
  if (z) {
    const row = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const o = r * n;
      for (let j = 0; j < n; j++) row[j] = z[o + order[j]!]!;
      z.set(row, o);
    }
  }
  return true;
}
