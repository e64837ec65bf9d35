// Primitive-level cases shared by the wasm (Node) and webgl (browser) tests: each case is run
// through `execute` on the tfjs backend and on the cpu backend, and the results must agree.
import type { DType } from '../../src/dtype.js';
import { execute } from '../../src/dispatch.js';
import type { Attrs, Primitive } from '../../src/primitives.js';
import { tensor } from '../../src/creation.js';
import { tidy } from '../../src/scope.js';

export interface InputSpec {
  shape: number[];
  dtype: DType;
  values: number[];
}

export interface PrimitiveCase {
  name: string;
  primitive: Primitive;
  inputs: InputSpec[];
  attrs: Attrs<Primitive>;
  /** Tolerance for float32 results: |got − want| ≤ tol·(1 + |want|) (default 1e-5). */
  tol?: number;
  /** Also require |got − want| ≤ relTol·|want| (for tiny results, where `tol` is too lax). */
  relTol?: number;
}

export interface CaseResult {
  shape: number[];
  dtype: DType;
  values: number[];
}

// A small seeded LCG: deterministic inputs without any global RNG.
function values(seed: number, n: number, kind: 'float' | 'int' | 'bool' | 'positive'): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    out.push(kind === 'int' ? Math.floor(u * 11) - 5 : kind === 'bool' ? (u < 0.5 ? 1 : 0) : kind === 'positive' ? 0.1 + 2 * u : 4 * u - 2);
  }
  return out;
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const f = (shape: number[], seed: number, kind: 'float' | 'positive' = 'float'): InputSpec => ({ shape, dtype: 'float32', values: values(seed, size(shape), kind) });
const i32 = (shape: number[], seed: number): InputSpec => ({ shape, dtype: 'int32', values: values(seed, size(shape), 'int') });
const b = (shape: number[], seed: number): InputSpec => ({ shape, dtype: 'bool', values: values(seed, size(shape), 'bool') });
const raw = (shape: number[], dtype: DType, v: number[]): InputSpec => ({ shape, dtype, values: v });
const none = {} as Record<string, never>;

const SPECIAL = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -1, 1e-9, 2.5, -3];

const INF = Number.POSITIVE_INFINITY;
const SPECIAL_12 = [Number.NaN, INF, -INF, 0, -0, 1e-30, -1, 1, 100, -100, 20, -20];
const SPECIAL_10 = [Number.NaN, INF, -INF, 0, -1, 1e-30, 1, 100, -0.5, 1e-7];

function conv(name: string, x: number[], w: number[], attrs: Attrs<'conv2d'>, seed: number): PrimitiveCase {
  return { name, primitive: 'conv2d', inputs: [f(x, seed), f(w, seed + 1)], attrs, tol: 1e-4 };
}
const conv0 = { stride: [1, 1], padding: [[0, 0], [0, 0]], dilation: [1, 1], groups: 1 } as Attrs<'conv2d'>;

/** Every primitive at least once, with broadcasting-free shapes, empty and size-1 dims. */
export const CASES: PrimitiveCase[] = [
  ...(['neg', 'abs', 'sign', 'exp', 'sin', 'cos', 'tanh', 'sigmoid', 'expm1', 'erf', 'erfc'] as const).map((p, k) => ({ name: p, primitive: p, inputs: [f([3, 4], 10 + k)], attrs: none })),
  ...(['log', 'log1p', 'sqrt'] as const).map((p, k) => ({ name: p, primitive: p, inputs: [f([2, 5], 30 + k, 'positive')], attrs: none })),
  // IEEE specials, in the shapes of the cases above so a browser reuses their compiled shaders.
  ...(['neg', 'abs', 'exp', 'sin', 'cos', 'tanh', 'sigmoid', 'expm1', 'erf', 'erfc'] as const).map((p) => ({ name: `${p} specials`, primitive: p, inputs: [raw([3, 4], 'float32', SPECIAL_12)], attrs: none })),
  ...(['log', 'log1p', 'sqrt'] as const).map((p) => ({ name: `${p} specials`, primitive: p, inputs: [raw([2, 5], 'float32', SPECIAL_10)], attrs: none })),
  { name: 'log1p tiny', primitive: 'log1p', inputs: [raw([4], 'float32', [1e-8, -1e-7, 3e-10, 1e-3])], attrs: none, relTol: 1e-5 },
  { name: 'expm1 tiny', primitive: 'expm1', inputs: [raw([4], 'float32', [1e-8, -1e-7, 3e-10, 5e-3])], attrs: none, relTol: 1e-5 },
  // Relative accuracy where the values are tiny: erf near 0 (tfjs's webgl Erf is off by 1e-3 there), erfc's tail.
  { name: 'erf tiny', primitive: 'erf', inputs: [raw([4], 'float32', [1e-8, -1e-6, 3e-4, 0.02])], attrs: none, relTol: 1e-6 },
  { name: 'erfc tail', primitive: 'erfc', inputs: [raw([6], 'float32', [0.5, 1.5, 3, 5.5, 7.25, 9])], attrs: none, relTol: 1e-6 },
  { name: 'sign special', primitive: 'sign', inputs: [raw([8], 'float32', SPECIAL)], attrs: none },
  { name: 'abs/neg int32', primitive: 'neg', inputs: [i32([7], 3)], attrs: none },
  { name: 'sign int32', primitive: 'sign', inputs: [i32([7], 4)], attrs: none },
  { name: 'cast f→i32 truncates', primitive: 'cast', inputs: [raw([6], 'float32', [1.7, -1.7, 2.5, -0.5, 100.9, 0])], attrs: { dtype: 'int32' } },
  { name: 'cast f→bool (NaN true)', primitive: 'cast', inputs: [raw([8], 'float32', SPECIAL)], attrs: { dtype: 'bool' } },
  { name: 'cast bool→f', primitive: 'cast', inputs: [b([5], 5)], attrs: { dtype: 'float32' } },
  { name: 'cast i32→f', primitive: 'cast', inputs: [i32([5], 6)], attrs: { dtype: 'float32' } },
  { name: 'cast same dtype', primitive: 'cast', inputs: [f([3], 7)], attrs: { dtype: 'float32' } },
  ...(['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'atan2'] as const).map((p, k) => ({ name: p, primitive: p, inputs: [f([2, 3, 4], 40 + k), f([2, 3, 4], 50 + k)], attrs: none })),
  // A rank-0 operand on either side, as the ops layer passes a number (no broadcast first).
  ...(['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'atan2'] as const).flatMap((p, k) => [
    { name: `${p} rank-0 right`, primitive: p, inputs: [f([2, 3], 210 + k), f([], 220 + k)], attrs: none },
    { name: `${p} rank-0 left`, primitive: p, inputs: [f([], 230 + k), f([2, 3], 240 + k)], attrs: none },
  ]),
  { name: 'pow rank-0 exponent', primitive: 'pow', inputs: [f([3, 3], 62, 'positive'), raw([], 'float32', [1.5])], attrs: none },
  { name: 'pow rank-0 base', primitive: 'pow', inputs: [raw([], 'float32', [1.5]), f([3, 3], 63)], attrs: none },
  { name: 'sub int32 rank-0 left', primitive: 'sub', inputs: [i32([], 250), i32([2, 5], 251)], attrs: none },
  { name: 'greater rank-0 left', primitive: 'greater', inputs: [f([], 252), f([7], 253)], attrs: none },
  { name: 'lessEqual rank-0 right', primitive: 'lessEqual', inputs: [f([7], 254), f([], 255)], attrs: none },
  { name: 'pow', primitive: 'pow', inputs: [f([3, 3], 60, 'positive'), f([3, 3], 61)], attrs: none },
  { name: 'maximum NaN both sides', primitive: 'maximum', inputs: [raw([3], 'float32', [Number.NaN, 1, 2]), raw([3], 'float32', [1, Number.NaN, 3])], attrs: none },
  { name: 'minimum NaN both sides', primitive: 'minimum', inputs: [raw([3], 'float32', [Number.NaN, 1, 2]), raw([3], 'float32', [1, Number.NaN, 3])], attrs: none },
  { name: 'div by zero', primitive: 'div', inputs: [raw([3], 'float32', [1, -1, 0]), raw([3], 'float32', [0, 0, 0])], attrs: none },
  ...(['add', 'sub', 'mul', 'maximum', 'minimum'] as const).map((p, k) => ({ name: `${p} int32`, primitive: p, inputs: [i32([2, 5], 70 + k), i32([2, 5], 80 + k)], attrs: none })),
  ...(['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual'] as const).map((p, k) => ({ name: p, primitive: p, inputs: [i32([4, 3], 90 + k), i32([4, 3], 100 + k)], attrs: none })),
  { name: 'equal NaN', primitive: 'equal', inputs: [raw([3], 'float32', [Number.NaN, 1, 2]), raw([3], 'float32', [Number.NaN, 1, 3])], attrs: none },
  { name: 'notEqual NaN', primitive: 'notEqual', inputs: [raw([3], 'float32', [Number.NaN, 1, 2]), raw([3], 'float32', [Number.NaN, 1, 3])], attrs: none },
  { name: 'greater float', primitive: 'greater', inputs: [f([5], 110), f([5], 111)], attrs: none },
  { name: 'equal bool', primitive: 'equal', inputs: [b([6], 112), b([6], 113)], attrs: none },
  { name: 'where', primitive: 'where', inputs: [b([2, 3], 120), f([2, 3], 121), f([2, 3], 122)], attrs: none },
  { name: 'where int32', primitive: 'where', inputs: [b([4], 123), i32([4], 124), i32([4], 125)], attrs: none },
  { name: 'sum all', primitive: 'sum', inputs: [f([3, 4, 5], 130)], attrs: { axes: [0, 1, 2] }, tol: 1e-4 },
  { name: 'sum axes [0, 2]', primitive: 'sum', inputs: [f([3, 4, 5], 131)], attrs: { axes: [0, 2] }, tol: 1e-4 },
  { name: 'sum no axes', primitive: 'sum', inputs: [f([2, 2], 132)], attrs: { axes: [] } },
  { name: 'sum empty axis', primitive: 'sum', inputs: [f([0, 3], 133)], attrs: { axes: [0] } },
  { name: 'prod empty axis', primitive: 'prod', inputs: [f([2, 0], 134)], attrs: { axes: [1] } },
  { name: 'max empty axis', primitive: 'max', inputs: [f([0, 2], 135)], attrs: { axes: [0] } },
  { name: 'sum int32', primitive: 'sum', inputs: [i32([4, 5], 136)], attrs: { axes: [1] } },
  { name: 'prod', primitive: 'prod', inputs: [f([3, 4], 137)], attrs: { axes: [1] }, tol: 1e-4 },
  { name: 'max', primitive: 'max', inputs: [f([3, 4], 138)], attrs: { axes: [0] } },
  { name: 'max NaN', primitive: 'max', inputs: [raw([2, 3], 'float32', [1, Number.NaN, 3, 4, 5, 6])], attrs: { axes: [1] } },
  { name: 'max int32', primitive: 'max', inputs: [i32([3, 4], 139)], attrs: { axes: [1] } },
  { name: 'argmax', primitive: 'argmax', inputs: [f([3, 5], 140)], attrs: { axis: 1 } },
  { name: 'argmin axis 0', primitive: 'argmin', inputs: [f([3, 5], 141)], attrs: { axis: 0 } },
  { name: 'argmax ties → first', primitive: 'argmax', inputs: [raw([2, 4], 'float32', [1, 3, 3, 0, 2, 2, 2, 2])], attrs: { axis: 1 } },
  { name: 'argmax NaN → first NaN', primitive: 'argmax', inputs: [raw([2, 4], 'float32', [1, Number.NaN, 3, Number.NaN, 2, 5, 2, 1])], attrs: { axis: 1 } },
  { name: 'argmin NaN', primitive: 'argmin', inputs: [raw([4], 'float32', [1, 0, Number.NaN, -1])], attrs: { axis: 0 } },
  { name: 'argmax bool', primitive: 'argmax', inputs: [raw([4], 'bool', [0, 0, 1, 1])], attrs: { axis: 0 } },
  { name: 'argmax int32', primitive: 'argmax', inputs: [i32([3, 4], 142)], attrs: { axis: 1 } },
  { name: 'cumsum', primitive: 'cumsum', inputs: [f([3, 4], 150)], attrs: { axis: 1, reverse: false } },
  { name: 'cumsum reverse axis 0', primitive: 'cumsum', inputs: [f([3, 4], 151)], attrs: { axis: 0, reverse: true } },
  { name: 'cumsum int32', primitive: 'cumsum', inputs: [i32([6], 152)], attrs: { axis: 0, reverse: false } },
  { name: 'reshape', primitive: 'reshape', inputs: [f([2, 6], 160)], attrs: { shape: [3, 1, 4] } },
  { name: 'reshape bool', primitive: 'reshape', inputs: [b([2, 3], 161)], attrs: { shape: [6] } },
  { name: 'transpose', primitive: 'transpose', inputs: [f([2, 3, 4], 162)], attrs: { perm: [2, 0, 1] } },
  { name: 'transpose bool', primitive: 'transpose', inputs: [b([2, 3], 163)], attrs: { perm: [1, 0] } },
  { name: 'broadcastTo', primitive: 'broadcastTo', inputs: [f([3, 1], 164)], attrs: { shape: [2, 3, 4] } },
  { name: 'broadcastTo bool', primitive: 'broadcastTo', inputs: [b([1, 3], 165)], attrs: { shape: [2, 3] } },
  { name: 'slice', primitive: 'slice', inputs: [f([4, 5], 166)], attrs: { begin: [1, 2], size: [2, 3] } },
  { name: 'slice to empty', primitive: 'slice', inputs: [f([4, 5], 167)], attrs: { begin: [1, 2], size: [0, 3] } },
  { name: 'pad', primitive: 'pad', inputs: [f([2, 3], 168)], attrs: { paddings: [[1, 0], [2, 1]], value: 0.5 } },
  { name: 'pad int32', primitive: 'pad', inputs: [i32([3], 169)], attrs: { paddings: [[1, 2]], value: 7 } },
  { name: 'pad empty input', primitive: 'pad', inputs: [f([0], 170)], attrs: { paddings: [[1, 2]], value: 3 } },
  { name: 'concat', primitive: 'concat', inputs: [f([2, 3], 171), f([2, 1], 172), f([2, 0], 173)], attrs: { axis: 1 } },
  { name: 'concat one', primitive: 'concat', inputs: [f([2, 3], 174)], attrs: { axis: 0 } },
  { name: 'concat bool', primitive: 'concat', inputs: [b([2], 175), b([3], 176)], attrs: { axis: 0 } },
  { name: 'reverse', primitive: 'reverse', inputs: [f([3, 4], 177)], attrs: { axes: [0, 1] } },
  { name: 'reverse bool', primitive: 'reverse', inputs: [raw([2, 2], 'bool', [1, 0, 0, 0])], attrs: { axes: [1] } },
  { name: 'reverse no axes', primitive: 'reverse', inputs: [f([3], 178)], attrs: { axes: [] } },
  { name: 'gather', primitive: 'gather', inputs: [f([4, 3], 180), raw([2, 2], 'int32', [3, 0, 1, 3])], attrs: { axis: 0 } },
  { name: 'gather axis 1', primitive: 'gather', inputs: [f([2, 4, 3], 181), raw([3], 'int32', [2, 2, 0])], attrs: { axis: 1 } },
  { name: 'gather bool', primitive: 'gather', inputs: [raw([3], 'bool', [1, 0, 1]), raw([2], 'int32', [1, 2])], attrs: { axis: 0 } },
  { name: 'scatterAdd duplicates', primitive: 'scatterAdd', inputs: [raw([4], 'int32', [0, 2, 0, 0]), f([4, 3], 182)], attrs: { axis: 0, size: 3 } },
  { name: 'scatterAdd axis 1, 2-D indices', primitive: 'scatterAdd', inputs: [raw([2, 2], 'int32', [1, 3, 1, 0]), f([2, 2, 2, 3], 183)], attrs: { axis: 1, size: 5 } },
  { name: 'scatterAdd int32', primitive: 'scatterAdd', inputs: [raw([3], 'int32', [1, 1, 0]), i32([3], 184)], attrs: { axis: 0, size: 2 } },
  { name: 'scatterAdd no updates', primitive: 'scatterAdd', inputs: [raw([0], 'int32', []), f([0, 2], 185)], attrs: { axis: 0, size: 3 } },
  { name: 'matmul', primitive: 'matmul', inputs: [f([3, 5], 190), f([5, 4], 191)], attrs: none, tol: 1e-4 },
  { name: 'matmul batched', primitive: 'matmul', inputs: [f([2, 3, 3, 4], 192), f([2, 3, 4, 2], 193)], attrs: none, tol: 1e-4 },
  { name: 'matmul size-1 dims', primitive: 'matmul', inputs: [f([1, 1, 5], 194), f([1, 5, 1], 195)], attrs: none, tol: 1e-4 },
  { name: 'matmul empty contraction', primitive: 'matmul', inputs: [f([2, 0], 196), f([0, 3], 197)], attrs: none },
  conv('conv2d', [2, 3, 6, 5], [4, 3, 3, 3], conv0, 200),
  conv('conv2d padded strided', [1, 2, 7, 7], [3, 2, 3, 2], { ...conv0, stride: [2, 3], padding: [[1, 2], [0, 1]] }, 202),
  conv('conv2d dilated', [1, 2, 8, 8], [2, 2, 3, 3], { ...conv0, dilation: [2, 1], padding: [[2, 2], [1, 1]] }, 204),
  conv('conv2d dilated and strided', [1, 1, 9, 9], [2, 1, 3, 3], { ...conv0, dilation: [2, 2], stride: [2, 2] }, 206),
  conv('conv2d depthwise ×2', [2, 3, 5, 5], [6, 1, 3, 3], { ...conv0, groups: 3, padding: [[1, 1], [1, 1]] }, 208),
  conv('conv2d groups 2', [1, 4, 5, 5], [6, 2, 2, 2], { ...conv0, groups: 2 }, 210),
];

// Edge cases where a tfjs backend has shown (or could show) its own semantics.
const EDGE = new Set([
  ...['neg', 'abs', 'exp', 'sin', 'cos', 'tanh', 'sigmoid', 'expm1', 'erf', 'erfc', 'log', 'log1p', 'sqrt'].map((p) => `${p} specials`),
  'log1p tiny',
  'erf tiny',
  'erfc tail',
  'expm1 tiny',
  'sign special',
  'cast f→bool (NaN true)',
  'maximum NaN both sides',
  'div by zero',
  'equal NaN',
  'sum empty axis',
  'max NaN',
  'argmax ties → first',
  'argmax NaN → first NaN',
  'pad empty input',
  'reverse bool',
  'gather bool',
  'conv2d dilated and strided',
  'conv2d depthwise ×2',
]);

/**
 * The subset for the browser test, where every new shader compiles in software (seconds for a
 * conv): the first case of each primitive plus the edge cases above.
 */
export const BROWSER_CASES: PrimitiveCase[] = CASES.filter((c, k) => EDGE.has(c.name) || CASES.findIndex((d) => d.primitive === c.primitive) === k);

/** Runs `c` on `backend` and returns the result as plain numbers (NaN kept). */
export function runCase(c: PrimitiveCase, backend: string): CaseResult {
  return tidy(() => {
    const inputs = c.inputs.map((s) => tensor(s.values, { shape: s.shape, dtype: s.dtype, backend }));
    const y = execute(c.primitive, inputs, c.attrs);
    if (y.backend !== backend) throw new Error(`${c.name}: result on ${y.backend}, expected ${backend}`);
    return { shape: [...y.shape], dtype: y.dtype, values: Array.from(y.dataSync()) };
  });
}

/** Describes how `got` differs from `want` (float tolerances as in PrimitiveCase), or returns undefined. */
export function compareResults(got: CaseResult, want: CaseResult, tol = 1e-5, relTol?: number): string | undefined {
  if (got.dtype !== want.dtype) return `dtype ${got.dtype}, expected ${want.dtype}`;
  if (got.shape.join() !== want.shape.join()) return `shape [${got.shape}], expected [${want.shape}]`;
  for (let i = 0; i < want.values.length; i++) {
    const g = got.values[i]!;
    const w = want.values[i]!;
    const err = Math.abs(g - w);
    const ok = Number.isNaN(w) ? Number.isNaN(g) : Number.isFinite(w) ? err <= tol * (1 + Math.abs(w)) && (relTol === undefined || err <= relTol * Math.abs(w)) : g === w;
    if (!ok) {
      return `value ${g} at flat index ${i}, expected ${w} (tol ${tol}); got [${got.values.slice(0, 12)}], expected [${want.values.slice(0, 12)}]`;
    }
  }
  return undefined;
}
