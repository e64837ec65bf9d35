import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cifar10, parseCifar10, readCifar10 } from './readers/cifar10.js';
import { mnistFromIdx, parseIdx, readIdx } from './readers/idx.js';

const dir = mkdtempSync(join(tmpdir(), 'ddopt-readers-'));

// An IDX file: magic 0x0000, type byte, rank, big-endian dims, then big-endian values.
function idx(type: number, shape: number[], values: number[], size: number): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + values.length * size);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = shape.length;
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  const at = 4 + 4 * shape.length;
  values.forEach((v, i) => {
    if (type === 0x08) view.setUint8(at + i, v);
    else if (type === 0x0b) view.setInt16(at + 2 * i, v, false);
    else if (type === 0x0d) view.setFloat32(at + 4 * i, v, false);
  });
  return out;
}

function write(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('IDX reader', () => {
  it('decodes uint8, int16 and float32 files, plain or gzipped', async () => {
    const u8 = parseIdx(idx(0x08, [2, 3], [0, 1, 2, 253, 254, 255], 1), 'u8');
    expect(u8).toMatchObject({ type: 'uint8', shape: [2, 3], dataOffset: 12 });
    expect(Array.from(u8.values)).toEqual([0, 1, 2, 253, 254, 255]);
    expect(Array.from(parseIdx(idx(0x0b, [3], [-2, 300, 7], 2)).values)).toEqual([-2, 300, 7]);
    expect(Array.from(parseIdx(idx(0x0d, [2], [1.5, -0.25], 4)).values)).toEqual([1.5, -0.25]);
    const gz = write('a.idx.gz', gzipSync(idx(0x08, [4], [9, 8, 7, 6], 1)));
    expect(Array.from((await readIdx(gz)).values)).toEqual([9, 8, 7, 6]);
  });

  it('refuses truncated and corrupt files naming the file and the byte offset', async () => {
    const good = idx(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8], 1);
    const truncated = write('truncated-idx3', good.slice(0, good.length - 3));
    await expect(readIdx(truncated)).rejects.toThrow(new RegExp(`${truncated}: truncated IDX data .* at byte offset 21`));
    await expect(readIdx(write('short-header', good.slice(0, 9)))).rejects.toThrow(/short-header: truncated IDX header .* at byte offset 9/);
    const badMagic = good.slice();
    badMagic[1] = 8;
    await expect(readIdx(write('bad-magic', badMagic))).rejects.toThrow(/bad-magic: bad IDX magic 0x0008 .* at byte offset 0/);
    const badType = good.slice();
    badType[2] = 0x42;
    expect(() => parseIdx(badType, 'bad-type')).toThrow(/bad-type: unknown IDX element type 0x42 at byte offset 2/);
    const trailing = new Uint8Array([...good, 0, 0]);
    expect(() => parseIdx(trailing, 'trailing')).toThrow(/trailing: 2 unexpected bytes .* at byte offset 24/);
    await expect(readIdx(write('corrupt.gz', new Uint8Array([0x1f, 0x8b, 1, 2, 3])))).rejects.toThrow(/corrupt.gz: corrupt gzip stream/);
    await expect(readIdx(join(dir, 'missing'))).rejects.toThrow(/missing: cannot read file/);
  });

  it('mnistFromIdx scales images to [0, 1] and checks labels', async () => {
    const images = write('img', idx(0x08, [2, 2, 2], [0, 255, 51, 102, 255, 0, 0, 0], 1));
    const labels = write('lab', idx(0x08, [2], [7, 3], 1));
    const d = await mnistFromIdx({ images, labels });
    expect(d.x.shape).toEqual([2, 4]);
    expect(Array.from(d.x.dataSync()).map((v) => Number(v.toFixed(6)))).toEqual([0, 1, 0.2, 0.4, 1, 0, 0, 0]);
    expect(Array.from(d.y.dataSync())).toEqual([7, 3]);
    expect((await mnistFromIdx({ images, labels, layout: 'image' })).x.shape).toEqual([2, 1, 2, 2]);
    const badLabels = write('badlab', idx(0x08, [2], [7, 12], 1));
    await expect(mnistFromIdx({ images, labels: badLabels })).rejects.toThrow(/badlab: label 12 is outside 0..9 at byte offset 9/);
    const fewLabels = write('fewlab', idx(0x08, [1], [7], 1));
    await expect(mnistFromIdx({ images, labels: fewLabels })).rejects.toThrow(/fewlab: 1 labels for 2 images/);
  });
});

describe('CIFAR-10 reader', () => {
  const RECORD = 3073;
  function records(labels: number[]): Uint8Array {
    const out = new Uint8Array(labels.length * RECORD);
    labels.forEach((l, i) => {
      out[i * RECORD] = l;
      // Red plane all 255, green pixel 0 = 51, blue plane 0.
      out.fill(255, i * RECORD + 1, i * RECORD + 1 + 1024);
      out[i * RECORD + 1 + 1024] = 51;
    });
    return out;
  }

  it('decodes label and planes', async () => {
    const d = parseCifar10(records([3, 9]), 'two');
    expect(d.x.shape).toEqual([2, 3, 32, 32]);
    expect(Array.from(d.y.dataSync())).toEqual([3, 9]);
    const x = d.x.dataSync();
    expect(x[0]).toBe(1);
    expect(x[1023]).toBe(1);
    expect(x[1024]).toBeCloseTo(0.2, 6);
    expect(x[2048]).toBe(0);
    const both = await readCifar10([write('b1.bin', records([1])), write('b2.bin', records([2, 4]))]);
    expect(Array.from(both.y.dataSync())).toEqual([1, 2, 4]);
  });

  it('cifar10({ dir }) reads data_batch_1..5.bin as train and test_batch.bin as test', async () => {
    const folder = mkdtempSync(join(dir, 'batches-'));
    for (let i = 1; i <= 5; i++) writeFileSync(join(folder, `data_batch_${i}.bin`), records([i, i + 1]));
    writeFileSync(join(folder, 'test_batch.bin'), records([0, 7, 9]));
    const { train, test } = await cifar10({ dir: folder, dtype: 'float64' });
    expect(Array.from(train.y.dataSync())).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    expect(train.x.shape).toEqual([10, 3, 32, 32]);
    expect(train.x.dtype).toBe('float64');
    expect(Array.from(test.y.dataSync())).toEqual([0, 7, 9]);
  });

  it('refuses truncated, empty and corrupt files naming the file and the byte offset', async () => {
    const good = records([1, 2]);
    const cut = write('cut.bin', good.slice(0, RECORD + 100));
    await expect(readCifar10([write('ok.bin', good), cut])).rejects.toThrow(new RegExp(`${cut}: truncated CIFAR-10 record 1 at byte offset 3073`));
    expect(() => parseCifar10(new Uint8Array(0), 'empty.bin')).toThrow(/empty.bin: empty file.* at byte offset 0/);
    const bad = good.slice();
    bad[RECORD] = 10;
    await expect(readCifar10([write('badlabel.bin', bad)])).rejects.toThrow(/badlabel.bin: label 10 of record 1 is outside 0..9 at byte offset 3073/);
  });
});
