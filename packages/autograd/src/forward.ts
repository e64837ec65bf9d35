import { type Attrs, type Primitive, type Tensor, bind, isFloat } from '@ddopt/tensor';
import type { Level } from './levels.js';
import { withCurrent } from './levels.js';
import { type MaybeTensor, jvpRules } from './rules/index.js';
import { fmtShape } from '@ddopt/tensor/validate';
import { missingRule } from './util.js';

/** A forward-mode level: a map from tensor id to its tangent; ops push tangents through JVP rules. */
export class ForwardLevel implements Level {
  readonly kind = 'forward';
  readonly tangents = new Map<number, Tensor>();

  constructor(readonly parent: Level | undefined) {}

  knows(inputs: readonly Tensor[]): boolean {
    for (const t of inputs) if (this.tangents.has(t.id)) return true;
    return false;
  }

  process<P extends Primitive>(primitive: P, inputs: readonly Tensor[], attrs: Attrs<P>): Tensor {
    const out = bind(primitive, inputs, attrs);
    if (!isFloat(out.dtype)) return out;
    const jvp = jvpRules[primitive] as ((...a: unknown[]) => MaybeTensor) | null | undefined;
    if (jvp === undefined) throw missingRule('JVP', primitive);
    if (jvp === null) return out;
    const t = jvp(
      inputs.map((x) => this.tangents.get(x.id)),
      inputs,
      out,
      attrs,
    );
    if (t !== undefined) this.tangents.set(out.id, t);
    return out;
  }

  /** A fresh alias of `x` (made one level down) carrying tangent `t` at this level. */
  seed(x: Tensor, t: Tensor, what: string): Tensor {
    if (!isFloat(x.dtype)) throw new TypeError(`${what} has dtype ${x.dtype}; only float32/float64 tensors can be differentiated`);
    if (t.dtype !== x.dtype || t.shape.length !== x.shape.length || t.shape.some((d, i) => d !== x.shape[i])) {
      throw new TypeError(`${what}: tangent is ${fmtShape(t.shape)} ${t.dtype} but the primal is ${fmtShape(x.shape)} ${x.dtype}`);
    }
    const alias = withCurrent(this.parent, () => bind('reshape', [x], { shape: [...x.shape] }));
    this.tangents.set(alias.id, t);
    return alias;
  }

  /** Sets the tangent of an output created at this level (custom JVP rules). */
  setTangent(x: Tensor, t: Tensor): void {
    this.tangents.set(x.id, t);
  }
}
