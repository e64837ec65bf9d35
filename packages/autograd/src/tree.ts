import { type Tensor, type TreeDef, treeFlatten } from '@ddopt/tensor';

/** A flattened pytree with the path of each leaf, for messages (`args[0].w`). */
export interface Flat {
  leaves: Tensor[];
  paths: string[];
  def: TreeDef;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Flattens `tree`, naming each leaf's path from `root`. */
export function flat(tree: unknown, root: string): Flat {
  const { leaves, def } = treeFlatten(tree);
  const paths: string[] = [];
  const walk = (d: TreeDef, path: string): void => {
    if (d.kind === 'tensor') paths.push(path);
    else if (d.kind === 'array') {
      for (const [i, c] of d.children.entries()) walk(c, `${path}[${i}]`);
    } else if (d.kind === 'object') {
      for (const [i, c] of d.children.entries()) {
        const k = d.keys[i]!;
        walk(c, IDENTIFIER.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`);
      }
    }
  };
  walk(def, root);
  return { leaves, paths, def };
}

/** Whether two tree definitions have the same containers and keys (static leaves are not compared). */
export function sameStructure(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'array' && b.kind === 'array') return a.children.length === b.children.length && a.children.every((c, i) => sameStructure(c, b.children[i]!));
  if (a.kind === 'object' && b.kind === 'object') {
    return a.keys.length === b.keys.length && a.keys.every((k, i) => k === b.keys[i] && sameStructure(a.children[i]!, b.children[i]!));
  }
  return true;
}
