// `ddopt worker --queue redis://:password@host:port` (a child process) takes a sweep's jobs from a
// real redis-server started here on loopback and stops cleanly on SIGTERM; `ddopt reproduce --queue`
// runs a whole quick sweep on it into the thread runner's folder format, refuses what it cannot do
// and, with a wrong password, fails naming the queue without any password in its output or results.json.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { experiments, type GridPoint } from '@ddopt/experiments';
import { runSweepOnQueue } from '@ddopt/experiments/node';
import { type RedisServer, redisServerAvailable, startRedisServer } from '@ddopt/vitest-config/redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { RunReport } from '../src/runner.js';

if (!redisServerAvailable) {
  console.error('\n!!!!!!!! redis-server is not installed: the `ddopt worker` / `reproduce --queue` tests are SKIPPED. Install it: apt-get install -y redis-server (.ci/run does) !!!!!!!!\n');
}

const password = `pw-${randomBytes(12).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'ddopt-queue-worker-'));
let redis: RedisServer | undefined;
let worker: ChildProcess | undefined;
let port = 0;
let url = '';
let workerOut = '';
let workerErr = '';

beforeAll(async () => {
  if (!redisServerAvailable) return;
  redis = await startRedisServer(['--requirepass', password]);
  port = redis.port;
  url = `redis://:${password}@127.0.0.1:${port}`;
}, 30_000);

afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const quiet = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) }, text: () => out.join('') + err.join('') };
};

describe.skipIf(!redisServerAvailable)('ddopt worker / ddopt reproduce --queue', () => {
  it('`ddopt worker --queue` takes the jobs a producer queued, writes no password anywhere, and stops on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cli, 'worker', '--queue', url, '--workers', '1', '--lock-duration', '5000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    worker = child;
    child.stderr?.on('data', (b: Buffer) => {
      workerErr += b.toString();
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (b: Buffer) => {
        workerOut += b.toString();
        if (workerOut.includes('takes jobs from queue')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`ddopt worker exited (${code}):\n${workerOut}\n${workerErr}`)));
    });
    const ddd = experiments.find((e) => e.id === 'deep-double-descent');
    const declared = ddd?.sweep?.grid({ mode: 'quick', seed: 0, backend: 'cpu' }).find((p) => 'features' in p);
    if (!ddd || !declared) throw new Error('deep-double-descent declares no random-features point');
    const grid: GridPoint[] = [20, 40].map((features) => ({ ...declared, features, n: 20, nTest: 20, dataSeed: 0 }));
    const jobs = join(dir, 'jobs');
    const report = await runSweepOnQueue(ddd, grid, { queue: url, dir: jobs });
    expect(report.crashed).toEqual([]);
    expect(report.jobs).toHaveLength(2);
    // The child ran them: worker names are host#pid.
    expect(Object.keys(report.ranBy)).toEqual([expect.stringMatching(new RegExp(`#${child.pid}$`))]);
    // The CLI's own path: `ddopt reproduce <id> --queue` runs a whole quick sweep on the same worker
    // and writes the thread runner's folder format (one checkpoint per job) and a summarized result.
    const out = join(dir, 'reproduce');
    const c = quiet();
    expect(await main(['reproduce', 'epoch-wise-double-descent', '--queue', url, '--out', out], c.io)).toBe(0);
    const results = readFileSync(join(out, 'results.json'), 'utf8');
    const record = (JSON.parse(results) as RunReport).experiments[0]!;
    expect(record.status).toBe('ok');
    const written = readdirSync(join(out, 'jobs', 'epoch-wise-double-descent'));
    expect(written.length).toBe(record.result!.setup.jobs);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workerOut).toContain(`stopped: {"finished":${2 + written.length},"failed":0,"refused":0}`);
    expect(workerOut).toContain(`redis://:***@127.0.0.1:${port}`);
    const checkpoints = [...readdirSync(jobs).map((f) => join(jobs, f)), ...written.map((f) => join(out, 'jobs', 'epoch-wise-double-descent', f))];
    for (const text of [workerOut, workerErr, c.text(), results, ...checkpoints.map((f) => readFileSync(f, 'utf8'))]) expect(text).not.toContain(password);
  }, 180_000);

  it('`ddopt reproduce --queue` with a wrong password fails naming the queue, and no password reaches its output or results.json', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const out = join(dir, 'wrong');
    const c = quiet();
    expect(await main(['reproduce', 'deep-double-descent', '--queue', `redis://:${wrong}@127.0.0.1:${port}`, '--out', out], c.io)).toBe(1);
    const results = readFileSync(join(out, 'results.json'), 'utf8');
    const record = (JSON.parse(results) as RunReport).experiments[0];
    expect(record?.status).toBe('crashed');
    expect(record?.error).toContain(`runSweepOnQueue: cannot use the Redis queue at redis://:***@127.0.0.1:${port}: WRONGPASS`);
    for (const text of [c.text(), results, readFileSync(join(out, 'index.html'), 'utf8')]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(password);
    }
  }, 60_000);

  it('refuses --queue beside --workers, on an experiment without a sweep, and a worker without a queue', async () => {
    const a = quiet();
    expect(await main(['reproduce', 'deep-double-descent', '--queue', url, '--workers', '2'], a.io)).toBe(2);
    expect(a.text()).toContain('choose one of --workers (threads here) and --queue (ddopt workers anywhere), not both');
    const b = quiet();
    expect(await main(['reproduce', 'double-descent', '--queue', url], b.io)).toBe(2);
    expect(b.text()).toContain('--queue applies to sweep experiments, and none is selected (double-descent)');
    const saved = process.env.DDOPT_QUEUE;
    delete process.env.DDOPT_QUEUE;
    const d = quiet();
    try {
      expect(await main(['worker'], d.io)).toBe(2);
    } finally {
      if (saved !== undefined) process.env.DDOPT_QUEUE = saved;
    }
    expect(d.text()).toContain('ddopt worker needs --queue redis://[:password@]host:port (or the DDOPT_QUEUE environment variable)');
    for (const t of [a.text(), b.text()]) expect(t).not.toContain(password);
  });
});
