// The vector space of a parameter pytree, flattened to one Float64Array: the solvers (CG, Lanczos,
// power iteration, L-BFGS's two loops) do their vector algebra there, and only the curvature
// products go through tensors. Leaf order is treeFlatten's (depth-first, container order).
import { type FloatDType, type PyTree, type Tensor, type TreeDef, isFloat, tensor, treeFlatten, treeUnflatten } from '@ddopt/tensor';
import { fmtShape } from '@ddopt/tensor/validate';

/** One leaf of a space: where it sits in the flat vector and how to rebuild it. */
interface LeafInfo {
  readonly path: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
  readonly backend: string;
}

/** @internal The structure of a params pytree, and its flat float64 form. */
export interface Space<P = PyTree> {
  readonly def: TreeDef;
  readonly leaves: readonly LeafInfo[];
  /** Number of scalars in the tree. */
  readonly size: number;
  readonly dtype: FloatDType;
  /** The tree the space was made from (its leaves give shapes, dtype and backend). */
  readonly like: P;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The leaf paths of a tree definition (`.w`, `[0].b`), `(root)` for a lone tensor. */
function leafPaths(def: TreeDef): string[] {
  const out: string[] = [];
  const walk = (d: TreeDef, path: string): void => {
    if (d.kind === 'tensor') out.push(path === '' ? '(root)' : path);
    else if (d.kind === 'array') for (const [i, c] of d.children.entries()) walk(c, `${path}[${i}]`);
    else if (d.kind === 'object') for (const [i, c] of d.children.entries()) walk(c, IDENTIFIER.test(d.keys[i]!) ? `${path}.${d.keys[i]}` : `${path}[${JSON.stringify(d.keys[i])}]`);
  };
  walk(def, '');
  return out;
}

/** Same containers and keys (static leaves not compared). */
function sameStructure(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'array' && b.kind === 'array') return a.children.length === b.children.length && a.children.every((c, i) => sameStructure(c, b.children[i]!));
  if (a.kind === 'object' && b.kind === 'object') return a.keys.length === b.keys.length && a.keys.every((k, i) => k === b.keys[i] && sameStructure(a.children[i]!, b.children[i]!));
  return true;
}

/** @internal The space of `tree`: it must hold at least one tensor, all float of one dtype. */
export function spaceOf<P>(where: string, what: string, tree: P): Space<P> {
  const { leaves, def } = treeFlatten(tree);
  if (leaves.length === 0) throw new TypeError(`${where}: ${what} must be a pytree of float tensors, got one without tensors`);
  const paths = leafPaths(def);
  const dtype = leaves[0]!.dtype;
  let offset = 0;
  const infos = leaves.map((t, i) => {
    if (!isFloat(t.dtype)) throw new TypeError(`${where}: ${what}${paths[i] === '(root)' ? '' : paths[i]} is ${t.dtype}; curvature needs float tensors`);
    if (t.dtype !== dtype) throw new TypeError(`${where}: ${what} mixes dtypes (${dtype} at ${paths[0]}, ${t.dtype} at ${paths[i]}); cast explicitly`);
    const info = { path: paths[i]!, shape: [...t.shape], offset, size: t.size, backend: t.backend };
    offset += t.size;
    return info;
  });
  return { def, leaves: infos, size: offset, dtype: dtype as FloatDType, like: tree };
}

/** @internal Throws unless `tree` has the space's structure, leaf shapes and dtype, naming the first difference. */
export function checkInSpace(space: Space<any>, where: string, what: string, tree: unknown): Tensor[] {
  const { leaves, def } = treeFlatten(tree);
  if (!sameStructure(space.def, def) || leaves.length !== space.leaves.length) {
    const want = space.leaves.map((l) => `${l.path} ${fmtShape(l.shape)}`).join(', ');
    const got = leafPaths(def);
    throw new TypeError(`${where}: ${what} must have the structure of the params (${want}), got ${got.length === 0 ? 'no tensors' : got.join(', ')}`);
  }
  leaves.forEach((t, i) => {
    const l = space.leaves[i]!;
    if (t.shape.length !== l.shape.length || t.shape.some((d, k) => d !== l.shape[k])) {
      throw new RangeError(`${where}: ${what}${l.path === '(root)' ? '' : l.path} has shape ${fmtShape(t.shape)}, expected ${fmtShape(l.shape)} as in the params`);
    }
    if (t.dtype !== space.dtype) throw new TypeError(`${where}: ${what}${l.path === '(root)' ? '' : l.path} is ${t.dtype}, expected ${space.dtype} as the params`);
  });
  return leaves;
}

/** @internal `tree` (checked against the space) as one new Float64Array. */
export function toFlat(space: Space<any>, where: string, what: string, tree: unknown): Float64Array {
  const leaves = checkInSpace(space, where, what, tree);
  const out = new Float64Array(space.size);
  for (const [i, t] of leaves.entries()) out.set(t.dataSync(), space.leaves[i]!.offset);
  return out;
}

/** @internal A flat vector as a pytree of the space (new tensors of its dtype on each leaf's backend). */
export function fromFlat<P>(space: Space<P>, x: Float64Array): P {
  const leaves = space.leaves.map((l) => {
    const part = x.subarray(l.offset, l.offset + l.size);
    const values = space.dtype === 'float64' ? Float64Array.from(part) : Float32Array.from(part);
    return tensor(values, { shape: l.shape, dtype: space.dtype, backend: l.backend });
  });
  return treeUnflatten<P>(space.def, leaves);
}
