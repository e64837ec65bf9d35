import { type DType, type Tensor, isTensor, tensor } from '@ddopt/tensor';
import type { State } from './types.js';

/** JSON form of a state: tensors as base64 bytes with dtype and shape; non-finite numbers and −0 tagged. */
export type StateJSON = null | boolean | number | string | StateJSON[] | { [key: string]: StateJSON };

const TENSOR_TAG = '$tensor';
const NUMBER_TAG = '$number';

/** Serializes an optimizer state losslessly (every float keeps its exact bits), for stop-and-resume. */
export function stateToJSON(state: State): StateJSON {
  if (state === null || typeof state === 'boolean' || typeof state === 'string') return state;
  if (typeof state === 'number') {
    // JSON keeps finite doubles exactly but drops NaN, ±Infinity and the sign of zero.
    if (Number.isFinite(state) && !Object.is(state, -0)) return state;
    return { [NUMBER_TAG]: Object.is(state, -0) ? '-0' : String(state) };
  }
  if (isTensor(state)) return tensorToJSON(state);
  if (Array.isArray(state)) return state.map((s) => stateToJSON(s));
  const out: { [key: string]: StateJSON } = {};
  for (const [k, v] of Object.entries(state as { [key: string]: State })) {
    if (k === TENSOR_TAG || k === NUMBER_TAG) throw new TypeError(`stateToJSON: the key "${k}" is reserved`);
    out[k] = stateToJSON(v);
  }
  return out;
}

/** Rebuilds a state written by `stateToJSON`; tensors go to `options.backend` or the one they were saved from. */
export function stateFromJSON<S = State>(json: StateJSON, options: { backend?: string } = {}): S {
  return fromJSON(json, options) as S;
}

function fromJSON(json: StateJSON, options: { backend?: string }): State {
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map((j) => fromJSON(j, options));
  if (TENSOR_TAG in json) return tensorFromJSON(json[TENSOR_TAG] as { [key: string]: StateJSON }, options.backend);
  if (NUMBER_TAG in json) return Number(json[NUMBER_TAG] as string);
  const out: { [key: string]: State } = {};
  for (const [k, v] of Object.entries(json)) out[k] = fromJSON(v, options);
  return out;
}

function tensorToJSON(t: Tensor): StateJSON {
  const data = t.dataSync();
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { [TENSOR_TAG]: { dtype: t.dtype, shape: [...t.shape], backend: t.backend, bytes: toBase64(bytes) } };
}

function tensorFromJSON(j: { [key: string]: StateJSON }, backend: string | undefined): Tensor {
  const dtype = j.dtype as DType;
  const shape = j.shape as number[];
  const bytes = fromBase64(j.bytes as string);
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
