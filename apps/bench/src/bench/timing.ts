/** Options of `timeIt`. */
export interface TimeOptions {
  /** Keep repeating until this much time has been spent (after warm-up). */
  minSeconds?: number;
  minReps?: number;
  maxReps?: number;
  warmup?: number;
}

/** Median wall time of `fn` in milliseconds, over repeated calls after warm-up. */
export function timeIt(fn: () => void, options: TimeOptions = {}): { ms: number; reps: number } {
  const { minSeconds = 0.4, minReps = 3, maxReps = 200, warmup = 1 } = options;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minReps || (times.length < maxReps && performance.now() - start < minSeconds * 1000)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, reps: times.length };
}
