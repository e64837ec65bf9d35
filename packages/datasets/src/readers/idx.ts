import { tensor, type FloatDType } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { FLOAT_DTYPE, LAYOUT } from '../options.js';
import type { Dataset } from '../types.js';
import { readBytes } from './files.js';

/** Element types of the IDX format, by their type byte (0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E). */
const IDX_TYPES = {
  8: { name: 'uint8', size: 1 },
  9: { name: 'int8', size: 1 },
  11: { name: 'int16', size: 2 },
  12: { name: 'int32', size: 4 },
  13: { name: 'float32', size: 4 },
  14: { name: 'float64', size: 8 },
} as const;

/** A decoded IDX file: its element type, shape and values in a typed array of that type. */
export interface IdxArray {
  type: (typeof IDX_TYPES)[keyof typeof IDX_TYPES]['name'];
  shape: number[];
  values: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
  /** Byte offset where the data starts (after the header). */
  dataOffset: number;
}

/**
 * Decodes an IDX file (the format of the original MNIST distribution): magic 0x0000, a type
 * byte, a rank byte, big-endian uint32 dimensions, then big-endian values. Refuses bad magic,
 * unknown types, truncated headers or data, and trailing bytes, naming `file` and the byte offset.
 */
export function parseIdx(bytes: Uint8Array, file = '<bytes>'): IdxArray {
  const fail = (offset: number, msg: string): never => {
    throw new Error(`${file}: ${msg} at byte offset ${offset}`);
  };
  if (bytes.length < 4) fail(bytes.length, `truncated IDX header (${bytes.length} of 4 magic bytes)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) fail(0, `bad IDX magic 0x${hex(bytes[0]!)}${hex(bytes[1]!)} (expected 0x0000; not an IDX file)`);
  const spec = IDX_TYPES[bytes[2]! as keyof typeof IDX_TYPES];
  if (!spec) fail(2, `unknown IDX element type 0x${hex(bytes[2]!)}`);
  const rank = bytes[3]!;
  if (rank === 0) fail(3, 'IDX rank 0 (no dimensions)');
  const dataOffset = 4 + 4 * rank;
  if (bytes.length < dataOffset) fail(bytes.length, `truncated IDX header (${rank} dimensions need ${dataOffset} bytes, file has ${bytes.length})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((p, d) => p * d, 1);
  const end = dataOffset + count * spec!.size;
  if (bytes.length < end) fail(bytes.length, `truncated IDX data (shape ${fmtShape(shape)} of ${spec!.name} needs ${end} bytes, file ends early)`);
  if (bytes.length > end) fail(end, `${bytes.length - end} unexpected bytes after the IDX data of shape ${fmtShape(shape)}`);
  // Native typed arrays keep 60,000 MNIST images at 47 MB instead of 376 MB as float64.
  const { values, read } = {
    uint8: { values: new Uint8Array(count), read: (o: number) => view.getUint8(o) },
    int8: { values: new Int8Array(count), read: (o: number) => view.getInt8(o) },
    int16: { values: new Int16Array(count), read: (o: number) => view.getInt16(o, false) },
    int32: { values: new Int32Array(count), read: (o: number) => view.getInt32(o, false) },
    float32: { values: new Float32Array(count), read: (o: number) => view.getFloat32(o, false) },
    float64: { values: new Float64Array(count), read: (o: number) => view.getFloat64(o, false) },
  }[spec!.name];
  for (let i = 0; i < count; i++) values[i] = read(dataOffset + i * spec!.size);
  return { type: spec!.name, shape, values, dataOffset };
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** Reads and decodes an IDX file from disk (gzipped or not). Node only. */
export async function readIdx(path: string): Promise<IdxArray> {
  return parseIdx(await readBytes(path), path);
}

/** Options of `mnistFromIdx`. */
export interface MnistIdxOptions {
  /** Path of an images file, e.g. train-images-idx3-ubyte(.gz). */
  images: string;
  /** Path of the matching labels file, e.g. train-labels-idx1-ubyte(.gz). */
  labels: string;
  layout?: 'flat' | 'image';
  dtype?: FloatDType;
}

/**
 * Loads MNIST (or any same-format set) from the original IDX files: uint8 images [n, h, w] scaled
 * to [0, 1] and uint8 labels [n] in 0..9. Node only.
 */
export async function mnistFromIdx(given: MnistIdxOptions): Promise<Dataset> {
  const options = checkOptions('mnistFromIdx', given, { images: option.string().required(), labels: option.string().required(), layout: LAYOUT, dtype: FLOAT_DTYPE });
  const img = await readIdx(options.images);
  const lab = await readIdx(options.labels);
  if (img.type !== 'uint8' || img.shape.length !== 3) throw new Error(`${options.images}: expected uint8 images of rank 3, got ${img.type} ${fmtShape(img.shape)} (byte offset 2)`);
  if (lab.type !== 'uint8' || lab.shape.length !== 1) throw new Error(`${options.labels}: expected uint8 labels of rank 1, got ${lab.type} ${fmtShape(lab.shape)} (byte offset 2)`);
  const [n, h, w] = img.shape as [number, number, number];
  if (lab.shape[0] !== n) throw new Error(`${options.labels}: ${lab.shape[0]} labels for ${n} images in ${options.images} (count at byte offset 4)`);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = lab.values[i]!;
    if (v > 9) throw new Error(`${options.labels}: label ${v} is outside 0..9 at byte offset ${lab.dataOffset + i}`);
    y[i] = v;
  }
  const x = options.dtype === 'float64' ? new Float64Array(img.values.length) : new Float32Array(img.values.length);
  for (let i = 0; i < x.length; i++) x[i] = img.values[i]! / 255;
  const shape = (options.layout ?? 'flat') === 'flat' ? [n, h * w] : [n, 1, h, w];
  return { x: tensor(x, { shape, dtype: options.dtype ?? 'float32' }), y: tensor(y, { dtype: 'int32' }), classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
}
