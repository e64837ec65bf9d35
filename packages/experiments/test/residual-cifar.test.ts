// Residual nets (Hardt & Ma): the quick grid (2 blocks per stage at width 4, with and without batch
// norm) on the stand-in (no CIFAR-10 given), trimmed to 16 steps on 256 images so that the test stays
// fast (--quick itself runs 300 steps on 2048); and one tiny job on a CIFAR-10-format folder written here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFakeCifar10 } from '@ddopt/vitest-config/fake-cifar10';
import { beforeAll, describe, expect, it } from 'vitest';
import { residualCifar } from '../src/003-resnet/residual-cifar.js';
import { type Experiment, type ExperimentResult, runSweepInline, silentProgress } from '../src/index.js';
import { expectDrawable } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  const sweep = residualCifar.sweep!;
  const quickGrid = sweep.grid({ mode: 'quick', seed: 0, backend: 'cpu' });
  expect(quickGrid.map((p) => [p.blocks, p.width, p.steps, p.batch])).toEqual([
    [2, 4, 300, 32],
    [2, 4, 300, 32],
  ]);
  const trimmed: Experiment = { ...residualCifar, sweep: { ...sweep, grid: (c) => sweep.grid(c).map((p) => ({ ...p, n: 256, nTest: 256, steps: 16, drop1: 8, drop2: 12 })) } };
  result = await runSweepInline(trimmed, { mode: 'quick', seed: 0, backend: 'cpu' }, silentProgress);
});

describe('residual-cifar --quick (stand-in data)', () => {
  it('says it ran on the stand-in and that the numbers are not comparable with table 1', () => {
    expect(result.headline.dataSource).toBe('stand-in');
    expect(result.headline.comparableWithTable1).toBe(false);
    expect(result.verdict.status).toBe('differs');
    expect(String(result.setup.data)).toMatch(/not comparable with table 1/);
    expect(result.notes.join(' ')).toMatch(/--data path\/to\/cifar-10-batches-bin/);
    // The report states the scale the jobs ran, from their points.
    expect(String(result.setup.SGD)).toContain('16 steps');
  });

  it('builds the nets with the closed-form parameter counts (widths 4/8/16, 2 blocks per stage)', () => {
    // 3×3 convs k_in·k_out·9 + k_out: stem 112; stage 1: 4 convs 4→4 (148 each); stage 2: 4→8 stride 2
    // (296), three 8→8 (584); stage 3: 8→16 (1168), three 16→16 (2320); dense 16·10 + 10.
    const plain = 112 + 4 * 148 + 296 + 3 * 584 + 1168 + 3 * 2320 + 170;
    expect(result.headline.params_2_nobn).toBe(plain);
    // With batch norm the six U convs lose their biases (4+4+8+8+16+16) and gain γ, β of that size.
    expect(result.headline.params_2_bn).toBe(plain - 56 + 2 * 56);
  });

  it('starts at the chance cross-entropy ln 10 (identity blocks, small logits) and stays finite', () => {
    for (const key of ['firstLoss_2_nobn', 'firstLoss_2_bn']) expect(Math.abs((result.headline[key] as number) - Math.log(10))).toBeLessThan(0.3);
    for (const key of ['testAccuracy_2_nobn', 'testAccuracy_2_bn']) {
      expect(result.headline[key] as number).toBeGreaterThanOrEqual(0);
      expect(result.headline[key] as number).toBeLessThanOrEqual(1);
    }
  });

  it('draws its figures', () => {
    expectDrawable(result);
  });
});

describe('residual-cifar on a CIFAR-10 folder', () => {
  it('reads the binary batches the user points at and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddopt-cifar-'));
    try {
      writeFakeCifar10(dir);
      const [point] = residualCifar.sweep!.grid({ mode: 'quick', seed: 0, backend: 'cpu', data: dir });
      expect(point!.cifarDir).toBe(dir);
      const out = await residualCifar.sweep!.job({ mode: 'quick', backend: 'cpu', seed: 1, point: { ...point!, n: 16, nTest: 8, batch: 8, steps: 2, drop1: 1, drop2: 2 } });
      expect(out.source).toBe(`CIFAR-10 from ${dir}`);
      expect(out.testAccuracy as number).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(out['loss@2'] as number)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
