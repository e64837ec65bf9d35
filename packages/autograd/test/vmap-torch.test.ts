// vmap against PyTorch's functorch (torch.func in PyTorch 2), float64, recorded by
// fixtures/record_torch_vmap.py on the models and data of torch_grads.json.
import { type Tensor, add, matmul, tanh } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { hessian, jacrev, perExampleGrads, vmap } from '../src/index.js';
import { type Packed, fixture, mlpLoss, unpack, unpackAll } from './torch-fixture.js';
import { batchOf, convOne, mlpOne, vmapFixture } from './vmap-models.js';

function expectNear(got: Tensor, want: Packed, what: string): void {
  expect(got.shape, what).toEqual(want.shape);
  const a = got.dataSync();
  let worst = 0;
  want.data.forEach((w, i) => {
    worst = Math.max(worst, Math.abs(a[i]! - w));
  });
  expect(worst, `${what}: max |ddopt − functorch|`).toBeLessThan(1e-12);
}

describe('matches functorch (PyTorch 1.13, float64) to 1e-12', () => {
  it('per-example gradients of the tanh MLP: functorch.vmap(functorch.grad(loss))', () => {
    const g = perExampleGrads(mlpOne, unpackAll(fixture.mlp.params, 'float64'), batchOf(fixture.mlp, 4, 'float64'));
    for (const [k, want] of Object.entries(vmapFixture.mlpPerExample)) expectNear(g[k]!, want, k);
  });

  it('per-example gradients of the conv net (dilation, padding, stride, groups)', () => {
    const g = perExampleGrads(convOne, unpackAll(fixture.conv.params, 'float64'), batchOf(fixture.conv, 3, 'float64'));
    for (const [k, want] of Object.entries(vmapFixture.convPerExample)) expectNear(g[k]!, want, k);
  });

  it('per-example Jacobians of the hidden layer: vmap(jacrev(layer))', () => {
    const p = unpackAll(fixture.mlp.params, 'float64');
    const layer = (x: Tensor) => tanh(add(matmul(x, p.w1!), p.b1!));
    expectNear(vmap(jacrev(layer))(unpack(fixture.mlp.x, 'float64')) as Tensor, vmapFixture.layerJacobians, 'jacobians');
  });

  it('the Hessian of the mean loss with respect to the head { w2, b2 }: a nested pytree of blocks', () => {
    const p = unpackAll(fixture.mlp.params, 'float64');
    const loss = mlpLoss(fixture.mlp, 'float64');
    const h = hessian((head: { w2: Tensor; b2: Tensor }) => loss({ ...p, ...head }))({ w2: p.w2!, b2: p.b2! }) as Record<string, Record<string, Tensor>>;
    for (const [a, row] of Object.entries(vmapFixture.headHessian)) for (const [b, want] of Object.entries(row)) expectNear(h[a]![b]!, want, `h.${a}.${b}`);
  });
});
