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
        if (ow % nr === 0) {
          // Each output row is whole slivers (nr·kc apart): full ones inside [qLo, qHi) copy nr
          // values with no test, the edges test each element.
          const step = nr * Math.min(kb, rows - pc);
          for (let p = 0; p < oh; p++) {
            const ih = p * sh + offH;
            const inside = ih >= 0 && ih < h;
            const lo = inside ? qLo : ow;
            const hi = inside ? qHi : ow;
            const src = plane + ih * w + offW;
            for (let q0 = 0; q0 < ow; q0 += nr, dst += step) {
              if (q0 >= lo && q0 + nr <= hi) {
                if (sw === 1) for (let t = 0, s = src + q0; t < nr; t++) out[dst + t] = x[s + t]!;
                else for (let t = 0; t < nr; t++) out[dst + t] = x[src + (q0 + t) * sw]!;
              } else if (q0 >= hi || q0 + nr <= lo) {
                for (let t = 0; t < nr; t++) out[dst + t] = 0;
              } else {
                for (let t = 0; t < nr; t++) {
                  const q = q0 + t;
                  out[dst + t] = q < lo || q >= hi ? 0 : x[src + q * sw]!;
                }
              }
            }
          }
          continue;
        }
        let lane = 0;
        for (let p = 0; p < oh; p++) {
          const ih = p * sh + offH;
          // Zeros before qLo, input values in [qLo, qHi), zeros after (all zeros in the padding rows).
          const lo = ih >= 0 && ih < h ? qLo : ow;
          const hi = ih >= 0 && ih < h ? qHi : ow;
          const src = plane + ih * w + offW;
          // Runs that end where the sliver does: zeros, values, zeros, with no test per element.
          for (let q = 0; q < ow; ) {
            const end = Math.min(ow, q + nr - lane);
            lane += end - q;
            const zeroEnd = Math.min(end, lo);
            for (; q < zeroEnd; q++) out[dst++] = 0;
            const copyEnd = Math.min(end, hi);
            if (sw === 1) for (let s = src + q; q < copyEnd; q++) out[dst++] = x[s++]!;
            else for (; q < copyEnd; q++) out[dst++] = x[src + q * sw]!;
            for (; q < end; q++) out[dst++] = 0;
            if (lane === nr) {
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

/**
 * The transpose of im2col's matrix: row-major [oh·ow, channels·kh·kw] at `outOff`, row q (an
 * output position) holding the input values under every kernel tap, zero in the padding. Each
 * (channel, kernel row) is a run of kw values read from one input row, so for a kernel as large
 * as the input (conv2d's weight cotangent correlates the input with the output gradient) this
 * is a copy of contiguous runs where im2col would scatter single values.
 */
export function im2colT(x: Floats, xOff: number, channels: number, g: ConvGeometry, out: Floats, outOff: number): void {
  const { h, w, kh, kw, oh, ow } = g;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const rows = channels * kh * kw;
  for (let p = 0; p < oh; p++) {
    for (let q = 0; q < ow; q++) {
      let o = outOff + (p * ow + q) * rows;
      const col0 = q * sw - g.padLeft;
      // Taps j with 0 ≤ col0 + j·dw < w.
      const jLo = Math.min(kw, Math.max(0, Math.ceil(-col0 / dw)));
      const jHi = Math.max(jLo, Math.min(kw, Math.floor((w - 1 - col0) / dw) + 1));
      for (let c = 0; c < channels; c++) {
        const plane = xOff + c * h * w;
        for (let i = 0; i < kh; i++, o += kw) {
          const ih = p * sh + i * dh - g.padTop;
          if (ih < 0 || ih >= h) {
            out.fill(0, o, o + kw);
            continue;
          }
          const src = plane + ih * w + col0;
          for (let j = 0; j < jLo; j++) out[o + j] = 0;
          if (dw === 1) for (let j = jLo; j < jHi; j++) out[o + j] = x[src + j]!;
          else for (let j = jLo; j < jHi; j++) out[o + j] = x[src + j * dw]!;
          for (let j = jHi; j < kw; j++) out[o + j] = 0;
        }
      }
    }
  }
}

/**
 * Writes the transpose of w (rows·cols at `wOff`, row-major) — a cols×rows matrix B — in the wasm
 * gemm's packed layout of B (see im2colPacked): element (p, j) of B, w[j, p], goes to
 * pc·npad + ⌊j/nr⌋·nr·kc + (p − pc)·nr + j mod nr; columns past `rows` get zeros.
 */
export function packTransposed(wt: Floats, wOff: number, rows: number, cols: number, out: Floats, kb: number, nr: number): void {
  const npad = Math.ceil(rows / nr) * nr;
  for (let pc = 0; pc < cols; pc += kb) {
    const kc = Math.min(kb, cols - pc);
    for (let jr = 0; jr < npad; jr += nr) {
      const base = pc * npad + jr * kc;
      for (let j = 0; j < nr; j++) {
        let dst = base + j;
        if (jr + j >= rows) {
          for (let p = 0; p < kc; p++, dst += nr) out[dst] = 0;
          continue;
        }
        const src = wOff + (jr + j) * cols + pc;
        for (let p = 0; p < kc; p++, dst += nr) out[dst] = wt[src + p]!;
      }
    }
  }
}
