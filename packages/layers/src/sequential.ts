import { splitKey } from '@ddopt/tensor';
import { type ActivationFn, type ActivationName, resolveActivation } from './activations.js';
import { Activation } from './activation-layers.js';
import type { ApplyContext, Module, Tree } from './module.js';
import { checkContext } from './options.js';
import { fmtValue } from '@ddopt/tensor/validate';

/** A layer, or an activation function / name that becomes a parameter-free layer. */
export type LayerLike = Module | ActivationFn | ActivationName;

/** Turns an activation function or name into a layer; modules pass through. */
export function asModule(layer: LayerLike, where = 'Sequential'): Module {
  if (typeof layer === 'function') return Activation(layer, layer.name || 'activation');
  if (typeof layer === 'string') return Activation(resolveActivation(layer, where), layer);
  if (layer && typeof layer.init === 'function' && typeof layer.apply === 'function') return layer;
  throw new TypeError(`${where}: expected a Module, an activation function or name, got ${fmtValue(layer)}`);
}

/**
 * Layers applied in order. Params and state are arrays with one entry per layer; the context's
 * key is split among the layers, and each layer's new state is collected into `ctx.state`.
 */
export function Sequential(layers: LayerLike[]): Module<Tree[], Tree[]> {
  return sequentialAs('Sequential', layers);
}

/** @internal A Sequential whose errors name `where` (a model builder such as `mlp`). */
export function sequentialAs(where: string, layers: LayerLike[], shown?: string): Module<Tree[], Tree[]> {
  if (!Array.isArray(layers)) throw new TypeError(`${where}: layers must be an array, got ${fmtValue(layers)}`);
  const mods = layers.map((l) => asModule(l, where));
  const name = shown ?? `${where}(${mods.map((m) => m.name).join(', ')})`;
  return {
    name,
    init: (key, inputShape, options) => {
      const keys = splitKey(key, mods.length);
      const params: Tree[] = [];
      const state: Tree[] = [];
      let shape = [...inputShape];
      mods.forEach((m, i) => {
        const r = m.init(keys[i]!, shape, options);
        params.push(r.params);
        state.push(r.state);
        shape = r.outputShape;
      });
      return { params, state, outputShape: shape };
    },
    apply: (params, x, ctx) => {
      checkContext(name, ctx);
      if (!Array.isArray(params) || params.length !== mods.length) {
        throw new TypeError(`${name}: params must be an array of ${mods.length} entries (from init), got ${Array.isArray(params) ? params.length : typeof params}`);
      }
      const keys = ctx?.key ? splitKey(ctx.key, mods.length) : undefined;
      const newState: Tree[] = [];
      let y = x;
      mods.forEach((m, i) => {
        const sub: ApplyContext | undefined = ctx && { train: ctx.train, key: keys?.[i], state: ctx.state?.[i] };
        y = m.apply(params[i], y, sub);
        newState.push(sub?.state);
      });
      if (ctx) ctx.state = newState;
      return y;
    },
  };
}
