import type { Tensor } from '@ddopt/tensor';
import { fmtShape, fmtValue } from '@ddopt/tensor/validate';
import { grad, vjp } from './grad.js';
import { jvp } from './jvp.js';
import { outermost } from './scope.js';
import { type Flat, flat } from './tree.js';
import { vmapCall } from './vmap.js';

/** Every leaf of `f` batched along axis 0 (a scalar leaf has no batch axis: an error naming it). */
function leading(op: string, f: Flat, what: string): number[] {
  return f.leaves.map((x, k) => {
    if (x.rank === 0) throw new RangeError(`${op}: ${f.paths[k]} is a scalar (shape ${fmtShape(x.shape)}); every leaf of ${what} needs a leading batch axis`);
    return 0;
  });
}

function assertFunction(op: string, f: unknown): void {
  if (typeof f !== 'function') throw new TypeError(`${op}: f must be a function, got ${fmtValue(f)}`);
}

/**
 * The gradient of `loss(params, example)` for every example of `batch` at once:
 * `vmap(grad(loss), { inAxes: [null, 0] })`. `batch` is a pytree whose leaves share a leading
 * batch axis (`{ x: [B, ...], y: [B, ...] }`); `loss` sees one example (that axis removed) and
 * returns a scalar. Returns a pytree shaped like `params` with leaves [B, ...param.shape]; a
 * gradient that does not depend on the example is the same for every example and is repeated.
 */
export function perExampleGrads<P>(loss: (params: P, example: any) => Tensor, params: P, batch: unknown): P {
  assertFunction('perExampleGrads', loss);
  return outermost(() => {
    const fp = flat(params, 'params');
    if (fp.leaves.length === 0) throw new TypeError('perExampleGrads: params holds no tensors to differentiate');
    const fb = flat(batch, 'batch');
    if (fb.leaves.length === 0) throw new TypeError('perExampleGrads: batch holds no tensors (nothing to map over)');
    const leafAxes = [fp.leaves.map(() => null), leading('perExampleGrads', fb, 'batch')];
    return vmapCall({ op: 'perExampleGrads', leafAxes, outAxes: 0, broadcastUnbatched: true }, (p: P, example: unknown) => grad(loss)(p, example), [params, batch], [fp, fb]) as P;
  });
}

/**
 * Many Jacobian-vector products at one point: `tangents` holds, per primal, a pytree shaped like
 * it with a leading batch axis (B directions). Returns `[out, tangentsOut]`, `out = f(...primals)`
 * once and `tangentsOut` shaped like it with a leading axis of B: one batched forward pass.
 */
export function jvpBatch<O>(f: (...args: any[]) => O, primals: readonly unknown[], tangents: readonly unknown[]): [O, O] {
  assertFunction('jvpBatch', f);
  if (!Array.isArray(primals) || !Array.isArray(tangents)) throw new TypeError('jvpBatch: primals and tangents must be arrays (one entry per argument of f)');
  if (primals.length !== tangents.length) throw new RangeError(`jvpBatch: ${primals.length} primal(s) but ${tangents.length} tangent batch(es)`);
  return outermost(() => {
    const flats = tangents.map((t, i) => flat(t, `tangents[${i}]`));
    const leafAxes = flats.map((f) => leading('jvpBatch', f, 'tangents'));
    return vmapCall({ op: 'jvpBatch', leafAxes, outAxes: [null, 0], broadcastUnbatched: true }, (...ts: unknown[]) => jvp(f, primals, ts), tangents, flats) as [O, O];
  });
}

/**
 * Evaluates `f(...primals)` once and returns `[out, pullback]`, where `pullback(cotangents)`
 * takes a batch of cotangents (shaped like `out` with a leading axis of B) and returns, per
 * primal, the B vector-Jacobian products stacked along a leading axis: one batched reverse
 * sweep. The tape lives until `pullback` is dropped (on tfjs backends call both inside a `tidy`).
 */
export function vjpBatch<A extends unknown[], O>(f: (...args: A) => O, ...primals: A): [O, (cotangents: O) => unknown[]] {
  assertFunction('vjpBatch', f);
  const [out, pullback] = vjp(f, ...primals);
  const batched = (cotangents: O): unknown[] => {
    const fc = flat(cotangents, 'cotangents');
    return vmapCall({ op: 'vjpBatch', leafAxes: [leading('vjpBatch', fc, 'the cotangents')], outAxes: 0, broadcastUnbatched: true }, (c: O) => pullback(c), [cotangents], [fc]) as unknown[];
  };
  return [out, batched];
}
