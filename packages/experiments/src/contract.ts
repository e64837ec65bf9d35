// The contract between the registry, the experiments and whoever shows their results (the CLI's
// report, a page): plain, JSON-serializable data.

/** How large a run is: `quick` finishes in seconds to minutes on 2 cores, `full` uses the paper's sizes. */
export type RunMode = 'quick' | 'full';

/** Backends `reproduce` accepts. */
export const RUN_BACKENDS = ['cpu', 'wasm'] as const;
export type RunBackend = (typeof RUN_BACKENDS)[number];

export interface RunConfig {
  mode: RunMode;
  seed: number;
  backend: RunBackend;
  /**
   * A folder of the user's own data (`ddopt reproduce --data <path>`), read by the experiments that
   * declare `dataHint`; the others never see one (the CLI refuses `--data` when no selected
   * experiment declares it).
   */
  data?: string;
}

/** Progress sink handed to an experiment; `total` is in whatever units the experiment counts. */
export interface Progress {
  start(total: number, label: string): void;
  tick(amount?: number): void;
}

export interface Axis {
  label: string;
  type?: 'linear' | 'log' | 'symlog';
  domain?: [number, number];
}

export interface Series {
  name: string;
  mark: 'line' | 'dot' | 'line+dot';
  dashed?: boolean;
  points: { x: number; y: number }[];
}

export interface Rule {
  value: number;
  label: string;
}

/** A declarative figure; `renderFigure` draws it with Observable Plot. */
export interface FigureSpec {
  id: string;
  title: string;
  caption: string;
  x: Axis;
  y: Axis;
  series: Series[];
  rulesX?: Rule[];
  rulesY?: Rule[];
}

export interface Table {
  headers: string[];
  rows: (string | number)[][];
}

export interface Verdict {
  status: 'matches' | 'differs';
  text: string;
}

/** What one experiment hands back: figures, the paper-vs-ours table, the verdict and checkable numbers. */
export interface ExperimentResult {
  /** Setup as label → value, shown first in the report. */
  setup: Record<string, string | number>;
  /** Backend and dtype actually used (an experiment may need float64 cpu whatever was asked). */
  backendUsed: string;
  figures: FigureSpec[];
  comparison: Table;
  verdict: Verdict;
  /** The numbers the experiment's headline rests on; tests assert on these. */
  headline: Record<string, number | boolean | string>;
  notes: string[];
}

/** One entry of the registry: adding an experiment is adding one file that exports this. */
export interface Experiment {
  id: string;
  /** The seed document it comes from, e.g. "001 (lecture)". */
  seed: string;
  title: string;
  /** Where in the seed document the reference is. */
  reference: string;
  run(config: RunConfig, progress: Progress): Promise<ExperimentResult>;
  /** Present when the experiment reads `config.data`: what folder it expects there, e.g. "a cifar-10-batches-bin folder". */
  dataHint?: string;
  /** The cost of a `--full` run, in words (from the timings in its notes); the CLI prints it before a full run starts. */
  estimateFull?: (config: RunConfig) => string;
  /** Present when the experiment is a grid of independent jobs that `runSweep` can run in parallel and resume. */
  sweep?: SweepDefinition;
}

/** One point of a sweep's grid: option name → value (plain JSON scalars). */
export type GridPoint = Record<string, number | string | boolean>;

/** What one job hands back: named JSON scalars (numbers the summary aggregates, labels). */
export type JobOutput = Record<string, number | string | boolean>;

/** One job's configuration: the run's mode and backend, its grid point, and its own seed (`jobSeed(sweepSeed, point)`). */
export interface JobConfig {
  mode: RunMode;
  backend: RunBackend;
  seed: number;
  point: GridPoint;
}

/** A finished job: its configuration, output and cost. */
export interface JobRecord {
  point: GridPoint;
  seed: number;
  output: JobOutput;
  seconds: number;
}

/** A sweep's declaration: its default grid, one job, and the summary of all finished jobs into a result. */
export interface SweepDefinition {
  /** The grid `reproduce` runs for this configuration (the sweep's seed is `config.seed`). */
  grid(config: RunConfig): GridPoint[];
  /** Runs one grid point; deterministic given `job.seed` and `job.point`, whichever thread runs it. */
  job(job: JobConfig): Promise<JobOutput>;
  /** Builds the experiment's result from the finished jobs, in grid order. */
  summarize(jobs: JobRecord[], config: RunConfig): ExperimentResult;
}

/** A silent progress sink, for tests and `--json`. */
export const silentProgress: Progress = { start() {}, tick() {} };

// setImmediate where the host has it (Node: no 1 ms clamp), else a zero timeout (browsers).
const nextTurn: (resolve: () => void) => void = typeof globalThis.setImmediate === 'function' ? (resolve) => globalThis.setImmediate(resolve) : (resolve) => setTimeout(resolve, 0);

/**
 * Lets the event loop run (progress bars redraw, a page stays responsive, test runners exchange
 * heartbeats). Experiments await it between chunks of synchronous work.
 */
export function breathe(): Promise<void> {
  return new Promise((resolve) => nextTurn(resolve));
}
