// Splits a computation's time into its primitives' own cost and everything else (autograd's
// tape, the rules' logic, the ops layer's checks), by recording which primitives reach a backend
// and replaying exactly those with `execute`, with no hook and no autograd in between.
import { type Attrs, type Primitive, type Tensor, dispose, execute, keep, tidy, withBindHook } from '@ddopt/tensor';

/** One primitive application as it reached the backend; an input is an earlier op's index or a tensor from outside. */
export interface RecordedOp {
  primitive: Primitive;
  inputs: readonly (number | Tensor)[];
  attrs: Attrs<Primitive>;
}

/**
 * Runs `fn` with a dispatcher hook that records every primitive application that reaches a
 * backend. Pushed before `fn` starts, the hook sits under autograd's on the hook stack (autograd
 * forwards the values it computes to it), so it sees the forward pass, the rules' ops and the
 * tape's reshapes alike, each exactly once; call it outside any transformation, or it sees only
 * `fn`'s own binds. Inputs that no recorded op produced (parameters, data, constants) are
 * captured as reshape aliases that no `tidy` inside `fn` can dispose; the caller disposes them
 * (`aliases`) when done replaying.
 */
export function recordOps(fn: () => unknown): { ops: RecordedOp[]; aliases: Tensor[] } {
  const ops: RecordedOp[] = [];
  const produced = new Map<number, number>();
  const outside = new Map<number, Tensor>();
  const ref = (t: Tensor): number | Tensor => {
    const index = produced.get(t.id);
    if (index !== undefined) return index;
    let alias = outside.get(t.id);
    if (alias === undefined) {
      alias = keep(execute('reshape', [t], { shape: [...t.shape] }));
      outside.set(t.id, alias);
    }
    return alias;
  };
  withBindHook((primitive, inputs, attrs, next) => {
    ops.push({ primitive, inputs: inputs.map(ref), attrs: attrs as Attrs<Primitive> });
    const out = next(primitive, inputs, attrs);
    produced.set(out.id, ops.length - 1);
    return out;
  }, fn);
  return { ops, aliases: [...outside.values()] };
}

/** A recorded call, ready to be replayed with `execute` alone; `release` frees what it holds. */
export interface Replay {
  /** Primitive applications the call made, and how many of them were matmuls. */
  ops: number;
  matmuls: number;
  /** Executes every op in order, disposing each result after its last use. */
  run(): void;
  /** Executes only the matmuls from the `skip`-th on, on inputs a full replay computed once. */
  runMatmuls(skip: number): () => void;
  release(): void;
}

/**
 * Records one call of `fn` (see `recordOps`) for replaying. Replays make their tensors inside
 * `tidy`; call `release` when done. Use within `withBackend` and an enclosing `tidy`.
 */
export function recordReplay(fn: () => unknown): Replay {
  const { ops, aliases } = recordOps(fn);
  const lastUse = new Map<number, number>();
  ops.forEach((op, j) => {
    for (const x of op.inputs) if (typeof x === 'number') lastUse.set(x, j);
  });
  const resolve = (outs: Tensor[], op: RecordedOp) => op.inputs.map((x) => (typeof x === 'number' ? outs[x]! : x));
  const matmulOps = ops.map((op, j) => [op, j] as const).filter(([op]) => op.primitive === 'matmul');
  let base: Tensor[] | undefined;
  return {
    ops: ops.length,
    matmuls: matmulOps.length,
    run: () =>
      tidy(() => {
        const outs: Tensor[] = [];
        ops.forEach((op, j) => {
          outs[j] = execute(op.primitive, resolve(outs, op), op.attrs);
          for (const x of op.inputs) if (typeof x === 'number' && lastUse.get(x) === j) outs[x]!.dispose();
        });
      }),
    runMatmuls(skip) {
      if (base === undefined) {
        const outs: Tensor[] = [];
        for (const op of ops) outs.push(keep(execute(op.primitive, resolve(outs, op), op.attrs)));
        base = outs;
      }
      const inputs = matmulOps.slice(skip).map(([op]) => [op, resolve(base!, op)] as const);
      return () => tidy(() => {
        for (const [op, xs] of inputs) execute(op.primitive, xs, op.attrs);
      });
    },
    release() {
      dispose([aliases, base ?? []]);
    },
  };
}
