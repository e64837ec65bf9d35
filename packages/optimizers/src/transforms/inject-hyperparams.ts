import { checkArg, option } from '@ddopt/tensor/validate';
import { valueAt } from '../base.js';
import type { GradientTransformation, ScalarOrSchedule, State } from '../types.js';

export type InjectState<S extends State> = { count: number; hyperparams: Record<string, number>; inner: S };

/**
 * Makes numeric options of `factory` live in the state: each step evaluates the given numbers
 * or schedules, records them in `state.hyperparams` (inspectable, and editable between steps),
 * and runs the transform built from them. The inner state's structure must not depend on them.
 */
export function injectHyperparams<H extends Record<string, ScalarOrSchedule>, S extends State>(
  factory: (hyperparams: { [K in keyof H]: number }) => GradientTransformation<S>,
  hyperparams: H,
): GradientTransformation<InjectState<S>> {
  checkArg('injectHyperparams', 'factory', option.fn(), factory);
  checkArg('injectHyperparams', 'hyperparams', option.object(), hyperparams);
  const at = (count: number) => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(hyperparams)) out[k] = valueAt(v, count);
    return out as { [K in keyof H]: number };
  };
  return {
    init: (params) => ({ count: 0, hyperparams: at(0), inner: factory(at(0)).init(params) }),
    update(grads, state, params, extra) {
      // Values a caller wrote into the state win over the schedule for this step.
      const scheduled = at(state.count);
      const current = { ...scheduled, ...state.hyperparams } as { [K in keyof H]: number };
      const r = factory(current).update(grads, state.inner, params, extra);
      return { updates: r.updates, state: { count: state.count + 1, hyperparams: at(state.count + 1), inner: r.state } };
    },
    evalPoint: (params, state) => {
      const t = factory(state.hyperparams as { [K in keyof H]: number });
      return t.evalPoint ? t.evalPoint(params, state.inner) : params;
    },
  };
}
