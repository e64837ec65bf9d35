import { type Attrs, type BindHook, type Primitive, type Tensor, withBindHook } from '@ddopt/tensor';

/**
 * One transformation in progress (a reverse-mode tape, a forward-mode tangent map, or a vmap batch).
 * Levels form a chain through `parent`: a level computes values and rule results by binding
 * with its parent as the current level, so the outer transformations record those ops too —
 * which is what makes derivatives of derivatives correct and keeps levels from confusing
 * each other's perturbations (each level tracks tensors by identity, in its own table).
 */
export interface Level {
  readonly kind: 'reverse' | 'forward' | 'batch';
  readonly parent: Level | undefined;
  /** Whether some input carries this level's derivative information. */
  knows(inputs: readonly Tensor[]): boolean;
  /** Applies a primitive at this level; called with `parent` as the current level. */
  process<P extends Primitive>(primitive: P, inputs: readonly Tensor[], attrs: Attrs<P>): Tensor;
}

let current: Level | undefined;
let live = 0;

// The innermost level that knows an input processes the op (binding again, which comes back
// here, with its parent as the current level); ops no level knows go down the hook stack.
const hook: BindHook = (primitive, inputs, attrs, next) => {
  for (let level = current; level !== undefined; level = level.parent) {
    if (level.knows(inputs)) return withCurrent(level.parent, () => level.process(primitive, inputs, attrs));
  }
  return next(primitive, inputs, attrs);
};

/** The innermost active level, if any. */
export function currentLevel(): Level | undefined {
  return current;
}

/** Runs `fn` with `level` as the innermost active level (levels above it are suspended). */
export function withCurrent<T>(level: Level | undefined, fn: () => T): T {
  const saved = current;
  current = level;
  try {
    return fn();
  } finally {
    current = saved;
  }
}

/**
 * Runs `fn(level)` with a new level on top of the current one. The outermost live level pushes
 * autograd's hook on the dispatcher's hook stack for its duration; nested levels share it.
 */
export function withLevel<L extends Level, T>(make: (parent: Level | undefined) => L, fn: (level: L) => T): T {
  const level = make(current);
  const run = (): T => {
    live++;
    try {
      return withCurrent(level, () => fn(level));
    } finally {
      live--;
    }
  };
  return live === 0 ? withBindHook(hook, run) : run();
}
