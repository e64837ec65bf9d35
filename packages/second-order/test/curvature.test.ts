import { hvp, perExampleGrads } from '@ddopt/autograd';
import { type Tensor, add, eigh, logSoftmax, matmul, mul, neg, oneHot, reshape, sum, tanh, tensor, trace, treeLeaves } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { damped, denseMatrix, fisherOperator, fishervp, ggnOperator, ggnvp, hessianOperator, linearOperator, matrixOperator } from '../src/index.js';
import { type Mlp, flatValues, mlpProblem, relErr, unflat } from './fixture.js';

describe('curvature products against torch (float64, 31 and 26 parameters)', () => {
  for (const kind of ['ce', 'mse'] as const) {
    const { data, params, net, loss, f } = mlpProblem(kind);
    const v = unflat(params, data.v);

    it(`${kind}: the loss is torch's`, () => {
      expect(Math.abs(f(params).item() - data.loss)).toBeLessThan(1e-14);
    });

    it(`${kind}: hessianOperator(f, params).apply(v) is torch's H·v, and its dense matrix torch's Hessian`, () => {
      expect(relErr(flatValues(hessianOperator(f, params).apply(v)), data.hv)).toBeLessThan(1e-13);
      const h = denseMatrix(hessianOperator(f, params));
      expect(h.shape).toEqual([data.size, data.size]);
      expect(relErr(Array.from(h.dataSync()), data.hessian.flat())).toBeLessThan(1e-13);
    });

    it(`${kind}: ggnvp is torch's Jᵀ·H_L·J·v, and the Gauss-Newton eigenvalues are torch's (all ≥ 0)`, () => {
      expect(relErr(flatValues(ggnvp(net, loss, params, v)), data.gv)).toBeLessThan(1e-13);
      const g = denseMatrix(ggnOperator(net, loss, params));
      const values = Array.from(eigh(g).values.dataSync());
      expect(relErr(values, data.ggnEigenvalues)).toBeLessThan(1e-12);
      expect(Math.min(...data.ggnEigenvalues)).toBeGreaterThan(-1e-14);
    });

    it(`${kind}: fishervp is torch's (1/N) Σ gᵢgᵢᵀ·v from per-sample gradients`, () => {
      expect(relErr(flatValues(fishervp(net, loss, params, v)), data.fv)).toBeLessThan(1e-13);
      const values = Array.from(eigh(denseMatrix(fisherOperator(net, loss, params))).values.dataSync());
      expect(relErr(values, data.fisherEigenvalues)).toBeLessThan(1e-12);
    });
  }

  it("fishervp equals (1/N) Σᵢ gᵢ(gᵢ·v) from @ddopt/autograd's perExampleGrads (vmap of grad)", () => {
    const { data, params, net, loss } = mlpProblem('ce');
    const v = unflat(params, data.v);
    const one = (p: Mlp, ex: { x: Tensor; t: Tensor }) => {
      const h = tanh(add(matmul(reshape(ex.x, [1, 3]), p.W1), p.b1));
      return neg(sum(mul(logSoftmax(add(matmul(h, p.W2), p.b2), -1), reshape(ex.t, [1, 3]))));
    };
    const batch = { x: tensor(data.x, { dtype: 'float64' }), t: oneHot(tensor(data.target as number[], { dtype: 'int32' }), 3, 'float64') };
    const per = treeLeaves(perExampleGrads(one, params, batch)).map((t) => t.dataSync());
    const n = data.x.length;
    const sizes = treeLeaves(params).map((t) => t.size);
    const g = Array.from({ length: n }, (_, i) => per.flatMap((leaf, k) => Array.from(leaf.subarray(i * sizes[k]!, (i + 1) * sizes[k]!))));
    const want = new Array<number>(data.size).fill(0);
    for (const gi of g) {
      const dot = gi.reduce((s, x, j) => s + x * data.v[j]!, 0);
      gi.forEach((x, j) => {
        want[j]! += (x * dot) / n;
      });
    }
    expect(relErr(flatValues(fishervp(net, loss, params, v)), want)).toBeLessThan(1e-13);
  });

  it("fisherOperator with reduction 'sum' on the summed loss Σ ℓᵢ is Σ gᵢgᵢᵀ = N·(torch's mean Fisher)", () => {
    const { data, params, net, loss } = mlpProblem('ce');
    const n = data.x.length;
    const v = unflat(params, data.v);
    const fv = flatValues(fishervp(net, (o) => mul(loss(o), n), params, v, { reduction: 'sum' }));
    expect(relErr(fv, data.fv.map((x) => n * x))).toBeLessThan(1e-13);
  });

  it('damped(op, λ) adds λ·v; matrixOperator multiplies; linearOperator checks what it is given and returns', () => {
    const { data, params, f } = mlpProblem('mse');
    const v = unflat(params, data.v);
    const dv = flatValues(damped(hessianOperator(f, params), 0.25).apply(v));
    expect(relErr(dv, data.hv.map((x, i) => x + 0.25 * data.v[i]!))).toBeLessThan(1e-13);
    const a = tensor([[2, 1], [1, 3]], { dtype: 'float64' });
    expect(matrixOperator(a).apply(tensor([1, -1], { dtype: 'float64' })).toArray()).toEqual([1, -2]);
    const bad = linearOperator({ like: tensor([0, 0], { dtype: 'float64' }), apply: () => tensor([1, 2, 3], { dtype: 'float64' }), name: 'bad' });
    expect(() => bad.apply(tensor([1, 2], { dtype: 'float64' }))).toThrow(/bad: A·v has shape \[3\], expected \[2\]/);
    expect(() => linearOperator({ like: tensor([0], { dtype: 'float64' }), apply: (x: Tensor) => x, size: 1 } as never)).toThrow(/linearOperator: unknown option "size"/);
  });

  it('a product through hessianOperator binds exactly the primitives of hvp itself (trace)', () => {
    const { data, params, f } = mlpProblem('ce');
    const v = unflat(params, data.v);
    const op = hessianOperator(f, params);
    const viaOp = trace(() => op.apply(v)).counts;
    const direct = trace(() => hvp(f, params, v)).counts;
    expect(viaOp).toEqual(direct);
    expect(direct.matmul).toBeGreaterThan(0);
  });

  it('the GGN operator records the net once: each product then costs one push, one loss Hessian product and one pullback', () => {
    const { data, params, net, loss } = mlpProblem('ce');
    const v = unflat(params, data.v);
    const build = trace(() => ggnOperator(net, loss, params));
    // two recordings of the forward pass (vjp and linearize): 2 layers × 2 = 4 matmuls
    expect(build.counts.matmul).toBe(4);
    const op = build.value;
    const one = trace(() => op.apply(v)).counts.matmul ?? 0;
    const two = trace(() => [op.apply(v), op.apply(v)]).counts.matmul ?? 0;
    expect(two).toBe(2 * one);
    // J·v through a 2-layer net: 3 matmuls (x·dW1, dh·W2, h·dW2); Jᵀ·u: 3 (dh, dW2, dW1)
    expect(one).toBe(6);
  });
});

describe('curvature errors name the function and what was wrong', () => {
  const { data, params, net, loss, f } = mlpProblem('ce');
  const v = unflat(params, data.v);

  it('a non-scalar loss', () => {
    expect(() => hessianOperator((p: Mlp) => matmul(p.W1, p.W2), params).apply(v)).toThrow(/hessianOperator: the loss f\(params\) must return a scalar, got a tensor of shape \[3, 3\]/);
    expect(() => ggnvp(net, (o: Tensor) => o, params, v)).toThrow(/ggnOperator: loss\(outputs\) must return a scalar, got a tensor of shape \[6, 3\]/);
  });

  it('a tangent of the wrong structure or shape', () => {
    const op = hessianOperator(f, params);
    expect(() => op.apply({ W1: v.W1, b1: v.b1, W2: v.W2 } as never)).toThrow(/hessianOperator: v must have the structure of the params \(.W1 \[3, 4\], .b1 \[4\], .W2 \[4, 3\], .b2 \[3\]\), got .W1, .b1, .W2/);
    expect(() => op.apply({ ...v, b2: tensor([1, 2], { dtype: 'float64' }) })).toThrow(/hessianOperator: v.b2 has shape \[2\], expected \[3\] as in the params/);
    expect(() => op.apply({ ...v, b2: tensor([1, 2, 3], { dtype: 'float32' }) })).toThrow(/hessianOperator: v.b2 is float32, expected float64/);
  });

  it('select paths that do not exist, and Fisher outputs without a sample axis', () => {
    expect(() => hessianOperator(f, params, { select: 'W3' })).toThrow(/hessianOperator: select path 'W3': the params has no key 'W3' \(keys: W1, b1, W2, b2\)/);
    expect(() => hessianOperator(f, params, { slect: 'W1' } as never)).toThrow(/hessianOperator: unknown option "slect" \(did you mean "select"\?\)/);
    expect(() => fisherOperator((p: Mlp) => sum(p.W1), loss, params)).toThrow(/fisherOperator: net\(params\) must return one tensor with the samples on its first axis, got shape \[\]/);
  });
});
