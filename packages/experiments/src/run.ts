import { numTensors } from '@ddopt/tensor';
import type { Experiment, ExperimentResult, Progress, RunConfig } from './contract.js';

/** One experiment's outcome: its result, or the crash with its stack, and what it cost. */
export interface ExperimentRecord {
  id: string;
  title: string;
  seedDoc: string;
  reference: string;
  seed: number;
  status: 'ok' | 'crashed';
  /** Tensors the experiment left on a tfjs backend (0 for cpu, whose tensors are garbage collected). */
  leakedTensors: number;
  error?: string;
  seconds: number;
  result?: ExperimentResult;
}

/** Runs one experiment on the current backend; a crash is recorded (with its stack), never rethrown. */
export async function runExperiment(experiment: Experiment, config: RunConfig, progress: Progress): Promise<ExperimentRecord> {
  const start = performance.now();
  const before = numTensors(config.backend);
  const base = { id: experiment.id, title: experiment.title, seedDoc: experiment.seed, reference: experiment.reference, seed: config.seed };
  const cost = () => ({ seconds: (performance.now() - start) / 1000, leakedTensors: numTensors(config.backend) - before });
  try {
    const result = await experiment.run(config, progress);
    return { ...base, status: 'ok', ...cost(), result };
  } catch (e) {
    const err = e as Error;
    return { ...base, status: 'crashed', error: err.stack ?? String(err), ...cost() };
  }
}
