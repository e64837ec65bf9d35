// Sweep helpers that need no Node API: the grid check, the per-job seed and key, and an in-process
// runner (an experiment's own `run`, a page). The thread pool and checkpoints are in `./node`.
import { type Experiment, type GridPoint, type JobOutput, type JobRecord, type Progress, type RunConfig, breathe } from './contract.js';

const SCALAR = new Set(['number', 'string', 'boolean']);

/** The point as JSON with its keys sorted, so equal points give equal text whatever their key order. */
export function canonicalPoint(point: GridPoint): string {
  return JSON.stringify(Object.fromEntries(Object.keys(point).sort().map((k) => [k, point[k]])));
}

function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The seed of the job at `point` in a sweep seeded `sweepSeed`: a 32-bit hash of both, independent of scheduling. */
export function jobSeed(sweepSeed: number, point: GridPoint): number {
  return fnv1a(`${sweepSeed}|${canonicalPoint(point)}`, 0x811c9dc5);
}

/** A file-safe name for the job at `point` (64 bits of hash of the canonical point). */
export function jobKey(point: GridPoint): string {
  const text = canonicalPoint(point);
  return `job-${fnv1a(text, 0x811c9dc5).toString(16).padStart(8, '0')}${fnv1a(text, 0x050c5d1f).toString(16).padStart(8, '0')}`;
}

/** Checks a grid (a non-empty array of distinct points of JSON scalars); throws naming `fn` and the bad point. */
export function checkGrid(fn: string, grid: unknown): asserts grid is GridPoint[] {
  if (!Array.isArray(grid) || grid.length === 0) throw new Error(`${fn}: grid must be a non-empty array of points, got ${Array.isArray(grid) ? 'an empty array' : typeof grid}`);
  const seen = new Map<string, number>();
  grid.forEach((point, i) => {
    if (point === null || typeof point !== 'object' || Array.isArray(point)) throw new Error(`${fn}: grid[${i}] must be an object of option → value, got ${JSON.stringify(point)}`);
    for (const [k, v] of Object.entries(point)) {
      if (!SCALAR.has(typeof v) || (typeof v === 'number' && !Number.isFinite(v))) throw new Error(`${fn}: grid[${i}].${k} must be a finite number, a string or a boolean, got ${String(v)}`);
    }
    const text = canonicalPoint(point as GridPoint);
    const first = seen.get(text);
    if (first !== undefined) throw new Error(`${fn}: grid[${i}] repeats grid[${first}] (${text})`);
    seen.set(text, i);
  });
}

/** Checks what a job returned is a `JobOutput`; throws naming the experiment and the point. */
export function checkJobOutput(id: string, point: GridPoint, output: unknown): asserts output is JobOutput {
  const where = `experiment "${id}" job ${canonicalPoint(point)}`;
  if (output === null || typeof output !== 'object' || Array.isArray(output)) throw new Error(`${where} must return an object of name → number/string/boolean, got ${JSON.stringify(output)}`);
  for (const [k, v] of Object.entries(output)) {
    if (!SCALAR.has(typeof v)) throw new Error(`${where} returned ${k} = ${String(v)}; outputs are numbers, strings or booleans`);
  }
}

/** Runs a sweep experiment's grid one job after another in this thread and summarizes it (browser-safe; a crash is thrown). */
export async function runSweepInline(experiment: Experiment, config: RunConfig, progress: Progress): Promise<ReturnType<NonNullable<Experiment['sweep']>['summarize']>> {
  const sweep = experiment.sweep;
  if (!sweep) throw new Error(`runSweepInline: experiment "${experiment.id}" declares no sweep`);
  const grid = sweep.grid(config);
  checkGrid('runSweepInline', grid);
  progress.start(grid.length, 'jobs');
  const jobs: JobRecord[] = [];
  for (const point of grid) {
    const seed = jobSeed(config.seed, point);
    const t0 = performance.now();
    const output = await sweep.job({ mode: config.mode, backend: config.backend, seed, point });
    checkJobOutput(experiment.id, point, output);
    jobs.push({ point, seed, output, seconds: (performance.now() - t0) / 1000 });
    progress.tick();
    await breathe();
  }
  return sweep.summarize(jobs, config);
}
