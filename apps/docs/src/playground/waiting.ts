// Playgrounds 4 (curvature viewer) and 6 (sudoku with SATNet) need functions that
// @ddopt/second-order (issue #14) and @ddopt/diff-solvers (issue #15) do not export yet. Each
// page checks the built package at load time and says exactly which names it is waiting for;
// the curvature viewer runs as soon as `hessianEigenvalues` exists.
import * as diffSolvers from '@ddopt/diff-solvers';
import * as secondOrder from '@ddopt/second-order';
import { circles } from '@ddopt/datasets';
import { mlp, softmaxCrossEntropy } from '@ddopt/layers';
import { adam, fit } from '@ddopt/optimizers';
import { type Key, type PyTree, type Tensor, prng, setBackend, splitKey } from '@ddopt/tensor';
import { button, fmt, h } from './ui.js';

/** Names a page needs from a package, and which of them the package exports in this build. */
export function missingNames(pkg: Record<string, unknown>, names: readonly string[]): string[] {
  return names.filter((n) => typeof pkg[n] !== 'function');
}

function waitingBox(pkg: string, issue: number, missing: string[]): HTMLElement {
  return h('div', { class: 'pg-waiting-box', 'data-testid': 'waiting', 'data-missing': missing.join(',') }, h('strong', {}, `Waiting for ${pkg} (issue #${issue}). `), `This build of ${pkg} does not export ${missing.map((m) => `\`${m}\``).join(', ')} yet; the page runs once it does.`);
}

const CURVATURE_NEEDS = ['hessianEigenvalues'] as const;

interface Eigen {
  eigenvalues: number[] | Tensor;
}

/** Mounts the curvature viewer (or its waiting note) into `root`. */
export function mountCurvature(root: HTMLElement): () => void {
  const missing = missingNames(secondOrder as Record<string, unknown>, CURVATURE_NEEDS);
  if (missing.length) {
    root.append(waitingBox('@ddopt/second-order', 14, missing));
    root.dataset.status = 'waiting';
    return () => {};
  }
  const readout = h('p', { class: 'pg-status', 'data-testid': 'curvature-readout' });
  let stopped = false;
  const run = async () => {
    root.dataset.status = 'running';
    await setBackend('cpu');
    const [kData, kInit] = splitKey(prng(0), 2) as [Key, Key];
    const data = circles({ n: 200, key: kData, noise: 0.1, dtype: 'float64' });
    const model = mlp([8, 2], 'tanh');
    const loss = (p: PyTree) => softmaxCrossEntropy(model.apply(p as never, data.x), data.y);
    let params = model.init(kInit, [2], { dtype: 'float64' }).params as PyTree;
    const rows: string[] = [];
    for (let round = 0; round < 3 && !stopped; round++) {
      const top = (secondOrder as unknown as { hessianEigenvalues(f: (p: PyTree) => Tensor, p: PyTree, o: { k: number; seed: number }): Eigen }).hessianEigenvalues(loss, params, { k: 3, seed: 0 });
      const ev = Array.isArray(top.eigenvalues) ? top.eigenvalues : (top.eigenvalues.toArray() as number[]);
      rows.push(`after ${round * 100} Adam steps: top Hessian eigenvalues ${ev.map(fmt).join(', ')}`);
      readout.textContent = rows.join(' · ');
      params = fit(loss, adam({ lr: 0.02 }), params, { steps: 100 }).params;
    }
    root.dataset.status = 'done';
  };
  root.append(readout, button('recompute', () => void run(), 'curvature-run'));
  void run();
  return () => {
    stopped = true;
  };
}

const SUDOKU_NEEDS = ['satnet'] as const;

/** Mounts the SATNet sudoku page (or its waiting note) into `root`. */
export function mountSudoku(root: HTMLElement): () => void {
  const missing = missingNames(diffSolvers as Record<string, unknown>, SUDOKU_NEEDS);
  if (missing.length) {
    root.append(waitingBox('@ddopt/diff-solvers', 15, missing));
    root.dataset.status = 'waiting';
    return () => {};
  }
  // The package exists but the page's training loop is written against its API when it lands.
  root.append(h('p', { 'data-testid': 'waiting', 'data-missing': '' }, '@ddopt/diff-solvers exports satnet: this page’s 4×4 training loop is the next step (issue #19).'));
  root.dataset.status = 'waiting';
  return () => {};
}
