type Floats = Float32Array | Float64Array;

/** Geometry of one conv2d: input plane, kernel window, stride, top/left padding, dilation, output plane. */
export interface ConvGeometry {
  h: number;
  w: number;
  kh: number;
  kw: number;
  stride: readonly [number, number];
  padTop: number;
  padLeft: number;
  dilation: readonly [number, number];
  oh: number;
  ow: number;
}

/**
 * Unfolds `channels` input planes of x (starting at `xOff`) into cols, a row-major
 * [channels·kh·kw, oh·ow] matrix at `colsOff` whose row (c, i, j) holds the input value under
 * kernel tap (i, j) for every output position, zero where the tap falls in the padding.
 * Then conv = weights [o, channels·kh·kw] · cols.
 */
export function im2col(x: Floats, xOff: number, channels: number, g: ConvGeometry, cols: Floats, colsOff: number): void {
  const { h, w, kh, kw, oh, ow } = g;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  let r = 0;
  for (let c = 0; c < channels; c++) {
    const plane = xOff + c * h * w;
    for (let i = 0; i < kh; i++) {
      const offH = i * dh - g.padTop;
      for (let j = 0; j < kw; j++, r++) {
        const offW = j * dw - g.padLeft;
        // Output columns whose tap lands inside the row: 0 ≤ q·sw + offW < w.
        const qLo = Math.min(ow, Math.max(0, Math.ceil(-offW / sw)));
        const qHi = Math.max(qLo, Math.min(ow, Math.floor((w - 1 - offW) / sw) + 1));
        let o = colsOff + r * oh * ow;
        for (let p = 0; p < oh; p++, o += ow) {
          const ih = p * sh + offH;
          if (ih < 0 || ih >= h) {
            cols.fill(0, o, o + ow);
            continue;
          }
          const src = plane + ih * w + offW;
          cols.fill(0, o, o + qLo);
          if (sw === 1) for (let q = qLo; q < qHi; q++) cols[o + q] = x[src + q]!;
          else for (let q = qLo; q < qHi; q++) cols[o + q] = x[src + q * sw]!;
          cols.fill(0, o + qHi, o + ow);
        }
      }
    }
  }
}
