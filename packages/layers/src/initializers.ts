import { type Key, type Tensor, add, eye, full, mul, randn, reshape, tensor, tidy, uniform as uniformDraw, withBackend } from '@ddopt/tensor';
import { fans } from './fans.js';
import type { FloatDType } from '@ddopt/tensor';
import { checkArg, checkOptions, fmtShape, option } from '@ddopt/tensor/validate';

const INIT_OPTIONS = { dtype: option.oneOf(['float32', 'float64']).default('float32'), fanIn: option.int(1), fanOut: option.int(1) };
const GAIN = option.number({ min: 0 }).default(1);

// What every initializer checks when called: its own options, by the initializer's name.
function initOptions(where: string, o: InitializerOptions | undefined) {
  return checkOptions(where, o, INIT_OPTIONS);
}

/** Options every initializer takes; `fanIn`/`fanOut` override the fans computed from the shape. */
export interface InitializerOptions {
  dtype?: FloatDType;
  fanIn?: number;
  fanOut?: number;
}

/** Draws a parameter tensor of `shape` from `key`; same key, same values. */
export type Initializer = (key: Key, shape: readonly number[], options?: InitializerOptions) => Tensor;

function fansOf(shape: readonly number[], options: InitializerOptions): { fanIn: number; fanOut: number } {
  const f = fans(shape);
  return { fanIn: options.fanIn ?? f.fanIn, fanOut: options.fanOut ?? f.fanOut };
}

function symmetric(key: Key, shape: readonly number[], bound: number, dtype: FloatDType): Tensor {
  return uniformDraw(key, shape, { low: -bound, high: bound, dtype });
}

/** All zeros. */
export function zeros(): Initializer {
  return (_key, shape, options) => full(shape, 0, initOptions('zeros', options).dtype);
}

/** All ones. */
export function ones(): Initializer {
  return (_key, shape, options) => full(shape, 1, initOptions('ones', options).dtype);
}

/** Every element equal to `value`. */
export function constant(value: number): Initializer {
  checkArg('constant', 'value', option.number(), value);
  return (_key, shape, options) => full(shape, value, initOptions('constant', options).dtype);
}

/** Independent N(mean, stddev²) entries. */
export function normal(stddev = 1, mean = 0): Initializer {
  checkArg('normal', 'stddev', option.number({ min: 0 }), stddev);
  checkArg('normal', 'mean', option.number(), mean);
  return (key, shape, options) => {
    const { dtype } = initOptions('normal', options);
    // tidy: the draw and the scaling's scalars are intermediates; on tfjs backends they would stay allocated.
    return tidy(() => {
      const z = randn(key, shape, { dtype });
      return mean === 0 ? mul(z, stddev) : add(mul(z, stddev), mean);
    });
  };
}

/** Independent U(low, high) entries. */
export function uniform(options?: { low?: number; high?: number }): Initializer {
  const { low, high } = checkOptions('uniform', options, { low: option.number().default(-1), high: option.number().default(1) });
  if (!(high > low)) throw new RangeError(`uniform: need low < high, got low=${low}, high=${high}`);
  return (key, shape, o) => uniformDraw(key, shape, { low, high, dtype: initOptions('uniform', o).dtype });
}

/** Glorot/Xavier uniform: U(±gain·√(6 / (fanIn + fanOut))). */
export function xavierUniform(options?: { gain?: number }): Initializer {
  const { gain } = checkOptions('xavierUniform', options, { gain: GAIN });
  return (key, shape, given) => {
    const o = initOptions('xavierUniform', given);
    const { fanIn, fanOut } = fansOf(shape, o);
    return symmetric(key, shape, gain * Math.sqrt(6 / (fanIn + fanOut)), o.dtype);
  };
}

/** Glorot/Xavier normal: N(0, gain²·2 / (fanIn + fanOut)). */
export function xavierNormal(options?: { gain?: number }): Initializer {
  const { gain } = checkOptions('xavierNormal', options, { gain: GAIN });
  return (key, shape, given) => {
    const o = initOptions('xavierNormal', given);
    const { fanIn, fanOut } = fansOf(shape, o);
    return normal(gain * Math.sqrt(2 / (fanIn + fanOut)))(key, shape, o);
  };
}

/** Options of the He/Kaiming initializers. */
export interface HeOptions {
  /** Negative slope of the leaky ReLU that follows (0 = ReLU); the gain is √(2 / (1 + a²)). */
  a?: number;
  /** Which fan keeps the variance: forward activations (`fanIn`) or backward gradients (`fanOut`). */
  mode?: 'fanIn' | 'fanOut';
}

const HE = { a: option.number().default(0), mode: option.oneOf(['fanIn', 'fanOut']).default('fanIn') };

function heStd(shape: readonly number[], options: Required<HeOptions>, o: InitializerOptions): number {
  const { a, mode } = options;
  const f = fansOf(shape, o);
  const fan = mode === 'fanIn' ? f.fanIn : f.fanOut;
  return Math.sqrt(2 / (1 + a * a)) / Math.sqrt(fan);
}

/** He/Kaiming uniform: U(±√3·gain / √fan), gain = √(2 / (1 + a²)). */
export function heUniform(options?: HeOptions): Initializer {
  const he = checkOptions('heUniform', options, HE);
  return (key, shape, given) => {
    const o = initOptions('heUniform', given);
    return symmetric(key, shape, Math.sqrt(3) * heStd(shape, he, o), o.dtype);
  };
}

/** He/Kaiming normal: N(0, gain² / fan), gain = √(2 / (1 + a²)). */
export function heNormal(options?: HeOptions): Initializer {
  const he = checkOptions('heNormal', options, HE);
  return (key, shape, given) => {
    const o = initOptions('heNormal', given);
    return normal(heStd(shape, he, o))(key, shape, o);
  };
}

/** U(±1/√fanIn): PyTorch's default for biases of Linear and Conv (pass the weight's fanIn). */
export function fanInUniform(): Initializer {
  return (key, shape, given) => {
    const o = initOptions('fanInUniform', given);
    return symmetric(key, shape, 1 / Math.sqrt(fansOf(shape, o).fanIn), o.dtype);
  };
}

/**
 * PyTorch's default initialization of `nn.Linear` and `nn.ConvNd`: weights kaiming-uniform with
 * a = √5, which is U(±1/√fanIn), and biases U(±1/√fanIn) with the weight's fan-in.
 */
export const pytorchDefault: { weight: Initializer; bias: Initializer } = Object.freeze({
  weight: heUniform({ a: Math.sqrt(5) }),
  bias: fanInUniform(),
});

/**
 * A (semi-)orthogonal matrix times `gain`, from the QR decomposition of a Gaussian matrix with
 * the signs fixed by diag(R), so it is Haar distributed. Tensors of rank > 2 are flattened to
 * [shape[0], rest] first, as for conv kernels.
 */
export function orthogonal(options?: { gain?: number }): Initializer {
  const { gain } = checkOptions('orthogonal', options, { gain: GAIN });
  return (key, shape, given) => {
    const o = initOptions('orthogonal', given);
    if (shape.length < 2) throw new RangeError(`orthogonal: shape must have rank ≥ 2, got ${fmtShape(shape)}`);
    const rows = shape[0]!;
    const cols = shape.slice(1).reduce((p, d) => p * d, 1);
    // Orthonormalize the columns of a tall Gaussian matrix, then transpose when the target is wide.
    const tall = rows >= cols;
    const m = tall ? rows : cols;
    const n = tall ? cols : rows;
    // Drawn on cpu in float64 (the QR runs on the host), so this works on float32-only backends too.
    const g = withBackend('cpu', () => randn(key, [m, n], { dtype: 'float64' }).dataSync() as Float64Array);
    const q = gramSchmidt(g, m, n);
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = gain * (tall ? q[i * n + j]! : q[j * n + i]!);
    return tidy(() => reshape(tensor(out, { shape: [rows, cols], dtype: o.dtype }), shape));
  };
}

// Modified Gram–Schmidt on the n columns of a row-major m×n matrix (m ≥ n). Each column is
// normalized to a positive diagonal of R, which is exactly QR with sign(diag R) = +1.
function gramSchmidt(a: Float64Array, m: number, n: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[i * n + k]! * q[i * n + j]!;
      for (let i = 0; i < m; i++) q[i * n + j]! -= dot * q[i * n + k]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[i * n + j]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) throw new Error('orthogonal: degenerate Gaussian draw (zero column); use another key');
    for (let i = 0; i < m; i++) q[i * n + j]! /= norm;
  }
  return q;
}

/**
 * The identity times `gain`: eye(out, in) for matrices, and for conv kernels
 * [out, in, ...k] the Dirac kernel (1 at the centre tap of channel i → i), so the layer copies
 * its input.
 */
export function identity(options?: { gain?: number }): Initializer {
  const { gain } = checkOptions('identity', options, { gain: GAIN });
  return (_key, shape, given) => {
    const { dtype } = initOptions('identity', given);
    if (shape.length === 2) return gain === 1 ? eye(shape[0]!, shape[1]!, dtype) : tidy(() => mul(eye(shape[0]!, shape[1]!, dtype), gain));
    if (shape.length < 2) throw new RangeError(`identity: shape must have rank ≥ 2, got ${fmtShape(shape)}`);
    const [out, inp, ...k] = shape as number[];
    const kSize = k.reduce((p, d) => p * d, 1);
    let centre = 0;
    for (const d of k) centre = centre * d + Math.floor(d / 2);
    const v = new Float64Array(out! * inp! * kSize);
    for (let i = 0; i < Math.min(out!, inp!); i++) v[(i * inp! + i) * kSize + centre] = gain;
    return tensor(v, { shape, dtype });
  };
}
