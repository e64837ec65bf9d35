// Declared options: each public function states its options once (names, types, domains, enums,
// defaults) as an `OptionSpec`, and `checkOptions` enforces it — a non-object, an unknown key
// (with a did-you-mean from the known keys), a wrong type and an out-of-domain value all throw,
// naming the function, the option and the value. Nothing is coerced or silently ignored.
import type { Key } from '../random/key.js';
import type { Tensor } from '../tensor.js';
import { fmtValue } from './value.js';

// Structural marks (as Tensor and Key define them), so this module imports no runtime code.
const isTensor = (x: unknown): x is Tensor => typeof x === 'object' && x !== null && (x as { isTensor?: unknown }).isTensor === true;
const isKey = (x: unknown): x is Key => typeof x === 'object' && x !== null && (x as { isKey?: unknown }).isKey === true;

/**
 * One option's declaration. `expected` reads after "must be" in messages and in `describeOptions`;
 * `parse` returns the value when it passes and throws (TypeError for a wrong type, RangeError for
 * a value out of its domain) naming the function and the option otherwise.
 */
export interface Check<V, D extends boolean = boolean> {
  readonly expected: string;
  readonly hasDefault: D;
  readonly fallback: V | undefined;
  readonly isRequired: boolean;
  parse(where: string, name: string, value: unknown): V;
  /** The same check with a default, used when the option is absent (and listed by `describeOptions`). */
  default(value: V): Check<V, true>;
  /** The same check, but absence is an error (for options a function cannot do without). */
  required(): Check<V, D>;
}

function make<V>(expected: string, parse: (where: string, name: string, value: unknown) => V, fallback?: { value: V }, isRequired = false): Check<V, boolean> {
  const check: Check<V, boolean> = {
    expected,
    hasDefault: fallback !== undefined,
    fallback: fallback?.value,
    isRequired,
    parse,
    default: (value) => make(expected, parse, { value }, false) as Check<V, true>,
    required: () => make(expected, parse, undefined, true),
  };
  return check;
}

/** A check from a predicate: `test` returns true, or an error class to throw (TypeError/RangeError). */
function predicate<V>(expected: string, test: (value: unknown) => true | 'type' | 'range'): Check<V, false> {
  return make<V>(expected, (where, name, value) => {
    const r = test(value);
    if (r === true) return value as V;
    const Err = r === 'type' ? TypeError : RangeError;
    throw new Err(`${where}: ${name} must be ${expected}, got ${fmtValue(value)}`);
  }) as Check<V, false>;
}

/** Bounds of a number option: `min`/`max` inclusive, `above`/`below` exclusive; finite unless `finite: false`. */
export interface NumberDomain {
  min?: number;
  max?: number;
  above?: number;
  below?: number;
  integer?: boolean;
  finite?: boolean;
}

/** How a number domain reads in a message: "a finite number ≥ 0", "a number in [0, 1)", "an integer ≥ 1". */
export function describeNumber(d: NumberDomain): string {
  const noun = d.integer ? 'an integer' : d.finite === false ? 'a number' : 'a finite number';
  const lo = d.min !== undefined ? { v: d.min, open: false } : d.above !== undefined ? { v: d.above, open: true } : undefined;
  const hi = d.max !== undefined ? { v: d.max, open: false } : d.below !== undefined ? { v: d.below, open: true } : undefined;
  if (lo && hi) return `${d.integer ? 'an integer' : 'a number'} in ${lo.open ? '(' : '['}${lo.v}, ${hi.v}${hi.open ? ')' : ']'}`;
  if (lo) return `${noun} ${lo.open ? '>' : '≥'} ${lo.v}`;
  if (hi) return `${noun} ${hi.open ? '<' : '≤'} ${hi.v}`;
  return d.finite === false && !d.integer ? 'a number (not NaN)' : noun;
}

function inDomain(d: NumberDomain, x: unknown): true | 'type' | 'range' {
  if (typeof x !== 'number') return 'type';
  if (Number.isNaN(x)) return 'range';
  if ((d.finite ?? true) && !Number.isFinite(x)) return 'range';
  if (d.integer && !Number.isInteger(x)) return 'range';
  if (d.min !== undefined && x < d.min) return 'range';
  if (d.max !== undefined && x > d.max) return 'range';
  if (d.above !== undefined && !(x > d.above)) return 'range';
  if (d.below !== undefined && !(x < d.below)) return 'range';
  return true;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || ArrayBuffer.isView(x) || isTensor(x) || isKey(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
};

/** The option checks; combine them into an `OptionSpec`. */
export const option = {
  /** `true` or `false`, never a truthy stand-in. */
  boolean: (): Check<boolean, false> => predicate('a boolean (true or false)', (x) => (typeof x === 'boolean' ? true : 'type')),
  /** A number in a domain (finite by default). */
  number: (domain: NumberDomain = {}): Check<number, false> => predicate(describeNumber(domain), (x) => inDomain(domain, x)),
  /** An integer ≥ `min` (and ≤ `max`). */
  int: (min = 0, max?: number): Check<number, false> => option.number({ integer: true, min, max }),
  /** One of a fixed list of values (strings, numbers, booleans), compared with ===. */
  oneOf: <const L extends readonly (string | number | boolean)[]>(values: L): Check<L[number], false> => {
    const list = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
    return make<L[number]>(`one of ${list}`, (where, name, value) => {
      if ((values as readonly unknown[]).includes(value)) return value as L[number];
      const near = typeof value === 'string' ? didYouMean(value, values.filter((v): v is string => typeof v === 'string')) : undefined;
      const Err = values.some((v) => typeof v === typeof value) ? RangeError : TypeError;
      throw new Err(`${where}: ${name} must be one of ${list}, got ${fmtValue(value)}${near ? ` (did you mean '${near}'?)` : ''}`);
    }) as Check<L[number], false>;
  },
  /** Any string. */
  string: (): Check<string, false> => predicate('a string', (x) => (typeof x === 'string' ? true : 'type')),
  /** A function (a schedule, an initializer, a callback). */
  fn: <F = (...args: any[]) => unknown>(): Check<F, false> => predicate<F>('a function', (x) => (typeof x === 'function' ? true : 'type')),
  /** A Tensor. */
  tensor: <T = Tensor>(): Check<T, false> => predicate<T>('a Tensor', (x) => (isTensor(x) ? true : 'type')),
  /** A PRNG key made by `prng`/`splitKey`. */
  key: <K = Key>(): Check<K, false> => predicate<K>('a PRNG key (prng(seed) or splitKey)', (x) => (isKey(x) ? true : 'type')),
  /** A plain object (a nested options record or a state, checked further by its user). */
  object: <O = Record<string, unknown>>(): Check<O, false> => predicate<O>('an object', (x) => (isPlainObject(x) ? true : 'type')),
  /** Anything at all (a pytree, a payload); use sparingly and check further at the use. */
  any: <A = unknown>(): Check<A, false> => make<A>('any value', (_w, _n, v) => v as A) as Check<A, false>,
  /** An array whose every entry passes `item` (and of `length`, when given). */
  arrayOf: <V>(item: Check<V>, length?: number): Check<V[], false> =>
    make<V[]>(length === undefined ? `an array of ${plural(item.expected)}` : `an array of ${length} ${plural(item.expected)}`, (where, name, value) => {
      if (!Array.isArray(value)) throw new TypeError(`${where}: ${name} must be an array of ${plural(item.expected)}, got ${fmtValue(value)}`);
      if (length !== undefined && value.length !== length) throw new RangeError(`${where}: ${name} must have ${length} entries, got ${value.length} (${fmtValue(value)})`);
      return value.map((v, i) => item.parse(where, `${name}[${i}]`, v));
    }) as Check<V[], false>,
  /** A pair [a, b] whose entries pass `item`. */
  pairOf: <V>(item: Check<V>): Check<[V, V], false> => option.arrayOf(item, 2) as unknown as Check<[V, V], false>,
  /** Whichever of several checks accepts the value (tried in order); the message lists them all. */
  anyOf: <C extends readonly Check<any>[]>(...checks: C): Check<C[number] extends Check<infer V> ? V : never, false> => {
    const expected = checks.map((c) => c.expected).join(' or ');
    return make(expected, (where, name, value) => {
      // A RangeError from any alternative means the value had a right type but a wrong value.
      let range = false;
      for (const c of checks) {
        try {
          return c.parse(where, name, value);
        } catch (e) {
          if (e instanceof RangeError) range = true;
        }
      }
      const Err = range ? RangeError : TypeError;
      throw new Err(`${where}: ${name} must be ${expected}, got ${fmtValue(value)}`);
    }) as never;
  },
  /** A check from a parse function of its own, which throws naming `where` and `name` (for checks that already exist, like `pair`). */
  from: <V>(expected: string, parse: (where: string, name: string, value: unknown) => V): Check<V, false> => make<V>(expected, parse) as Check<V, false>,
  /** A check written by hand: `test` returns the value, or throws through `fail(expected-reason)`. */
  custom: <V>(expected: string, test: (value: unknown, fail: (kind?: 'type' | 'range', detail?: string) => never) => V): Check<V, false> =>
    make<V>(expected, (where, name, value) =>
      test(value, (kind = 'type', detail) => {
        const Err = kind === 'type' ? TypeError : RangeError;
        throw new Err(`${where}: ${name} must be ${expected}, got ${fmtValue(value)}${detail ? ` (${detail})` : ''}`);
      }),
    ) as Check<V, false>,
};

function plural(expected: string): string {
  return expected.replace(/^an? /, '').replace(/^(integer|number|boolean|string|function|Tensor|object)\b/, '$1s');
}

/** The declaration of a function's options: one check per key of the options type (the compiler keeps it complete). */
export type OptionSpec<T> = { readonly [K in keyof Required<T>]-?: Check<Exclude<T[K], undefined>, boolean> };

type DefaultedKeys<S> = { [K in keyof S]: S[K] extends Check<any, true> ? K : never }[keyof S];

/** The options after `checkOptions`: as given, with every declared default filled in. */
export type CheckedOptions<T, S> = Readonly<Omit<T, DefaultedKeys<S> & keyof T> & { [K in DefaultedKeys<S> & keyof T]-?: Exclude<T[K], undefined> }>;

/** How `checkOptions` reports a call: the argument's name and a hint when the value is not an object. */
export interface CheckOptionsHow {
  /** The argument's name in messages (default 'options'). */
  arg?: string;
  /**
   * For a non-object: a sentence showing the right call (`sum(x, 1)` → "write sum(x, { axis: 1 })
   * to reduce over axis 1"). Where NumPy/PyTorch habits put a value positionally.
   */
  hint?: (value: unknown) => string | undefined;
}

/**
 * Checks `options` (undefined means none) against its declaration `spec`: throws a TypeError for a
 * non-object or an unknown key (suggesting the nearest known one), and the check's error for a
 * wrong value; returns a new object with the given options and the declared defaults.
 */
export function checkOptions<T extends object, const S extends OptionSpec<T>>(where: string, options: T | undefined, spec: S, how: CheckOptionsHow = {}): CheckedOptions<T, S> {
  const arg = how.arg ?? 'options';
  if (options === undefined) options = {} as T;
  if (!isPlainObject(options)) {
    const hint = how.hint?.(options);
    throw new TypeError(`${where}: ${arg} must be an object { ${Object.keys(spec).join(', ')} }, got ${fmtValue(options)}${hint ? `; ${hint}` : ''}`);
  }
  const known = Object.keys(spec);
  for (const k of Object.keys(options)) {
    if (!Object.hasOwn(spec, k)) {
      const near = didYouMean(k, known);
      throw new TypeError(`${where}: unknown option "${k}"${near ? ` (did you mean "${near}"?)` : ''}; known options: ${known.join(', ') || 'none'}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of known) {
    const check = (spec as Record<string, Check<unknown>>)[k]!;
    const v = (options as Record<string, unknown>)[k];
    if (v === undefined) {
      if (check.hasDefault) out[k] = check.fallback;
      else if (check.isRequired) throw new TypeError(`${where}: option ${k} is required (${check.expected})`);
      continue;
    }
    out[k] = check.parse(where, arg === 'options' ? k : `${arg}.${k}`, v);
  }
  return out as CheckedOptions<T, S>;
}

/** Runs one check on a positional argument: `checkArg('full', 'value', option.number(), v)`. */
export function checkArg<V>(where: string, arg: string, check: Check<V>, value: unknown): V {
  if (value === undefined) {
    if (check.hasDefault) return check.fallback as V;
    throw new TypeError(`${where}: ${arg} is required (${check.expected})`);
  }
  return check.parse(where, arg, value);
}

/** A declaration as one line per option, "name: expected (default d)" — for TSDoc and READMEs. */
export function describeOptions(spec: Record<string, Check<unknown>>): string[] {
  return Object.entries(spec).map(([k, c]) => `${k}: ${c.expected}${c.isRequired ? ' (required)' : ''}${c.hasDefault ? ` (default ${fmtValue(c.fallback)})` : ''}`);
}

// Common spellings from other libraries, for suggestions only (never accepted).
const SYNONYMS: Record<string, string[]> = {
  learningrate: ['lr'],
  lr: ['learningRate'],
  dim: ['axis'],
  dims: ['axis'],
  axes: ['axis'],
  training: ['train'],
  istraining: ['train'],
  keepdim: ['keepdims'],
  seed: ['key'],
  rng: ['key'],
  beta1: ['b1'],
  beta2: ['b2'],
  b1: ['beta1'],
  b2: ['beta2'],
};

/** The known key nearest to `word` (same letters ignoring case and '_', a prefix, a synonym, or within a small edit distance), if any. */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const w = norm(word);
  const same = known.find((k) => norm(k) === w);
  if (same) return same;
  const syn = SYNONYMS[w]?.find((s) => known.includes(s));
  if (syn) return syn;
  let best: string | undefined;
  // Edits allowed: one for short words, about a third of the letters for longer ones ('imgs' → 'images').
  let bestD = w.length >= 4 ? Math.floor(w.length / 3) + 2 : 2;
  for (const k of known) {
    const d = distance(w, norm(k));
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  if (best) return best;
  // One contains the other ('classes' in 'numClasses', 'kernel' in 'kernelSize'), or they share
  // most of a prefix ('reduce' and 'reduction').
  const prefix = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  return (
    known.find((k) => w.length >= 3 && (norm(k).includes(w) || w.includes(norm(k)))) ??
    known.find((k) => prefix(w, norm(k)) >= Math.max(4, Math.ceil(0.7 * Math.min(w.length, norm(k).length))))
  );
}

// Optimal string alignment distance (Levenshtein with adjacent transpositions: 'bais' → 'bias' is 1).
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
