import { tensor, type FloatDType } from '@ddopt/tensor';
import type { Dataset } from '../types.js';
import { readBytes } from './files.js';
import { checkOptions, fmtValue, option } from '@ddopt/tensor/validate';
import { FLOAT_DTYPE } from '../options.js';

const SIDE = 32;
const PIXELS = 3 * SIDE * SIDE;
const RECORD = 1 + PIXELS;

/** The CIFAR-10 class names by label. */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

// Checks whole records and labels, naming the file and the byte offset; returns the record count.
function validate(bytes: Uint8Array, file: string): number {
  if (bytes.length === 0) throw new Error(`${file}: empty file, expected CIFAR-10 records of ${RECORD} bytes at byte offset 0`);
  const n = Math.floor(bytes.length / RECORD);
  const rest = bytes.length - n * RECORD;
  if (rest !== 0) {
    throw new Error(`${file}: truncated CIFAR-10 record ${n} at byte offset ${n * RECORD} (${rest} of ${RECORD} bytes; file has ${bytes.length} bytes)`);
  }
  for (let i = 0; i < n; i++) {
    const label = bytes[i * RECORD]!;
    if (label > 9) throw new Error(`${file}: label ${label} of record ${i} is outside 0..9 at byte offset ${i * RECORD}`);
  }
  return n;
}

/**
 * Decodes CIFAR-10 binary records (1 label byte, then 3072 bytes: the red, green and blue 32×32
 * planes row-major) into x [n, 3, 32, 32] in [0, 1] and int32 labels. Refuses empty or truncated
 * files and labels above 9, naming `file` and the byte offset.
 */
export function parseCifar10(bytes: Uint8Array, file = '<bytes>', given?: { dtype?: FloatDType }): Dataset {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`parseCifar10: bytes must be a Uint8Array, got ${fmtValue(bytes)}`);
  if (typeof file !== 'string') throw new TypeError(`parseCifar10: file must be a string (the name shown in errors), got ${fmtValue(file)}`);
  const options = checkOptions('parseCifar10', given, { dtype: FLOAT_DTYPE });
  const n = validate(bytes, file);
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * RECORD;
    y[i] = bytes[at]!;
    for (let p = 0; p < PIXELS; p++) x[i * PIXELS + p] = bytes[at + 1 + p]! / 255;
  }
  return { x: tensor(x, { shape: [n, 3, SIDE, SIDE], dtype: options.dtype ?? 'float32' }), y: tensor(y, { dtype: 'int32' }), classNames: CIFAR10_CLASSES };
}

/** Reads CIFAR-10 binary batch files (data_batch_1.bin, …) and concatenates them. Node only. */
export async function readCifar10(paths: string[], given?: { dtype?: FloatDType }): Promise<Dataset> {
  const options = checkOptions('readCifar10', given, { dtype: FLOAT_DTYPE });
  if (!Array.isArray(paths) || paths.length === 0) throw new TypeError('readCifar10: paths must be a non-empty array of file paths');
  const parts: Uint8Array[] = [];
  for (const p of paths) {
    const bytes = await readBytes(p);
    validate(bytes, p);
    parts.push(bytes);
  }
  const all = new Uint8Array(parts.reduce((s, b) => s + b.length, 0));
  let off = 0;
  for (const b of parts) {
    all.set(b, off);
    off += b.length;
  }
  return parseCifar10(all, paths.join(' + '), options);
}

/**
 * The CIFAR-10 binary distribution in `dir` (cifar-10-batches-bin): train = data_batch_1..5.bin,
 * test = test_batch.bin. Node only.
 */
export async function cifar10(given: { dir: string; dtype?: FloatDType }): Promise<{ train: Dataset; test: Dataset }> {
  const options = checkOptions('cifar10', given, { dir: option.string().required(), dtype: FLOAT_DTYPE }, { hint: (v) => (typeof v === 'string' ? `write cifar10({ dir: '${v}' })` : undefined) });
  const { join } = await import('node:path');
  // readCifar10 takes only the dtype (it refuses `dir` as an unknown option).
  const read = { dtype: options.dtype };
  const train = await readCifar10([1, 2, 3, 4, 5].map((i) => join(options.dir, `data_batch_${i}.bin`)), read);
  const test = await readCifar10([join(options.dir, 'test_batch.bin')], read);
  return { train, test };
}
