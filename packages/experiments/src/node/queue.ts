// A sweep on a Redis-backed queue (BullMQ), for runs that need more than one machine:
// `runSweepOnQueue` puts the jobs on the queue and writes each finished one into the run folder as
// it completes (the same checkpoints as `runSweep`, so a rerun skips them); `startQueueWorker`
// takes jobs from the queue on any machine, checks each is data naming a registered experiment and
// a point of its declared grid, and runs it on a worker-thread pool (so the main thread keeps
// renewing the job's lock). A worker that dies mid-job loses its lock; BullMQ's stalled-job check
// moves the job back to the queue and another worker runs it. The producer writes each job once.
import { hostname } from 'node:os';
import { type ConnectionOptions, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Piscina } from 'piscina';
import type { Experiment, GridPoint, JobOutput, JobRecord, Progress, RunBackend, RunMode } from '../contract.js';
import { RUN_BACKENDS, silentProgress } from '../contract.js';
import { canonicalPoint, checkGrid, checkJobOutput } from '../sweep.js';
import { type PendingJob, planJobs, type RunIdentity, writeCheckpoint } from './checkpoint.js';
import { checkQueueJob, QUEUE_JOB_FORMAT, QUEUE_RESULT_FORMAT, type QueueJobData, queueJobId } from './queue-job.js';
import { parseQueueUrl, type QueueEndpoint } from './queue-url.js';
import type { CrashedJob } from './sweep.js';
import { workerEntry } from './sweep.js';
import type { SweepTask } from './sweep-worker.js';

/** The queue (BullMQ queue name) producers and workers use unless told otherwise. */
export const DEFAULT_QUEUE_NAME = 'ddopt-sweep';

/** What `runSweepOnQueue` accepts besides the experiment and its grid. */
export interface QueueSweepOptions {
  /** The queue: `redis://[[user]:password@]host[:port][/db]` (the password is never printed or written). */
  queue: string;
  /** The BullMQ queue name (default `ddopt-sweep`); workers must name the same one. */
  name?: string;
  /** The sweep's seed; each job's is `jobSeed(seed, point)` (default 0). */
  seed?: number;
  mode?: RunMode;
  backend?: RunBackend;
  /** The run folder: each finished job is written there as it completes, and a rerun skips those found. */
  dir?: string;
  /** Ticks once per finished job (crashed included) over the jobs still to run. */
  progress?: Progress;
  /** Status lines (queued, waiting for workers); never holds the password. Default: none. */
  log?: (line: string) => void;
  /** How often (ms) to ask the queue for jobs whose events were missed (default 5000). */
  pollMs?: number;
}

/** What a sweep on the queue produced: finished jobs in grid order, crashed ones, resumed ones, and which workers ran them. */
export interface QueueSweepReport {
  experimentId: string;
  seed: number;
  mode: RunMode;
  backend: RunBackend;
  /** The BullMQ queue name (never the URL). */
  queueName: string;
  jobs: JobRecord[];
  crashed: CrashedJob[];
  /** Jobs read back from the run folder instead of run. */
  resumed: number;
  /** Worker name (`host#pid`) → jobs of this run it finished. */
  ranBy: Record<string, number>;
  seconds: number;
}

/** What a queue worker returns for a job (the queue keeps it until the producer has written it). */
interface QueueResult {
  format: typeof QUEUE_RESULT_FORMAT;
  output: JobOutput;
  seconds: number;
  worker: string;
}

const PRODUCER_KEYS = new Set(['queue', 'name', 'seed', 'mode', 'backend', 'dir', 'progress', 'log', 'pollMs']);
const WORKER_KEYS = new Set(['queue', 'name', 'workers', 'lockDuration', 'stalledInterval', 'log']);

function checkKeys(fn: string, options: object, known: Set<string>): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object, got ${String(options)}`);
  for (const k of Object.keys(options)) if (!known.has(k)) throw new Error(`${fn}: unknown option "${k}"; known options: ${[...known].join(', ')}`);
}

function positiveInt(fn: string, name: string, v: unknown, fallback: number): number {
  const n = v ?? fallback;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new RangeError(`${fn}: ${name} must be a positive integer, got ${String(v)}`);
  return n;
}

function queueName(fn: string, v: unknown): string {
  const name = v ?? DEFAULT_QUEUE_NAME;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) throw new RangeError(`${fn}: name must be letters, digits, '.', '_' or '-', got ${JSON.stringify(v)}`);
  return name;
}

/** Connects once with no retries, so a wrong host or password fails at the call with a clear message (BullMQ's own connections retry forever). */
async function checkReachable(fn: string, ep: QueueEndpoint): Promise<void> {
  const client = new Redis({ ...ep.connection, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false, connectTimeout: 5000 });
  // ioredis reports the cause (refused, NOAUTH, WRONGPASS) as an 'error' event, then rejects with "Connection is closed".
  let cause: string | undefined;
  client.on('error', (e: Error) => {
    cause ??= e?.message;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    const msg = ep.scrub(cause ?? (e as Error)?.message ?? String(e));
    const auth = /NOAUTH|WRONGPASS|invalid password|AUTH/i.test(msg) ? '; check the password in the queue URL' : '';
    throw new Error(`${fn}: cannot use the Redis queue at ${ep.display}: ${msg}${auth}`);
  } finally {
    client.disconnect();
  }
}

/** BullMQ's connection options for an endpoint (workers need `maxRetriesPerRequest: null`). */
function bullConnection(ep: QueueEndpoint): ConnectionOptions {
  return { ...ep.connection, maxRetriesPerRequest: null };
}

/**
 * Runs `experiment`'s sweep over `grid` on a Redis queue: puts each job not yet in `dir` on the
 * queue, writes each finished one to `dir` as it completes, and resolves once every job has
 * finished or crashed; workers (`startQueueWorker`, `ddopt worker`) may run anywhere.
 */
export async function runSweepOnQueue(experiment: Experiment, grid: GridPoint[], options: QueueSweepOptions): Promise<QueueSweepReport> {
  const fn = 'runSweepOnQueue';
  const t0 = performance.now();
  if (!experiment?.sweep) throw new TypeError(`${fn}: experiment ${JSON.stringify(experiment?.id)} declares no sweep (Experiment.sweep)`);
  checkGrid(fn, grid);
  checkKeys(fn, options, PRODUCER_KEYS);
  const ep = parseQueueUrl(fn, options.queue);
  const name = queueName(fn, options.name);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`${fn}: seed must be an integer in [0, 2^32), got ${String(options.seed)}`);
  const mode = options.mode ?? 'quick';
  if (mode !== 'quick' && mode !== 'full') throw new RangeError(`${fn}: mode must be "quick" or "full", got ${String(mode)}`);
  const backend = options.backend ?? 'cpu';
  if (!(RUN_BACKENDS as readonly string[]).includes(backend)) throw new RangeError(`${fn}: backend must be one of ${RUN_BACKENDS.join(', ')}, got ${String(backend)}`);
  const pollMs = positiveInt(fn, 'pollMs', options.pollMs, 5000);
  const progress = options.progress ?? silentProgress;
  const log = (line: string) => options.log?.(ep.scrub(line));
  // Workers re-derive and check every job against the registry; refuse here what they would refuse.
  for (const point of grid) checkQueueJob({ format: QUEUE_JOB_FORMAT, experimentId: experiment.id, mode, backend, sweepSeed: seed, point });

  const run: RunIdentity = { experimentId: experiment.id, sweepSeed: seed, mode, backend };
  const { done, todo } = planJobs(fn, run, grid, options.dir);
  const resumed = done.size;
  const crashed = new Map<number, CrashedJob>();
  const ranBy: Record<string, number> = {};
  const report = (): QueueSweepReport => {
    const order = (m: Map<number, unknown>) => [...m.keys()].sort((a, b) => a - b);
    return { experimentId: experiment.id, seed, mode, backend, queueName: name, jobs: order(done).map((i) => done.get(i) as JobRecord), crashed: order(crashed).map((i) => crashed.get(i) as CrashedJob), resumed, ranBy, seconds: (performance.now() - t0) / 1000 };
  };
  if (!todo.length) return report();

  await checkReachable(fn, ep);
  const connection = bullConnection(ep);
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  const onError = (e: Error) => log(`${fn}: queue connection: ${e?.message ?? String(e)}`);
  queue.on('error', onError);
  events.on('error', onError);
  const pending = new Map<string, PendingJob>();
  // Requests in flight (removals, lookups), awaited before the connections close.
  const chores = new Set<Promise<unknown>>();
  const chore = (p: Promise<unknown>) => {
    const settled = p.finally(() => chores.delete(settled));
    chores.add(settled);
  };
  let resolveAll: () => void = () => {};
  const allDone = new Promise<void>((r) => {
    resolveAll = r;
  });
  const forget = (id: string) => chore(queue.remove(id).catch(() => {}));
  const finish = (id: string, outcome: { value: unknown } | { error: string }) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    const fail = (error: string) => crashed.set(p.index, { point: p.job.point, seed: p.job.seed, error: ep.scrub(error) });
    if ('error' in outcome) fail(outcome.error);
    else {
      try {
        const r = (typeof outcome.value === 'string' ? JSON.parse(outcome.value) : outcome.value) as Partial<QueueResult> | null;
        if (r === null || typeof r !== 'object' || r.format !== QUEUE_RESULT_FORMAT || typeof r.seconds !== 'number' || typeof r.worker !== 'string') throw new Error(`${fn}: job ${id} came back as ${JSON.stringify(r)?.slice(0, 200)}, not a "${QUEUE_RESULT_FORMAT}" result (a worker of another ddopt version?)`);
        checkJobOutput(experiment.id, p.job.point, r.output);
        const record: JobRecord = { point: p.job.point, seed: p.job.seed, output: r.output, seconds: r.seconds };
        if (p.path !== undefined) writeCheckpoint(p.path, run, record);
        done.set(p.index, record);
        ranBy[r.worker] = (ranBy[r.worker] ?? 0) + 1;
      } catch (e) {
        fail((e as Error)?.stack ?? String(e));
      }
    }
    // The folder has it now (or the crash is reported): the queue need not keep it, and a rerun re-adds a crashed one.
    forget(id);
    progress.tick();
    if (!pending.size) resolveAll();
  };
  /** Looks a job up in the queue: settles it when finished, (re)adds it when missing. */
  const look = async (id: string, data: QueueJobData, initial = false) => {
    const job = await queue.getJob(id);
    // Settled meanwhile (an event came first, and the job is removed): nothing to do.
    if (!pending.has(id)) return;
    if (!job) {
      await queue.add('job', data, { jobId: id, attempts: 1, removeOnComplete: false, removeOnFail: false });
      return;
    }
    const state = await job.getState();
    if (state === 'completed') finish(id, { value: job.returnvalue });
    else if (state === 'failed' && initial) {
      // Left from an earlier producer that stopped before reporting it: a rerun retries it.
      await job.remove();
      await queue.add('job', data, { jobId: id, attempts: 1, removeOnComplete: false, removeOnFail: false });
    } else if (state === 'failed') finish(id, { error: job.stacktrace?.length ? (job.stacktrace[job.stacktrace.length - 1] as string) : job.failedReason });
  };
  const jobs = new Map<string, QueueJobData>();
  try {
    events.on('completed', ({ jobId, returnvalue }) => finish(jobId, { value: returnvalue }));
    events.on('failed', ({ jobId, failedReason }) => {
      if (!pending.has(jobId)) return;
      // The job's stack, when the queue has it, says more than its reason.
      chore(
        queue
          .getJob(jobId)
          .then((j) => finish(jobId, { error: j?.stacktrace?.length ? (j.stacktrace[j.stacktrace.length - 1] as string) : failedReason }))
          .catch(() => finish(jobId, { error: failedReason })),
      );
    });
    await events.waitUntilReady();
    await queue.waitUntilReady();
    progress.start(todo.length, resumed ? `jobs on queue ${name} (${resumed} done before)` : `jobs on queue ${name}`);
    for (const p of todo) {
      const data: QueueJobData = { format: QUEUE_JOB_FORMAT, experimentId: experiment.id, mode, backend, sweepSeed: seed, point: p.job.point };
      const id = queueJobId(data);
      pending.set(id, p);
      jobs.set(id, data);
    }
    // A job of this run may be on the queue already (an earlier producer that stopped): take its result, or wait for it.
    for (const [id, data] of jobs) await look(id, data, true);
    if (pending.size) log(`${fn}: ${pending.size} job${pending.size > 1 ? 's' : ''} of ${experiment.id} on queue "${name}" at ${ep.display}; run \`ddopt worker --queue ${ep.display}${name !== DEFAULT_QUEUE_NAME ? ` --queue-name ${name}` : ''}\`${ep.connection.password !== undefined ? ' (with the password in place of ***)' : ''} on each machine that should take them`);
    // Catches what events missed (a job finished before this producer listened); one sweep of lookups at a time.
    let polling = false;
    const timer = setInterval(() => {
      if (polling) return;
      polling = true;
      const sweep = (async () => {
        for (const id of [...pending.keys()]) await look(id, jobs.get(id) as QueueJobData).catch((e) => log(`${fn}: looking up job ${id}: ${(e as Error)?.message ?? String(e)}`));
      })().finally(() => {
        polling = false;
      });
      chore(sweep);
    }, pollMs);
    try {
      if (pending.size) await allDone;
    } finally {
      clearInterval(timer);
    }
    while (chores.size) await Promise.all([...chores]);
  } catch (e) {
    throw new Error(ep.scrub((e as Error)?.message ?? String(e)));
  } finally {
    await Promise.allSettled([events.close(), queue.close()]);
  }
  return report();
}

/** What `startQueueWorker` accepts. */
export interface QueueWorkerOptions {
  /** The queue: `redis://[[user]:password@]host[:port][/db]` (the password is never printed). */
  queue: string;
  /** The BullMQ queue name (default `ddopt-sweep`). */
  name?: string;
  /** Jobs run at once on this machine, each on its own worker thread (default 1). */
  workers?: number;
  /** How long (ms) a job's lock lasts unrenewed before the job counts as stalled and another worker takes it (default 30000). */
  lockDuration?: number;
  /** How often (ms) this worker checks the queue for stalled jobs (default: `lockDuration`). */
  stalledInterval?: number;
  /** One line per job started, finished, failed or refused, and connection trouble; never holds the password. Default: none. */
  log?: (line: string) => void;
}

/** A running queue worker. */
export interface QueueWorker {
  /** `host#pid`, as the producer's `ranBy` names it. */
  readonly name: string;
  /** Jobs finished, failed (the experiment threw) and refused (not a valid job) so far. */
  counts(): { finished: number; failed: number; refused: number };
  /** Stops taking jobs, lets the running ones finish, and closes the connections and threads. */
  close(): Promise<void>;
}

/** Starts a worker that takes sweep jobs from a Redis queue and runs them on threads until `close()`; refuses any job that is not a registered experiment's grid point. */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const fn = 'startQueueWorker';
  checkKeys(fn, options, WORKER_KEYS);
  const ep = parseQueueUrl(fn, options.queue);
  const name = queueName(fn, options.name);
  const workers = positiveInt(fn, 'workers', options.workers, 1);
  const lockDuration = positiveInt(fn, 'lockDuration', options.lockDuration, 30_000);
  const stalledInterval = positiveInt(fn, 'stalledInterval', options.stalledInterval, lockDuration);
  const log = (line: string) => options.log?.(ep.scrub(line));
  await checkReachable(fn, ep);
  const me = `${hostname()}#${process.pid}`;
  const counts = { finished: 0, failed: 0, refused: 0 };
  const { filename, execArgv } = workerEntry();
  const pool = new Piscina({ filename, execArgv, minThreads: workers, maxThreads: workers, idleTimeout: 60_000 });
  const worker = new Worker(
    name,
    async (job) => {
      let checked: ReturnType<typeof checkQueueJob>;
      try {
        checked = checkQueueJob(job.data);
      } catch (e) {
        counts.refused++;
        const msg = (e as Error).message;
        log(`refused job ${job.id}: ${msg}`);
        // Not the experiment's failure: never retried.
        throw new UnrecoverableError(msg);
      }
      const { experiment, job: config } = checked;
      const where = `${experiment.id} ${canonicalPoint(config.point)}`;
      log(`started job ${job.id} (${where})`);
      const started = performance.now();
      try {
        const task: SweepTask = { experimentId: experiment.id, job: config };
        const output = (await pool.run(task)) as JobOutput;
        checkJobOutput(experiment.id, config.point, output);
        const seconds = (performance.now() - started) / 1000;
        counts.finished++;
        log(`finished job ${job.id} in ${seconds.toFixed(2)} s`);
        const result: QueueResult = { format: QUEUE_RESULT_FORMAT, output, seconds, worker: me };
        return result;
      } catch (e) {
        counts.failed++;
        log(`job ${job.id} (${where}) crashed: ${(e as Error)?.message ?? String(e)}`);
        throw e;
      }
    },
    { connection: bullConnection(ep), concurrency: workers, lockDuration, stalledInterval, name: me, autorun: false },
  );
  worker.on('error', (e) => log(`${fn}: queue connection: ${(e as Error)?.message ?? String(e)}`));
  log(`worker ${me} takes jobs from queue "${name}" at ${ep.display} on ${workers} thread${workers > 1 ? 's' : ''}`);
  void worker.run().catch((e) => log(`${fn}: worker stopped: ${(e as Error)?.message ?? String(e)}`));
  await worker.waitUntilReady();
  let closing: Promise<void> | undefined;
  return {
    name: me,
    counts: () => ({ ...counts }),
    close: () => {
      closing ??= (async () => {
        await worker.close();
        await pool.destroy();
      })();
      return closing;
    },
  };
}
