import { type PyTree, type Tensor, treeFlatten, treeLeaves, treeUnflatten } from '@ddopt/tensor';
import { fmtShape } from '@ddopt/tensor/validate';

type Leaves<I> = { [K in keyof I]: Tensor };
type Trees<O> = { [K in keyof O]: PyTree };

/**
 * Runs `fn` on the matching leaves of several pytrees of one structure (the first key's
 * structure) and rebuilds one pytree per output key. Shapes must agree leaf by leaf.
 */
export function perLeaf<I extends Record<string, PyTree>, O extends Record<string, Tensor>>(
  where: string,
  inputs: I,
  fn: (leaves: Leaves<I>, index: number) => O,
): Trees<O> {
  const keys = Object.keys(inputs) as (keyof I & string)[];
  const first = keys[0]!;
  const { leaves, def } = treeFlatten(inputs[first]);
  const columns: Record<string, readonly Tensor[]> = { [first]: leaves as Tensor[] };
  for (const k of keys.slice(1)) {
    const other = treeLeaves(inputs[k]) as Tensor[];
    if (other.length !== leaves.length) throw new TypeError(`${where}: ${k} has ${other.length} leaves but ${first} has ${leaves.length}; they must have one structure`);
    other.forEach((t, i) => {
      const ref = leaves[i] as Tensor;
      if (t.shape.length !== ref.shape.length || t.shape.some((d, j) => d !== ref.shape[j])) {
        throw new TypeError(`${where}: leaf ${i} of ${k} has shape ${fmtShape(t.shape)} but ${first} has ${fmtShape(ref.shape)}`);
      }
      if (t.dtype !== ref.dtype) throw new TypeError(`${where}: leaf ${i} of ${k} is ${t.dtype} but ${first} is ${ref.dtype}; cast explicitly`);
    });
    columns[k] = other;
  }
  const results = (leaves as Tensor[]).map((_, i) => {
    const row = {} as Record<string, Tensor>;
    for (const k of keys) row[k] = columns[k]![i]!;
    return fn(row as Leaves<I>, i);
  });
  // With no leaves `fn` never runs, so every output is the (leafless) input structure.
  if (results.length === 0) return new Proxy({}, { get: () => treeUnflatten(def, []) }) as Trees<O>;
  const out = {} as Record<string, PyTree>;
  for (const k of Object.keys(results[0]!)) out[k] = treeUnflatten(def, results.map((r) => r[k]!)) as PyTree;
  return out as Trees<O>;
}

