import { type Key, type Tensor, add, div, matmul, mul, randn, reshape, splitKey, sqrt, square, sum, type FloatDType } from '@ddopt/tensor';
import { assertInt, checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { FLOAT_DTYPE, KEY } from '../options.js';

/** Options of `nakkiranRegression`. */
export interface NakkiranOptions {
  /** Dimension (the report uses d = 1000). */
  d: number;
  /** Samples. */
  n: number;
  /** Noise standard deviation σ (the report uses 0.1). */
  sigma: number;
  key: Key;
  /**
   * The true coefficients: β [d] with ‖β‖ = 1, or t targets at once as the unit-norm columns of
   * β [d, t] (one design X serving many (β, noise) draws). Drawn uniformly on the sphere from
   * `key` when omitted.
   */
  beta?: Tensor;
  /** Targets t to draw when `beta` is omitted, as β [d, t] (omitted: one target, β [d], y [n, 1]). */
  targets?: number;
  dtype?: FloatDType;
}

/**
 * Nakkiran's linear regression: x ~ N(0, I_d), y = ⟨x, β⟩ + N(0, σ²) with ‖β‖ = 1. Returns
 * x [n, d], y [n, t] and β ([d] for one target, [d, t] for t); pass the same β to draw a test set
 * with another key. Each target column gets its own noise.
 */
export function nakkiranRegression(given: NakkiranOptions): { x: Tensor; y: Tensor; beta: Tensor } {
  const options = checkOptions('nakkiranRegression', given, {
    d: option.int(1).required(),
    n: option.int(0).required(),
    sigma: option.number({ min: 0 }).required(),
    key: KEY.required(),
    beta: option.tensor(),
    targets: option.int(1),
    dtype: FLOAT_DTYPE,
  });
  const d = assertInt('nakkiranRegression', 'd', options.d, 1);
  const n = assertInt('nakkiranRegression', 'n', options.n, 0);
  const { sigma, dtype = 'float32' } = options;
  if (!(sigma >= 0)) throw new RangeError(`nakkiranRegression: sigma must be ≥ 0, got ${sigma}`);
  const [kb, kx, ke] = splitKey(options.key, 3) as [Key, Key, Key];
  let beta = options.beta;
  if (beta === undefined) {
    const t = assertInt('nakkiranRegression', 'targets', options.targets ?? 1, 1);
    const g = randn(kb, options.targets === undefined ? [d] : [d, t], { dtype });
    beta = div(g, sqrt(sum(square(g), { axis: 0, keepdims: true })));
  } else {
    if (options.targets !== undefined) throw new TypeError('nakkiranRegression: give beta or targets, not both (beta [d, t] sets t)');
    if ((beta.rank !== 1 && beta.rank !== 2) || beta.shape[0] !== d) throw new RangeError(`nakkiranRegression: beta must be [${d}] or [${d}, t], got ${fmtShape(beta.shape)}`);
    if (beta.dtype !== dtype) throw new TypeError(`nakkiranRegression: beta is ${beta.dtype} but dtype is ${dtype}`);
    const t = beta.rank === 1 ? 1 : beta.shape[1]!;
    const b = beta.dataSync();
    for (let j = 0; j < t; j++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += b[i * t + j]! ** 2;
      if (Math.abs(Math.sqrt(s) - 1) > 1e-5) throw new RangeError(`nakkiranRegression: beta${t > 1 ? ` column ${j}` : ''} must have norm 1, got ${Math.sqrt(s)}`);
    }
  }
  const t = beta.rank === 1 ? 1 : beta.shape[1]!;
  const x = randn(kx, [n, d], { dtype });
  const clean = matmul(x, reshape(beta, [d, t]));
  const y = sigma === 0 ? clean : add(clean, mul(randn(ke, [n, t], { dtype }), sigma));
  return { x, y, beta };
}

/** Options of `teacherStudentData`. */
export interface TeacherStudentOptions {
  /** The teacher network as a function of a batch x [n, ...inputShape]. */
  teacher: (x: Tensor) => Tensor;
  /** Shape of one input sample, e.g. [d]. */
  inputShape: number[];
  n: number;
  key: Key;
  /** Standard deviation of Gaussian noise added to the teacher's outputs (default 0). */
  noise?: number;
  dtype?: FloatDType;
}

/** Gaussian teacher–student data: x ~ N(0, I), y = teacher(x) (+ optional Gaussian noise). */
export function teacherStudentData(given: TeacherStudentOptions): { x: Tensor; y: Tensor } {
  const options = checkOptions('teacherStudentData', given, {
    teacher: option.fn<(x: Tensor) => Tensor>().required(),
    inputShape: option.arrayOf(option.int(1)).required(),
    n: option.int(1).required(),
    key: KEY.required(),
    noise: option.number({ min: 0 }),
    dtype: FLOAT_DTYPE,
  });
  const n = assertInt('teacherStudentData', 'n', options.n, 1);
  const { inputShape, noise = 0, dtype = 'float32' } = options;
  if (typeof options.teacher !== 'function') throw new TypeError('teacherStudentData: teacher must be a function of a batch x');
  if (!Array.isArray(inputShape) || inputShape.some((s) => !Number.isInteger(s) || s < 1)) throw new RangeError(`teacherStudentData: inputShape must be positive integers, got ${JSON.stringify(inputShape)}`);
  if (!(noise >= 0)) throw new RangeError(`teacherStudentData: noise must be ≥ 0, got ${noise}`);
  const [kx, ke] = splitKey(options.key, 2) as [Key, Key];
  const x = randn(kx, [n, ...inputShape], { dtype });
  const clean = options.teacher(x);
  if (clean.rank < 1 || clean.shape[0] !== n) throw new RangeError(`teacherStudentData: teacher returned ${fmtShape(clean.shape)} for ${n} inputs`);
  const y = noise === 0 ? clean : add(clean, mul(randn(ke, clean.shape, { dtype: clean.dtype as FloatDType }), noise));
  return { x, y };
}
