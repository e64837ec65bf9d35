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

/**
 * im2col straight into the packed layout of the wasm gemm's B (see gemm-wat.ts's pack_b): element
 * (row r, output position q) of the [channels·kh·kw, oh·ow] matrix goes to
 * pc·npad + ⌊q/nr⌋·nr·kc + (r − pc)·nr + q mod nr, with pc = ⌊r/kb⌋·kb, kc = min(kb, rows − pc)
 * and npad = oh·ow rounded up to nr; the padding columns get zeros. Saves conv2d copying the
 * unfolded matrix into the module's memory and packing it there.
 */
export function im2colPacked(x: Floats, xOff: number, channels: number, g: ConvGeometry, out: Floats, kb: number, nr: number): void {
  const { h, w, kh, kw, oh, ow } = g;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const rows = channels * kh * kw;
  const npad = Math.ceil((oh * ow) / nr) * nr;
  let r = 0;
  for (let c = 0; c < channels; c++) {
    const plane = xOff + c * h * w;
    for (let i = 0; i < kh; i++) {
      const offH = i * dh - g.padTop;
      for (let j = 0; j < kw; j++, r++) {
        const offW = j * dw - g.padLeft;
        const qLo = Math.min(ow, Math.max(0, Math.ceil(-offW / sw)));
        const qHi = Math.max(qLo, Math.min(ow, Math.floor((w - 1 - offW) / sw) + 1));
        const pc = Math.floor(r / kb) * kb;
        // Within a sliver values are consecutive; the next sliver of this row is `jump` further on.
        const jump = nr * Math.min(kb, rows - pc) - nr;
        let dst = pc * npad + (r - pc) * nr;
        let lane = 0;
        for (let p = 0; p < oh; p++) {
          const ih = p * sh + offH;
          // Zeros before qLo, input values in [qLo, qHi), zeros after (all zeros in the padding rows).
          const lo = ih >= 0 && ih < h ? qLo : ow;
          const hi = ih >= 0 && ih < h ? qHi : ow;
          const src = plane + ih * w + offW;
          for (let q = 0; q < ow; q++) {
            out[dst++] = q < lo || q >= hi ? 0 : x[src + q * sw]!;
            if (++lane === nr) {
              lane = 0;
              dst += jump;
            }
          }
        }
        for (; lane !== 0 && lane < nr; lane++) out[dst++] = 0;
      }
    }
  }
}
