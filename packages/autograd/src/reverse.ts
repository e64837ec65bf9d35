import { type Attrs, type Primitive, type Tensor, add, bind, isFloat, zerosLike } from '@ddopt/tensor';
import type { Level } from './levels.js';
import { withCurrent } from './levels.js';
import { type MaybeTensor, jvpRules, vjpRules } from './rules/index.js';
import { fmtShape } from '@ddopt/tensor/validate';
import { missingRule } from './util.js';

/** One recorded operation: how to pull cotangents back through it and push tangents forward. */
export interface TapeNode {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  /** Input cotangents from output cotangents (undefined = zero); `needs[i]`: input i is tracked. */
  pullback(cts: readonly MaybeTensor[], needs: readonly boolean[]): MaybeTensor[];
  /** Output tangents from input tangents, for `linearize`. */
  pushforward(ts: readonly MaybeTensor[]): MaybeTensor[];
}

/**
 * A reverse-mode level: records, on a tape, every op that reads a tensor it tracks. Values are
 * computed one level down (the dispatcher calls `process` with the parent as current level).
 */
export class ReverseLevel implements Level {
  readonly kind = 'reverse';
  readonly tracked = new Set<number>();
  readonly tape: TapeNode[] = [];

  constructor(readonly parent: Level | undefined) {}

  knows(inputs: readonly Tensor[]): boolean {
    for (const t of inputs) if (this.tracked.has(t.id)) return true;
    return false;
  }

  process<P extends Primitive>(primitive: P, inputs: readonly Tensor[], attrs: Attrs<P>): Tensor {
    const out = bind(primitive, inputs, attrs);
    if (!isFloat(out.dtype)) return out; // bool/int results carry no derivative
    const vjp = vjpRules[primitive] as ((...a: unknown[]) => MaybeTensor[]) | null | undefined;
    if (vjp === undefined) throw missingRule('VJP', primitive);
    if (vjp === null) return out;
    this.record({
      name: primitive,
      inputs,
      outputs: [out],
      pullback: ([g], needs) => (g === undefined ? [] : vjp(g, inputs, out, attrs, needs)),
      pushforward: (ts) => {
        const jvp = jvpRules[primitive] as ((...a: unknown[]) => MaybeTensor) | null | undefined;
        if (!jvp) throw missingRule('JVP', primitive);
        return [jvp(ts, inputs, out, attrs)];
      },
    });
    return out;
  }

  /** Appends a node and tracks its float outputs. */
  record(node: TapeNode): void {
    this.tape.push(node);
    for (const o of node.outputs) if (isFloat(o.dtype)) this.tracked.add(o.id);
  }

  /**
   * A fresh alias of `x` (made one level down, so outer levels see the dependence) that this
   * level tracks. Aliasing keeps a tensor passed twice, or closed over, from being confused.
   */
  watch(x: Tensor, what: string): Tensor {
    if (!isFloat(x.dtype)) throw new TypeError(`${what} has dtype ${x.dtype}; only float32/float64 tensors can be differentiated`);
    const alias = withCurrent(this.parent, () => bind('reshape', [x], { shape: [...x.shape] }));
    this.tracked.add(alias.id);
    return alias;
  }

  /**
   * Reverse sweep: seeds the cotangents of `outputs`, walks the tape backwards and returns
   * the cotangents of `wrt` (zeros where none arrived). Runs at the caller's current level,
   * with tensor ops only, so the sweep is itself differentiable.
   */
  backward(outputs: readonly Tensor[], seeds: readonly Tensor[], wrt: readonly Tensor[]): Tensor[] {
    const ct = new Map<number, Tensor>();
    const accumulate = (t: Tensor, g: Tensor, from: string): void => {
      if (g.shape.length !== t.shape.length || g.shape.some((d, i) => d !== t.shape[i])) {
        throw new Error(`autograd: the VJP of ${from} returned a cotangent of shape ${fmtShape(g.shape)} for an input of shape ${fmtShape(t.shape)}`);
      }
      const prev = ct.get(t.id);
      ct.set(t.id, prev === undefined ? g : add(prev, g));
    };
    outputs.forEach((y, i) => {
      if (this.tracked.has(y.id)) accumulate(y, seeds[i]!, 'the output');
    });
    for (let i = this.tape.length - 1; i >= 0; i--) {
      const node = this.tape[i]!;
      const cts = node.outputs.map((o) => ct.get(o.id));
      if (cts.every((c) => c === undefined)) continue;
      for (const o of node.outputs) ct.delete(o.id);
      const needs = node.inputs.map((x) => this.tracked.has(x.id));
      const gs = node.pullback(cts, needs);
      node.inputs.forEach((x, k) => {
        const g = gs[k];
        if (needs[k] && g !== undefined) accumulate(x, g, node.name);
      });
    }
    return wrt.map((w) => ct.get(w.id) ?? zerosLike(w));
  }

  /** Forward sweep over the tape: the tangents of `outputs` given tangents of `inputs` (linearize). */
  forward(inputs: readonly Tensor[], tangents: readonly Tensor[], outputs: readonly Tensor[]): Tensor[] {
    const tan = new Map<number, Tensor>();
    for (const [i, x] of inputs.entries()) tan.set(x.id, tangents[i]!);
    for (const node of this.tape) {
      const ts = node.inputs.map((x) => tan.get(x.id));
      if (ts.every((t) => t === undefined)) continue;
      const outs = node.pushforward(ts);
      node.outputs.forEach((o, k) => {
        const t = outs[k];
        if (t !== undefined) tan.set(o.id, t);
      });
    }
    return outputs.map((o) => tan.get(o.id) ?? zerosLike(o));
  }
}
