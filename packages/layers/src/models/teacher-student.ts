import { type Key, type Tensor, mul, splitKey, sum, treeMap } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { floatDtypeOpt } from '../options.js';
import { type Initialized, type InitOptions, type Module, type Tree, NO_STATE } from '../module.js';
import { type LayerLike, asModule } from '../sequential.js';

/**
 * Teacher and student parameters for one architecture from independent keys: the teacher's
 * parameters are multiplied by `teacherScale` (default 1), e.g. to keep ‖W*‖ small as the
 * identity-mapping analysis assumes.
 */
export function teacherStudent(
  model: LayerLike,
  options: { key: Key; inputShape: number[]; teacherScale?: number } & InitOptions,
): { teacher: Initialized; student: Initialized } {
  const m = asModule(model, 'teacherStudent');
  const o = checkOptions('teacherStudent', options, {
    key: option.key<Key>().required(),
    inputShape: option.arrayOf(option.int(1)).required(),
    teacherScale: option.number().default(1),
    dtype: floatDtypeOpt(),
  });
  const [kt, ks] = splitKey(o.key, 2) as [Key, Key];
  const init = { dtype: o.dtype };
  const teacher = m.init(kt, o.inputShape, init);
  const scale = o.teacherScale;
  if (scale !== 1) teacher.params = treeMap((t: Tensor) => mul(t, scale), teacher.params) as Tree;
  return { teacher, student: m.init(ks, o.inputShape, init) };
}

/** Sums the features of each sample: [N, d] → [N, 1] (the ‖σ(·)‖₁ read-out of the identity-mapping net). */
export function SumReadout(): Module<Record<string, never>, Record<string, never>> {
  return {
    name: 'SumReadout',
    init: (_key, inputShape) => {
      if (inputShape.length !== 1) throw new RangeError(`SumReadout: inputShape must be [d], got ${fmtShape(inputShape)}`);
      return { params: {}, state: NO_STATE, outputShape: [1] };
    },
    apply: (_params, x) => sum(x, { axis: 1, keepdims: true }),
  };
}
