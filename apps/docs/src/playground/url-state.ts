// Every playground's state lives in the URL hash (`#optimizer=adam&lr=0.01&seed=0`), so a link
// reproduces exactly what its sender saw. A field is declared once with its type and default;
// reading never guesses: a value that does not parse, or a key the page does not know, is
// reported (shown in the page) and the default is used instead.

/** One declared field of a playground's state. */
export type Field =
  | { type: 'number'; default: number; min?: number; max?: number; int?: boolean }
  | { type: 'enum'; default: string; values: readonly string[] }
  | { type: 'list'; default: readonly string[]; values: readonly string[] }
  | { type: 'bool'; default: boolean }
  | { type: 'text'; default: string; pattern: RegExp; hint: string };

export type Schema = Record<string, Field>;

/** The value type of a field. */
export type ValueOf<F extends Field> = F extends { type: 'number' } ? number : F extends { type: 'enum' | 'text' } ? string : F extends { type: 'list' } ? string[] : boolean;

export type StateOf<S extends Schema> = { [K in keyof S]: ValueOf<S[K]> };

/** Defaults of a schema. */
export function defaults<S extends Schema>(schema: S): StateOf<S> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(schema)) out[k] = f.type === 'list' ? [...f.default] : f.default;
  return out as StateOf<S>;
}

function parseField(key: string, f: Field, raw: string): { value?: unknown; problem?: string } {
  switch (f.type) {
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) return { problem: `${key}=${raw} is not a finite number` };
      if (f.int && !Number.isInteger(v)) return { problem: `${key}=${raw} must be an integer` };
      if ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) return { problem: `${key}=${raw} is outside [${f.min ?? '−∞'}, ${f.max ?? '∞'}]` };
      return { value: v };
    }
    case 'enum':
      return f.values.includes(raw) ? { value: raw } : { problem: `${key}=${raw} is not one of ${f.values.join(', ')}` };
    case 'list': {
      const items = raw === '' ? [] : raw.split(',');
      const bad = items.filter((i) => !f.values.includes(i));
      return bad.length ? { problem: `${key} has unknown entries ${bad.join(', ')} (known: ${f.values.join(', ')})` } : { value: items };
    }
    case 'text':
      return f.pattern.test(raw) ? { value: raw } : { problem: `${key}=${raw} is not ${f.hint}` };
    case 'bool':
      return raw === '1' || raw === 'true' ? { value: true } : raw === '0' || raw === 'false' ? { value: false } : { problem: `${key}=${raw} must be 1 or 0` };
  }
}

/** Parses a hash (with or without the leading `#`) against a schema; problems are listed, never thrown. */
export function parseState<S extends Schema>(schema: S, hash: string): { state: StateOf<S>; problems: string[] } {
  const state = defaults(schema) as Record<string, unknown>;
  const problems: string[] = [];
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  for (const [key, raw] of params) {
    const f = schema[key];
    if (!f) {
      problems.push(`unknown key "${key}" (known: ${Object.keys(schema).join(', ')})`);
      continue;
    }
    const { value, problem } = parseField(key, f, raw);
    if (problem) problems.push(`${problem}; using ${formatField(f, state[key])}`);
    else state[key] = value;
  }
  return { state: state as StateOf<S>, problems };
}

function formatField(f: Field, v: unknown): string {
  if (f.type === 'list') return (v as string[]).join(',');
  if (f.type === 'bool') return v ? '1' : '0';
  return String(v);
}

/** The hash for a state (every set field written, so a link stays exact when defaults change). */
export function formatState<S extends Schema>(schema: S, state: StateOf<S>): string {
  const params = new URLSearchParams();
  for (const [k, f] of Object.entries(schema)) {
    const v = (state as Record<string, unknown>)[k];
    // NaN marks a number left unset (the page picks it, e.g. a surface's own start point).
    if (f.type === 'number' && Number.isNaN(v)) continue;
    params.set(k, formatField(f, v));
  }
  return `#${params.toString().replace(/%2C/g, ',')}`;
}
