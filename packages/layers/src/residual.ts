import { type Key, add, splitKey } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { checkContext } from './options.js';
import type { ApplyContext, Module, Tree } from './module.js';
import { type LayerLike, asModule } from './sequential.js';

/** Params and state of `Residual`: those of the body and of the optional shortcut. */
export interface ResidualTree {
  body: Tree;
  shortcut?: Tree;
}

/** Options of `Residual`. */
export interface ResidualLayerOptions {
  /** The skip branch (default the identity). */
  shortcut?: LayerLike;
}

/**
 * y = shortcut(x) + body(x), with the identity as the default shortcut (then y = x + f(x), the
 * residual unit of He et al. and Hardt & Ma). Both branches must produce the same shape.
 */
export function Residual(body: LayerLike, options?: ResidualLayerOptions): Module<ResidualTree, ResidualTree> {
  const o = checkOptions('Residual', options, { shortcut: option.any<LayerLike>() });
  const f = asModule(body, 'Residual');
  const g = o.shortcut === undefined ? undefined : asModule(o.shortcut, 'Residual');
  const name = `Residual(${f.name}${g ? `, shortcut ${g.name}` : ''})`;
  return {
    name,
    init: (key, inputShape, o) => {
      const [kf, kg] = splitKey(key, 2) as [Key, Key];
      const fi = f.init(kf, inputShape, o);
      const gi = g?.init(kg, inputShape, o);
      const skipShape = gi ? gi.outputShape : [...inputShape];
      if (fi.outputShape.length !== skipShape.length || fi.outputShape.some((d, i) => d !== skipShape[i])) {
        throw new RangeError(`${name}: the body maps ${fmtShape(inputShape)} to ${fmtShape(fi.outputShape)} but the shortcut gives ${fmtShape(skipShape)}; they must match`);
      }
      const params: ResidualTree = gi ? { body: fi.params, shortcut: gi.params } : { body: fi.params };
      const state: ResidualTree = gi ? { body: fi.state, shortcut: gi.state } : { body: fi.state };
      return { params, state, outputShape: fi.outputShape };
    },
    apply: (params, x, ctx) => {
      checkContext(name, ctx);
      const keys = ctx?.key ? (splitKey(ctx.key, 2) as [Key, Key]) : undefined;
      const fc: ApplyContext | undefined = ctx && { train: ctx.train, key: keys?.[0], state: ctx.state?.body };
      const y = f.apply(params.body, x, fc);
      let skip = x;
      let gc: ApplyContext | undefined;
      if (g) {
        gc = ctx && { train: ctx.train, key: keys?.[1], state: ctx.state?.shortcut };
        skip = g.apply(params.shortcut, x, gc);
      }
      if (ctx) ctx.state = g ? { body: fc!.state, shortcut: gc!.state } : { body: fc!.state };
      return add(skip, y);
    },
  };
}
