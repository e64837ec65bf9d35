// @ddopt/experiments/node — the Node-only parts: `runSweep` on a worker-thread pool (piscina) with
// checkpoints in a run folder. The main entry stays browser-safe.
export { runSweep, SWEEP_CHECKPOINT_FORMAT, type CrashedJob, type SweepOptions, type SweepReport } from './sweep.js';
