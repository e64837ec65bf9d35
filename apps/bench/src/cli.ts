import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { experiments, RUN_BACKENDS, type RunBackend, type RunConfig } from '@ddopt/experiments';
import { DEFAULT_QUEUE_NAME, startQueueWorker } from '@ddopt/experiments/node';
import { Command, CommanderError, Option } from 'commander';
import { useBackend } from './backends.js';
import { BENCH_SUITES, runBench } from './bench/index.js';
import { barProgress } from './progress.js';
import { textTable } from './report/text-table.js';
import { runExperiments, writeReport } from './runner.js';

/** Where the CLI writes: stdout-like and stderr-like sinks (tests capture them). */
export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

const defaultIO: CliIO = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Where relative output paths start: the directory `pnpm` was invoked from, else the cwd. */
function baseDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

class UsageError extends Error {}

function parseWorkers(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--workers must be a positive integer, got "${v}"`);
  return n;
}

function parseSeed(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--seed must be a non-negative integer, got "${v}"`);
  return n;
}

/** `ddopt reproduce`: validates the selection, runs it, writes the report, returns the exit code. */
async function reproduce(ids: string[], opts: { quick?: boolean; full?: boolean; backend: RunBackend; seed: string; out?: string; json?: boolean; list?: boolean; workers?: string; queue?: string; queueName?: string; data?: string }, io: CliIO): Promise<number> {
  if (opts.list) {
    io.out(`${textTable(['id', 'seed doc', 'title'], experiments.map((e) => [e.id, e.seed, e.title]))}\n`);
    return 0;
  }
  if (opts.quick && opts.full) throw new UsageError('choose one of --quick and --full, not both');
  const known = experiments.map((e) => e.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length) throw new UsageError(`unknown experiment${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; known experiments: ${known.join(', ')}`);
  const selected = ids.length ? experiments.filter((e) => ids.includes(e.id)) : experiments;
  if (opts.data !== undefined && !selected.some((e) => e.dataHint)) {
    const readers = experiments.filter((e) => e.dataHint).map((e) => `${e.id} (${e.dataHint})`);
    throw new UsageError(`--data applies to experiments that read the user's data, and none is selected (${selected.map((e) => e.id).join(', ')}); those that do: ${readers.join(', ')}`);
  }
  const config: RunConfig = { mode: opts.full ? 'full' : 'quick', seed: parseSeed(opts.seed), backend: opts.backend, ...(opts.data !== undefined ? { data: resolve(baseDir(), opts.data) } : {}) };
  const workers = opts.workers === undefined ? undefined : parseWorkers(opts.workers);
  if (workers !== undefined && !selected.some((e) => e.sweep)) throw new UsageError(`--workers applies to sweep experiments, and none is selected (${selected.map((e) => e.id).join(', ')})`);
  if (opts.queue !== undefined && workers !== undefined) throw new UsageError('choose one of --workers (threads here) and --queue (ddopt workers anywhere), not both');
  if (opts.queue !== undefined && !selected.some((e) => e.sweep)) throw new UsageError(`--queue applies to sweep experiments, and none is selected (${selected.map((e) => e.id).join(', ')})`);
  if (opts.queueName !== undefined && opts.queue === undefined) throw new UsageError('--queue-name needs --queue');
  await useBackend(config.backend);
  const dir = resolve(baseDir(), opts.out ?? `reports/${today()}-${config.seed}`);
  const queue = opts.queue === undefined ? undefined : { url: opts.queue, log: (line: string) => io.err(`${line}\n`), ...(opts.queueName !== undefined ? { name: opts.queueName } : {}) };
  const report = await runExperiments(selected, config, barProgress, { jobsDir: join(dir, 'jobs'), ...(workers !== undefined ? { workers } : {}), ...(queue !== undefined ? { queue } : {}), log: (line) => io.err(`${line}\n`) });
  const paths = writeReport(report, dir);
  if (opts.json) {
    io.out(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const rows = report.experiments.map((e) => [e.id, e.status, e.result ? e.result.verdict.status : '-', Number(e.seconds.toFixed(1)), e.result ? e.result.verdict.text : (e.error ?? '').split('\n')[0]!]);
    io.out(`\n${textTable(['experiment', 'status', 'verdict', 'seconds', 'details'], rows)}\n\nreport: ${paths.html}\nresults: ${paths.json}\n`);
  }
  const crashed = report.experiments.filter((e) => e.status === 'crashed');
  for (const c of crashed) io.err(`\n${c.id} crashed:\n${c.error}\n`);
  return crashed.length ? 1 : 0;
}

function parseMs(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer of milliseconds, got "${v}"`);
  return n;
}

/** `ddopt worker`: takes sweep jobs from the queue until SIGINT/SIGTERM, then lets the running ones finish; returns the exit code. */
async function worker(opts: { queue?: string; queueName?: string; workers?: string; lockDuration?: string }, io: CliIO): Promise<number> {
  // The URL may hold a password: from the environment it stays out of the process list.
  const queue = opts.queue ?? process.env.DDOPT_QUEUE;
  if (queue === undefined) throw new UsageError('ddopt worker needs --queue redis://[:password@]host:port (or the DDOPT_QUEUE environment variable)');
  const log = (line: string) => io.out(`${new Date().toISOString()} ${line}\n`);
  let w: Awaited<ReturnType<typeof startQueueWorker>>;
  try {
    w = await startQueueWorker({
      queue,
      log,
      ...(opts.queueName !== undefined ? { name: opts.queueName } : {}),
      ...(opts.workers !== undefined ? { workers: parseWorkers(opts.workers) } : {}),
      ...(opts.lockDuration !== undefined ? { lockDuration: parseMs('--lock-duration', opts.lockDuration) } : {}),
    });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // Its message names the queue with the password replaced by ***.
    io.err(`error: ${(e as Error).message}\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  log(`stopping: letting the running jobs finish (${JSON.stringify(w.counts())} so far)`);
  await w.close();
  log(`stopped: ${JSON.stringify(w.counts())}`);
  return 0;
}

/** Builds the commander program; actions resolve to an exit code through `setCode`. */
function program(io: CliIO, setCode: (p: Promise<number>) => void): Command {
  const cmd = new Command('ddopt')
    .description('ddopt: reproduce the seed documents\' experiments, and benchmark ddopt against its peers')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  cmd
    .command('reproduce')
    .description('run experiments and write reports/<date>-<seed>/index.html and results.json')
    .argument('[experiment...]', 'experiment ids (default: all; see --list)')
    .option('--quick', 'small settings that finish in minutes (default)')
    .option('--full', "the paper's settings (slow)")
    .addOption(new Option('--backend <name>', 'tensor backend').choices([...RUN_BACKENDS]).default('cpu'))
    .option('--seed <n>', 'seed for every random thing', '0')
    .option('--out <dir>', 'output directory (default reports/<date>-<seed>)')
    .option('--workers <n>', "worker threads for a sweep experiment's jobs (default: available parallelism); finished jobs are kept in <out>/jobs and skipped on a rerun")
    .option('--queue <url>', "put a sweep experiment's jobs on a Redis queue, redis://[:password@]host:port, for `ddopt worker`s on any machines; finished jobs come back into <out>/jobs")
    .option('--queue-name <name>', `the queue's name (default ${DEFAULT_QUEUE_NAME})`)
    .option('--data <path>', "a folder of your own data for the experiments that read one (residual-cifar: a cifar-10-batches-bin folder); with a --queue, every worker must have it at the same path")
    .option('--json', 'print results as JSON on stdout')
    .option('--list', 'list the registered experiments and exit')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .action((ids: string[], opts) => setCode(reproduce(ids, opts, io)));
  cmd
    .command('worker')
    .description('take sweep jobs from a Redis queue (`ddopt reproduce <id> --queue …` puts them there) and run them, until stopped with Ctrl-C or SIGTERM')
    .option('--queue <url>', 'the queue, redis://[:password@]host:port (default: the DDOPT_QUEUE environment variable, which keeps a password out of the process list)')
    .option('--queue-name <name>', `the queue's name (default ${DEFAULT_QUEUE_NAME})`)
    .option('--workers <n>', 'jobs run at once, each on its own thread (default 1)')
    .option('--lock-duration <ms>', "how long a job's lock lasts unrenewed before another worker takes the job over, e.g. after this machine dies (default 30000)")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .action((opts) => setCode(worker(opts, io)));
  cmd
    .command('bench')
    .description(`time ddopt against its peers; suites: ${BENCH_SUITES.join(', ')}`)
    .argument('[suite...]', 'suites to run (default: all)')
    .option('--quick', 'small sizes (for tests)')
    .option('--out <dir>', 'output directory for bench.json (default reports/<date>-bench)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .action((suites: string[], opts: { quick?: boolean; out?: string }) => {
      const unknown = suites.filter((s) => !(BENCH_SUITES as readonly string[]).includes(s));
      if (unknown.length) throw new UsageError(`unknown bench suite ${unknown.map((u) => `"${u}"`).join(', ')}; known suites: ${BENCH_SUITES.join(', ')}`);
      const dir = resolve(baseDir(), opts.out ?? `reports/${today()}-bench`);
      setCode(runBench(suites.length ? suites : [...BENCH_SUITES], { quick: Boolean(opts.quick), outDir: dir, log: io.out }).then(() => 0));
    });
  return cmd;
}

/** Runs the CLI on `argv` (without node and script) and returns the process exit code. */
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  let pending: Promise<number> = Promise.resolve(0);
  try {
    await program(io, (p) => {
      pending = p;
    }).parseAsync(argv, { from: 'user' });
    return await pending;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
