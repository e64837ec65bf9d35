// Playground 6 (sudoku with SATNet) checks the built @ddopt/diff-solvers (issue #15) at load time
// and says which names it waits for; with `satnet` there, it says that its own training loop is
// the part still to write.
import * as diffSolvers from '@ddopt/diff-solvers';
import { h } from './ui.js';

/** Names a page needs from a package, and which of them the package exports in this build. */
export function missingNames(pkg: Record<string, unknown>, names: readonly string[]): string[] {
  return names.filter((n) => typeof pkg[n] !== 'function');
}

function waitingBox(pkg: string, issue: number, missing: string[]): HTMLElement {
  return h('div', { class: 'pg-waiting-box', 'data-testid': 'waiting', 'data-missing': missing.join(',') }, h('strong', {}, `Waiting for ${pkg} (issue #${issue}). `), `This build of ${pkg} does not export ${missing.map((m) => `\`${m}\``).join(', ')} yet; the page runs once it does.`);
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
  root.append(h('div', { class: 'pg-waiting-box', 'data-testid': 'waiting', 'data-missing': '' }, h('strong', {}, '@ddopt/diff-solvers exports satnet now. '), 'This page’s 4×4 training loop is not written yet (issue #19).'));
  root.dataset.status = 'waiting';
  return () => {};
}
