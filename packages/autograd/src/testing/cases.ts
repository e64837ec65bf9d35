import {
  type DType,
  type Key,
  type Primitive,
  type Tensor,
  abs,
  add,
  argmax,
  argmin,
  atan2,
  avgPool2d,
  bind,
  broadcastTo,
  cast,
  concat,
  conv1d,
  conv2d,
  convTranspose2d,
  cos,
  cumsum,
  div,
  dot,
  equal,
  erf,
  erfc,
  exp,
  expm1,
  flip,
  gather,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  log1p,
  logSoftmax,
  logSumExp,
  matmul,
  max,
  maxPool2d,
  maximum,
  mean,
  min,
  minimum,
  mul,
  neg,
  notEqual,
  outer,
  pad,
  pow,
  prod,
  randn,
  reshape,
  sigmoid,
  sign,
  sin,
  slice,
  softmax,
  softplus,
  splitKey,
  sqrt,
  stack,
  sub,
  sum,
  tanh,
  tensor,
  tile,
  transpose,
  uniform,
  where,
} from '@ddopt/tensor';

/** Where a case draws an input from: normal, (0.5, 2), or (−0.9, 0.9). */
export type Domain = 'real' | 'positive' | 'unit';

/** One differentiable input: its shape and domain. */
export interface InputSpec {
  shape: number[];
  domain: Domain;
}

/**
 * One entry of the gradient test table: a function of float inputs that exercises the
 * primitives in `covers`. Constants it needs (indices, masks) are drawn from `key` in `make`.
 */
export interface GradCase {
  name: string;
  covers: Primitive[];
  inputs: InputSpec[];
  /** Builds the function, given a key for any constants it closes over and the float dtype. */
  make(key: Key, dtype: DType): (...xs: Tensor[]) => Tensor;
  /** Dtypes the case supports (default float32 and float64). */
  dtypes?: DType[];
  /** Steps and tolerances replacing the defaults in float64 (for cases that round through float32). */
  float64Tolerance?: { eps1: number; eps2: number; rtol: number; atol: number };
}

/** Draws the inputs of a case. */
export function sampleInputs(c: GradCase, key: Key, dtype: DType): Tensor[] {
  const keys = splitKey(key, c.inputs.length + 1).slice(1);
  return c.inputs.map(({ shape, domain }, i) => {
    const f = dtype as 'float32' | 'float64';
    if (domain === 'positive') return uniform(keys[i]!, shape, { low: 0.5, high: 2, dtype: f });
    if (domain === 'unit') return uniform(keys[i]!, shape, { low: -0.9, high: 0.9, dtype: f });
    return randn(keys[i]!, shape, { dtype: f });
  });
}

const real = (...shape: number[]): InputSpec => ({ shape, domain: 'real' });
const positive = (...shape: number[]): InputSpec => ({ shape, domain: 'positive' });
const unit = (...shape: number[]): InputSpec => ({ shape, domain: 'unit' });

const simple = (name: string, covers: Primitive[], inputs: InputSpec[], fn: (...xs: Tensor[]) => Tensor): GradCase => ({ name, covers, inputs, make: () => fn });

const unaryCases: GradCase[] = [
  simple('neg', ['neg'], [real(3, 4)], neg),
  simple('abs', ['abs'], [real(3, 4)], abs),
  simple('sign (zero derivative)', ['sign'], [real(3, 4)], (x) => mul(sign(x), x)),
  simple('exp', ['exp'], [real(3, 4)], exp),
  simple('log', ['log'], [positive(3, 4)], log),
  simple('log1p', ['log1p'], [positive(3, 4)], log1p),
  simple('expm1', ['expm1'], [real(3, 4)], expm1),
  simple('sqrt', ['sqrt'], [positive(3, 4)], sqrt),
  simple('sin', ['sin'], [real(3, 4)], sin),
  simple('cos', ['cos'], [real(3, 4)], cos),
  simple('tanh', ['tanh'], [real(3, 4)], tanh),
  simple('sigmoid', ['sigmoid'], [real(3, 4)], sigmoid),
  simple('erf', ['erf'], [real(3, 4)], erf),
  simple('erfc', ['erfc'], [real(3, 4)], erfc),
  simple('softplus (composite)', ['where', 'log1p', 'exp'], [real(3, 4)], softplus),
  {
    name: 'cast float64 ↔ float32',
    covers: ['cast'],
    inputs: [real(3, 4)],
    dtypes: ['float64'],
    // The float32 round trip rounds at ~6e-8 relative: large steps (exact for this quadratic loss) and loose tolerances.
    float64Tolerance: { eps1: 1e-2, eps2: 1e-2, rtol: 1e-4, atol: 1e-4 },
    make: () => (x) => cast(mul(cast(x, 'float32'), 2), 'float64'),
  },
];

const binaryOps = { add, sub, mul, div, maximum, minimum, atan2 };

const binaryCases: GradCase[] = [
  simple('add', ['add'], [real(3, 4), real(3, 4)], add),
  simple('sub', ['sub'], [real(3, 4), real(3, 4)], sub),
  simple('mul', ['mul'], [real(3, 4), real(3, 4)], mul),
  simple('div', ['div'], [real(3, 4), positive(3, 4)], div),
  simple('pow', ['pow'], [positive(3, 4), unit(3, 4)], (a, b) => pow(a, mul(b, 2))),
  simple('maximum', ['maximum'], [real(3, 4), real(3, 4)], maximum),
  simple('minimum', ['minimum'], [real(3, 4), real(3, 4)], minimum),
  simple('atan2', ['atan2'], [real(3, 4), positive(3, 4)], atan2),
  simple('atan2 (upper half plane, both signs of x)', ['atan2'], [positive(3, 4), real(3, 4)], atan2),
  // A rank-0 operand on either side reaches the primitive as it is (no broadcastTo): its
  // cotangent sums over every element it met, its tangent spreads to them.
  ...(['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'atan2'] as const).map((p) =>
    simple(`${p} with a rank-0 operand on either side`, [p, 'add'], [positive(), positive(3, 4)], (s, x) => add(binaryOps[p](s!, x!), binaryOps[p](x!, s!))),
  ),
  simple('pow with a rank-0 base or exponent', ['pow', 'add'], [positive(), unit(3, 4)], (s, x) => add(pow(s!, x!), pow(add(x!, 1.5), s!))),
  simple('broadcasting add/mul', ['broadcastTo', 'add', 'mul'], [real(3, 1), real(4), real(2, 1, 1)], (a, b, c) => mul(add(a, b), c)),
  {
    name: 'comparisons (no derivative through the mask)',
    covers: ['greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'notEqual', 'cast'],
    inputs: [real(3, 4), real(3, 4)],
    make: (_key, dtype) => (a, b) => {
      const m = (t: Tensor) => cast(t, dtype);
      const terms = [mul(a, m(greater(a, b))), mul(b, m(greaterEqual(a, b))), mul(a, m(less(a, b))), mul(b, m(lessEqual(a, b))), mul(a, m(equal(a, b))), mul(b, m(notEqual(a, b)))];
      return terms.reduce((x, y) => add(x, y));
    },
  },
  {
    name: 'where (fixed condition)',
    covers: ['where'],
    inputs: [real(3, 4), real(3, 4)],
    make: (key, dtype) => {
      const cond = greater(randn(key, [3, 4], { dtype: dtype as 'float64' }), 0);
      return (a, b) => where(cond, a, b);
    },
  },
];

const reduceCases: GradCase[] = [
  simple('sum over an axis (keepdims)', ['sum'], [real(3, 4)], (x) => sum(x, { axis: 1, keepdims: true })),
  simple('sum of all', ['sum'], [real(2, 3, 2)], (x) => sum(x)),
  simple('sum over axes 0 and 2', ['sum'], [real(2, 3, 2)], (x) => sum(x, { axis: [0, 2] })),
  simple('prod over an axis', ['prod'], [positive(3, 4)], (x) => prod(x, { axis: 0 })),
  simple('max over an axis', ['max'], [real(3, 4)], (x) => max(x, { axis: 1 })),
  simple('max of all', ['max'], [real(2, 3, 2)], (x) => max(x)),
  simple('min over an axis (composite)', ['max'], [real(3, 4)], (x) => min(x, { axis: 0 })),
  simple('mean (composite)', ['sum'], [real(3, 4)], (x) => mean(x, { axis: 1 })),
  simple('logSumExp (composite)', ['max', 'exp', 'log', 'sum'], [real(3, 4)], (x) => logSumExp(x, { axis: 1 })),
  simple('argmax and argmax-selected gather', ['argmax', 'gather'], [real(3, 4)], (x) => gather(x, argmax(x, { axis: 1 }), 1)),
  simple('argmin and argmin-selected gather', ['argmin', 'gather'], [real(3, 4)], (x) => gather(x, argmin(x, { axis: 0 }), 0)),
  simple('cumsum', ['cumsum'], [real(3, 4)], (x) => cumsum(x, 1)),
  simple('cumsum reversed', ['cumsum'], [real(3, 4)], (x) => cumsum(x, 0, { reverse: true })),
];

const movementCases: GradCase[] = [
  simple('reshape', ['reshape'], [real(3, 4)], (x) => reshape(x, [2, 6])),
  simple('transpose', ['transpose'], [real(2, 3, 4)], (x) => transpose(x, [2, 0, 1])),
  simple('broadcastTo', ['broadcastTo'], [real(3, 1)], (x) => broadcastTo(x, [2, 3, 4])),
  simple('slice', ['slice'], [real(4, 5)], (x) => slice(x, [1, 2], [2, 3])),
  simple('pad', ['pad'], [real(2, 3)], (x) => pad(x, [[1, 0], [2, 1]], 0.5)),
  simple('concat', ['concat'], [real(2, 3), real(2, 1), real(2, 2)], (a, b, c) => concat([a, b, c], 1)),
  simple('flip (reverse)', ['reverse'], [real(3, 4)], (x) => flip(x, [0, 1])),
  simple('stack (composite)', ['concat', 'reshape'], [real(2, 3), real(2, 3)], (a, b) => stack([a, b], 1)),
  simple('tile (composite)', ['broadcastTo', 'reshape'], [real(2, 3)], (x) => tile(x, [2, 1])),
  {
    name: 'gather with repeated indices',
    covers: ['gather'],
    inputs: [real(4, 3)],
    make: () => {
      const idx = tensor([3, 0, 3, 1, 3], { dtype: 'int32' });
      return (x) => gather(x, idx, 0);
    },
  },
  {
    name: 'scatterAdd with repeated indices',
    covers: ['scatterAdd'],
    inputs: [real(2, 5)],
    make: () => {
      const idx = tensor([2, 0, 2, 3, 2], { dtype: 'int32' });
      return (u) => bind('scatterAdd', [idx, u], { axis: 1, size: 4 });
    },
  },
];

const linearCases: GradCase[] = [
  simple('matmul', ['matmul'], [real(3, 4), real(4, 2)], matmul),
  simple('batched matmul', ['matmul'], [real(2, 3, 4), real(2, 4, 2)], matmul),
  simple('matmul with batch broadcasting (composite)', ['matmul', 'broadcastTo'], [real(2, 3, 4), real(4, 2)], matmul),
  simple('dot (composite)', ['matmul'], [real(5), real(5)], dot),
  simple('outer (composite)', ['mul'], [real(3), real(4)], outer),
];

const conv = (name: string, x: number[], w: number[], options: Parameters<typeof conv2d>[2]): GradCase =>
  simple(`conv2d ${name}`, ['conv2d'], [real(...x), real(...w)], (a, b) => conv2d(a, b, options));

const convCases: GradCase[] = [
  conv('stride 1', [2, 2, 5, 5], [3, 2, 3, 3], {}),
  conv('stride 2, padding 1', [1, 2, 6, 5], [2, 2, 3, 3], { stride: 2, padding: 1 }),
  conv('dilation 2, asymmetric padding', [1, 2, 6, 6], [2, 2, 2, 3], { dilation: 2, padding: [[1, 0], [2, 1]] }),
  conv('groups 2, stride 2', [1, 4, 5, 5], [4, 2, 2, 2], { groups: 2, stride: 2 }),
  conv('groups 2, stride 2, dilation 2, padding 2', [1, 4, 7, 6], [2, 2, 3, 2], { groups: 2, stride: 2, dilation: 2, padding: 2 }),
  conv('stride [2,1], dilation [1,2]', [2, 1, 5, 6], [2, 1, 2, 2], { stride: [2, 1], dilation: [1, 2] }),
  conv('large padding (crop path)', [1, 1, 3, 3], [1, 1, 2, 2], { padding: 3 }),
  simple('conv1d (composite)', ['conv2d', 'reshape'], [real(2, 2, 7), real(3, 2, 3)], (x, w) => conv1d(x, w, { stride: 2, padding: 1 })),
  simple('convTranspose2d (composite)', ['conv2d'], [real(1, 2, 3, 3), real(2, 2, 2, 2)], (x, w) => convTranspose2d(x, w, { stride: 2, padding: 0 })),
  simple('maxPool2d (composite)', ['max', 'pad', 'slice'], [real(1, 2, 5, 5)], (x) => maxPool2d(x, { kernelSize: 2, stride: 2, padding: 1 })),
  simple('avgPool2d (composite)', ['sum', 'slice'], [real(1, 2, 4, 4)], (x) => avgPool2d(x, { kernelSize: 2 })),
  simple('softmax (composite)', ['exp', 'sum', 'max'], [real(3, 4)], (x) => softmax(x)),
  simple('logSoftmax (composite)', ['exp', 'log', 'max'], [real(3, 4)], (x) => logSoftmax(x)),
];

/** The gradient test table: every primitive, with its input generator and domain, plus composites. */
export const gradCases: readonly GradCase[] = [...unaryCases, ...binaryCases, ...reduceCases, ...movementCases, ...linearCases, ...convCases];
