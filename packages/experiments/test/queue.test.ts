// runSweepOnQueue and startQueueWorker against a real Redis (Debian's redis-server, started here on
// loopback on a free port): the same numbers and folder format as the thread runner, resume, forged
// jobs refused by a worker that keeps running, a password that never shows, and a worker killed
// with SIGKILL mid-job whose job another worker runs, written once.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { freePort } from '@ddopt/vitest-config/free-port';
import { type RedisServer, redisServerAvailable, startRedisServer } from '@ddopt/vitest-config/redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepDoubleDescent } from '../src/003-double-descent/deep-double-descent.js';
import { type GridPoint, type JobRecord, jobKey } from '../src/index.js';
import { QUEUE_JOB_FORMAT, type QueueWorker, queueJobId, runSweep, runSweepOnQueue, type SweepReport, startQueueWorker } from '../src/node/index.js';
import { parseQueueUrl } from '../src/node/queue-url.js';

if (!redisServerAvailable) {
  console.error('\n!!!!!!!! redis-server is not installed: the Redis queue tests (runSweepOnQueue, startQueueWorker) are SKIPPED. Install it: apt-get install -y redis-server (.ci/run does) !!!!!!!!\n');
}

// Three of deep-double-descent's random-features points at small sizes: a declared quick-grid point
// (so keys and types are the experiment's own) with fewer digits and features, a few tenths of a
// second each. A fresh worker's first job also waits seconds for its thread to load the registry,
// so a worker killed on its "started job" line is killed mid-job.
const declared = deepDoubleDescent.sweep?.grid({ mode: 'quick', seed: 0, backend: 'cpu' }).find((p) => 'features' in p);
if (!declared) throw new Error('queue.test: deep-double-descent declares no random-features point');
const grid: GridPoint[] = [
  { ...declared, features: 400, n: 100, nTest: 100, dataSeed: 0 },
  { ...declared, features: 20, n: 20, nTest: 20, dataSeed: 0 },
  { ...declared, features: 40, n: 20, nTest: 20, dataSeed: 0 },
];
const SEED = 5;
const outputs = (jobs: JobRecord[]) => jobs.map((j) => ({ point: j.point, seed: j.seed, output: j.output }));

const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'ddopt-queue-'));
  dirs.push(d);
  return d;
};

const servers: RedisServer[] = [];
const workers: QueueWorker[] = [];
const children: ChildProcess[] = [];
let reference: SweepReport;

beforeAll(async () => {
  if (!redisServerAvailable) return;
  // What the thread runner gives with one worker: the numbers every queue run must reproduce.
  reference = await runSweep(deepDoubleDescent, grid, { workers: 1, seed: SEED });
  expect(reference.crashed).toEqual([]);
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.allSettled(workers.map((w) => w.close()));
  await Promise.allSettled(servers.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 60_000);

describe('parseQueueUrl', () => {
  it('keeps the password for the connection only, shown as *** (plain or URL-encoded) everywhere else', () => {
    const ep = parseQueueUrl('f', 'redis://me:p%40ss%2Fw0rd@10.0.0.7:6380/2');
    expect(ep.connection).toEqual({ host: '10.0.0.7', port: 6380, db: 2, username: 'me', password: 'p@ss/w0rd' });
    expect(ep.display).toBe('redis://me:***@10.0.0.7:6380/2');
    expect(ep.scrub('auth p@ss/w0rd and p%40ss%2Fw0rd failed')).toBe('auth *** and *** failed');
    expect(parseQueueUrl('f', 'redis://localhost').connection).toEqual({ host: 'localhost', port: 6379, db: 0 });
    expect(parseQueueUrl('f', 'rediss://:x@h:1').connection.tls).toEqual({});
  });

  it('refuses a bad URL without echoing it', () => {
    expect(() => parseQueueUrl('f', 'not a url :secret@')).toThrow('f: queue must be a URL of the form redis://[:password@]host:port, got a string of 18 characters that is not a URL');
    expect(() => parseQueueUrl('f', 'redis://:secret@h:1/x')).toThrow('f: queue URL\'s database must be a non-negative integer, got "x" (redis://:***@h:1/x)');
    expect(() => parseQueueUrl('f', 'redis://:secret@h:1?tls=1')).toThrow('f: queue URL takes no query or fragment (redis://:***@h:1?tls=1)');
    expect(() => parseQueueUrl('f', 42)).toThrow('f: queue must be a redis:// URL string, got number');
  });
});

describe.skipIf(!redisServerAvailable)('runSweepOnQueue / startQueueWorker on a real redis-server', () => {
  let url: string;
  let worker: QueueWorker;
  const workerLog: string[] = [];
  beforeAll(async () => {
    const server = await startRedisServer();
    servers.push(server);
    url = `redis://127.0.0.1:${server.port}`;
    worker = await startQueueWorker({ queue: url, workers: 2, log: (l) => workerLog.push(l) });
    workers.push(worker);
  }, 60_000);

  it("gives the thread runner's numbers into the same folder format, and a rerun (queue or threads) skips what is done", async () => {
    const dir = freshDir();
    const report = await runSweepOnQueue(deepDoubleDescent, grid, { queue: url, seed: SEED, dir });
    expect(report.crashed).toEqual([]);
    expect(outputs(report.jobs)).toEqual(outputs(reference.jobs));
    expect(report.ranBy).toEqual({ [worker.name]: 3 });
    expect(readdirSync(dir).sort()).toEqual(grid.map((p) => `${jobKey(p)}.json`).sort());
    const again = await runSweepOnQueue(deepDoubleDescent, grid, { queue: url, seed: SEED, dir });
    expect(again.resumed).toBe(3);
    expect(again.ranBy).toEqual({});
    // The thread runner reads the queue's checkpoints as its own.
    const threads = await runSweep(deepDoubleDescent, grid, { workers: 1, seed: SEED, dir });
    expect(threads.resumed).toBe(3);
    expect(outputs(threads.jobs)).toEqual(outputs(reference.jobs));
    // A foreign (another seed) or corrupted checkpoint is refused with its path, by both runners.
    const path = join(dir, `${jobKey(grid[1] as GridPoint)}.json`);
    await expect(runSweepOnQueue(deepDoubleDescent, grid, { queue: url, seed: SEED + 1, dir })).rejects.toThrow(`runSweepOnQueue: checkpoint ${join(dir, `${jobKey(grid[0] as GridPoint)}.json`)} belongs to another run (sweepSeed ${SEED}, this run's ${SEED + 1})`);
    writeFileSync(path, '{"format": "ddopt-sweep-job/1", "output": {"testMse": ');
    await expect(runSweepOnQueue(deepDoubleDescent, grid, { queue: url, seed: SEED, dir })).rejects.toThrow(`runSweepOnQueue: checkpoint ${path} is not valid JSON`);
    await expect(runSweep(deepDoubleDescent, grid, { workers: 1, seed: SEED, dir })).rejects.toThrow(`runSweep: checkpoint ${path} is not valid JSON`);
    writeFileSync(path, JSON.stringify({ format: 'ddopt-sweep-job/1', experimentId: 'deep-double-descent', sweepSeed: SEED, mode: 'quick', backend: 'cpu', seed: reference.jobs[1]?.seed, point: grid[1], seconds: 1, output: { testMse: [1] } }));
    await expect(runSweepOnQueue(deepDoubleDescent, grid, { queue: url, seed: SEED, dir })).rejects.toThrow(`runSweepOnQueue: checkpoint ${path} is corrupted: experiment "deep-double-descent" job`);
    // Deleting it reruns only that job.
    rmSync(path);
    const partial = await runSweepOnQueue(deepDoubleDescent, grid, { queue: url, seed: SEED, dir });
    expect(partial.resumed).toBe(2);
    expect(partial.ranBy).toEqual({ [worker.name]: 1 });
    expect(outputs(partial.jobs)).toEqual(outputs(reference.jobs));
  }, 120_000);

  it('fails a forged job with a message naming what is wrong, the worker keeps running, and a producer takes over a finished job left on the queue', async () => {
    const connection = { host: '127.0.0.1', port: Number(new URL(url).port), maxRetriesPerRequest: null };
    const queue = new Queue('ddopt-sweep', { connection });
    const events = new QueueEvents('ddopt-sweep', { connection });
    try {
      await events.waitUntilReady();
      const good = { format: QUEUE_JOB_FORMAT, experimentId: 'deep-double-descent', mode: 'quick', backend: 'cpu', sweepSeed: 0, point: grid[1] };
      const forged: [string, unknown, string][] = [
        ['unknown experiment', { ...good, experimentId: 'rm-rf' }, 'ddopt queue worker: job: unknown experiment "rm-rf"; known experiments: '],
        ['unknown option key', { ...good, point: { ...grid[1], command: 'rm -rf /' } }, 'ddopt queue worker: job for "deep-double-descent": unknown option "command"'],
        ['wrong type', { ...good, point: { ...grid[1], features: '20' } }, `ddopt queue worker: job for "deep-double-descent": point.features must be a finite number, got '20'`],
        ['missing key', { ...good, point: Object.fromEntries(Object.entries(grid[1] as GridPoint).filter(([k]) => k !== 'dataSeed')) }, 'ddopt queue worker: job for "deep-double-descent": option dataSeed is required'],
        ['code in the job', { ...good, moduleUrl: 'file:///tmp/evil.mjs' }, 'ddopt queue worker: job: unknown option "moduleUrl"'],
        ['not a ddopt job', { cmd: 'run' }, 'ddopt queue worker: job is not a ddopt sweep job (format undefined'],
        ['experiment without a sweep', { ...good, experimentId: 'double-descent' }, 'ddopt queue worker: job: experiment "double-descent" declares no sweep'],
        ['bad mode', { ...good, mode: 'huge' }, "ddopt queue worker: job: data.mode must be one of 'quick', 'full', got 'huge'"],
      ];
      // A key that another kind of declared point has (the fully connected part's width, say), added to a random-features point.
      const allKeys = [...new Set((deepDoubleDescent.sweep?.grid({ mode: 'quick', seed: 0, backend: 'cpu' }) ?? []).flatMap((p) => Object.keys(p)))];
      const other = allKeys.find((k) => !(k in (grid[1] as GridPoint)));
      if (other !== undefined) {
        const sample = deepDoubleDescent.sweep?.grid({ mode: 'quick', seed: 0, backend: 'cpu' }).find((p) => other in p)?.[other] as number | string | boolean;
        forged.push(['keys of no declared point', { ...good, point: { ...grid[1], [other]: sample } }, `has keys [${[...Object.keys(grid[1] as GridPoint), other].sort().join(', ')}], which no declared grid point has; declared: [`]);
      }
      for (const [label, data, message] of forged) {
        const job = await queue.add(`forged ${label}`, data);
        await expect(job.waitUntilFinished(events, 30_000), label).rejects.toThrow(message);
      }
      expect(worker.counts().refused).toBe(forged.length);
      expect(workerLog.filter((l) => l.startsWith('refused job'))).toHaveLength(forged.length);
      // Still taking jobs: a good one pushed the same way runs.
      const ok = await queue.add('good', good, { jobId: queueJobId(good as never) });
      const value = (await ok.waitUntilFinished(events, 60_000)) as { output: Record<string, number> };
      expect(value.output.testMse).toBeGreaterThan(0);
      // That finished job is still on the queue, as if its producer had stopped before writing it:
      // a producer of the same run takes its result over instead of running it again.
      const before = worker.counts().finished;
      const dir = freshDir();
      const taken = await runSweepOnQueue(deepDoubleDescent, [grid[1] as GridPoint], { queue: url, seed: 0, dir });
      expect(worker.counts().finished).toBe(before);
      expect(taken.jobs[0]?.output).toEqual(value.output);
      expect(readdirSync(dir)).toEqual([`${jobKey(grid[1] as GridPoint)}.json`]);
      expect(await queue.getJob(ok.id as string)).toBeUndefined();
    } finally {
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 120_000);

  it('refuses bad arguments at the call, naming them', async () => {
    await expect(runSweepOnQueue(deepDoubleDescent, grid, { queue: 'http://x:1' })).rejects.toThrow('runSweepOnQueue: queue must be a redis:// or rediss:// URL, got scheme "http"');
    await expect(runSweepOnQueue(deepDoubleDescent, grid, { queue: url, threads: 2 } as never)).rejects.toThrow('runSweepOnQueue: unknown option "threads"');
    await expect(runSweepOnQueue(deepDoubleDescent, [{ ...grid[1], cmd: 'x' }], { queue: url })).rejects.toThrow('unknown option "cmd"');
    await expect(startQueueWorker({ queue: url, workers: 0 })).rejects.toThrow('startQueueWorker: workers must be a positive integer, got 0');
    const closed = await freePort();
    await expect(runSweepOnQueue(deepDoubleDescent, grid, { queue: `redis://127.0.0.1:${closed}` })).rejects.toThrow(`runSweepOnQueue: cannot use the Redis queue at redis://127.0.0.1:${closed}: connect ECONNREFUSED`);
  }, 30_000);
});

describe.skipIf(!redisServerAvailable)('a queue behind a password (Redis AUTH)', () => {
  const password = `pw-${randomBytes(12).toString('hex')}`;
  let port: number;
  let url: string;
  beforeAll(async () => {
    const server = await startRedisServer(['--requirepass', password]);
    servers.push(server);
    port = server.port;
    url = `redis://:${password}@127.0.0.1:${port}`;
  }, 30_000);

  it('retries the job of a worker killed with SIGKILL on another worker, writes each job once, and never shows the password', async () => {
    const dir = freshDir();
    const said: string[] = [];
    const progress: string[] = [];
    // Worker A: a child process, short lock so its job is soon found stalled.
    const entry = new URL('../src/node/index.ts', import.meta.url).href;
    const script = `import { startQueueWorker } from ${JSON.stringify(entry)};
      const w = await startQueueWorker({ queue: process.env.DDOPT_QUEUE, workers: 1, lockDuration: 1000, stalledInterval: 500, log: (l) => console.log(l) });
      console.log('ready ' + w.name);`;
    const a = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, DDOPT_QUEUE: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(a);
    let aOut = '';
    let aErr = '';
    const started = new Promise<string>((resolve, reject) => {
      a.stdout?.on('data', (b: Buffer) => {
        aOut += b.toString();
        const m = /started job (\S+)/.exec(aOut);
        if (m) resolve(m[1] as string);
      });
      a.stderr?.on('data', (b: Buffer) => {
        aErr += b.toString();
      });
      a.once('exit', (code, signal) => reject(new Error(`worker A exited (${code ?? signal}) before starting a job:\n${aOut}\n${aErr}`)));
    });
    const running = runSweepOnQueue(deepDoubleDescent, grid, {
      queue: url,
      seed: SEED,
      dir,
      pollMs: 500,
      log: (l) => said.push(l),
      progress: { start: (n, label) => progress.push(`start ${n} ${label}`), tick: () => progress.push('tick') },
    });
    const killedJob = await started;
    const aExit = new Promise((r) => a.once('exit', r));
    a.kill('SIGKILL');
    await aExit;
    expect(a.signalCode).toBe('SIGKILL');
    // Worker B, in this process, takes the stalled job once A's 1 s lock expires, and the others.
    // Its own locks last 10 s, so a busy test machine cannot make B's jobs look stalled too.
    const bLog: string[] = [];
    const b = await startQueueWorker({ queue: url, workers: 1, lockDuration: 10_000, stalledInterval: 500, log: (l) => bLog.push(l) });
    workers.push(b);
    const report = await running;
    await b.close();
    expect(report.crashed).toEqual([]);
    expect(outputs(report.jobs)).toEqual(outputs(reference.jobs));
    // Every job was finished by B, the killed one included; none by A.
    expect(report.ranBy).toEqual({ [b.name]: 3 });
    expect(bLog).toContain(bLog.find((l) => l.startsWith(`finished job ${killedJob} `)));
    expect(aOut).not.toMatch(/finished job/);
    // One checkpoint per point, each with the reference numbers.
    expect(readdirSync(dir).sort()).toEqual(grid.map((p) => `${jobKey(p)}.json`).sort());
    expect(progress.filter((p) => p === 'tick')).toHaveLength(3);
    // The password is nowhere: not in the folder, the progress, the logs, nor A's stdout/stderr.
    const written = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    for (const text of [...written, ...said, ...progress, ...bLog, aOut, aErr, JSON.stringify(report)]) expect(text).not.toContain(password);
    expect(said.join('\n')).toContain(`redis://:***@127.0.0.1:${port}`);
    expect(aOut).toContain(`redis://:***@127.0.0.1:${port}`);
  }, 180_000);

  it('names a missing or wrong password without showing any password', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const noPass = runSweepOnQueue(deepDoubleDescent, grid, { queue: `redis://127.0.0.1:${port}` });
    await expect(noPass).rejects.toThrow(`runSweepOnQueue: cannot use the Redis queue at redis://127.0.0.1:${port}: NOAUTH`);
    const bad = await startQueueWorker({ queue: `redis://:${wrong}@127.0.0.1:${port}` }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(bad?.message).toContain(`startQueueWorker: cannot use the Redis queue at redis://:***@127.0.0.1:${port}: WRONGPASS`);
    expect(bad?.message).toContain('check the password in the queue URL');
    expect(`${bad?.message}\n${bad?.stack}`).not.toContain(wrong);
    expect(`${bad?.message}\n${bad?.stack}`).not.toContain(password);
  }, 30_000);
});
