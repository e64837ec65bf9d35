// No imports: shape.ts and dtype.ts use this module, and the cpu backend's kernel table must not
// sit on an import cycle. Tensors and keys are recognized by their structural marks.
const isTensor = (x: object): x is { shape: readonly number[]; dtype: string } => (x as { isTensor?: unknown }).isTensor === true;
const isKey = (x: object): boolean => (x as { isKey?: unknown }).isKey === true;

/**
 * Any value as error messages show it, short and unambiguous: strings quoted ('1' is not 1),
 * numbers as written (NaN, -Infinity), a Tensor by its shape and dtype, arrays and objects
 * abbreviated, functions and keys by kind.
 */
export function fmtValue(value: unknown, depth = 0): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return `'${value.length > 40 ? `${value.slice(0, 37)}...` : value}'`;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return `a function${value.name ? ` (${value.name})` : ''}`;
  }
  if (isTensor(value)) return `a Tensor [${value.shape.join(', ')}] ${value.dtype}`;
  if (isKey(value)) return 'a PRNG key';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}${'length' in value ? ` of length ${(value as unknown as ArrayLike<number>).length}` : ''}`;
  if (Array.isArray(value)) {
    if (depth > 1) return `[…${value.length}]`;
    const items = value.slice(0, 6).map((v) => fmtValue(v, depth + 1));
    return `[${items.join(', ')}${value.length > 6 ? `, … (${value.length} entries)` : ''}]`;
  }
  const proto = Object.getPrototypeOf(value);
  const keys = Object.keys(value as object);
  const kind = proto === Object.prototype || proto === null ? 'an object' : `a ${proto?.constructor?.name ?? 'object'}`;
  if (depth > 1) return kind;
  if (keys.length === 0) return `${kind} {}`;
  const shown = keys.slice(0, 4).map((k) => `${k}: ${fmtValue((value as Record<string, unknown>)[k], depth + 1)}`);
  return `${kind} { ${shown.join(', ')}${keys.length > 4 ? ', …' : ''} }`;
}
