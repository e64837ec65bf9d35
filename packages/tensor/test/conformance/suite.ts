// The backend-agnostic conformance suite: every composite op × dtype, with broadcasting and
// edge cases (empty dims, size-1 dims, negative axes, IEEE specials), checked against the plain
// JS reference in ./reference.ts. Test names are `<op> › <case>` under `conformance <backend>`
// so coverage-table.ts can tell which ops a backend passes.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend.js';
import { tensor } from '../../src/creation.js';
import { type DType, isFloat } from '../../src/dtype.js';
import * as T from '../../src/ops/index.js';
import { tidy } from '../../src/scope.js';
import type { Tensor } from '../../src/tensor.js';
import { ERF_COLUMN, ERF_FIXTURE } from './erf-fixture.js';
import * as R from './reference.js';
import type { Ref } from './reference.js';

export interface ConformanceOptions {
  /** Dtypes the backend supports; float cases run per float dtype, int32/bool cases when listed. */
  dtypes: DType[];
  /** Per-dtype tolerance: |actual − expected| ≤ tol · max(1, |expected|). */
  tol: Record<DType, number>;
}

const INF = Number.POSITIVE_INFINITY;
const SPECIALS = [Number.NaN, INF, -INF, 0, 1, -1, 0.5];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Rounds reference inputs to what the dtype stores, so the reference sees the same inputs. */
function stored(r: Ref, dtype: DType): Ref {
  if (dtype === 'float32') return R.map(r, Math.fround);
  if (dtype === 'int32') return R.map(r, (x) => Math.trunc(x));
  return r;
}

/** Registers the conformance tests for `backendName` (started in `beforeAll`). */
export function conformanceSuite(backendName: string, opts: ConformanceOptions): void {
  const floats = opts.dtypes.filter(isFloat);
  const hasInt = opts.dtypes.includes('int32');
  const hasBool = opts.dtypes.includes('bool');

  /** A tensor on the backend under test, plus the reference of exactly the stored values. */
  const make = (r: Ref, dtype: DType): [Tensor, Ref] => {
    const s = stored(r, dtype);
    return [tensor(s.data, { shape: s.shape, dtype, backend: backendName }), s];
  };
  const rand = (key: string, shape: number[], dtype: DType, lo = -2, hi = 2): [Tensor, Ref] =>
    make(R.random(hash(key), shape, lo, hi, dtype === 'int32'), dtype);
  const lit = (shape: number[], data: number[], dtype: DType): [Tensor, Ref] => make(R.ref(shape, data), dtype);

  /** Asserts shape, dtype and values (NaN matches NaN, infinities match exactly). */
  const check = (actual: Tensor, expected: Ref, dtype: DType, tol = opts.tol[dtype]) => {
    expect(actual.backend).toBe(backendName);
    expect(actual.dtype).toBe(dtype);
    expect([...actual.shape]).toEqual(expected.shape);
    const got = Array.from(actual.dataSync());
    const bad: string[] = [];
    expected.data.forEach((e, i) => {
      const a = got[i]!;
      const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
      if (!ok && bad.length < 5) bad.push(`[${i}] got ${a}, expected ${e}`);
    });
    expect(bad, `${bad.length} mismatches`).toEqual([]);
  };
  const checkBool = (actual: Tensor, expected: Ref) => check(actual, R.map(expected, (x) => (x ? 1 : 0)), 'bool', 0);

  /** `it` that runs inside `tidy`, so tfjs-backed backends do not accumulate tensors. */
  const test = (name: string, fn: () => void) =>
    it(name, () => {
      tidy(() => {
        fn();
      });
    });

  describe(`conformance ${backendName}`, () => {
    beforeAll(async () => {
      await initBackend(backendName);
    });

    // ---------------------------------------------------------------- elementwise binary
    const BROADCAST: [number[], number[]][] = [
      [[3, 4], [3, 4]],
      [[2, 3, 4], [4]],
      [[3, 1], [1, 4]],
      [[], [2, 3]],
      [[2, 1, 3], [4, 1]],
      [[0, 3], [1, 3]],
      [[], [0, 3]],
      [[1], [1]],
    ];
    const BINARY: [string, (a: T.Operand, b: T.Operand) => Tensor, (x: number, y: number) => number, number, number][] = [
      ['add', T.add, (x, y) => x + y, -2, 2],
      ['sub', T.sub, (x, y) => x - y, -2, 2],
      ['mul', T.mul, (x, y) => x * y, -2, 2],
      ['div', T.div, (x, y) => x / y, 0.5, 2],
      ['pow', T.pow, Math.pow, 0.5, 2],
      ['maximum', T.maximum, Math.max, -2, 2],
      ['minimum', T.minimum, Math.min, -2, 2],
      ['atan2', T.atan2, Math.atan2, -2, 2],
    ];
    for (const [name, op, f, lo, hi] of BINARY) {
      describe(name, () => {
        for (const dtype of floats) {
          for (const [sa, sb] of BROADCAST) {
            test(`${dtype} [${sa}] with [${sb}]`, () => {
              const [a, ra] = rand(`${name}a${sa}`, sa, dtype, lo, hi);
              const [b, rb] = rand(`${name}b${sb}`, sb, dtype, lo, hi);
              check(op(a, b), R.zip(ra, rb, f), dtype);
              check(op(b, a), R.zip(rb, ra, f), dtype);
            });
          }
          test(`${dtype} with a JS number on either side`, () => {
            const [a, ra] = rand(`${name}n`, [2, 3], dtype, lo, hi);
            const k = Math.fround(1.5);
            check(op(a, k), R.map(ra, (x) => f(x, k)), dtype);
            check(op(k, a), R.map(ra, (x) => f(k, x)), dtype);
          });
          if (name !== 'pow') {
            test(`${dtype} IEEE specials (NaN, ±Inf, 0) propagate`, () => {
              const [a, ra] = lit([SPECIALS.length, 1], SPECIALS, dtype);
              const [b, rb] = lit([SPECIALS.length], SPECIALS, dtype);
              check(op(a, b), R.zip(ra, rb, f), dtype);
            });
            // A rank-0 operand reaches the primitive as it is (no broadcast): each special on either side.
            test(`${dtype} IEEE specials as a rank-0 operand on either side`, () => {
              const [b, rb] = lit([SPECIALS.length], SPECIALS, dtype);
              for (const v of SPECIALS) {
                const [s, rs] = lit([], [v], dtype);
                check(op(s, b), R.zip(rs, rb, f), dtype);
                check(op(b, s), R.zip(rb, rs, f), dtype);
              }
            });
          }
        }
        if (hasInt && ['add', 'sub', 'mul', 'maximum', 'minimum'].includes(name)) {
          test('int32 with broadcasting', () => {
            const [a, ra] = rand(`${name}i`, [2, 3], 'int32', -9, 9);
            const [b, rb] = rand(`${name}j`, [3], 'int32', -9, 9);
            check(op(a, b), R.zip(ra, rb, f), 'int32', 0);
            check(op(a, 4), R.map(ra, (x) => f(x, 4)), 'int32', 0);
            check(op(-4, a), R.map(ra, (x) => f(-4, x)), 'int32', 0);
          });
        }
        test('errors name the op and the shapes', () => {
          const [a] = rand('e', [2, 3], floats[0]!);
          const [b] = rand('f', [4], floats[0]!);
          expect(() => op(a, b)).toThrow(new RegExp(`${name}: shapes \\[2, 3\\] and \\[4\\] cannot be broadcast`));
        });
      });
    }
    describe('pow', () => {
      for (const dtype of floats) {
        test(`${dtype} specials: NaN in, NaN out; 0 to a negative power is Inf`, () => {
          const [a, ra] = lit([5], [Number.NaN, 2, 0, 4, INF], dtype);
          const [b, rb] = lit([5], [2, Number.NaN, -1, 0.5, -1], dtype);
          check(T.pow(a, b), R.zip(ra, rb, Math.pow), dtype);
        });
      }
    });
    describe('mixed dtypes', () => {
      test('are refused, never cast', () => {
        if (floats.length >= 2) {
          const [a] = rand('m', [2], floats[0]!);
          const [b] = rand('m', [2], floats[1]!);
          expect(() => T.add(a, b)).toThrow(/add: dtypes float\d\d and float\d\d differ/);
        }
        if (hasInt) {
          const [i] = rand('i', [2], 'int32', 0, 4);
          expect(() => T.add(i, 0.5)).toThrow(/add: the number 0.5 is not an integer/);
          expect(() => T.div(i, i)).toThrow(/div/);
          if (floats.length) expect(() => T.mul(i, rand('x', [2], floats[0]!)[0])).toThrow(/mul: dtypes/);
        }
      });
    });

    // ---------------------------------------------------------------- elementwise unary
    const sigmoidRef = (x: number) => 1 / (1 + Math.exp(-x));
    const UNARY: [string, (x: Tensor) => Tensor, (x: number) => number, number, number][] = [
      ['neg', T.neg, (x) => -x, -3, 3],
      ['abs', T.abs, Math.abs, -3, 3],
      ['sign', T.sign, Math.sign, -3, 3],
      ['exp', T.exp, Math.exp, -3, 3],
      ['log', T.log, Math.log, 0.1, 5],
      ['log1p', T.log1p, Math.log1p, -0.9, 3],
      ['expm1', T.expm1, Math.expm1, -2, 2],
      ['sqrt', T.sqrt, Math.sqrt, 0, 5],
      ['square', T.square, (x) => x * x, -3, 3],
      ['reciprocal', T.reciprocal, (x) => 1 / x, 0.5, 3],
      ['sin', T.sin, Math.sin, -4, 4],
      ['cos', T.cos, Math.cos, -4, 4],
      ['tanh', T.tanh, Math.tanh, -3, 3],
      ['sigmoid', T.sigmoid, sigmoidRef, -6, 6],
      ['relu', T.relu, (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0), -3, 3],
      ['softplus', T.softplus, (x) => (x > 30 ? x : Math.log1p(Math.exp(x))), -6, 6],
    ];
    for (const [name, op, f, lo, hi] of UNARY) {
      describe(name, () => {
        for (const dtype of floats) {
          for (const shape of [[2, 3], [], [0, 4], [1, 1, 5]]) {
            test(`${dtype} [${shape}]`, () => {
              const [x, rx] = rand(`${name}${shape}`, shape, dtype, lo, hi);
              check(op(x), R.map(rx, f), dtype);
            });
          }
          test(`${dtype} IEEE specials`, () => {
            const [x, rx] = lit([SPECIALS.length], SPECIALS, dtype);
            check(op(x), R.map(rx, f), dtype);
          });
        }
        if (hasInt && ['neg', 'abs', 'sign', 'square', 'relu'].includes(name)) {
          test('int32', () => {
            const [x, rx] = rand(`${name}i`, [7], 'int32', -5, 5);
            check(op(x), R.map(rx, f), 'int32', 0);
          });
        }
        test('refuses a non-tensor argument', () => {
          expect(() => op(3 as unknown as Tensor)).toThrow(new RegExp(`${name}: x must be a Tensor`));
        });
      });
    }
    // erf and erfc against values recorded from Python's math module (float32-exact inputs).
    const ERF_OPS = [
      ['erf', T.erf, [1, -1]],
      ['erfc', T.erfc, [0, 2]],
    ] as const;
    for (const [name, op, [hi, lo]] of ERF_OPS) {
      const rows = ERF_FIXTURE.points;
      const want = (xs: number[]) => xs.map((x) => rows.find((r) => r[0] === x)![ERF_COLUMN[name]]);
      describe(name, () => {
        for (const dtype of floats) {
          test(`${dtype} recorded values from Python's math.${name}`, () => {
            const xs = rows.map((r) => r[0]);
            check(op(lit([xs.length], xs, dtype)[0]), R.ref([xs.length], want(xs)), dtype);
          });
          test(`${dtype} [2,3], [] and [0,4]`, () => {
            const xs = rows.slice(60, 66).map((r) => r[0]);
            check(op(lit([2, 3], xs, dtype)[0]), R.ref([2, 3], want(xs)), dtype);
            check(op(lit([], [xs[0]!], dtype)[0]), R.ref([], want([xs[0]!])), dtype);
            check(op(lit([0, 4], [], dtype)[0]), R.ref([0, 4], []), dtype);
          });
          test(`${dtype} IEEE specials`, () => {
            check(op(lit([SPECIALS.length], SPECIALS, dtype)[0]), R.ref([SPECIALS.length], [Number.NaN, hi, lo, ...want([0, 1, -1, 0.5])]), dtype);
          });
        }
        test('refuses a non-tensor argument and int32', () => {
          expect(() => op(3 as unknown as Tensor)).toThrow(new RegExp(`${name}: x must be a Tensor`));
          if (hasInt) expect(() => op(rand('i', [2], 'int32', 0, 3)[0])).toThrow(new RegExp(`${name}: expects a float tensor, got int32`));
        });
      });
    }
    describe('softplus', () => {
      for (const dtype of floats) {
        test(`${dtype} stays finite and exact for large |x|`, () => {
          const [x, rx] = lit([4], [100, -100, 50, -50], dtype);
          check(T.softplus(x), R.map(rx, (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))), dtype);
        });
      }
    });
    describe('relu', () => {
      for (const dtype of floats) {
        test(`${dtype} is 0 at 0 and on −0`, () => {
          const [x] = lit([3], [0, -0, -1e-30], dtype);
          expect(Array.from(T.relu(x).dataSync()).map((v) => v === 0)).toEqual([true, true, true]);
        });
      }
    });
    describe('clip', () => {
      for (const dtype of floats) {
        test(`${dtype} number bounds, NaN passes through`, () => {
          const [x, rx] = lit([6], [-3, -0.5, 0, 0.25, 9, Number.NaN], dtype);
          const lo = Math.fround(-0.5);
          const hi = Math.fround(0.7);
          check(T.clip(x, lo, hi), R.map(rx, (v) => Math.min(Math.max(v, lo), hi)), dtype);
        });
        test(`${dtype} broadcast tensor bounds`, () => {
          const [x, rx] = rand('clx', [3, 4], dtype);
          const [lo, rlo] = rand('cll', [3, 1], dtype, -1, 0);
          const [hi, rhi] = rand('clh', [4], dtype, 0, 1);
          check(T.clip(x, lo, hi), R.zip(R.zip(rx, rlo, Math.max), rhi, Math.min), dtype);
        });
      }
      test('refuses min > max', () => {
        const [x] = rand('c', [2], floats[0]!);
        expect(() => T.clip(x, 1, 0)).toThrow(/clip: min \(1\) must not exceed max \(0\)/);
      });
    });

    // ---------------------------------------------------------------- cast
    describe('cast', () => {
      const values = [-1.7, -0.2, 0, 0.5, 2.9, 3];
      for (const from of floats) {
        for (const to of floats) {
          test(`${from} → ${to}`, () => {
            const [x, rx] = lit([2, 3], values, from);
            const y = T.cast(x, to);
            check(y, stored(rx, to), to);
            if (from === to) {
              // A new object sharing x's values: disposing it must leave x alive.
              expect(y).not.toBe(x);
              y.dispose();
              check(x, rx, from);
            }
          });
        }
        if (hasInt) {
          test(`${from} → int32 truncates toward zero, and back`, () => {
            const [x, rx] = lit([6], values, from);
            const i = T.cast(x, 'int32');
            check(i, R.map(rx, Math.trunc), 'int32', 0);
            check(T.cast(i, from), R.map(rx, Math.trunc), from);
          });
        }
        if (hasBool) {
          test(`${from} → bool is x ≠ 0, and back`, () => {
            const [x, rx] = lit([6], values, from);
            const b = T.cast(x, 'bool');
            checkBool(b, R.map(rx, (v) => (v !== 0 ? 1 : 0)));
            check(T.cast(b, from), R.map(rx, (v) => (v !== 0 ? 1 : 0)), from);
          });
        }
      }
      test('refuses an unknown dtype', () => {
        const [x] = rand('c', [2], floats[0]!);
        expect(() => T.cast(x, 'float16' as DType)).toThrow(/cast: dtype must be one of 'float32', 'float64', 'int32', 'bool', got 'float16'/);
      });
    });

    // ---------------------------------------------------------------- compare and where
    const COMPARE: [string, (a: T.Operand, b: T.Operand) => Tensor, (x: number, y: number) => boolean][] = [
      ['equal', T.equal, (x, y) => x === y],
      ['notEqual', T.notEqual, (x, y) => x !== y],
      ['greater', T.greater, (x, y) => x > y],
      ['greaterEqual', T.greaterEqual, (x, y) => x >= y],
      ['less', T.less, (x, y) => x < y],
      ['lessEqual', T.lessEqual, (x, y) => x <= y],
    ];
    for (const [name, op, f] of COMPARE) {
      const g = (x: number, y: number) => (f(x, y) ? 1 : 0);
      describe(name, () => {
        for (const dtype of [...floats, ...(hasInt ? (['int32'] as const) : [])]) {
          for (const [sa, sb] of BROADCAST) {
            test(`${dtype} [${sa}] with [${sb}]`, () => {
              // Few distinct values, so equality actually occurs.
              const few = (key: string, shape: number[]) => R.map(R.random(hash(key), shape, -2, 2, true), (v) => (dtype === 'int32' ? v : v / 2));
              const [a, ra] = make(few(`${name}a${sa}`, sa), dtype);
              const [b, rb] = make(few(`${name}b${sb}`, sb), dtype);
              checkBool(op(a, b), R.zip(ra, rb, g));
            });
          }
        }
        for (const dtype of floats) {
          test(`${dtype} NaN compares false (notEqual true), with a number operand`, () => {
            const [a, ra] = lit([SPECIALS.length, 1], SPECIALS, dtype);
            const [b, rb] = lit([SPECIALS.length], SPECIALS, dtype);
            checkBool(op(a, b), R.zip(ra, rb, g));
            checkBool(op(b, 0.5), R.map(rb, (x) => g(x, 0.5)));
            checkBool(op(0.5, b), R.map(rb, (x) => g(0.5, x)));
          });
        }
      });
    }
    describe('where', () => {
      for (const dtype of floats) {
        test(`${dtype} broadcasts cond [3,1], a [1,4] and a number`, () => {
          const [c, rc] = rand('wc', [3, 1], dtype);
          const [a, ra] = rand('wa', [1, 4], dtype);
          const cond = T.greater(c, 0);
          const rcond = R.map(rc, (x) => (x > 0 ? 1 : 0));
          const pick = (k: number, x: number) => (k ? x : -7);
          const rb = R.zip(R.broadcast(rcond, [3, 4]), ra, pick);
          check(T.where(cond, a, -7), rb, dtype);
        });
        test(`${dtype} the unselected branch may hold NaN and Inf`, () => {
          const [a, ra] = lit([4], [1, Number.NaN, 3, INF], dtype);
          const [b, rb] = lit([4], [Number.NaN, 2, -INF, 4], dtype);
          const [c] = lit([4], [1, 0, 1, 0], 'bool');
          const rsel = R.ref([4], [ra.data[0]!, rb.data[1]!, ra.data[2]!, rb.data[3]!]);
          check(T.where(c, a, b), rsel, dtype);
        });
      }
      if (hasInt) {
        test('int32 values', () => {
          const [a, ra] = rand('wi', [5], 'int32', -5, 5);
          const cond = T.less(a, 0);
          check(T.where(cond, 0, a), R.map(ra, (x) => Math.max(x, 0)), 'int32', 0);
        });
      }
      test('refuses a non-bool cond and mixed value dtypes', () => {
        const [a] = rand('w', [2], floats[0]!);
        expect(() => T.where(a, a, a)).toThrow(/where: cond must be bool/);
        if (floats.length >= 2) expect(() => T.where(T.greater(a, 0), a, rand('w', [2], floats[1]!)[0])).toThrow(/where: a and b have dtypes/);
      });
    });

    // ---------------------------------------------------------------- reductions
    const sumRef = (xs: number[]) => xs.reduce((p, q) => p + q, 0);
    const maxRef = (xs: number[]) => xs.reduce((p, q) => Math.max(p, q), -INF);
    const minRef = (xs: number[]) => xs.reduce((p, q) => Math.min(p, q), INF);
    const lseRef = (xs: number[]) => {
      const m = maxRef(xs);
      if (!Number.isFinite(m)) return m === -INF ? -INF : m;
      return m + Math.log(sumRef(xs.map((x) => Math.exp(x - m))));
    };
    const REDUCE: [string, (x: Tensor, o?: T.ReduceOptions) => Tensor, (xs: number[]) => number][] = [
      ['sum', T.sum, sumRef],
      ['mean', T.mean, (xs) => sumRef(xs) / xs.length],
      ['max', T.max, maxRef],
      ['min', T.min, minRef],
      ['prod', T.prod, (xs) => xs.reduce((p, q) => p * q, 1)],
      ['logSumExp', T.logSumExp, lseRef],
    ];
    const AXES: (number | number[] | undefined)[] = [undefined, 0, -1, [0, 2], [-1, 0], 1];
    for (const [name, op, fold] of REDUCE) {
      describe(name, () => {
        for (const dtype of floats) {
          for (const axis of AXES) {
            test(`${dtype} [2,3,4] axis ${JSON.stringify(axis)}, keepdims false and true`, () => {
              const [x, rx] = rand(`${name}r`, [2, 3, 4], dtype, name === 'prod' ? 0.5 : -2, name === 'prod' ? 1.5 : 2);
              const axes = axis === undefined ? undefined : typeof axis === 'number' ? [axis] : axis;
              check(op(x, { axis }), R.reduce(rx, axes, false, fold), dtype);
              check(op(x, { axis, keepdims: true }), R.reduce(rx, axes, true, fold), dtype);
            });
          }
          test(`${dtype} rank 0 and size-1 dims`, () => {
            const [s, rs] = rand(`${name}s`, [], dtype);
            check(op(s), R.reduce(rs, undefined, false, fold), dtype);
            const [x, rx] = rand(`${name}o`, [1, 3, 1], dtype);
            check(op(x, { axis: 2 }), R.reduce(rx, [2], false, fold), dtype);
            check(op(x, { axis: [0, 2], keepdims: true }), R.reduce(rx, [0, 2], true, fold), dtype);
          });
          test(`${dtype} NaN propagates, Inf dominates`, () => {
            const [x, rx] = lit([3, 3], [1, Number.NaN, 2, 1, INF, 2, -INF, 0, 1], dtype);
            check(op(x, { axis: 1 }), R.reduce(rx, [1], false, fold), dtype);
          });
          if (name === 'max' || name === 'min') {
            test(`${dtype} refuses an empty axis`, () => {
              const [x] = rand('e', [0, 3], dtype);
              expect(() => op(x, { axis: 0 })).toThrow(new RegExp(`${name}: cannot reduce over axis 0 of \\[0, 3\\], which is empty`));
              check(op(x, { axis: 1 }), R.ref([0], []), dtype);
            });
          } else {
            test(`${dtype} over an empty axis gives the identity (mean: NaN)`, () => {
              const [x, rx] = rand('e', [0, 3], dtype);
              check(op(x, { axis: 0 }), R.reduce(rx, [0], false, fold), dtype);
              check(op(x, { axis: -1, keepdims: true }), R.ref([0, 1], []), dtype);
            });
          }
        }
        if (hasInt && ['sum', 'max', 'min', 'prod'].includes(name)) {
          test('int32', () => {
            const [x, rx] = rand(`${name}i`, [3, 4], 'int32', -4, 5);
            check(op(x, { axis: 0 }), R.reduce(rx, [0], false, fold), 'int32', 0);
            check(op(x), R.reduce(rx, undefined, false, fold), 'int32', 0);
          });
        }
        test('errors name the axis and the rank', () => {
          const [x] = rand('e', [2, 3], floats[0]!);
          expect(() => op(x, { axis: 3 })).toThrow(new RegExp(`${name}: axis 3 is out of range for a tensor of rank 2`));
          expect(() => op(x, { axis: [0, -2] })).toThrow(new RegExp(`${name}: repeated axis`));
        });
      });
    }
    describe('logSumExp', () => {
      for (const dtype of floats) {
        test(`${dtype} is stable for large and all −Inf rows`, () => {
          const [x, rx] = lit([3, 2], [1000, 1000, -1000, -1001, -INF, -INF], dtype);
          check(T.logSumExp(x, { axis: 1 }), R.reduce(rx, [1], false, lseRef), dtype);
        });
      }
    });
    describe('mean', () => {
      if (hasInt) test('refuses int32', () => expect(() => T.mean(rand('m', [2], 'int32', 0, 3)[0])).toThrow(/mean: x must be float32 or float64, got int32/));
    });
    const argRef = (better: (a: number, b: number) => boolean) => (xs: number[]) => xs.reduce((bi, x, i) => (better(x, xs[bi]!) ? i : bi), 0);
    const ARG: [string, typeof T.argmax, (xs: number[]) => number][] = [
      ['argmax', T.argmax, argRef((a, b) => a > b)],
      ['argmin', T.argmin, argRef((a, b) => a < b)],
    ];
    for (const [name, op, fold] of ARG) {
      describe(name, () => {
        for (const dtype of [...floats, ...(hasInt ? (['int32'] as const) : [])]) {
          test(`${dtype} axes 0, 1, -1, none; keepdims; first index wins ties`, () => {
            const [x, rx] = rand(`${name}a`, [3, 4], dtype, -3, 3);
            for (const axis of [0, 1, -1]) {
              check(op(x, { axis }), R.reduce(rx, [axis], false, fold), 'int32', 0);
              check(op(x, { axis, keepdims: true }), R.reduce(rx, [axis], true, fold), 'int32', 0);
            }
            check(op(x), R.reduce(rx, undefined, false, fold), 'int32', 0);
            check(op(x, { keepdims: true }), R.reduce(rx, undefined, true, fold), 'int32', 0);
            const [tie] = lit([5], [1, 3, 3, -2, -2], dtype);
            expect(op(tie).item()).toBe(name === 'argmax' ? 1 : 3);
          });
        }
        test('refuses an empty axis and a bad axis', () => {
          const [x] = rand('e', [0, 3], floats[0]!);
          expect(() => op(x, { axis: 0 })).toThrow(new RegExp(`${name}: cannot reduce over axis 0 of \\[0, 3\\]`));
          expect(() => op(x, { axis: 2 })).toThrow(new RegExp(`${name}: axis 2 is out of range`));
        });
      });
    }

    // ---------------------------------------------------------------- linear algebra
    describe('matmul', () => {
      const CASES: [number[], number[]][] = [
        [[3, 4], [4, 5]],
        [[4], [4, 5]],
        [[3, 4], [4]],
        [[4], [4]],
        [[2, 3, 4], [4, 5]],
        [[2, 1, 3, 4], [5, 4, 2]],
        [[5], [2, 5, 3]],
        [[3, 0], [0, 2]],
        [[0, 4], [4, 2]],
        [[1, 1], [1, 1]],
        // k = 1: outer products (the cpu kernel's direct path, a broadcasting multiply on tfjs).
        [[3, 1], [1, 5]],
        [[2, 4, 1], [2, 1, 3]],
        [[2, 1, 3, 1], [5, 1, 2]],
      ];
      for (const dtype of floats) {
        for (const [sa, sb] of CASES) {
          test(`${dtype} [${sa}] @ [${sb}]`, () => {
            const [a, ra] = rand(`mma${sa}`, sa, dtype);
            const [b, rb] = rand(`mmb${sb}`, sb, dtype);
            check(T.matmul(a, b), R.matmul(ra, rb), dtype);
          });
        }
      }
      test('errors name both shapes', () => {
        const [a] = rand('a', [2, 3], floats[0]!);
        const [b] = rand('b', [4, 5], floats[0]!);
        expect(() => T.matmul(a, b)).toThrow(/matmul: shapes \[2, 3\] and \[4, 5\] do not multiply \(inner dims 3 vs 4\)/);
        expect(() => T.matmul(rand('c', [2, 2, 3], floats[0]!)[0], rand('d', [3, 3, 1], floats[0]!)[0])).toThrow(/matmul: shapes \[2\] and \[3\] cannot be broadcast/);
      });
    });
    describe('dot', () => {
      for (const dtype of floats) {
        test(`${dtype} vector·vector, matrix·vector, matrix·matrix`, () => {
          const [v, rv] = rand('dv', [4], dtype);
          const [w, rw] = rand('dw', [4], dtype);
          const [m, rm] = rand('dm', [3, 4], dtype);
          check(T.dot(v, w), R.matmul(rv, rw), dtype);
          check(T.dot(m, v), R.matmul(rm, rv), dtype);
          check(T.dot(m, T.transpose(m)), R.matmul(rm, R.transpose(rm, [1, 0])), dtype);
        });
      }
      test('refuses rank 3', () => {
        const [a] = rand('a', [2, 2, 2], floats[0]!);
        expect(() => T.dot(a, a)).toThrow(/dot: expects operands of rank 1 or 2, got \[2, 2, 2\] and \[2, 2, 2\]/);
      });
    });
    describe('outer', () => {
      for (const dtype of floats) {
        test(`${dtype} [3] ⊗ [4] and with an empty vector`, () => {
          const [a, ra] = rand('oa', [3], dtype);
          const [b, rb] = rand('ob', [4], dtype);
          check(T.outer(a, b), R.build([3, 4], ([i, j]) => ra.data[i!]! * rb.data[j!]!), dtype);
          check(T.outer(a, rand('oe', [0], dtype)[0]), R.ref([3, 0], []), dtype);
        });
      }
      test('refuses matrices', () => {
        const [a] = rand('a', [2, 2], floats[0]!);
        expect(() => T.outer(a, a)).toThrow(/outer: expects two vectors, got \[2, 2\] and \[2, 2\]/);
      });
    });

    // ---------------------------------------------------------------- movement
    const allTypes = [...floats, ...(hasInt ? (['int32'] as const) : [])];
    describe('no-op calls', () => {
      // reshape to its own shape, an identity transpose, a full slice, a zero pad, a same-shape
      // broadcast and flip over no axes each return a new tensor (NumPy, PyTorch and tfjs do);
      // disposing it leaves the input readable.
      for (const dtype of floats) {
        test(`return a new tensor whose disposal leaves the input alive (${dtype})`, () => {
          const [x, rx] = lit([2, 3], [1, 2, 3, 4, 5, 6], dtype);
          const calls: [string, () => Tensor][] = [
            ['reshape', () => T.reshape(x, [2, 3])],
            ['transpose', () => T.transpose(x, [0, 1])],
            ['slice', () => T.slice(x, [0, 0], [2, 3])],
            ['pad', () => T.pad(x, [[0, 0], [0, 0]])],
            ['broadcastTo', () => T.broadcastTo(x, [2, 3])],
            ['flip', () => T.flip(x, [])],
            ['cast', () => T.cast(x, dtype)],
          ];
          for (const [name, call] of calls) {
            const y = call();
            expect(y, name).not.toBe(x);
            check(y, rx, dtype);
            y.dispose();
            check(x, rx, dtype);
          }
        });
      }
    });

    describe('transpose', () => {
      for (const dtype of allTypes) {
        test(`${dtype} default reverses axes; explicit and negative perms`, () => {
          const [x, rx] = rand('tr', [2, 3, 4], dtype, -9, 9);
          check(T.transpose(x), R.transpose(rx, [2, 1, 0]), dtype);
          check(T.transpose(x, [1, 0, 2]), R.transpose(rx, [1, 0, 2]), dtype);
          check(T.transpose(x, [-1, 0, 1]), R.transpose(rx, [2, 0, 1]), dtype);
          const [e, re] = rand('te', [0, 3], dtype);
          check(T.transpose(e), R.transpose(re, [1, 0]), dtype);
        });
      }
      test('refuses a non-permutation', () => {
        const [x] = rand('t', [2, 3], floats[0]!);
        expect(() => T.transpose(x, [0, 0])).toThrow(/transpose: perm \[0, 0\] is not a permutation of the 2 axes of \[2, 3\]/);
      });
    });
    describe('reshape', () => {
      for (const dtype of allTypes) {
        test(`${dtype} with −1, to rank 0, empty`, () => {
          const [x, rx] = rand('rs', [2, 3, 4], dtype, -9, 9);
          check(T.reshape(x, [4, -1]), R.ref([4, 6], rx.data), dtype);
          check(T.reshape(x, [24]), R.ref([24], rx.data), dtype);
          const [s, rs] = rand('rs1', [1, 1], dtype);
          check(T.reshape(s, []), R.ref([], rs.data), dtype);
          const [e] = rand('re', [0, 3], dtype);
          check(T.reshape(e, [3, 0, 1]), R.ref([3, 0, 1], []), dtype);
        });
      }
      test('errors state both sizes', () => {
        const [x] = rand('r', [2, 3], floats[0]!);
        expect(() => T.reshape(x, [4, 2])).toThrow('reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)');
        expect(() => T.reshape(x, [-1, -1])).toThrow(/reshape: at most one −1/);
        expect(() => T.reshape(x, [4, -1])).toThrow(/reshape: cannot reshape \[2, 3\] \(6 elements\) to \[4, -1\]/);
      });
    });
    describe('expandDims', () => {
      for (const dtype of floats) {
        test(`${dtype} axes 0, 1, -1`, () => {
          const [x, rx] = rand('ed', [2, 3], dtype);
          check(T.expandDims(x, 0), R.ref([1, 2, 3], rx.data), dtype);
          check(T.expandDims(x, 1), R.ref([2, 1, 3], rx.data), dtype);
          check(T.expandDims(x, -1), R.ref([2, 3, 1], rx.data), dtype);
        });
      }
      test('refuses an axis beyond rank + 1', () => {
        const [x] = rand('e', [2, 3], floats[0]!);
        expect(() => T.expandDims(x, 3)).toThrow(/expandDims: axis 3 is out of range for a tensor of rank 3/);
      });
    });
    describe('squeeze', () => {
      for (const dtype of floats) {
        test(`${dtype} all size-1 axes, or the given ones`, () => {
          const [x, rx] = rand('sq', [1, 3, 1, 2], dtype);
          check(T.squeeze(x), R.ref([3, 2], rx.data), dtype);
          check(T.squeeze(x, -2), R.ref([1, 3, 2], rx.data), dtype);
          check(T.squeeze(x, [0, 2]), R.ref([3, 2], rx.data), dtype);
        });
      }
      test('refuses to squeeze a dim that is not 1', () => {
        const [x] = rand('s', [1, 3], floats[0]!);
        expect(() => T.squeeze(x, 1)).toThrow(/squeeze: axis 1 of \[1, 3\] has size 3, expected 1/);
      });
    });
    describe('broadcastTo', () => {
      for (const dtype of allTypes) {
        test(`${dtype} stretches size-1 and missing dims, to empty too`, () => {
          const [x, rx] = rand('bt', [3, 1], dtype, -9, 9);
          check(T.broadcastTo(x, [2, 3, 4]), R.broadcast(rx, [2, 3, 4]), dtype);
          check(T.broadcastTo(x, [3, 0]), R.ref([3, 0], []), dtype);
          const [s, rs] = rand('bs', [], dtype, -9, 9);
          check(T.broadcastTo(s, [2, 2]), R.broadcast(rs, [2, 2]), dtype);
        });
      }
      test('refuses incompatible shapes', () => {
        const [x] = rand('b', [2, 3], floats[0]!);
        expect(() => T.broadcastTo(x, [3, 3])).toThrow('broadcastTo: cannot broadcast [2, 3] to [3, 3]');
        expect(() => T.broadcastTo(x, [3])).toThrow('broadcastTo: cannot broadcast [2, 3] to [3]');
      });
    });
    describe('flip', () => {
      for (const dtype of allTypes) {
        test(`${dtype} all axes, one, negative, several`, () => {
          const [x, rx] = rand('fl', [2, 3, 4], dtype, -9, 9);
          check(T.flip(x), R.flip(rx, [0, 1, 2]), dtype);
          check(T.flip(x, 0), R.flip(rx, [0]), dtype);
          check(T.flip(x, -1), R.flip(rx, [2]), dtype);
          check(T.flip(x, [0, 2]), R.flip(rx, [0, 2]), dtype);
        });
      }
    });
    describe('tile', () => {
      for (const dtype of allTypes) {
        test(`${dtype} equal rank, more reps than dims, zero reps`, () => {
          const [x, rx] = rand('ti', [2, 3], dtype, -9, 9);
          const tileRef = (reps: number[]) => {
            const n = Math.max(reps.length, 2);
            const dims = [...new Array(n - 2).fill(1), 2, 3];
            const rs = [...new Array(n - reps.length).fill(1), ...reps];
            return R.build(
              dims.map((d, i) => d * rs[i]),
              (idx) => rx.data[(idx[n - 2]! % 2) * 3 + (idx[n - 1]! % 3)]!,
            );
          };
          check(T.tile(x, [2, 1]), tileRef([2, 1]), dtype);
          check(T.tile(x, [2, 1, 3]), tileRef([2, 1, 3]), dtype);
          check(T.tile(x, [3]), tileRef([3]), dtype);
          check(T.tile(x, [0, 2]), tileRef([0, 2]), dtype);
        });
      }
      test('refuses negative reps', () => {
        const [x] = rand('t', [2], floats[0]!);
        expect(() => T.tile(x, [-1])).toThrow(/tile: each of reps must be an integer ≥ 0, got -1/);
      });
    });
    describe('cumsum', () => {
      for (const dtype of allTypes) {
        test(`${dtype} axes 0, -1, reverse, empty`, () => {
          const [x, rx] = rand('cs', [3, 4], dtype, -5, 5);
          check(T.cumsum(x, 0), R.cumsum(rx, 0, false), dtype);
          check(T.cumsum(x, -1), R.cumsum(rx, 1, false), dtype);
          check(T.cumsum(x, 1, { reverse: true }), R.cumsum(rx, 1, true), dtype);
          const [e] = rand('ce', [0, 2], dtype);
          check(T.cumsum(e, 0), R.ref([0, 2], []), dtype);
        });
      }
      for (const dtype of floats) {
        test(`${dtype} NaN and Inf carry forward`, () => {
          const [x, rx] = lit([5], [1, Number.NaN, 2, INF, 3], dtype);
          check(T.cumsum(x, 0), R.cumsum(rx, 0, false), dtype);
        });
      }
    });

    // ---------------------------------------------------------------- indexing
    describe('slice', () => {
      for (const dtype of allTypes) {
        test(`${dtype} begin/size with −1, partial begin, empty`, () => {
          const [x, rx] = rand('sl', [4, 5, 2], dtype, -9, 9);
          check(T.slice(x, [1, 2, 0], [2, -1, 1]), R.slice(rx, [1, 2, 0], [2, 3, 1]), dtype);
          check(T.slice(x, [3]), R.slice(rx, [3, 0, 0], [1, 5, 2]), dtype);
          check(T.slice(x, [1, 1, 0], [0, 2, 2]), R.ref([0, 2, 2], []), dtype);
        });
      }
      test('errors name the axis and the bounds', () => {
        const [x] = rand('s', [4, 5], floats[0]!);
        expect(() => T.slice(x, [0, 6])).toThrow(/slice: begin 6 on axis 1 is outside 0..5 for \[4, 5\]/);
        expect(() => T.slice(x, [2, 0], [3, 1])).toThrow(/slice: size 3 from begin 2 on axis 0 runs past the dim 4/);
      });
    });
    describe('concat', () => {
      for (const dtype of allTypes) {
        test(`${dtype} axes 0 and -1, with an empty piece`, () => {
          const [a, ra] = rand('ca', [2, 3], dtype, -9, 9);
          const [b, rb] = rand('cb', [2, 1], dtype, -9, 9);
          const [e, re] = rand('cz', [2, 0], dtype);
          check(T.concat([a, b, e], -1), R.concat([ra, rb, re], 1), dtype);
          const [c, rc] = rand('cc', [1, 3], dtype, -9, 9);
          check(T.concat([a, c]), R.concat([ra, rc], 0), dtype);
          check(T.concat([a]), ra, dtype);
        });
      }
      test('refuses mismatched shapes and dtypes', () => {
        const [a] = rand('a', [2, 3], floats[0]!);
        const [b] = rand('b', [3, 3], floats[0]!);
        expect(() => T.concat([a, b], 1)).toThrow(/concat: shapes \[2, 3\], \[3, 3\] differ outside axis 1/);
        expect(() => T.concat([])).toThrow(/concat: expects a non-empty array/);
        if (floats.length >= 2) expect(() => T.concat([a, rand('c', [2, 3], floats[1]!)[0]])).toThrow(/concat: dtypes/);
      });
    });
    describe('stack', () => {
      for (const dtype of allTypes) {
        test(`${dtype} axes 0, 1, -1`, () => {
          const [a, ra] = rand('sa', [2, 3], dtype, -9, 9);
          const [b, rb] = rand('sb', [2, 3], dtype, -9, 9);
          const both = (f: (idx: number[]) => [number, number[]]) => (idx: number[]) => {
            const [which, rest] = f(idx);
            return (which === 0 ? ra : rb).data[rest[0]! * 3 + rest[1]!]!;
          };
          check(T.stack([a, b]), R.build([2, 2, 3], both(([k, i, j]) => [k!, [i!, j!]])), dtype);
          check(T.stack([a, b], 1), R.build([2, 2, 3], both(([i, k, j]) => [k!, [i!, j!]])), dtype);
          check(T.stack([a, b], -1), R.build([2, 3, 2], both(([i, j, k]) => [k!, [i!, j!]])), dtype);
        });
      }
      test('refuses unequal shapes', () => {
        expect(() => T.stack([rand('a', [2], floats[0]!)[0], rand('b', [3], floats[0]!)[0]])).toThrow(/stack: shapes \[2\], \[3\] differ/);
      });
    });
    describe('split', () => {
      for (const dtype of allTypes) {
        test(`${dtype} into equal parts and given sizes (one empty)`, () => {
          const [x, rx] = rand('sp', [2, 4], dtype, -9, 9);
          const parts = T.split(x, 2, 1);
          expect(parts.length).toBe(2);
          check(parts[0]!, R.slice(rx, [0, 0], [2, 2]), dtype);
          check(parts[1]!, R.slice(rx, [0, 2], [2, 2]), dtype);
          const sized = T.split(x, [1, 0, 3], -1);
          check(sized[0]!, R.slice(rx, [0, 0], [2, 1]), dtype);
          check(sized[1]!, R.ref([2, 0], []), dtype);
          check(sized[2]!, R.slice(rx, [0, 1], [2, 3]), dtype);
        });
      }
      test('refuses uneven counts and wrong sizes', () => {
        const [x] = rand('s', [2, 4], floats[0]!);
        expect(() => T.split(x, 3, 1)).toThrow(/split: axis 1 of \[2, 4\] has size 4, not divisible into 3 parts/);
        expect(() => T.split(x, [1, 2], 1)).toThrow(/split: sizes \[1, 2\] sum to 3, but axis 1 of \[2, 4\] has size 4/);
      });
    });
    if (hasInt) {
      describe('gather', () => {
        for (const dtype of allTypes) {
          test(`${dtype} axes 0 and 1, repeated and 2-D indices`, () => {
            const [x, rx] = rand('ga', [3, 4], dtype, -9, 9);
            const [i, ri] = lit([4], [2, 0, 2, 1], 'int32');
            check(T.gather(x, i), R.gather(rx, ri, 0), dtype);
            const [j, rj] = lit([2, 2], [3, 0, 1, 1], 'int32');
            check(T.gather(x, j, -1), R.gather(rx, rj, 1), dtype);
            const [e, re] = lit([0], [], 'int32');
            check(T.gather(x, e, 1), R.gather(rx, re, 1), dtype);
          });
        }
        test('refuses float and out-of-range indices', () => {
          const [x] = rand('g', [3], floats[0]!);
          expect(() => T.gather(x, x)).toThrow(/gather: indices must be int32, got float/);
          expect(() => T.gather(x, lit([2], [1, 3], 'int32')[0]).dataSync()).toThrow(/gather: index 3/);
          expect(() => T.gather(x, lit([1], [-1], 'int32')[0]).dataSync()).toThrow(/gather: index -1/);
        });
      });
      describe('oneHot', () => {
        for (const dtype of allTypes) {
          test(`${dtype} 1-D and 2-D indices`, () => {
            const [i, ri] = lit([5], [0, 2, 2, 0, 1], 'int32');
            check(T.oneHot(i, 3, dtype), R.build([5, 3], ([r, c]) => (ri.data[r!] === c ? 1 : 0)), dtype);
            const [j, rj] = lit([2, 2], [1, 0, 0, 1], 'int32');
            check(T.oneHot(j, 2, dtype), R.build([2, 2, 2], ([a, b, c]) => (rj.data[a! * 2 + b!] === c ? 1 : 0)), dtype);
          });
        }
        test('refuses float indices and a negative depth', () => {
          const [x] = rand('o', [3], floats[0]!);
          expect(() => T.oneHot(x, 3)).toThrow(/oneHot: indices must be int32, got float/);
          expect(() => T.oneHot(lit([1], [0], 'int32')[0], -1)).toThrow(/oneHot: depth must be an integer ≥ 0, got -1/);
        });
        test('refuses indices outside [0, depth), naming the position (never a row of zeros)', () => {
          expect(() => T.oneHot(lit([3], [0, 3, 1], 'int32')[0], 3)).toThrow(new RangeError('oneHot: index 3 at flat position 1 of indices [3] is outside [0, 3)'));
          expect(() => T.oneHot(lit([2], [0, -1], 'int32')[0], 3)).toThrow(/oneHot: index -1 at flat position 1/);
        });
      });
    }
    describe('pad', () => {
      for (const dtype of allTypes) {
        test(`${dtype} asymmetric, with a value, around an empty dim`, () => {
          const [x, rx] = rand('pd', [2, 3], dtype, -9, 9);
          check(T.pad(x, [[1, 2], [0, 1]]), R.pad(rx, [[1, 2], [0, 1]], 0), dtype);
          check(T.pad(x, [[0, 0], [2, 0]], 5), R.pad(rx, [[0, 0], [2, 0]], 5), dtype);
          const [e, re] = rand('pe', [0, 2], dtype);
          check(T.pad(e, [[1, 0], [0, 1]], 3), R.pad(re, [[1, 0], [0, 1]], 3), dtype);
        });
      }
      for (const dtype of floats) {
        test(`${dtype} with −Inf`, () => {
          const [x, rx] = rand('pi', [2], dtype);
          check(T.pad(x, [[1, 1]], -INF), R.pad(rx, [[1, 1]], -INF), dtype);
        });
      }
      test('refuses a wrong number of pairs and negative pads', () => {
        const [x] = rand('p', [2, 3], floats[0]!);
        expect(() => T.pad(x, [[1, 1]])).toThrow(/pad: paddings needs one \[before, after\] pair per axis of \[2, 3\] \(2\)/);
        expect(() => T.pad(x, [[1, 1], [-1, 0]])).toThrow(/pad: each padding must be a pair of integers ≥ 0, got \[-1,0\]/);
      });
    });

    // ---------------------------------------------------------------- nn
    const softmaxRef = (r: Ref, axis: number) => {
      const lse = R.reduce(r, [axis], true, lseRef);
      return R.zip(r, lse, (x, l) => Math.exp(x - l));
    };
    describe('softmax', () => {
      for (const dtype of floats) {
        test(`${dtype} axes -1 and 0, large values, −Inf entries`, () => {
          const [x, rx] = rand('sm', [3, 4], dtype, -3, 3);
          check(T.softmax(x), softmaxRef(rx, 1), dtype);
          check(T.softmax(x, 0), softmaxRef(rx, 0), dtype);
          const [y, ry] = lit([2, 3], [1000, 1001, 999, -INF, 0, -INF], dtype);
          check(T.softmax(y), softmaxRef(ry, 1), dtype);
        });
      }
      test('refuses int32 and a bad axis', () => {
        const [x] = rand('s', [2, 3], floats[0]!);
        expect(() => T.softmax(x, 2)).toThrow(/softmax: axis 2 is out of range for a tensor of rank 2/);
        if (hasInt) expect(() => T.softmax(rand('i', [2], 'int32', 0, 3)[0])).toThrow(/softmax: x must be float32 or float64, got int32/);
      });
    });
    describe('logSoftmax', () => {
      for (const dtype of floats) {
        test(`${dtype} axes -1 and 0, large values`, () => {
          const [x, rx] = rand('ls', [3, 4], dtype, -3, 3);
          const ref = (r: Ref, axis: number) => R.zip(r, R.reduce(r, [axis], true, lseRef), (v, l) => v - l);
          check(T.logSoftmax(x), ref(rx, 1), dtype);
          check(T.logSoftmax(x, 0), ref(rx, 0), dtype);
          const [y, ry] = lit([1, 3], [1000, 1001, 999], dtype);
          check(T.logSoftmax(y, -1), ref(ry, 1), dtype);
        });
      }
    });

    // ---------------------------------------------------------------- convolution and pooling
    type Sides = [[number, number], [number, number]];
    const CONV2D: [string, number[], number[], T.Conv2dOptions, [number, number], Sides, [number, number], number][] = [
      ['defaults', [2, 3, 5, 6], [4, 3, 3, 3], {}, [1, 1], [[0, 0], [0, 0]], [1, 1], 1],
      ['stride 2, padding 1', [1, 2, 7, 6], [3, 2, 3, 3], { stride: 2, padding: 1 }, [2, 2], [[1, 1], [1, 1]], [1, 1], 1],
      ['padding [1,2], stride [2,1]', [1, 2, 5, 5], [2, 2, 2, 3], { padding: [1, 2], stride: [2, 1] }, [2, 1], [[1, 1], [2, 2]], [1, 1], 1],
      ['padding [[0,1],[2,0]]', [1, 1, 4, 4], [2, 1, 3, 3], { padding: [[0, 1], [2, 0]] }, [1, 1], [[0, 1], [2, 0]], [1, 1], 1],
      ["'same', odd kernel, dilation 2", [1, 2, 6, 5], [2, 2, 3, 3], { padding: 'same', dilation: 2 }, [1, 1], [[2, 2], [2, 2]], [2, 2], 1],
      ["'same', even kernel", [1, 1, 5, 6], [1, 1, 4, 2], { padding: 'same' }, [1, 1], [[1, 2], [0, 1]], [1, 1], 1],
      ["'valid'", [1, 1, 4, 5], [1, 1, 2, 2], { padding: 'valid' }, [1, 1], [[0, 0], [0, 0]], [1, 1], 1],
      ['groups 3 (depthwise)', [2, 3, 5, 5], [6, 1, 3, 3], { groups: 3, padding: 1 }, [1, 1], [[1, 1], [1, 1]], [1, 1], 3],
      ['groups 2, dilation [1,2], stride [2,1]', [1, 4, 6, 7], [4, 2, 2, 2], { groups: 2, dilation: [1, 2], stride: [2, 1] }, [2, 1], [[0, 0], [0, 0]], [1, 2], 2],
      ['1×1 kernel on a 1×1 image', [3, 2, 1, 1], [5, 2, 1, 1], {}, [1, 1], [[0, 0], [0, 0]], [1, 1], 1],
    ];
    describe('conv2d', () => {
      for (const dtype of floats) {
        for (const [label, xs, ws, o, stride, pads, dil, g] of CONV2D) {
          test(`${dtype} ${label}`, () => {
            const [x, rx] = rand(`cx${label}`, xs, dtype);
            const [w, rw] = rand(`cw${label}`, ws, dtype);
            check(T.conv2d(x, w, o), R.conv2d(rx, rw, stride, pads, dil, g), dtype);
          });
        }
      }
      test('errors name the channels, the mode and the sizes', () => {
        const d = floats[0]!;
        const [x] = rand('x', [1, 3, 5, 5], d);
        expect(() => T.conv2d(x, rand('w', [2, 2, 3, 3], d)[0])).toThrow(/conv2d: x \[1, 3, 5, 5\] has 3 channels and weight \[2, 2, 3, 3\] expects 2×1 groups = 2/);
        expect(() => T.conv2d(x, rand('w', [2, 3, 3, 3], d)[0], { padding: 'same', stride: 2 })).toThrow(/conv2d: padding 'same' needs stride 1/);
        expect(() => T.conv2d(x, rand('w', [2, 3, 7, 3], d)[0])).toThrow(/conv2d: the kernel 7×3 is larger than the padded input 5×5/);
        expect(() => T.conv2d(rand('x', [3, 5, 5], d)[0], rand('w', [2, 3, 3, 3], d)[0])).toThrow(/conv2d: x must have rank 4 \(NCHW\), got \[3, 5, 5\]/);
      });
    });
    describe('conv1d', () => {
      for (const dtype of floats) {
        test(`${dtype} groups 2, stride 2, padding 1, dilation 2; [l,r] padding; 'same'`, () => {
          const [x, rx] = rand('c1x', [2, 4, 9], dtype);
          const [w, rw] = rand('c1w', [6, 2, 3], dtype);
          const as2d = (r: Ref) => R.ref([r.shape[0]!, r.shape[1]!, 1, r.shape[2]!], r.data);
          const back = (r: Ref) => R.ref([r.shape[0]!, r.shape[1]!, r.shape[3]!], r.data);
          check(T.conv1d(x, w, { groups: 2, stride: 2, padding: 1, dilation: 2 }), back(R.conv2d(as2d(rx), as2d(rw), [1, 2], [[0, 0], [1, 1]], [1, 2], 2)), dtype);
          check(T.conv1d(x, w, { groups: 2, padding: [2, 0] }), back(R.conv2d(as2d(rx), as2d(rw), [1, 1], [[0, 0], [2, 0]], [1, 1], 2)), dtype);
          check(T.conv1d(x, w, { groups: 2, padding: 'same' }), back(R.conv2d(as2d(rx), as2d(rw), [1, 1], [[0, 0], [1, 1]], [1, 1], 2)), dtype);
        });
      }
      test('refuses a rank-4 input', () => {
        const [x] = rand('x', [1, 1, 1, 4], floats[0]!);
        expect(() => T.conv1d(x, x)).toThrow(/conv1d: x must have rank 3 \(NCL\), got \[1, 1, 1, 4\]/);
      });
    });
    const TCONV: [string, number[], number[], T.ConvTranspose2dOptions][] = [
      ['defaults', [1, 2, 4, 5], [2, 3, 3, 3], {}],
      ['stride 2', [2, 2, 3, 3], [2, 1, 3, 2], { stride: 2 }],
      ['stride 2, padding 1, outputPadding 1', [1, 2, 4, 4], [2, 3, 3, 3], { stride: 2, padding: 1, outputPadding: 1 }],
      ['dilation 2, padding 2', [1, 1, 4, 4], [1, 2, 3, 3], { dilation: 2, padding: 2 }],
      ['groups 2, stride [2,3], padding [1,0], outputPadding [1,2]', [1, 4, 3, 4], [4, 2, 3, 2], { groups: 2, stride: [2, 3], padding: [1, 0], outputPadding: [1, 2] }],
      ['padding beyond the kernel crops', [1, 1, 5, 5], [1, 1, 1, 1], { padding: 1 }],
    ];
    describe('convTranspose2d', () => {
      for (const dtype of floats) {
        for (const [label, xs, ws, o] of TCONV) {
          test(`${dtype} ${label}`, () => {
            const [x, rx] = rand(`tx${label}`, xs, dtype);
            const [w, rw] = rand(`tw${label}`, ws, dtype);
            const p = (v: number | readonly [number, number] | undefined, d: number): [number, number] =>
              v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
            const expected = R.convTranspose2d(rx, rw, p(o.stride, 1), p(o.padding, 0), p(o.outputPadding, 0), p(o.dilation, 1), o.groups ?? 1);
            check(T.convTranspose2d(x, w, o), expected, dtype);
          });
        }
      }
      test('refuses a too-large outputPadding and channel mismatch', () => {
        const d = floats[0]!;
        const [x] = rand('x', [1, 2, 3, 3], d);
        expect(() => T.convTranspose2d(x, rand('w', [2, 1, 3, 3], d)[0], { outputPadding: 1 })).toThrow(/convTranspose2d: outputPadding \[1, 1\] must be smaller than stride or dilation/);
        expect(() => T.convTranspose2d(x, rand('w', [3, 1, 3, 3], d)[0])).toThrow(/convTranspose2d: x \[1, 2, 3, 3\] has 2 channels but weight \[3, 1, 3, 3\] has 3 input channels/);
      });
    });
    const POOL: [string, number[], T.Pool2dOptions, [number, number], [number, number], [number, number]][] = [
      ['kernel 2', [2, 3, 4, 4], { kernelSize: 2 }, [2, 2], [2, 2], [0, 0]],
      ['kernel 3, stride 2, padding 1', [1, 2, 7, 6], { kernelSize: 3, stride: 2, padding: 1 }, [3, 3], [2, 2], [1, 1]],
      ['kernel [2,3], stride [1,2]', [1, 1, 5, 7], { kernelSize: [2, 3], stride: [1, 2] }, [2, 3], [1, 2], [0, 0]],
      ['kernel 2 on odd sizes, padding [1,0]', [1, 2, 5, 3], { kernelSize: 2, padding: [1, 0] }, [2, 2], [2, 2], [1, 0]],
      ['kernel 1', [1, 1, 2, 3], { kernelSize: 1 }, [1, 1], [1, 1], [0, 0]],
    ];
    for (const kind of ['max', 'avg'] as const) {
      const name = `${kind}Pool2d`;
      const op = kind === 'max' ? T.maxPool2d : T.avgPool2d;
      describe(name, () => {
        for (const dtype of floats) {
          for (const [label, xs, o, k, s, p] of POOL) {
            test(`${dtype} ${label}`, () => {
              const [x, rx] = rand(`${name}${label}`, xs, dtype);
              check(op(x, o), R.pool2d(rx, kind, k, s, p), dtype);
            });
          }
        }
        test('refuses padding over half the kernel and a kernel larger than the input', () => {
          const [x] = rand('x', [1, 1, 3, 3], floats[0]!);
          expect(() => op(x, { kernelSize: 2, padding: 2 })).toThrow(new RegExp(`${name}: padding \\[2, 2\\] must be at most half the kernel \\[2, 2\\]`));
          expect(() => op(x, { kernelSize: 4 })).toThrow(new RegExp(`${name}: the kernel 4×4 is larger than the padded input 3×3`));
        });
      });
    }
  });
}
