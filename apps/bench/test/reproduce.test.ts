// One `ddopt reproduce --quick` run, end to end; each experiment's headline and the report are checked on it.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { ExperimentResult } from '../src/experiment.js';
import { experiments } from '../src/experiments/index.js';
import { checkReportInChromium } from '../src/report/screenshot.js';
import type { RunReport } from '../src/runner.js';

const dir = mkdtempSync(join(tmpdir(), 'ddopt-reproduce-'));
let report: RunReport;
let exitCode: number;

function resultOf(id: string): ExperimentResult {
  const rec = report.experiments.find((e) => e.id === id);
  expect(rec, `experiment ${id} in results.json`).toBeDefined();
  expect(rec!.status, rec!.error).toBe('ok');
  return rec!.result!;
}

beforeAll(async () => {
  const out: string[] = [];
  exitCode = await main(['reproduce', '--quick', '--seed', '0', '--out', dir], { out: (s) => void out.push(s), err: () => {} });
  report = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunReport;
}, 600_000);

describe('ddopt reproduce --quick', () => {
  it('runs every registered experiment without a crash', () => {
    expect(exitCode).toBe(0);
    expect(report.experiments.map((e) => e.id)).toEqual(experiments.map((e) => e.id));
    expect(report.mode).toBe('quick');
  });

  it('optimizer race: same start for all ten, every optimizer trains, the findings are checked', () => {
    const r = resultOf('optimizer-race');
    const h = r.headline;
    expect(h.initialLossSpread).toBe(0);
    const finals = Object.entries(h).filter(([k]) => /^(torchF|f)inalLoss/.test(k));
    expect(finals).toHaveLength(10 + 7);
    for (const [name, v] of finals) expect(v as number, name).toBeLessThan(0.2 * (h.initialLoss as number));
    // 50 held-out samples: every optimizer classifies at least 40 correctly.
    expect(h.worstHeldOutAccuracy as number).toBeGreaterThanOrEqual(0.8);
    // SGD, RMSProp and Adam exist in both families (report's forms, torch.optim presets): same curves.
    expect(h.worstRelDiffSameAlgorithm as number).toBeLessThan(1e-3);
    // The four findings of §5 are each stated with their evidence; the verdict counts them.
    expect(r.comparison.rows.filter((row) => /^[1-4]\. /.test(String(row[0]))).map((row) => row[1])).toHaveLength(4);
    expect(r.verdict.status === 'matches').toBe(h.findingsHeld === 4);
  });

  it('descent lemma: α < 2/M converges, α > 2/M diverges, min‖∇L‖ decays like N^(-1/2)', () => {
    const h = resultOf('descent-lemma').headline;
    expect(h.convergedBelow2OverM).toBe(true);
    expect(h.divergedAbove2OverM).toBe(true);
    expect(h.boundHolds).toBe(true);
    expect(h.slopeHardStart as number).toBeGreaterThan(-0.6);
    expect(h.slopeHardStart as number).toBeLessThan(-0.4);
    // A generic start is faster than the worst case.
    expect(h.slopeGenericStart as number).toBeLessThan(-0.7);
    // On the nonconvex valley (w₂ − w₁²)² + εw₁², α < 2/M (M on the sublevel set) descends monotonically.
    expect(h.valleyMonotoneAndConverged).toBe(true);
  });

  it('saddle: plain GD on the stable manifold stays, perturbed GD escapes', () => {
    const h = resultOf('saddle-escape').headline;
    expect(h.plainGdStaysAtSaddle).toBe(true);
    expect(h.perturbedEscaped).toBe(h.perturbedTrials);
    expect(h.offManifoldEscapeStep as number).toBeGreaterThan(0);
  });

  it('double descent: peak at n = d, empirical MSE within 10% of equations (2)–(5) away from it', () => {
    const h = resultOf('double-descent').headline;
    expect(h.peakAtD).toBe(true);
    expect(h.worstRelErrAwayFromPeak as number).toBeLessThanOrEqual(0.1);
  });

  it('renders the report in Chromium with every figure present, offline', async () => {
    const html = join(dir, 'index.html');
    expect(existsSync(html)).toBe(true);
    const shot = join(dir, 'report.png');
    const page = await checkReportInChromium(html, shot);
    expect(page.requests).toEqual([]);
    expect(page.sections).toEqual(experiments.map((e) => e.id));
    const expected = report.experiments.flatMap((e) => e.result?.figures.map((f) => f.id) ?? []);
    expect(expected.length).toBeGreaterThanOrEqual(2 * experiments.length);
    expect(page.figures.map((f) => f.id)).toEqual(expected);
    for (const f of page.figures) {
      expect(f.svgWidth, f.id).toBeGreaterThan(300);
      expect(f.svgHeight, f.id).toBeGreaterThan(200);
      expect(f.paths, f.id).toBeGreaterThan(0);
    }
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
  }, 120_000);
});
