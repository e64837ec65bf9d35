// What travels on the queue: data, never code. A job names a registered experiment and one grid
// point; the worker checks it against the registry and the experiment's declared grid (the keys
// its grid points use, their types, and which keys go together) before anything runs, and refuses
// anything else by name.
import { type Check, checkOptions, option } from '@ddopt/tensor/validate';
import { type Experiment, type GridPoint, type JobConfig, RUN_BACKENDS, type RunBackend, type RunMode } from '../contract.js';
import { experimentById } from '../registry.js';
import { canonicalPoint, jobKey, jobSeed } from '../sweep.js';

/** The format tag of a queued job's data. */
export const QUEUE_JOB_FORMAT = 'ddopt-sweep-queue-job/1';
/** The format tag of what a queue worker returns for a job. */
export const QUEUE_RESULT_FORMAT = 'ddopt-sweep-queue-result/1';

/** A queued job's data: which registered experiment, which run, which grid point. The job's seed is derived from them, never sent. */
export interface QueueJobData {
  format: typeof QUEUE_JOB_FORMAT;
  experimentId: string;
  mode: RunMode;
  backend: RunBackend;
  sweepSeed: number;
  point: GridPoint;
}

const ENVELOPE = {
  format: option.oneOf([QUEUE_JOB_FORMAT]).required(),
  experimentId: option.string().required(),
  mode: option.oneOf(['quick', 'full']).required(),
  backend: option.oneOf(RUN_BACKENDS).required(),
  sweepSeed: option.int(0, 0xffffffff).required(),
  point: option.object<GridPoint>().required(),
} as const;

/** The queue's job id of a job: one id per run and point, so a job added twice is one job. */
export function queueJobId(data: Omit<QueueJobData, 'format'>): string {
  return `${data.experimentId}.${data.mode}.${data.backend}.s${data.sweepSeed}.${jobKey(data.point)}`;
}

const TYPE_CHECKS: Record<string, Check<number | string | boolean>> = { number: option.number(), string: option.string(), boolean: option.boolean() };

/** The declared options of a sweep's points: every key its grids (quick and full) use, the types seen for it, and whether every point has it. */
export function declaredPointSpec(experiment: Experiment, sweepSeed: number, backend: RunBackend): Record<string, Check<number | string | boolean>> {
  const sweep = experiment.sweep as NonNullable<Experiment['sweep']>;
  const points = (['quick', 'full'] as const).flatMap((mode) => sweep.grid({ mode, seed: sweepSeed, backend }));
  const types = new Map<string, Set<string>>();
  const counts = new Map<string, number>();
  for (const p of points) {
    for (const [k, v] of Object.entries(p)) {
      if (!types.has(k)) types.set(k, new Set());
      types.get(k)!.add(typeof v);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  const spec: Record<string, Check<number | string | boolean>> = {};
  for (const [k, ts] of types) {
    const checks = [...ts].sort().map((t) => TYPE_CHECKS[t]!);
    const check = checks.length === 1 ? checks[0]! : (option.anyOf(...checks) as Check<number | string | boolean>);
    spec[k] = counts.get(k) === points.length ? check.required() : check;
  }
  return spec;
}

/** The key sets of a sweep's declared points (quick and full grids), each as its sorted keys joined by ", ". */
export function declaredKeySets(experiment: Experiment, sweepSeed: number, backend: RunBackend): string[] {
  const sweep = experiment.sweep as NonNullable<Experiment['sweep']>;
  const points = (['quick', 'full'] as const).flatMap((mode) => sweep.grid({ mode, seed: sweepSeed, backend }));
  return [...new Set(points.map((p) => Object.keys(p).sort().join(', ')))];
}

/** Checks a queued job's data (what a worker received); returns the registered experiment and the job to run, or throws naming what is wrong. */
export function checkQueueJob(data: unknown): { experiment: Experiment; job: JobConfig } {
  const where = 'ddopt queue worker: job';
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && (data as { format?: unknown }).format !== QUEUE_JOB_FORMAT) {
    throw new TypeError(`${where} is not a ddopt sweep job (format ${JSON.stringify((data as { format?: unknown }).format)}, expected "${QUEUE_JOB_FORMAT}"); a queued job is data (an experiment id and a grid point), never code`);
  }
  const d = checkOptions(where, data as QueueJobData, ENVELOPE, { arg: 'data' }) as QueueJobData;
  let experiment: Experiment;
  try {
    experiment = experimentById(d.experimentId);
  } catch (e) {
    throw new RangeError(`${where}: ${(e as Error).message.replace(/^experimentById: /, '')}`);
  }
  if (!experiment.sweep) throw new RangeError(`${where}: experiment "${d.experimentId}" declares no sweep, so it has no jobs to run`);
  const point = checkOptions(`${where} for "${d.experimentId}"`, d.point, declaredPointSpec(experiment, d.sweepSeed, d.backend), { arg: 'point' }) as GridPoint;
  // checkOptions fills no defaults here (none are declared), so `point` holds exactly the keys sent.
  if (canonicalPoint(point) !== canonicalPoint(d.point)) throw new Error(`${where}: point ${canonicalPoint(d.point)} did not survive its check`);
  // A grid of several kinds of job (keys that go together): the point's keys must be one declared point's.
  const shapes = declaredKeySets(experiment, d.sweepSeed, d.backend);
  const keys = Object.keys(point).sort().join(', ');
  if (!shapes.includes(keys)) throw new RangeError(`${where} for "${d.experimentId}": point ${canonicalPoint(point)} has keys [${keys}], which no declared grid point has; declared: ${shapes.map((k) => `[${k}]`).join(' or ')}`);
  return { experiment, job: { mode: d.mode, backend: d.backend, seed: jobSeed(d.sweepSeed, point), point } };
}
