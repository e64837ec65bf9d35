import { arange, matmul, prng, reshape, sub, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { batches } from './batches.js';
import { nakkiranRegression, teacherStudentData } from './generators/regression.js';
import { circles, gaussianBlobs, twoSpirals, xor } from './generators/toy.js';
import { iris } from './iris.js';
import { labelNoise } from './label-noise.js';
import { mnist } from './mnist.js';
import { trainTestSplit } from './split.js';
import { fitStandardization, standardize } from './standardize.js';

const counts = (v: ArrayLike<number>, k: number) => {
  const c = new Array(k).fill(0);
  for (const x of Array.from(v)) c[x]++;
  return c;
};

describe('iris', () => {
  it('has 150 samples, 4 features, 50 per class', () => {
    const { x, y, classNames } = iris();
    expect(x.shape).toEqual([150, 4]);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe('int32');
    expect(counts(y.dataSync(), 3)).toEqual([50, 50, 50]);
    expect(classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    // First sample of Fisher's table: 5.1, 3.5, 1.4, 0.2 (setosa).
    expect(Array.from(x.dataSync().slice(0, 4), (v) => Number(v.toFixed(4)))).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(iris({ dtype: 'float64' }).x.dtype).toBe('float64');
  });
});

describe('mnist', () => {
  it('gives disjoint, seeded, deterministic splits of real digits in [0, 1]', async () => {
    const a = await mnist({ train: 600, test: 400, seed: 3 });
    const b = await mnist({ train: 600, test: 400, seed: 3 });
    const c = await mnist({ train: 600, test: 400, seed: 4 });
    expect(a.train.x.shape).toEqual([600, 784]);
    expect(a.test.y.shape).toEqual([400]);
    expect(Array.from(a.train.y.dataSync())).toEqual(Array.from(b.train.y.dataSync()));
    expect(Array.from(a.train.x.dataSync().slice(0, 5000))).toEqual(Array.from(b.train.x.dataSync().slice(0, 5000)));
    expect(Array.from(a.train.y.dataSync())).not.toEqual(Array.from(c.train.y.dataSync()));
    const px = a.train.x.dataSync();
    let min = 1;
    let max = 0;
    for (const v of px) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(0);
    expect(max).toBeCloseTo(1, 2);
    const cls = counts(a.train.y.dataSync(), 10);
    for (const n of cls) expect(n).toBeGreaterThan(30);
    // Disjoint: no training image equals a test image (compare the pixel rows as strings).
    const rows = (x: ArrayLike<number>, n: number) => new Set(Array.from({ length: n }, (_, i) => Array.prototype.slice.call(x, i * 784, (i + 1) * 784).join(',')));
    const train = rows(a.train.x.dataSync(), 600);
    const test = rows(a.test.x.dataSync(), 400);
    let shared = 0;
    for (const r of test) if (train.has(r)) shared++;
    expect(shared).toBe(0);
    const img = await mnist({ train: 2, test: 1, seed: 0, layout: 'image' });
    expect(img.train.x.shape).toEqual([2, 1, 28, 28]);
  }, 60_000);

  it('refuses more samples than the package has', async () => {
    await expect(mnist({ train: 9000, test: 2000 })).rejects.toThrow(/exceeds the 10000 digits/);
  });
});

describe('batches', () => {
  const data = { x: reshape(arange(0, 20, 1, 'float64'), [10, 2]), y: tensor(Int32Array.from({ length: 10 }, (_, i) => i), { dtype: 'int32' }) };
  it('yields batches in order, with a short last batch unless dropLast', () => {
    const sizes = [...batches(data, { batchSize: 4 })].map((b) => b.y.shape[0]);
    expect(sizes).toEqual([4, 4, 2]);
    expect([...batches(data, { batchSize: 4, dropLast: true })].map((b) => b.y.shape[0])).toEqual([4, 4]);
    const first = [...batches(data, { batchSize: 4 })][0]!;
    expect(first.x.toArray()).toEqual([[0, 1], [2, 3], [4, 5], [6, 7]]);
  });
  it('shuffles deterministically per seed and epoch, visiting each sample once, x and y together', () => {
    const order = (o: object) => [...batches(data, { batchSize: 3, shuffle: true, ...o })].flatMap((b) => Array.from(b.y.dataSync()));
    const a = order({ seed: 1 });
    expect(a).toEqual(order({ seed: 1 }));
    expect([...a].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a).not.toEqual(order({ seed: 2 }));
    expect(order({ seed: 1, epoch: 1 })).not.toEqual(order({ seed: 1, epoch: 2 }));
    for (const b of batches(data, { batchSize: 3, shuffle: true, seed: 5 })) {
      const ys = b.y.dataSync();
      const xs = b.x.dataSync();
      ys.forEach((yv, i) => {
        expect(xs[2 * i]).toBe(2 * yv);
      });
    }
  });
  it('refuses unseeded shuffles and mismatched sample counts', () => {
    expect(() => [...batches(data, { batchSize: 2, shuffle: true })]).toThrow(/needs a seed/);
    expect(() => [...batches({ x: data.x, y: tensor([1, 2], { dtype: 'int32' }) }, { batchSize: 2 })]).toThrow(/data.y \[2\] has 2 samples but data.x has 10/);
  });
});

describe('trainTestSplit', () => {
  it('never shares a sample and covers all of them', () => {
    const ids = tensor(Int32Array.from({ length: 150 }, (_, i) => i), { dtype: 'int32' });
    const d = iris();
    const { train, test } = trainTestSplit({ ...d, id: ids }, { testSize: 0.2, seed: 9 });
    expect(train.x.shape).toEqual([120, 4]);
    expect(test.x.shape).toEqual([30, 4]);
    expect(train.classNames).toEqual(d.classNames);
    const a = Array.from(train.id.dataSync());
    const b = Array.from(test.id.dataSync());
    expect(new Set([...a, ...b]).size).toBe(150);
    expect(a.filter((i) => b.includes(i))).toEqual([]);
    const again = trainTestSplit({ ...d, id: ids }, { testSize: 30, seed: 9 });
    expect(Array.from(again.test.id.dataSync())).toEqual(b);
  });
});

describe('standardize', () => {
  it('gives zero mean and unit variance per feature, reusing train statistics', () => {
    const { x } = iris({ dtype: 'float64' });
    const stats = fitStandardization(x);
    const z = standardize(x, stats).dataSync();
    for (let j = 0; j < 4; j++) {
      let m = 0;
      let v = 0;
      for (let i = 0; i < 150; i++) m += z[i * 4 + j]! / 150;
      for (let i = 0; i < 150; i++) v += (z[i * 4 + j]! - m) ** 2 / 150;
      expect(m).toBeCloseTo(0, 12);
      expect(v).toBeCloseTo(1, 12);
    }
    expect(() => standardize(tensor([[1, 2, 3]], { dtype: 'float64' }), stats)).toThrow(/does not match/);
  });
});

describe('generators', () => {
  it('nakkiranRegression: unit β, y = ⟨x, β⟩ + noise of variance σ²', () => {
    const { x, y, beta } = nakkiranRegression({ d: 50, n: 4000, sigma: 0.1, key: prng(1), dtype: 'float64' });
    expect(x.shape).toEqual([4000, 50]);
    expect(y.shape).toEqual([4000, 1]);
    const b = beta.dataSync();
    expect(Math.sqrt(Array.from(b).reduce((s, v) => s + v * v, 0))).toBeCloseTo(1, 12);
    const r = sub(y, matmul(x, reshape(beta, [50, 1]))).dataSync();
    const varR = Array.from(r).reduce((s, v) => s + v * v, 0) / r.length;
    expect(Math.abs(varR / 0.01 - 1)).toBeLessThan(6 * Math.sqrt(2 / 4000));
    const test = nakkiranRegression({ d: 50, n: 10, sigma: 0, key: prng(2), beta, dtype: 'float64' });
    expect(test.beta).toBe(beta);
    expect(() => nakkiranRegression({ d: 50, n: 10, sigma: 0.1, key: prng(2), beta: tensor(new Float64Array(50), { dtype: 'float64' }), dtype: 'float64' })).toThrow(/norm 1/);
  });

  it('nakkiranRegression: t targets at once share X, each a unit column of β with its own noise', () => {
    const { x, y, beta } = nakkiranRegression({ d: 20, n: 3000, sigma: 0.1, targets: 4, key: prng(3), dtype: 'float64' });
    expect(beta.shape).toEqual([20, 4]);
    expect(y.shape).toEqual([3000, 4]);
    const b = beta.dataSync();
    for (let j = 0; j < 4; j++) expect(Math.hypot(...Array.from({ length: 20 }, (_, i) => b[i * 4 + j]!))).toBeCloseTo(1, 12);
    const r = sub(y, matmul(x, beta)).dataSync();
    // Residual columns: variance σ² each, and uncorrelated between targets (independent noise).
    const col = (j: number) => Array.from({ length: 3000 }, (_, i) => r[i * 4 + j]!);
    const dot = (u: number[], v: number[]) => u.reduce((s, ui, i) => s + ui * v[i]!, 0) / u.length;
    for (let j = 0; j < 4; j++) expect(Math.abs(dot(col(j), col(j)) / 0.01 - 1)).toBeLessThan(6 * Math.sqrt(2 / 3000));
    expect(Math.abs(dot(col(0), col(1))) / 0.01).toBeLessThan(6 / Math.sqrt(3000));
    // A test set for the same targets from another key.
    expect(nakkiranRegression({ d: 20, n: 5, sigma: 0.1, beta, key: prng(4), dtype: 'float64' }).y.shape).toEqual([5, 4]);
    expect(() => nakkiranRegression({ d: 20, n: 5, sigma: 0.1, beta, targets: 4, key: prng(4), dtype: 'float64' })).toThrow(/nakkiranRegression: give beta or targets, not both/);
    expect(() => nakkiranRegression({ d: 20, n: 5, sigma: 0.1, targets: 0, key: prng(4) })).toThrow(/nakkiranRegression: targets/);
  });

  it('teacherStudentData labels Gaussian inputs with the teacher', () => {
    const w = tensor([[1], [-2], [0.5]], { dtype: 'float64' });
    const { x, y } = teacherStudentData({ teacher: (v) => matmul(v, w), inputShape: [3], n: 5, key: prng(0), dtype: 'float64' });
    expect(Array.from(y.dataSync())).toEqual(Array.from(matmul(x, w).dataSync()));
  });

  it('toy sets have balanced labels and the right geometry', () => {
    const s = twoSpirals({ n: 200, key: prng(0) });
    expect(s.x.shape).toEqual([200, 2]);
    expect(counts(s.y.dataSync(), 2)).toEqual([100, 100]);
    const xo = xor({ n: 100, key: prng(0) });
    const p = xo.x.dataSync();
    xo.y.dataSync().forEach((l, i) => {
      expect(l).toBe(p[2 * i]! * p[2 * i + 1]! < 0 ? 1 : 0);
    });
    const c = circles({ n: 100, key: prng(0), factor: 0.3 });
    const q = c.x.dataSync();
    c.y.dataSync().forEach((l, i) => {
      expect(Math.hypot(q[2 * i]!, q[2 * i + 1]!)).toBeCloseTo(l === 0 ? 1 : 0.3, 5);
    });
  });
});

describe('gaussianBlobs', () => {
  it('draws class c from N(centers[c], std²·I): per-class means, stds and the axes’ correlation, Monte Carlo with a fixed key', () => {
    // 20000 points, 10000 per class, std 0.4: a mean is off by 0.4/√10000 = 0.004 (one σ) and a
    // sample std by 0.4/√20000 ≈ 0.0028, a correlation by 1/√10000 = 0.01; tolerances are 5σ.
    const centers: [number, number][] = [
      [-1, 2],
      [3, 0.5],
    ];
    const { x, y, classNames } = gaussianBlobs({ n: 20000, key: prng(7), centers, std: 0.4, dtype: 'float64' });
    expect(x.shape).toEqual([20000, 2]);
    expect(x.dtype).toBe('float64');
    expect(classNames).toEqual(['0', '1']);
    const p = x.dataSync();
    const l = y.dataSync();
    expect(counts(l, 2)).toEqual([10000, 10000]);
    for (let c = 0; c < 2; c++) {
      const a: number[] = [];
      const b: number[] = [];
      l.forEach((label, i) => {
        if (label === c) {
          a.push(p[2 * i]!);
          b.push(p[2 * i + 1]!);
        }
      });
      const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
      const [ma, mb] = [mean(a), mean(b)];
      const sa = Math.sqrt(mean(a.map((t) => (t - ma) ** 2)));
      const sb = Math.sqrt(mean(b.map((t) => (t - mb) ** 2)));
      const corr = mean(a.map((t, i) => (t - ma) * (b[i]! - mb))) / (sa * sb);
      expect(Math.abs(ma - centers[c]![0])).toBeLessThan(0.02);
      expect(Math.abs(mb - centers[c]![1])).toBeLessThan(0.02);
      expect(Math.abs(sa - 0.4)).toBeLessThan(0.015);
      expect(Math.abs(sb - 0.4)).toBeLessThan(0.015);
      expect(Math.abs(corr)).toBeLessThan(0.05);
    }
  });

  it('is seeded: one key gives one data set, another key another; three centres give three balanced classes', () => {
    const a = gaussianBlobs({ n: 30, key: prng(1) }).x.dataSync();
    expect(Array.from(gaussianBlobs({ n: 30, key: prng(1) }).x.dataSync())).toEqual(Array.from(a));
    expect(Array.from(gaussianBlobs({ n: 30, key: prng(2) }).x.dataSync())).not.toEqual(Array.from(a));
    const three = gaussianBlobs({ n: 30, key: prng(1), centers: [[0, 0], [5, 5], [-5, 5]] });
    expect(counts(three.y.dataSync(), 3)).toEqual([10, 10, 10]);
    // std 0 puts every point on its centre.
    const exact = gaussianBlobs({ n: 4, key: prng(1), std: 0 }).x.toArray();
    expect(exact).toEqual([[-1, -1], [1, 1], [-1, -1], [1, 1]]);
  });
});

describe('labelNoise', () => {
  it('corrupts a fraction p with a different label, deterministically', () => {
    const n = 20000;
    const labels = tensor(Int32Array.from({ length: n }, (_, i) => i % 10), { dtype: 'int32' });
    const { labels: noisy, corrupted } = labelNoise(labels, { p: 0.2, numClasses: 10, key: prng(3) });
    const a = labels.dataSync();
    const b = noisy.dataSync();
    const m = corrupted.dataSync();
    let changed = 0;
    const wrong = new Array(10).fill(0);
    let maskMismatch = 0;
    for (let i = 0; i < n; i++) {
      if ((b[i] !== a[i]) !== (m[i] === 1)) maskMismatch++;
      if (b[i] !== a[i]) {
        changed++;
        if (a[i] === 0) wrong[b[i]!]++;
      }
    }
    expect(maskMismatch).toBe(0);
    expect(Math.abs(changed / n - 0.2)).toBeLessThan(6 * Math.sqrt(0.16 / n));
    // Wrong labels of class 0 spread over 1..9 (none stay 0).
    expect(wrong[0]).toBe(0);
    for (let j = 1; j < 10; j++) expect(wrong[j]).toBeGreaterThan(20);
    expect(Array.from(labelNoise(labels, { p: 0.2, numClasses: 10, key: prng(3) }).labels.dataSync())).toEqual(Array.from(b));
    expect(() => labelNoise(labels, { p: 0.2, numClasses: 5, key: prng(3) })).toThrow(/outside \[0, 5\)/);
  });
});
