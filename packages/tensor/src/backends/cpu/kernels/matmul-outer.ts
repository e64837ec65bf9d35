type Floats = Float32Array | Float64Array;

/**
 * A batch of outer products (matmul with k = 1): c_t[i, j] = a_t[i] · b_t[j], for a [batch, m, 1]
 * and b [batch, 1, n] stored row-major. Written straight into c, one pass over it: no packing and
 * no product buffer copied out, as the gemm paths would do for a contraction of length 1. Each
 * value is the gemm's: the product rounded once, plus 0 (so a −0 product is +0, as a sum from 0).
 */
export function outerBatch(a: Floats, b: Floats, c: Floats, batch: number, m: number, n: number): void {
  for (let t = 0; t < batch; t++) {
    const ao = t * m;
    const bo = t * n;
    for (let i = 0; i < m; i++) {
      const ai = a[ao + i]!;
      const o = (ao + i) * n;
      for (let j = 0; j < n; j++) c[o + j] = ai * b[bo + j]! + 0;
    }
  }
}
