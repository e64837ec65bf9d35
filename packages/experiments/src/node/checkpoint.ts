// The run folder's job files, shared by `runSweep` (threads) and `runSweepOnQueue` (Redis): one
// checkpoint per finished job, written atomically; a file that is not one of this run's is refused
// with its path, never silently reused or overwritten.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GridPoint, JobConfig, JobRecord, RunBackend, RunMode } from '../contract.js';
import { canonicalPoint, checkJobOutput, jobKey, jobSeed } from '../sweep.js';

/** The format tag of a checkpoint file; anything else in the run folder's job files is refused. */
export const SWEEP_CHECKPOINT_FORMAT = 'ddopt-sweep-job/1';

/** What identifies a run: a checkpoint of another run is refused. */
export interface RunIdentity {
  experimentId: string;
  sweepSeed: number;
  mode: RunMode;
  backend: RunBackend;
}

interface Checkpoint extends JobRecord, RunIdentity {
  format: typeof SWEEP_CHECKPOINT_FORMAT;
}

/** Reads the checkpoint at `path` for the job at `point`; refuses (naming `fn` and the path) a file that is not one, or is another run's. */
export function readCheckpoint(fn: string, path: string, run: RunIdentity, point: GridPoint, seed: number): JobRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${fn}: checkpoint ${path} is not valid JSON (${(e as Error).message}); delete it to rerun that job`);
  }
  const c = parsed as Partial<Checkpoint>;
  if (c === null || typeof c !== 'object' || c.format !== SWEEP_CHECKPOINT_FORMAT) throw new Error(`${fn}: ${path} is not a sweep checkpoint (format ${JSON.stringify((c as { format?: unknown } | null)?.format)}, expected "${SWEEP_CHECKPOINT_FORMAT}"); delete it or choose another run folder`);
  const expected = { ...run, seed };
  for (const f of ['experimentId', 'sweepSeed', 'mode', 'backend', 'seed'] as const) {
    if (c[f] !== expected[f]) throw new Error(`${fn}: checkpoint ${path} belongs to another run (${f} ${JSON.stringify(c[f])}, this run's ${JSON.stringify(expected[f])}); delete it or choose another run folder`);
  }
  if (typeof c.point !== 'object' || c.point === null || canonicalPoint(c.point) !== canonicalPoint(point)) throw new Error(`${fn}: checkpoint ${path} holds point ${JSON.stringify(c.point)}, expected ${canonicalPoint(point)}; delete it or choose another run folder`);
  if (typeof c.seconds !== 'number') throw new Error(`${fn}: checkpoint ${path} has no seconds; delete it to rerun that job`);
  try {
    checkJobOutput(run.experimentId, point, c.output);
  } catch (e) {
    throw new Error(`${fn}: checkpoint ${path} is corrupted: ${(e as Error).message}`);
  }
  return { point, seed, output: c.output, seconds: c.seconds };
}

/** Writes one finished job's checkpoint to `path` (through a temporary file and a rename, so a crash never leaves half a file). */
export function writeCheckpoint(path: string, run: RunIdentity, record: JobRecord): void {
  const checkpoint: Checkpoint = { format: SWEEP_CHECKPOINT_FORMAT, ...run, ...record };
  writeFileSync(`${path}.tmp`, `${JSON.stringify(checkpoint, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** One job still to run: its grid index, configuration and checkpoint path. */
export interface PendingJob {
  index: number;
  job: JobConfig;
  path?: string;
}

/** Splits a grid into the jobs found in `dir` (read back, refused when foreign or corrupted) and those still to run. */
export function planJobs(fn: string, run: RunIdentity, grid: GridPoint[], dir: string | undefined): { done: Map<number, JobRecord>; todo: PendingJob[] } {
  if (dir !== undefined) mkdirSync(dir, { recursive: true });
  const done = new Map<number, JobRecord>();
  const todo: PendingJob[] = [];
  grid.forEach((point, index) => {
    const job: JobConfig = { mode: run.mode, backend: run.backend, seed: jobSeed(run.sweepSeed, point), point };
    const path = dir === undefined ? undefined : join(dir, `${jobKey(point)}.json`);
    if (path !== undefined && existsSync(path)) done.set(index, readCheckpoint(fn, path, run, point, job.seed));
    else todo.push({ index, job, ...(path !== undefined ? { path } : {}) });
  });
  return { done, todo };
}
