// `ddopt reproduce --quick` end to end on two experiments: exit code, results.json and the report
// page in Chromium. Each experiment's headline numbers are tested in @ddopt/experiments.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { experimentById } from '@ddopt/experiments';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { checkReportInChromium } from '../src/report/screenshot.js';
import type { RunReport } from '../src/runner.js';

const dir = mkdtempSync(join(tmpdir(), 'ddopt-reproduce-'));
const ids = ['descent-lemma', 'saddle-escape'];
let report: RunReport;
let exitCode: number;

beforeAll(async () => {
  exitCode = await main(['reproduce', ...ids, '--quick', '--seed', '3', '--out', dir], { out: () => {}, err: () => {} });
  report = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunReport;
}, 600_000);

describe('ddopt reproduce --quick', () => {
  it('runs the selected experiments and records seed, mode, versions and each result', () => {
    expect(exitCode).toBe(0);
    expect(report.experiments.map((e) => [e.id, e.status])).toEqual(ids.map((id) => [id, 'ok']));
    expect(report.mode).toBe('quick');
    expect(report.seed).toBe(3);
    for (const p of ['@ddopt/experiments', '@ddopt/theory', '@observablehq/plot', 'cpu backend threads']) expect(report.versions[p], p).toMatch(/^\d/);
    for (const e of report.experiments) {
      expect(e.title).toBe(experimentById(e.id).title);
      expect(e.result!.verdict.status, e.id).toBe('matches');
    }
  });

  it('renders the report in Chromium with every figure present, offline', async () => {
    const html = join(dir, 'index.html');
    expect(existsSync(html)).toBe(true);
    const shot = join(dir, 'report.png');
    const page = await checkReportInChromium(html, shot);
    expect(page.requests).toEqual([]);
    expect(page.sections).toEqual(ids);
    const expected = report.experiments.flatMap((e) => e.result?.figures.map((f) => f.id) ?? []);
    expect(expected.length).toBeGreaterThanOrEqual(2 * ids.length);
    expect(page.figures.map((f) => f.id)).toEqual(expected);
    for (const f of page.figures) {
      expect(f.svgWidth, f.id).toBeGreaterThan(300);
      expect(f.svgHeight, f.id).toBeGreaterThan(200);
      expect(f.paths, f.id).toBeGreaterThan(0);
    }
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
  }, 120_000);
});
