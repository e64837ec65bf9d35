import { describe, expect, it } from 'vitest';
import { type ConvGeometry, im2colPacked, im2colT } from '../kernels/im2col.js';
import { kBlock, TILES } from '../wasm/layout.js';
import { wasmGemm } from '../wasm/module.js';
import { rng } from './helpers.js';

// The module's unfolds (unfold_W, unfold_t_W) against the JavaScript ones they replace
// (im2colPacked, im2colT), element for element, on geometries with padding on every side, stride,
// dilation, rows of input shorter than the kernel and several k-blocks.
const GEOMETRIES: [string, number, ConvGeometry][] = [
  ['3×3, padding 1, 16 wide', 5, { h: 16, w: 16, kh: 3, kw: 3, stride: [1, 1], padTop: 1, padLeft: 1, dilation: [1, 1], oh: 16, ow: 16 }],
  ['stride 2, dilation 2, 8 wide', 3, { h: 19, w: 21, kh: 3, kw: 2, stride: [2, 2], padTop: 2, padLeft: 0, dilation: [2, 2], oh: 9, ow: 8 }],
  ['40 channels × 3×3 = 360 rows (two k-blocks), 8 wide', 40, { h: 9, w: 8, kh: 3, kw: 3, stride: [1, 1], padTop: 1, padLeft: 1, dilation: [1, 1], oh: 9, ow: 8 }],
  ['weight-cotangent shape: 16×16 kernel, 3×3 output', 6, { h: 16, w: 16, kh: 16, kw: 16, stride: [1, 1], padTop: 1, padLeft: 1, dilation: [1, 1], oh: 3, ow: 3 }],
  ['kernel run past both edges, dilation 2', 2, { h: 5, w: 6, kh: 4, kw: 5, stride: [1, 1], padTop: 3, padLeft: 4, dilation: [1, 2], oh: 5, ow: 4 }],
];

describe('wasm unfolds', () => {
  const w = wasmGemm();
  for (const [name, channels, g] of GEOMETRIES) {
    for (const dtype of ['float64', 'float32'] as const) {
      it.skipIf(!w)(`${name}, ${dtype}: the same values as the JavaScript unfolds`, () => {
        const ctor = dtype === 'float64' ? Float64Array : Float32Array;
        const bytes = ctor.BYTES_PER_ELEMENT;
        const tile = dtype === 'float64' ? TILES.float64 : TILES.float32;
        const r = rng(channels);
        const x = ctor.from(Array.from({ length: channels * g.h * g.w }, () => r()));
        const rows = channels * g.kh * g.kw;
        const P = g.oh * g.ow;
        const packedLen = rows * Math.ceil(P / tile.nr) * tile.nr;
        // Module memory: x, then the transposed unfold, then the packed one.
        const xAt = 0;
        const tAt = Math.ceil((x.length * bytes) / 16) * 16;
        const pAt = tAt + Math.ceil((P * rows * bytes) / 16) * 16;
        const top = pAt + packedLen * bytes;
        if (w!.memory.buffer.byteLength < top) w!.memory.grow(Math.ceil((top - w!.memory.buffer.byteLength) / 65536));
        const buf = w!.memory.buffer as ArrayBuffer;
        new ctor(buf, xAt, x.length).set(x);
        new ctor(buf, tAt, P * rows).fill(Number.NaN);
        const args = [channels, g.h, g.w, g.kh, g.kw, g.stride[0], g.stride[1], g.padTop, g.padLeft, g.dilation[0], g.dilation[1], g.oh, g.ow] as const;
        (dtype === 'float64' ? w!.exports.unfold_t_f64 : w!.exports.unfold_t_f32)(xAt, ...args, tAt);
        const wantT = new ctor(P * rows);
        im2colT(x, 0, channels, g, wantT, 0);
        expect(Array.from(new ctor(buf, tAt, P * rows))).toEqual(Array.from(wantT));
        // unfold_W takes outputs whose rows are whole slivers only.
        if (g.ow % tile.nr === 0) {
          const kb = kBlock(rows);
          new ctor(buf, pAt, packedLen).fill(Number.NaN);
          (dtype === 'float64' ? w!.exports.unfold_f64 : w!.exports.unfold_f32)(xAt, ...args, kb, pAt);
          const want = new ctor(packedLen);
          im2colPacked(x, 0, channels, g, want, kb, tile.nr);
          expect(Array.from(new ctor(buf, pAt, packedLen))).toEqual(Array.from(want));
        }
      });
    }
  }
});
