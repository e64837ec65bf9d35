import { type FloatDType, type Key, randn, splitKey, type Tensor, tensor, uniform, withBackend } from '@ddopt/tensor';
import { assertInt, checkOptions, option } from '@ddopt/tensor/validate';
import { FLOAT_DTYPE, KEY } from '../options.js';

const TOY = { n: option.int(0).required(), key: KEY.required(), noise: option.number({ min: 0 }), dtype: FLOAT_DTYPE };

// Coordinates are computed on the host in float64; drawing on cpu works whatever the current backend.
const host = <T>(fn: () => T): T => withBackend('cpu', fn);

/** Options of the 2-D toy generators. */
export interface ToyOptions {
  /** Samples (split evenly between the classes). */
  n: number;
  key: Key;
  /** Standard deviation of Gaussian jitter added to each point (default 0). */
  noise?: number;
  dtype?: FloatDType;
}

interface Toy {
  x: Tensor;
  y: Tensor;
  classNames: string[];
}

function finish(where: string, pts: Float64Array, labels: Int32Array, options: ToyOptions, kNoise: Key): Toy {
  const { noise = 0, dtype = 'float32' } = options;
  if (!(noise >= 0)) throw new RangeError(`${where}: noise must be ≥ 0, got ${noise}`);
  if (noise > 0) {
    const z = host(() => randn(kNoise, [pts.length], { dtype: 'float64' }).dataSync());
    for (let i = 0; i < pts.length; i++) pts[i]! += noise * z[i]!;
  }
  return { x: tensor(pts, { shape: [labels.length, 2], dtype }), y: tensor(labels, { dtype: 'int32' }), classNames: ['0', '1'] };
}

/** Two interleaved spirals in the plane (class 0 and its point reflection, class 1), radius ≤ 1. */
export function twoSpirals(given: ToyOptions): Toy {
  const options = checkOptions('twoSpirals', given, TOY);
  const n = assertInt('twoSpirals', 'n', options.n, 2);
  const [kt, kn] = splitKey(options.key, 2) as [Key, Key];
  const t = host(() => uniform(kt, [n], { dtype: 'float64' }).dataSync());
  const pts = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    // Radius grows with the angle over 1.75 turns; the second spiral is rotated by π.
    const r = Math.sqrt(t[i]!);
    const a = r * 3.5 * Math.PI + c * Math.PI;
    pts[2 * i] = r * Math.cos(a);
    pts[2 * i + 1] = r * Math.sin(a);
    labels[i] = c;
  }
  return finish('twoSpirals', pts, labels, options, kn);
}

/** XOR: x uniform in [−1, 1]², label 1 when the coordinates have opposite signs. */
export function xor(given: ToyOptions): Toy {
  const options = checkOptions('xor', given, TOY);
  const n = assertInt('xor', 'n', options.n, 1);
  const [kx, kn] = splitKey(options.key, 2) as [Key, Key];
  const u = host(() => uniform(kx, [n, 2], { low: -1, high: 1, dtype: 'float64' }).dataSync());
  const pts = Float64Array.from(u);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = pts[2 * i]! * pts[2 * i + 1]! < 0 ? 1 : 0;
  return finish('xor', pts, labels, options, kn);
}

/** Two concentric circles: class 0 on the unit circle, class 1 on radius `factor` (default 0.5). */
export function circles(given: ToyOptions & { factor?: number }): Toy {
  const options = checkOptions('circles', given, { ...TOY, factor: option.number({ above: 0, below: 1 }) });
  const n = assertInt('circles', 'n', options.n, 2);
  const factor = options.factor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new RangeError(`circles: factor must be in (0, 1), got ${factor}`);
  const [kt, kn] = splitKey(options.key, 2) as [Key, Key];
  const t = host(() => uniform(kt, [n], { high: 2 * Math.PI, dtype: 'float64' }).dataSync());
  const pts = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const r = c === 0 ? 1 : factor;
    pts[2 * i] = r * Math.cos(t[i]!);
    pts[2 * i + 1] = r * Math.sin(t[i]!);
    labels[i] = c;
  }
  return finish('circles', pts, labels, options, kn);
}

/** Options of `gaussianBlobs`. */
export interface GaussianBlobsOptions {
  /** Samples (sample i belongs to class i mod centers.length, so the classes are balanced). */
  n: number;
  key: Key;
  /** One [x, y] centre per class (default [[−1, −1], [1, 1]]: two classes). */
  centers?: [number, number][];
  /** Standard deviation of every blob, the same along both axes (default 0.5). */
  std?: number;
  dtype?: FloatDType;
}

const BLOBS = { n: option.int(1).required(), key: KEY.required(), centers: option.arrayOf(option.pairOf(option.number())), std: option.number({ min: 0 }), dtype: FLOAT_DTYPE };

/** Isotropic Gaussian blobs in the plane: class c is N(centers[c], std²·I), x [n, 2], y int32. */
export function gaussianBlobs(given: GaussianBlobsOptions): Toy {
  const options = checkOptions('gaussianBlobs', given, BLOBS);
  const n = assertInt('gaussianBlobs', 'n', options.n, 1);
  const centers = options.centers ?? [
    [-1, -1],
    [1, 1],
  ];
  if (centers.length === 0) throw new RangeError('gaussianBlobs: centers must hold at least one [x, y] centre, got []');
  const std = options.std ?? 0.5;
  const k = centers.length;
  const z = host(() => randn(options.key, [n, 2], { dtype: 'float64' }).dataSync());
  const pts = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    pts[2 * i] = centers[c]![0] + std * z[2 * i]!;
    pts[2 * i + 1] = centers[c]![1] + std * z[2 * i + 1]!;
    labels[i] = c;
  }
  return { x: tensor(pts, { shape: [n, 2], dtype: options.dtype ?? 'float32' }), y: tensor(labels, { dtype: 'int32' }), classNames: centers.map((_, c) => String(c)) };
}
