// Per-layer curvature: `select` names sub-trees of the params, and the loss becomes a function of
// those alone (the rest held fixed), so its Hessian is the diagonal block of the full one.
import { fmtValue } from '@ddopt/tensor/validate';

/** A path into the params (`'layers.0'`, `'W2'`, `'[1].w'`), or several (their blocks together, in this order). */
export type Select = string | readonly string[];

function tokens(where: string, path: string): string[] {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError(`${where}: select must be a non-empty path string (like 'layers.0.w') or an array of them, got ${fmtValue(path)}`);
  const t = path.match(/[^.[\]]+/g) ?? [];
  if (t.length === 0) throw new TypeError(`${where}: select path '${path}' names no key`);
  return t;
}

function child(where: string, node: unknown, key: string, path: string, at: string): unknown {
  if (Array.isArray(node)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= node.length) throw new RangeError(`${where}: select path '${path}': ${at || 'the params'} is an array of length ${node.length}, it has no entry '${key}'`);
    return node[i];
  }
  if (node !== null && typeof node === 'object' && Object.hasOwn(node, key)) return (node as Record<string, unknown>)[key];
  const keys = node !== null && typeof node === 'object' ? Object.keys(node) : [];
  throw new RangeError(`${where}: select path '${path}': ${at || 'the params'} has no key '${key}'${keys.length ? ` (keys: ${keys.join(', ')})` : ` (it is ${fmtValue(node)})`}`);
}

function put(node: unknown, keys: readonly string[], value: unknown): unknown {
  if (keys.length === 0) return value;
  const [k, ...rest] = keys as [string, ...string[]];
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[Number(k)] = put(node[Number(k)], rest, value);
    return copy;
  }
  const obj = node as Record<string, unknown>;
  return { ...obj, [k]: put(obj[k], rest, value) };
}

/** @internal The selected sub-tree(s) of `params` and a function putting replacements back (a new tree; params is untouched). */
export function selectSubtree<P>(where: string, params: P, select: Select): { sub: unknown; rebuild: (sub: unknown) => P } {
  const many = Array.isArray(select);
  const paths = (many ? select : [select]) as readonly string[];
  if (many && paths.length === 0) throw new RangeError(`${where}: select is an empty array; name at least one sub-tree`);
  const parsed = paths.map((p) => ({ path: p, keys: tokens(where, p) }));
  for (const a of parsed) {
    for (const b of parsed) {
      if (a !== b && a.keys.length <= b.keys.length && a.keys.every((k, i) => k === b.keys[i])) throw new RangeError(`${where}: select paths '${a.path}' and '${b.path}' overlap`);
    }
  }
  const subs = parsed.map(({ path, keys }) => {
    let node: unknown = params;
    let at = '';
    for (const k of keys) {
      node = child(where, node, k, path, at);
      at = at ? `${at}.${k}` : k;
    }
    return node;
  });
  const rebuild = (sub: unknown): P => {
    const parts = many ? (sub as unknown[]) : [sub];
    let tree: unknown = params;
    parsed.forEach(({ keys }, i) => {
      tree = put(tree, keys, parts[i]);
    });
    return tree as P;
  };
  return { sub: many ? subs : subs[0], rebuild };
}
