// Debian's redis-server for tests that need a real Redis: started on loopback on a free port with
// no persistence, stopped by the test. One definition for every package's queue tests.
import { spawn, spawnSync } from 'node:child_process';
import { freePort } from './free-port.js';

/** Whether `redis-server` is on PATH (`.ci/run` installs it); tests skip loudly when not. */
export const redisServerAvailable = spawnSync('redis-server', ['--version']).status === 0;

/**
 * Starts redis-server on 127.0.0.1 on a free port, resolving once it accepts connections.
 * @param {string[]} [extra] more server arguments, e.g. ['--requirepass', pw]
 */
export async function startRedisServer(extra = []) {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}: ${text}`)), 10_000);
    proc.stdout.on('data', (b) => {
      text += b.toString();
      if (text.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${text}`)));
  });
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
