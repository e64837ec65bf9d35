import { valueAndGrad } from '@ddopt/autograd';
import { execute, matmul, mean, prng, randn, splitKey, type Tensor, tanh, tidy, withBindHook } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { autogradOverhead, TARGETS } from '../src/bench/autograd-overhead.js';
import { autogradSuite } from '../src/bench/autograd-suite.js';
import { recordOps, recordReplay } from '../src/bench/op-profile.js';

// A two-layer net small enough to record in milliseconds: 2 forward matmuls; the backward adds
// one per weight and one for the hidden layer's cotangent.
const [k1, k2, kx] = splitKey(prng(7), 3);
const w1 = randn(k1!, [5, 4], { dtype: 'float64' });
const w2 = randn(k2!, [4, 3], { dtype: 'float64' });
const x = randn(kx!, [6, 5], { dtype: 'float64' });
const loss = (ws: Tensor[]) => mean(tanh(matmul(tanh(matmul(x, ws[0]!)), ws[1]!)));
const countMatmuls = (ops: { primitive: string }[]) => ops.filter((op) => op.primitive === 'matmul').length;

describe('recording and replaying primitives', () => {
  it('sees the forward pass alone, and under valueAndGrad the backward matmuls too', () => {
    tidy(() => {
      expect(countMatmuls(recordOps(() => loss([w1, w2])).ops)).toBe(2);
      expect(countMatmuls(recordOps(() => valueAndGrad(loss)([w1, w2])).ops)).toBe(2 + 3);
    });
  });

  it('a replay with execute alone recomputes the recorded values', () => {
    tidy(() => {
      let value: Tensor | undefined;
      const { ops } = recordOps(() => {
        value = loss([w1, w2]);
      });
      const outs: Tensor[] = [];
      for (const op of ops) outs.push(execute(op.primitive, op.inputs.map((i) => (typeof i === 'number' ? outs[i]! : i)), op.attrs));
      expect(outs.at(-1)!.item()).toBe(value!.item());
    });
  });

  it('replays survive the tensors autograd disposes, and runMatmuls skips the forward ones', () => {
    tidy(() => {
      const r = recordReplay(() => valueAndGrad(loss)([w1, w2]));
      expect(r.matmuls).toBe(5);
      expect(() => r.run()).not.toThrow();
      expect(() => r.runMatmuls(2)()).not.toThrow();
      r.release();
    });
  });

  it('under another dispatcher hook, records what reaches it and passes it on', () => {
    let below = 0;
    const { ops } = withBindHook(
      (p, inputs, attrs, next) => {
        below++;
        return next(p, inputs, attrs);
      },
      () => recordOps(() => loss([w1, w2])),
    );
    expect(below).toBe(ops.length);
    expect(countMatmuls(ops)).toBe(2);
  });
});

describe('autograd overhead figures', () => {
  it('ratios and verdicts follow from the samples', () => {
    const o = autogradOverhead(
      { loss: [10, 11, 12], lossExecute: [9, 9, 9], valueAndGrad: [30, 31, 29], gradExecute: [25, 26, 27], backwardMatmuls: [12, 12, 12], hvp: [70, 80, 90], hvpExecute: [60, 60, 60] },
      { gradOps: 40, backwardMatmuls: 5, hvpOps: 90 },
    );
    expect(o.gradOverLossPlusBackwardMatmuls).toBeCloseTo(30 / (11 + 12), 12);
    expect(o.gradOverLossPlusBackwardMatmulsPass).toBe(30 / 23 <= TARGETS.gradOverLossPlusBackwardMatmuls);
    expect(o.gradTape).toBe(5); // median of the per-round differences 5, 5, 2
    expect(o.hvpOverGrad).toBeCloseTo(80 / 30, 12);
    expect(o.hvpOverGradPass).toBe(false);
  });

  it('`bench autograd --quick` reports tape time, the grad ratio and verdicts for every ddopt backend', async () => {
    const result = await autogradSuite({ quick: true });
    const overhead = result.measurements.overhead as Record<string, Record<string, number | boolean>>;
    expect(Object.keys(overhead)).toEqual(expect.arrayContaining(['ddopt cpu float64', 'ddopt cpu float32']));
    for (const o of Object.values(overhead)) {
      for (const k of ['loss', 'valueAndGrad', 'gradExecute', 'backwardMatmulMs', 'gradOverLossPlusBackwardMatmuls', 'hvp', 'hvpExecute', 'hvpOverGrad']) expect(o[k]).toBeGreaterThan(0);
      // Differences of timings: finite, but noise can make them negative on a busy machine.
      for (const k of ['gradTape', 'hvpTape', 'lossOutsideExecute']) expect(Number.isFinite(o[k])).toBe(true);
      expect(o.backwardMatmuls).toBe(5);
    }
    const table = result.tables[1]!;
    expect(table.headers).toEqual(expect.arrayContaining(['grad: tape & bookkeeping', 'grad ÷ (loss + bwd matmuls)', `≤ ${TARGETS.gradOverLossPlusBackwardMatmuls}`, `≤ ${TARGETS.hvpOverGrad}`]));
    for (const row of table.rows) expect(['pass', 'miss']).toContain(row.at(-1));
    // vmap: per-example gradients, jacrev and hessian, batched and looped, for every ddopt backend.
    const vmap = result.measurements.vmap as { ms: Record<string, Record<string, number>>; cpuMs: Record<string, Record<string, number>>; targets: Record<string, { loopOverVmap: number; loopOverVmapPass: boolean }> };
    for (const name of Object.keys(overhead)) {
      for (const k of ['perExampleVmap', 'perExampleLoop']) expect(vmap.cpuMs[name]![k], `${name} ${k} CPU time`).toBeGreaterThan(0);
      for (const k of ['perExampleVmap', 'perExampleLoop', 'jacrevVmap', 'jacrevLoop', 'hessianVmap', 'hessianLoop']) expect(vmap.ms[name]![k], `${name} ${k}`).toBeGreaterThan(0);
      const t = vmap.targets[name]!;
      expect(t.loopOverVmap).toBeCloseTo(vmap.ms[name]!.perExampleLoop! / vmap.ms[name]!.perExampleVmap!, 12);
      expect(t.loopOverVmapPass).toBe(t.loopOverVmap >= 5);
    }
    expect(result.tables.map((t) => t.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^Per-example gradients, MLP 784-256-256-10, batch 16: median ms/), expect.stringMatching(/^Per-example gradients, MLP 784-256-256-10, batch 16: median process CPU ms/), expect.stringMatching(/^Jacobian of tanh\(Wx \+ b\), 64 → 64/)]));
  });
});
