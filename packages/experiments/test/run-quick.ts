// Runs an experiment's --quick configuration once per test file and draws each of its figures
// into linkedom's document, as the CLI's report does.
import { parseHTML } from 'linkedom';
import { expect } from 'vitest';
import { type Experiment, type ExperimentResult, renderFigure, silentProgress } from '../src/index.js';

/** The experiment's quick result for `seed` on the cpu backend. */
export function runQuick(experiment: Experiment, seed = 0): Promise<ExperimentResult> {
  return experiment.run({ mode: 'quick', seed, backend: 'cpu' }, silentProgress);
}

/** Every figure renders to an SVG with drawn marks, and the result survives a JSON round trip. */
export function expectDrawable(result: ExperimentResult): void {
  expect(result.figures.length).toBeGreaterThanOrEqual(2);
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  for (const spec of result.figures) {
    const el = renderFigure(spec, document as unknown as Document);
    expect(el.querySelector('svg'), spec.id).not.toBeNull();
    expect(el.querySelectorAll('path, circle').length, spec.id).toBeGreaterThan(0);
  }
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
}
