import { type DType, type PyTree, type Tensor, isTensor, tensor } from '@ddopt/tensor';
import { checkOptions, fmtShape, fmtValue, option } from '@ddopt/tensor/validate';
import type { GradientTransformation, State } from './types.js';
import { transformOpt } from './validate.js';

/** JSON form of a state: tensors as base64 bytes with dtype and shape; non-finite numbers and −0 tagged. */
export type StateJSON = null | boolean | number | string | StateJSON[] | { [key: string]: StateJSON };

const TENSOR_TAG = '$tensor';
const NUMBER_TAG = '$number';
const ENVELOPE_TAG = '$ddoptState';
/** The version of the JSON layout `stateToJSON` writes; `stateFromJSON` refuses others. */
const FORMAT_VERSION = 1;

/** Options of `stateToJSON`. */
export interface StateToJSONOptions {
  /** The optimizer the state belongs to (its `name`, e.g. 'adam'), recorded so a load into another one fails. */
  optimizer?: GradientTransformation<any> | string;
}

/** Options of `stateFromJSON`. */
export interface StateFromJSONOptions {
  /** Backend for the tensors (default: the one each was saved from). */
  backend?: string;
  /** The optimizer that will use the state: its name must match the saved one. */
  optimizer?: GradientTransformation<any> | string;
  /** With `optimizer` a transform: the params the state is for; the state must have the structure of `optimizer.init(params)`. */
  params?: PyTree;
}

const nameOf = (o: GradientTransformation<any> | string | undefined): string | undefined => (typeof o === 'string' ? o : o?.name);

/**
 * Serializes an optimizer state losslessly (every float keeps its exact bits), for stop-and-resume:
 * an envelope with the format version, the optimizer's name (when given or known), the state's
 * structure (keys, kinds, dtypes and shapes) and a checksum of the payload.
 */
export function stateToJSON(state: State, options?: StateToJSONOptions): StateJSON {
  const o = checkOptions('stateToJSON', options, { optimizer: option.anyOf(option.string(), transformOpt()) });
  const payload = payloadToJSON(state);
  const optimizer = nameOf(o.optimizer);
  return {
    [ENVELOPE_TAG]: FORMAT_VERSION,
    ...(optimizer !== undefined ? { optimizer } : {}),
    structure: structureOf(state),
    checksum: checksum(JSON.stringify(payload)),
    state: payload,
  };
}

function payloadToJSON(state: State): StateJSON {
  if (state === null || typeof state === 'boolean' || typeof state === 'string') return state;
  if (typeof state === 'number') {
    // JSON keeps finite doubles exactly but drops NaN, ±Infinity and the sign of zero.
    if (Number.isFinite(state) && !Object.is(state, -0)) return state;
    return { [NUMBER_TAG]: Object.is(state, -0) ? '-0' : String(state) };
  }
  if (isTensor(state)) return tensorToJSON(state);
  if (Array.isArray(state)) return state.map((s) => payloadToJSON(s));
  if (typeof state !== 'object') throw new TypeError(`stateToJSON: a state holds tensors, numbers, booleans, strings, null, arrays and objects, got ${fmtValue(state)}`);
  const out: { [key: string]: StateJSON } = {};
  for (const [k, v] of Object.entries(state as { [key: string]: State })) {
    if (k === TENSOR_TAG || k === NUMBER_TAG || k === ENVELOPE_TAG) throw new TypeError(`stateToJSON: the key "${k}" is reserved`);
    out[k] = payloadToJSON(v);
  }
  return out;
}

/**
 * Rebuilds a state written by `stateToJSON`; tensors go to `options.backend` or the one they were
 * saved from. Refuses another format version, a payload whose checksum or structure no longer
 * matches (a corrupted file that still decodes), a state saved for another optimizer, and, given
 * `optimizer` and `params`, a state whose structure differs from `optimizer.init(params)`.
 */
export function stateFromJSON<S = State>(json: StateJSON, options?: StateFromJSONOptions): S {
  const o = checkOptions('stateFromJSON', options, { backend: option.string(), optimizer: option.anyOf(option.string(), transformOpt()), params: option.any<NonNullable<PyTree>>() });
  if (json === null || typeof json !== 'object' || Array.isArray(json) || !(ENVELOPE_TAG in json)) {
    throw new TypeError(`stateFromJSON: json must be what stateToJSON wrote ({ ${ENVELOPE_TAG}: ${FORMAT_VERSION}, structure, checksum, state }), got ${fmtValue(json)}`);
  }
  const version = json[ENVELOPE_TAG];
  if (version !== FORMAT_VERSION) throw new RangeError(`stateFromJSON: format version ${fmtValue(version)} is not supported (this version reads ${FORMAT_VERSION})`);
  const payload = json.state as StateJSON;
  const sum = checksum(JSON.stringify(payload));
  if (json.checksum !== sum) throw new RangeError(`stateFromJSON: the payload's checksum is ${sum} but the file says ${fmtValue(json.checksum)}; the state was changed or corrupted`);
  const saved = json.optimizer as string | undefined;
  const wanted = nameOf(o.optimizer);
  if (wanted !== undefined && saved !== undefined && wanted !== saved) throw new TypeError(`stateFromJSON: the state was saved from ${saved} but is loaded for ${wanted}`);
  const state = fromJSON(payload, o.backend);
  const structure = structureOf(state);
  if (structure !== json.structure) throw new RangeError(`stateFromJSON: the decoded state has structure ${structure} but the file says ${fmtValue(json.structure)}`);
  if (o.params !== undefined) {
    if (typeof o.optimizer !== 'object') throw new TypeError('stateFromJSON: params needs optimizer to be the GradientTransformation (its init(params) is the structure to expect)');
    checkStateStructure('stateFromJSON', o.optimizer.init(o.params), state);
  }
  return state as S;
}

function fromJSON(json: StateJSON, backend: string | undefined): State {
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map((j) => fromJSON(j, backend));
  if (TENSOR_TAG in json) return tensorFromJSON(json[TENSOR_TAG] as { [key: string]: StateJSON }, backend);
  if (NUMBER_TAG in json) return Number(json[NUMBER_TAG] as string);
  const out: { [key: string]: State } = {};
  for (const [k, v] of Object.entries(json)) out[k] = fromJSON(v, backend);
  return out;
}

/** The structure of a state as one line: kinds of plain values, dtype and shape of tensors, keys of objects. */
export function structureOf(state: State): string {
  if (state === null) return 'null';
  if (isTensor(state)) return `${state.dtype}${fmtShape(state.shape)}`;
  if (Array.isArray(state)) return `[${state.map(structureOf).join(', ')}]`;
  if (typeof state === 'object') return `{${Object.entries(state as object).map(([k, v]) => `${k}: ${structureOf(v)}`).join(', ')}}`;
  return typeof state;
}

/**
 * @internal Throws unless `got` has the structure of `expected` (the optimizer's own `init`):
 * same keys, same kinds, same tensor shapes and dtypes, naming the first path that differs.
 */
export function checkStateStructure(where: string, expected: State, got: State, path = 'state'): void {
  const kind = (x: State) => (x === null ? 'null' : isTensor(x) ? 'Tensor' : Array.isArray(x) ? 'array' : typeof x);
  const ke = kind(expected);
  const kg = kind(got);
  if (ke !== kg) throw new TypeError(`${where}: ${path} is ${kg === 'Tensor' ? `a Tensor` : fmtValue(got)} where this optimizer's state has ${ke === 'Tensor' ? `a Tensor ${fmtShape((expected as Tensor).shape)}` : `a ${ke}`}; was the state made by another optimizer or for other params?`);
  if (ke === 'Tensor') {
    const e = expected as Tensor;
    const g = got as Tensor;
    if (fmtShape(e.shape) !== fmtShape(g.shape) || e.dtype !== g.dtype) throw new RangeError(`${where}: ${path} is ${g.dtype} ${fmtShape(g.shape)} but this optimizer's state for these params has ${e.dtype} ${fmtShape(e.shape)}`);
    return;
  }
  if (ke === 'number' && typeof got === 'number' && path.endsWith('.count') && !(Number.isInteger(got) && got >= 0)) {
    throw new RangeError(`${where}: ${path} must be a step count (an integer ≥ 0), got ${fmtValue(got)}`);
  }
  if (ke === 'array') {
    const e = expected as State[];
    const g = got as State[];
    if (e.length !== g.length) throw new TypeError(`${where}: ${path} has ${g.length} entries but this optimizer's state has ${e.length}; was it made by another optimizer?`);
    e.forEach((x, i) => {
      checkStateStructure(where, x, g[i], `${path}[${i}]`);
    });
    return;
  }
  if (ke === 'object') {
    const e = expected as Record<string, State>;
    const g = got as Record<string, State>;
    const ek = Object.keys(e).sort().join(', ');
    const gk = Object.keys(g).sort().join(', ');
    if (ek !== gk) throw new TypeError(`${where}: ${path} has keys { ${gk} } but this optimizer's state has { ${ek} }; was it made by another optimizer?`);
    for (const k of Object.keys(e)) checkStateStructure(where, e[k], g[k], `${path}.${k}`);
  }
}

// FNV-1a over the UTF-16 code units, as 8 hex digits: enough to notice an edited or truncated payload.
function checksum(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function tensorToJSON(t: Tensor): StateJSON {
  const data = t.dataSync();
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { [TENSOR_TAG]: { dtype: t.dtype, shape: [...t.shape], backend: t.backend, bytes: toBase64(bytes) } };
}

const ITEM_BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

function tensorFromJSON(j: { [key: string]: StateJSON }, backend: string | undefined): Tensor {
  const dtype = j.dtype as DType;
  const shape = j.shape as number[];
  if (!(dtype in ITEM_BYTES)) throw new TypeError(`stateFromJSON: a tensor's dtype must be float32, float64, int32 or bool, got ${fmtValue(dtype)}`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new TypeError(`stateFromJSON: a tensor's shape must be an array of integers ≥ 0, got ${fmtValue(shape)}`);
  if (typeof j.bytes !== 'string') throw new TypeError(`stateFromJSON: a tensor's bytes must be a base64 string, got ${fmtValue(j.bytes)}`);
  const bytes = fromBase64(j.bytes as string);
  const want = shape.reduce((a, d) => a * d, 1) * ITEM_BYTES[dtype];
  if (bytes.byteLength !== want) throw new RangeError(`stateFromJSON: a ${dtype} tensor ${fmtShape(shape)} needs ${want} bytes, the file has ${bytes.byteLength}`);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const values =
    dtype === 'float64' ? new Float64Array(buffer) : dtype === 'float32' ? new Float32Array(buffer) : dtype === 'int32' ? new Int32Array(buffer) : new Uint8Array(buffer);
  return tensor(values, { shape, dtype, backend: backend ?? (j.backend as string) });
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// A tiny base64 codec, so the package needs neither Node's Buffer nor the browser's btoa.
function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
  }
  return out;
}

function fromBase64(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = clean[i + k];
      const v = c === undefined ? 0 : ALPHABET.indexOf(c);
      if (v < 0) throw new TypeError(`stateFromJSON: invalid base64 character ${JSON.stringify(c)}`);
      n = (n << 6) | v;
    }
    for (let k = 0; k < 3 && o < out.length; k++) out[o++] = (n >> (16 - 8 * k)) & 255;
  }
  return out;
}
