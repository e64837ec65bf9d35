import { tidy } from '@ddopt/tensor';
import { currentLevel } from './levels.js';

/**
 * Runs `fn` in `tidy` when no transformation is active, so tfjs intermediates are freed; inside
 * another transformation the intermediates are on an outer tape and must stay alive.
 */
export function outermost<T>(fn: () => T): T {
  return currentLevel() === undefined ? tidy(fn) : fn();
}
