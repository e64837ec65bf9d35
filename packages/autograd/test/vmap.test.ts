import {
  type Tensor,
  add,
  exp,
  gather,
  matmul,
  mul,
  prng,
  prod,
  randn,
  reshape,
  sin,
  slice,
  splitKey,
  stack,
  sum,
  tanh,
  tensor,
  trace,
} from '@ddopt/tensor';
import { describe, expect, it, vi } from 'vitest';
import { currentLevel } from '../src/levels.js';
import {
  batchRules,
  customJvp,
  customVjp,
  grad,
  hessian,
  hvp,
  jacfwd,
  jacrev,
  jvp,
  jvpBatch,
  linearize,
  perExampleGrads,
  stopGradient,
  vjp,
  vjpBatch,
  vmap,
} from '../src/index.js';
import { fixture } from './torch-fixture.js';
import { batchOf, convOne, mlpOne, type Params } from './vmap-models.js';

const f64 = (v: number[] | number[][], shape?: number[]) => tensor(v, { dtype: 'float64', shape });
const keys = splitKey(prng(13), 8);
const rnd = (i: number, shape: number[]) => randn(keys[i]!, shape, { dtype: 'float64' });

/** The largest |a − b| over the entries, relative to the largest |b|. */
function relErr(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  let scale = 0;
  y.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(x[i]! - v));
    scale = Math.max(scale, Math.abs(v));
  });
  return worst / Math.max(scale, Number.MIN_VALUE);
}

/** Example i of x (along axis 0). */
const row = (x: Tensor, i: number) => reshape(slice(x, [i, ...x.shape.slice(1).map(() => 0)], [1, ...x.shape.slice(1)]), x.shape.slice(1));

describe('vmap composes with every transformation, in any order', () => {
  const W = rnd(0, [3, 2]);
  const xs = rnd(1, [5, 3]);
  const f = (x: Tensor) => sum(tanh(matmul(reshape(x, [1, 3]), W)));
  const loopGrad = stack(Array.from({ length: 5 }, (_, i) => grad(f)(row(xs, i)) as Tensor));

  it('vmap(grad(f)) and grad(Σ vmap(f)) are the per-example gradients', () => {
    expect(relErr(vmap(grad(f))(xs), loopGrad)).toBeLessThan(1e-15);
    expect(relErr(grad((x: Tensor) => sum(vmap(f)(x)))(xs) as Tensor, loopGrad)).toBeLessThan(1e-15);
  });

  it('vmap(vmap(f)) is the double loop; inner and outer axes anywhere', () => {
    const x = rnd(2, [4, 3, 5]); // outer batch on axis 2, inner on axis 0
    const g = (v: Tensor) => mul(sin(v), sum(v));
    const got = vmap(vmap(g, { inAxes: 0 }), { inAxes: 2 })(x) as Tensor;
    expect(got.shape).toEqual([5, 4, 3]);
    const v = x.toArray() as number[][][];
    const want = Array.from({ length: 5 }, (_, k) => Array.from({ length: 4 }, (_, i) => g(f64(v[i]!.map((r) => r[k]!))).toArray() as number[]));
    expect(relErr(got, f64(want as unknown as number[][], [5, 4, 3]))).toBeLessThan(1e-15);
  });

  it('vmap of hvp, hvp of a vmapped loss, jvp of vmap and vmap of jvp agree with loops', () => {
    const vs = rnd(3, [5, 3]);
    const loopHvp = stack(Array.from({ length: 5 }, (_, i) => hvp(f, row(xs, i), row(vs, i))));
    expect(relErr(vmap((x: Tensor, v: Tensor) => hvp(f, x, v))(xs, vs), loopHvp)).toBeLessThan(1e-14);
    expect(relErr(hvp((x: Tensor) => sum(vmap(f)(x)), xs, vs), loopHvp)).toBeLessThan(1e-14);
    const loopJvp = stack(Array.from({ length: 5 }, (_, i) => jvp(f, [row(xs, i)], [row(vs, i)])[1]));
    expect(relErr(jvp(vmap(f), [xs], [vs])[1], loopJvp)).toBeLessThan(1e-15);
    expect(relErr(vmap((x: Tensor, v: Tensor) => jvp(f, [x], [v])[1])(xs, vs), loopJvp)).toBeLessThan(1e-15);
  });

  it('jacfwd(jacrev(f)) is the Hessian (closed form of Σ x³ + x₀x₁)', () => {
    const g = (v: Tensor) => add(sum(mul(mul(v, v), v)), mul(sum(mul(v, f64([1, 0, 0]))), sum(mul(v, f64([0, 1, 0])))));
    const x = f64([0.5, -1, 2]);
    const h = jacfwd(jacrev(g))(x) as Tensor;
    expect(h.toArray()).toEqual([
      [3, 1, 0],
      [1, -6, 0],
      [0, 0, 12],
    ]);
    expect(relErr(hessian(g)(x), h)).toBe(0);
  });

  it('linearize inside vmap, and vmap inside linearize', () => {
    const [, push] = linearize((x: Tensor) => vmap(f)(x), xs);
    const vs = rnd(4, [5, 3]);
    const want = stack(Array.from({ length: 5 }, (_, i) => jvp(f, [row(xs, i)], [row(vs, i)])[1]));
    expect(relErr(push(vs), want)).toBeLessThan(1e-15);
  });

  it('an unbatched argument costs nothing: its ops run once, at its own shape', () => {
    const w = rnd(5, [3, 2]);
    const t = trace(() => vmap((x: Tensor, v: Tensor) => matmul(reshape(x, [1, 3]), tanh(v)), { inAxes: [0, null] })(xs, w));
    const tanhCalls = t.calls.filter((c) => c.primitive === 'tanh');
    expect(tanhCalls.map((c) => c.inputs[0]!.shape)).toEqual([[3, 2]]);
    const mm = t.calls.filter((c) => c.primitive === 'matmul');
    expect(mm.map((c) => [c.inputs[0]!.shape, c.inputs[1]!.shape])).toEqual([[[5, 3], [3, 2]]]); // the batch folded into the rows: one product
    expect(relErr(t.value as Tensor, reshape(matmul(xs, tanh(w)), [5, 1, 2]))).toBeLessThan(1e-15);
  });

  it('leaves no level behind, also when f throws', () => {
    expect(() =>
      vmap((_x: Tensor) => {
        throw new Error('boom');
      })(xs),
    ).toThrow('boom');
    expect(currentLevel()).toBeUndefined();
  });
});

describe('inAxes and outAxes', () => {
  it('pytrees of axes, negative axes, null for a broadcast argument', () => {
    const p = { a: rnd(0, [4, 3]), b: rnd(1, [4]) };
    const x = rnd(2, [2, 3]);
    const f = (q: typeof p, v: Tensor) => ({ s: add(mul(q.a, 2), q.b), t: mul(sum(v), q.b) });
    const out = vmap(f, { inAxes: [{ a: -1, b: null }, 1], outAxes: { s: 1, t: 0 } })(p, x) as { s: Tensor; t: Tensor };
    expect(out.s.shape).toEqual([4, 3]);
    expect(out.t.shape).toEqual([3, 4]);
    const a = p.a.toArray() as number[][];
    const b = p.b.toArray() as number[];
    const xv = x.toArray() as number[][];
    const s = a.map((r, i) => r.map((v) => 2 * v + b[i]!)); // example j is a[:, j]; its output s_j goes to column j
    const t = [0, 1, 2].map((j) => b.map((bv) => bv * (xv[0]![j]! + xv[1]![j]!)));
    expect(relErr(out.s, f64(s))).toBeLessThan(1e-15);
    expect(relErr(out.t, f64(t))).toBeLessThan(1e-15);
  });

  it('static leaves and int tensors pass through; int tensors can be batched too', () => {
    const idx = tensor([[0, 2], [1, 1]], { dtype: 'int32' });
    const x = f64([10, 20, 30]);
    const out = vmap((i: Tensor, v: Tensor, k: number) => mul(gather(v, i, 0), k), { inAxes: [0, null, null] })(idx, x, 3);
    expect((out as Tensor).toArray()).toEqual([[30, 90], [60, 60]]);
  });

  it('clear errors: mismatched batch sizes, axes out of range, outputs and outAxes that disagree, bad options', () => {
    const a = rnd(0, [3, 2]);
    const b = rnd(1, [4, 2]);
    const f = (x: Tensor, y: Tensor) => add(x, y);
    expect(() => vmap(f)(a, b)).toThrow(/vmap: mismatched batch sizes: 3 for args\[0\] \(shape \[3, 2\], axis 0\) but 4 for args\[1\] \(shape \[4, 2\], axis 0\)/);
    expect(() => vmap(f, { inAxes: [2, 0] })(a, b)).toThrow(/vmap: inAxes gives axis 2 for args\[0\], but it has shape \[3, 2\]; the axis must be in \[-2, 1\]/);
    expect(() => vmap((x: Tensor) => x, { outAxes: 2 })(a)).toThrow(/vmap: outAxes gives axis 2 for output, but one example of it has shape \[2\]; the axis must be in \[-2, 1\]/);
    expect(() => vmap((_x: Tensor) => f64([1, 2]))(a)).toThrow(/vmap: output \(shape \[2\]\) does not depend on the batched arguments, so it has no batch axis, but outAxes asks for one at 0; give it outAxes null/);
    expect((vmap((_x: Tensor) => f64([1, 2]), { outAxes: null })(a) as Tensor).toArray()).toEqual([1, 2]);
    expect(() => vmap((x: Tensor) => x, { outAxes: null })(a)).toThrow(/vmap: output \(one example of shape \[2\]\) is batched \(batch of 3\), but outAxes gives null for it/);
    expect(() => vmap(f, { inAxes: [0] })(a, b)).toThrow(/vmap: inAxes has 1 entries but the function was called with 2 argument\(s\)/);
    expect(() => vmap((p: { w: Tensor }) => p.w, { inAxes: [{ v: 0 }] })({ w: a })).toThrow(/vmap: inAxes\[0\] has key\(s\) v that args\[0\] does not have \(its keys: w\)/);
    expect(() => vmap(f, { inAxes: null })(a, b)).toThrow(/vmap: no argument is batched/);
    expect(() => vmap(f, { inAxis: 0 } as never)).toThrow(/vmap: unknown option "inAxis" \(did you mean "inAxes"\?\)/);
    expect(() => vmap(f, { inAxes: 0.5 })(a, b)).toThrow(/vmap: inAxes must hold integer axes or null, got 0\.5/);
    expect(() => vmap((x: Tensor) => tensor(x.dataSync()))(a)).toThrow(/vmap: this tensor is one example of a batch of 3 inside vmap; its values exist only for the whole batch.*\(tensor #\d+ \[2\] float64\)/);
    let leaked: Tensor | undefined;
    vmap((x: Tensor) => {
      leaked = x;
      return x;
    })(a);
    expect(() => exp(leaked!)).toThrow(/one example of a batch of 3 inside vmap/);
  });
});

describe('a primitive without a batching rule runs in a loop, with a one-time warning', () => {
  it('same results as the rule; the warning names the primitive once', () => {
    const x = rnd(0, [4, 3]);
    const f = (v: Tensor) => mul(exp(v), sum(v));
    const withRule = vmap(f)(x) as Tensor;
    const gradWithRule = vmap(grad((v: Tensor) => sum(f(v))))(x) as Tensor;
    const table = batchRules as unknown as Record<string, unknown>;
    const saved = table.exp;
    delete table.exp;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(relErr(vmap(f)(x), withRule)).toBe(0);
      expect(relErr(vmap(grad((v: Tensor) => sum(f(v))))(x), gradWithRule)).toBe(0);
      expect(relErr(vmap(vmap(f))(reshape(x, [2, 2, 3])), reshape(withRule, [2, 2, 3]))).toBe(0);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/vmap: primitive "exp" has no batching rule, so it runs once per example in a loop \(batch of 4\): same results, slower/);
    } finally {
      table.exp = saved;
      warn.mockRestore();
    }
  });
});

describe('custom rules under vmap', () => {
  // Forward x², backward g·x: half the true derivative, so the custom rule is visibly the one used.
  const half = customVjp(
    (x: Tensor) => mul(x, x),
    (x: Tensor) => [mul(x, x), x] as [Tensor, Tensor],
    (x: Tensor, g: Tensor) => [mul(g, x)],
  );
  const x = f64([[1, 2], [3, 4], [5, 6]]);

  it('customVjp: its bwd is used by grad inside and outside vmap; values are f', () => {
    expect((vmap(half)(x) as Tensor).toArray()).toEqual([[1, 4], [9, 16], [25, 36]]);
    expect((vmap(grad((v: Tensor) => sum(half(v))))(x) as Tensor).toArray()).toEqual(x.toArray());
    expect((grad((v: Tensor) => sum(vmap(half)(v)))(x) as Tensor).toArray()).toEqual(x.toArray());
  });

  it('customVjp with an unbatched argument: its cotangent is summed over the batch', () => {
    const scale = customVjp(
      (w: Tensor, v: Tensor) => mul(w, v),
      (w: Tensor, v: Tensor) => [mul(w, v), [w, v]] as [Tensor, Tensor[]],
      ([w, v]: Tensor[], g: Tensor) => [mul(mul(g, v!), 10), mul(g, w!)], // w's cotangent scaled by 10: visibly the custom one
    );
    const w = f64([2, 3]);
    const [gw, gx] = grad((ww: Tensor, xx: Tensor) => sum(vmap(scale, { inAxes: [null, 0] })(ww, xx)), { argnums: [0, 1] })(w, x) as Tensor[];
    expect(gw!.toArray()).toEqual([90, 120]); // 10 · Σ_b x_b
    expect(gx!.toArray()).toEqual([[2, 3], [2, 3], [2, 3]]);
  });

  it('customJvp: its rule is used by jvp inside and outside vmap', () => {
    const f = customJvp(
      (v: Tensor) => sin(v),
      ([v]: [Tensor], [t]: [Tensor]) => [sin(v), mul(t, 100)] as [Tensor, Tensor],
    );
    const t = f64([[1, 0], [0, 1], [1, 1]]);
    expect((vmap((v: Tensor, d: Tensor) => jvp(f, [v], [d])[1])(x, t) as Tensor).toArray()).toEqual([[100, 0], [0, 100], [100, 100]]);
    expect(jvp(vmap(f), [x], [t])[1].toArray()).toEqual([[100, 0], [0, 100], [100, 100]]);
    expect(relErr(vmap(f)(x), sin(x))).toBe(0);
  });

  it("vmap: 'loop' runs a custom function that reads values once per example; 'map' refuses to", () => {
    // Squares in JavaScript, from the values: a custom op that cannot run on abstract examples.
    const squareJs = (v: Tensor) => tensor(Float64Array.from(v.dataSync(), (a) => a * a), { shape: v.shape, dtype: 'float64' });
    const fwd = (v: Tensor) => [squareJs(v), v] as [Tensor, Tensor];
    const bwd = (v: Tensor, g: Tensor) => [mul(mul(g, v), 2)];
    const looped = customVjp(squareJs, fwd, bwd, { vmap: 'loop' });
    const squares = [[1, 4], [9, 16], [25, 36]];
    expect((vmap(looped)(x) as Tensor).toArray()).toEqual(squares);
    expect((vmap(grad((v: Tensor) => sum(looped(v))))(x) as Tensor).toArray()).toEqual([[2, 4], [6, 8], [10, 12]]);
    expect((grad((v: Tensor) => sum(vmap(looped)(v)))(x) as Tensor).toArray()).toEqual([[2, 4], [6, 8], [10, 12]]);
    const w = f64([3, 1]);
    const scaled = customVjp(
      (a: Tensor, v: Tensor) => mul(a, squareJs(v)),
      (a: Tensor, v: Tensor) => [mul(a, squareJs(v)), [a, v]] as [Tensor, Tensor[]],
      ([a, v]: Tensor[], g: Tensor) => [mul(g, squareJs(v!)), mul(mul(mul(g, a!), v!), 2)],
      { vmap: 'loop' },
    );
    expect((grad((a: Tensor) => sum(vmap(scaled, { inAxes: [null, 0] })(a, x)))(w) as Tensor).toArray()).toEqual([35, 56]); // Σ_b x_b²
    // A second derivative level between the custom function and the vmap would not see the loop's ops: refused.
    const twice = (v: Tensor) => grad((a: Tensor) => sum(grad((b: Tensor) => sum(looped(mul(b, v))))(a) as Tensor))(f64([1, 1])) as Tensor;
    expect(() => vmap(twice)(x)).toThrow(/customVjp\(squareJs\): with vmap: 'loop' its functions run once per example of the vmap outside, but a reverse transformation between them tracks the examples/);
    const mapped = customVjp(squareJs, fwd, bwd);
    expect(() => vmap(mapped)(x)).toThrow(/customVjp\(squareJs\): this tensor is one example of a batch of 3/);
    const jvpLooped = customJvp(squareJs, ([v]: [Tensor], [t]: [Tensor]) => [squareJs(v), mul(mul(t, v), 2)] as [Tensor, Tensor], { vmap: 'loop' });
    expect(jvp(vmap(jvpLooped), [x], [x])[1].toArray()).toEqual([[2, 8], [18, 32], [50, 72]]);
    expect(() => customVjp(squareJs, fwd, bwd, { vmap: 'loops' } as never)).toThrow(/customVjp: vmap must be one of 'map', 'loop', got 'loops' \(did you mean 'loop'\?\)/);
    expect(() => customJvp(squareJs, ([v]: [Tensor]) => [v, v] as [Tensor, Tensor], { batch: 'loop' } as never)).toThrow(/customJvp: unknown option "batch"/);
  });

  it('stopGradient inside vmap keeps the batch and drops the derivative', () => {
    const g = vmap(grad((v: Tensor) => sum(mul(v, stopGradient(v)))))(x) as Tensor;
    expect(g.toArray()).toEqual(x.toArray());
  });

  it("prod's exact derivative at zeros, decided for the whole batch", () => {
    const rows = f64([[2, 0, 3], [1, 2, 3], [0, 0, 4]]);
    const g = vmap(grad((v: Tensor) => prod(v)))(rows) as Tensor;
    expect(g.toArray()).toEqual([[0, 6, 0], [6, 3, 2], [0, 0, 0]]);
    const h = vmap(hessian((v: Tensor) => prod(v)))(rows) as Tensor;
    expect(h.toArray()).toEqual([
      [[0, 3, 0], [3, 0, 2], [0, 2, 0]],
      [[0, 3, 2], [3, 0, 1], [2, 1, 0]],
      [[0, 4, 0], [4, 0, 0], [0, 0, 0]],
    ]);
  });
});

/** Yesterday's jacobians (one pullback per output element, one push per input element), for single tensors. */
function loopJacrev(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  const [y, pullback] = vjp(f, x);
  const rows = Array.from({ length: y.size }, (_, i) => {
    const e = new Float64Array(y.size);
    e[i] = 1;
    return pullback(tensor(e, { shape: y.shape, dtype: 'float64' }))[0] as Tensor;
  });
  return reshape(stack(rows), [...y.shape, ...x.shape]);
}
function loopJacfwd(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  const [y, push] = linearize(f, x);
  const cols = Array.from({ length: x.size }, (_, j) => {
    const e = new Float64Array(x.size);
    e[j] = 1;
    return reshape(push(tensor(e, { shape: x.shape, dtype: 'float64' })), [y.size]);
  });
  return reshape(stack(cols, 1), [...y.shape, ...x.shape]);
}

describe('jacrev, jacfwd, hessian: one batched pass, pytrees in and out', () => {
  const A = rnd(0, [4, 3]);
  const layer = (x: Tensor) => tanh(matmul(A, tanh(x)));
  const x = rnd(1, [3, 2]);

  it('equal the per-basis-vector loops they replace (to 1e-14)', () => {
    expect(relErr(jacrev(layer)(x), loopJacrev(layer, x))).toBeLessThan(1e-14);
    expect(relErr(jacfwd(layer)(x), loopJacfwd(layer, x))).toBeLessThan(1e-14);
    const scalar = (v: Tensor) => sum(mul(layer(v), layer(v)));
    expect(relErr(hessian(scalar)(x), loopJacfwd((v) => grad(scalar)(v) as Tensor, x))).toBeLessThan(1e-14);
  });

  it('pytrees: closed forms of f({a, b}) = { u: a ⊙ b, v: Σ a² }', () => {
    const f = (p: { a: Tensor; b: Tensor }) => ({ u: mul(p.a, p.b), v: sum(mul(p.a, p.a)) });
    const p = { a: f64([1, 2]), b: f64([3, 4]) };
    for (const jac of [jacrev(f), jacfwd(f)]) {
      const j = jac(p) as { u: { a: Tensor; b: Tensor }; v: { a: Tensor; b: Tensor } };
      expect(j.u.a.toArray()).toEqual([[3, 0], [0, 4]]); // diag(b)
      expect(j.u.b.toArray()).toEqual([[1, 0], [0, 2]]); // diag(a)
      expect(j.v.a.toArray()).toEqual([2, 4]); // 2a
      expect(j.v.b.toArray()).toEqual([0, 0]);
    }
    const h = hessian((q: { a: Tensor; b: Tensor }) => sum(mul(mul(q.a, q.a), q.b)))(p) as Record<string, Record<string, Tensor>>;
    expect(h.a!.a!.toArray()).toEqual([[6, 0], [0, 8]]); // 2 diag(b)
    expect(h.a!.b!.toArray()).toEqual([[2, 0], [0, 4]]); // 2 diag(a)
    expect(h.b!.a!.toArray()).toEqual([[2, 0], [0, 4]]);
    expect(h.b!.b!.toArray()).toEqual([[0, 0], [0, 0]]);
  });

  it('argnums arrays give one block per argument; errors name the function', () => {
    const f = (a: Tensor, b: Tensor) => mul(a, b);
    const [ja, jb] = jacrev(f, { argnums: [0, 1] })(f64([1, 2]), f64([3, 4])) as Tensor[];
    expect(ja!.toArray()).toEqual([[3, 0], [0, 4]]);
    expect(jb!.toArray()).toEqual([[1, 0], [0, 2]]);
    expect(() => jacrev(f, { argnum: 1 } as never)).toThrow(/jacrev: unknown option "argnum" \(did you mean "argnums"\?\)/);
    expect(() => jacfwd((v: Tensor) => v)(tensor([1, 2], { dtype: 'int32' }))).toThrow(/jacfwd: args\[0\] has dtype int32; only float inputs have a Jacobian/);
    expect(() => jacrev((v: Tensor) => v)(tensor([], { dtype: 'float64' }))).toThrow(/jacrev: the outputs have no entries/);
  });

  it('hessian through a customVjp (no JVP rule) falls back to reverse over reverse', () => {
    const cube = customVjp(
      (v: Tensor) => mul(mul(v, v), v),
      (v: Tensor) => [mul(mul(v, v), v), v] as [Tensor, Tensor],
      (v: Tensor, g: Tensor) => [mul(g, mul(mul(v, v), 3))],
    );
    expect((hessian((v: Tensor) => sum(cube(v)))(f64([1, 2])) as Tensor).toArray()).toEqual([[6, 0], [0, 12]]);
  });
});

describe('perExampleGrads, jvpBatch, vjpBatch', () => {
  function loopGrads(loss: (p: Params, e: { x: Tensor; y: Tensor }) => Tensor, params: Params, batch: { x: Tensor; y: Tensor }): Params {
    const n = batch.x.shape[0]!;
    const per = Array.from({ length: n }, (_, i) => grad(loss)(params, { x: row(batch.x, i), y: row(batch.y, i) }) as Params);
    return Object.fromEntries(Object.keys(params).map((k) => [k, stack(per.map((g) => g[k]!))]));
  }
  const unpackParams = (r: typeof fixture.mlp) => Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, tensor(v.data, { shape: v.shape, dtype: 'float64' })]));

  for (const [name, r, loss, classes] of [
    ['the tanh MLP', fixture.mlp, mlpOne, 4],
    ['the conv net (dilation, padding, stride, groups)', fixture.conv, convOne, 3],
  ] as const) {
    it(`vmap(grad(loss)) and perExampleGrads equal grad of each example: ${name}`, () => {
      const params = unpackParams(r);
      const batch = batchOf(r, classes, 'float64');
      const want = loopGrads(loss, params, batch);
      const viaVmap = vmap(grad(loss), { inAxes: [null, 0] })(params, batch) as Params;
      const per = perExampleGrads(loss, params, batch);
      for (const k of Object.keys(params)) {
        expect(relErr(viaVmap[k]!, want[k]!), k).toBeLessThan(1e-14);
        expect(relErr(per[k]!, want[k]!), k).toBeLessThan(1e-14);
      }
    });
  }

  it('perExampleGrads repeats a gradient that does not depend on the example; errors name the leaf', () => {
    const loss = (p: { w: Tensor; c: Tensor }, e: { x: Tensor }) => add(sum(mul(p.w, e.x)), sum(mul(p.c, p.c)));
    const g = perExampleGrads(loss, { w: f64([1, 1]), c: f64([3]) }, { x: f64([[1, 2], [3, 4]]) });
    expect(g.w.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(g.c.toArray()).toEqual([[6], [6]]);
    expect(() => perExampleGrads(loss, { w: f64([1, 1]), c: f64([3]) }, { x: f64([[1, 2], [3, 4]]), n: tensor(2, { dtype: 'float64' }) } as never)).toThrow(
      /perExampleGrads: batch\.n is a scalar \(shape \[\]\); every leaf of batch needs a leading batch axis/,
    );
    expect(() => perExampleGrads(loss, { w: f64([1, 1]), c: f64([3]) }, { x: f64([[1, 2], [3, 4]]), z: f64([1, 2, 3]) } as never)).toThrow(/perExampleGrads: mismatched batch sizes: 2 for batch\.x .* but 3 for batch\.z/);
  });

  it('jvpBatch and vjpBatch equal a loop of jvp and vjp', () => {
    const W = rnd(2, [3, 3]);
    const f = (v: Tensor) => tanh(matmul(W, v));
    const v0 = rnd(3, [3, 2]);
    const dirs = rnd(4, [6, 3, 2]);
    const [y, ts] = jvpBatch(f, [v0], [dirs]);
    expect(relErr(y, f(v0))).toBe(0);
    expect(relErr(ts, stack(Array.from({ length: 6 }, (_, i) => jvp(f, [v0], [row(dirs, i)])[1])))).toBeLessThan(1e-15);
    const [out, pullbacks] = vjpBatch(f, v0);
    const [, pullback] = vjp(f, v0);
    expect(relErr(out, y)).toBe(0);
    const [cts] = pullbacks(dirs) as Tensor[];
    expect(relErr(cts!, stack(Array.from({ length: 6 }, (_, i) => pullback(row(dirs, i))[0] as Tensor)))).toBeLessThan(1e-15);
    expect(() => jvpBatch(f, [v0], [v0])).toThrow(/tangent is \[2\] float64 but the primal is \[3, 2\] float64/);
  });
});
