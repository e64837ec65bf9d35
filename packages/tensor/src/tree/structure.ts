import { type Tensor, isTensor } from '../tensor.js';

/**
 * A pytree with leaves of type `T`: a `T`, or plain arrays and objects nesting them (null,
 * undefined and other static leaves such as step counts allowed). Containers are typed as
 * `object` so that an interface of tensors (a model's params) is accepted as it is — TypeScript
 * gives interfaces no index signature — and `PyTree<any>` is what code that reads named
 * leaves (`params.w`) uses. `T` names the leaf type for readers; it is not enforced.
 */
export type PyTree<T = Tensor> = T | object | number | string | boolean | null | undefined;

/**
 * The structure of a pytree without its tensors: serializable with `JSON.stringify` as long
 * as the tree's static (non-tensor) leaves are. Children follow the container's own order:
 * array index order, and object keys in insertion order (`Object.keys`).
 */
export type TreeDef =
  | { readonly kind: 'tensor' }
  | { readonly kind: 'null' }
  | { readonly kind: 'undefined' }
  | { readonly kind: 'static'; readonly value: unknown }
  | { readonly kind: 'array'; readonly children: readonly TreeDef[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly children: readonly TreeDef[] };

/** @internal How a value takes part in a pytree. */
export type NodeKind = 'tensor' | 'null' | 'undefined' | 'static' | 'array' | 'object';

/** @internal Tensors are leaves, arrays and plain objects are containers, null/undefined are empty, anything else is static. */
export function kindOf(x: unknown): NodeKind {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (isTensor(x)) return 'tensor';
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'object') {
    const proto = Object.getPrototypeOf(x);
    if (proto === Object.prototype || proto === null) return 'object';
  }
  return 'static';
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** @internal The path of a child: `.name`, `["odd key"]` or `[3]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** @internal A path for messages; the root is shown as `(root)`. */
export function showPath(path: string): string {
  return path === '' ? '(root)' : path;
}

/** Splits a pytree into its Tensor leaves (depth-first, in container order) and its structure. */
export function treeFlatten(tree: unknown): { leaves: Tensor[]; def: TreeDef } {
  const leaves: Tensor[] = [];
  const walk = (x: unknown): TreeDef => {
    const kind = kindOf(x);
    switch (kind) {
      case 'tensor':
        leaves.push(x as Tensor);
        return { kind };
      case 'null':
      case 'undefined':
        return { kind };
      case 'static':
        return { kind, value: x };
      case 'array':
        return { kind, children: (x as unknown[]).map(walk) };
      case 'object': {
        const keys = Object.keys(x as object);
        return { kind, keys, children: keys.map((k) => walk((x as Record<string, unknown>)[k])) };
      }
    }
  };
  const def = walk(tree);
  return { leaves, def };
}

/** Number of Tensor leaves a tree definition holds. */
export function treeDefLeafCount(def: TreeDef): number {
  switch (def.kind) {
    case 'tensor':
      return 1;
    case 'array':
    case 'object':
      return def.children.reduce((n, c) => n + treeDefLeafCount(c), 0);
    default:
      return 0;
  }
}

/** Rebuilds a pytree from its structure and its leaves (as many as `def` has, in order). */
export function treeUnflatten<T = unknown>(def: TreeDef, leaves: readonly Tensor[]): T {
  const expected = treeDefLeafCount(def);
  if (!Array.isArray(leaves) || leaves.length !== expected) {
    const got = Array.isArray(leaves) ? `${leaves.length}` : `a ${typeof leaves}`;
    throw new RangeError(`treeUnflatten: the tree definition has ${expected} leaves, got ${got}`);
  }
  let next = 0;
  const build = (d: TreeDef): unknown => {
    switch (d.kind) {
      case 'tensor':
        return leaves[next++];
      case 'null':
        return null;
      case 'undefined':
        return undefined;
      case 'static':
        return d.value;
      case 'array':
        return d.children.map(build);
      case 'object': {
        const out: Record<string, unknown> = {};
        d.keys.forEach((k, i) => {
          out[k] = build(d.children[i]!);
        });
        return out;
      }
      default:
        throw new TypeError(`treeUnflatten: unknown node kind ${JSON.stringify((d as { kind: unknown }).kind)} in the tree definition`);
    }
  };
  return build(def) as T;
}
