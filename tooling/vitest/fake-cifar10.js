// A tiny folder in CIFAR-10's binary format for tests of code that reads the user's copy:
// data_batch_1..5.bin and test_batch.bin, eight records each (a label byte, then 3072 pixel bytes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function batch(seed) {
  const bytes = new Uint8Array(8 * 3073);
  for (let r = 0; r < 8; r++) {
    bytes[r * 3073] = (r + seed) % 10;
    for (let p = 1; p < 3073; p++) bytes[r * 3073 + p] = (p * 7 + r * 13 + seed) % 256;
  }
  return bytes;
}

/**
 * Writes the six batch files into `dir` (created if missing); returns `dir`.
 * @param {string} dir
 */
export function writeFakeCifar10(dir) {
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= 5; i++) writeFileSync(join(dir, `data_batch_${i}.bin`), batch(i));
  writeFileSync(join(dir, 'test_batch.bin'), batch(0));
  return dir;
}
