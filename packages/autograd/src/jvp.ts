import { type Tensor, treeUnflatten, zerosLike } from '@ddopt/tensor';
import { ForwardLevel } from './forward.js';
import { record } from './grad.js';
import { withLevel } from './levels.js';
import { outermost } from './scope.js';
import { flat, sameStructure } from './tree.js';
import { checkArg, fmtShape, fmtValue, option } from '@ddopt/tensor/validate';

function checkSameTree(op: string, what: string, a: ReturnType<typeof flat>, b: ReturnType<typeof flat>): void {
  if (!sameStructure(a.def, b.def) || a.leaves.length !== b.leaves.length) {
    throw new TypeError(`${op}: ${what} has leaves ${b.paths.join(', ') || '(none)'} but the primal has ${a.paths.join(', ') || '(none)'}`);
  }
}

/**
 * Forward mode: evaluates `f(...primals)` and pushes `tangents` (pytrees shaped like the
 * primals) through it in the same pass. Returns `[out, tangentOut]`.
 */
export function jvp<O>(f: (...args: any[]) => O, primals: readonly unknown[], tangents: readonly unknown[]): [O, O] {
  return jvpAs('jvp', f, primals, tangents);
}

/** @internal `jvp` whose errors name `op` (hvp calls it for the user). */
export function jvpAs<O>(op: string, f: (...args: any[]) => O, primals: readonly unknown[], tangents: readonly unknown[]): [O, O] {
  checkArg(op, 'f', option.fn(), f);
  if (!Array.isArray(primals)) throw new TypeError(`${op}: primals must be an array (one entry per argument of f), got ${fmtValue(primals)}`);
  if (!Array.isArray(tangents)) throw new TypeError(`${op}: tangents must be an array (one entry per argument of f), got ${fmtValue(tangents)}`);
  if (primals.length !== tangents.length) throw new RangeError(`${op}: ${primals.length} primal(s) but ${tangents.length} tangent(s)`);
  return outermost(() =>
    withLevel(
      (parent) => new ForwardLevel(parent),
      (level) => {
        const args = primals.map((p, i) => {
          const fp = flat(p, `primals[${i}]`);
          const ft = flat(tangents[i], `tangents[${i}]`);
          checkSameTree(op, `tangents[${i}]`, fp, ft);
          return treeUnflatten(
            fp.def,
            fp.leaves.map((x, k) => level.seed(x, ft.leaves[k]!, `${op}: ${fp.paths[k]}`)),
          );
        });
        const out = f(...args);
        const of = flat(out, 'output');
        const tOut = of.leaves.map((o) => level.tangents.get(o.id) ?? zerosLike(o));
        return [out, treeUnflatten<O>(of.def, tOut)] as [O, O];
      },
    ),
  );
}

/**
 * Evaluates `f(...primals)` once, recording it, and returns `[out, fJvp]` where
 * `fJvp(...tangents)` pushes tangents through the recorded computation without re-running f.
 */
export function linearize<A extends unknown[], O>(f: (...args: A) => O, ...primals: A): [O, (...tangents: A) => O] {
  const { level, watched, out } = record(
    'linearize',
    f,
    primals,
    primals.map((_, i) => i),
  );
  const outs = flat(out, 'output');
  const fJvp = (...tangents: A): O => {
    if (tangents.length !== primals.length) throw new RangeError(`linearize: expected ${primals.length} tangent(s), got ${tangents.length}`);
    const leaves: Tensor[] = [];
    tangents.forEach((t, i) => {
      const ft = flat(t, `tangents[${i}]`);
      const fp = watched.flats[i]!;
      checkSameTree('linearize', `tangents[${i}]`, fp, ft);
      // A tangent must match its primal exactly: never broadcast, never another dtype.
      ft.leaves.forEach((t, k) => {
        const x = fp.leaves[k]!;
        if (t.dtype !== x.dtype || fmtShape(t.shape) !== fmtShape(x.shape)) {
          throw new TypeError(`linearize: ${ft.paths[k]} is ${fmtShape(t.shape)} ${t.dtype} but the primal is ${fmtShape(x.shape)} ${x.dtype}`);
        }
      });
      leaves.push(...ft.leaves);
    });
    return treeUnflatten<O>(outs.def, level.forward(watched.wrt, leaves, outs.leaves));
  };
  return [out, fJvp];
}

